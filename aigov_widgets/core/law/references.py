"""Dates, citations and EUR-Lex links of the AI Act, read from data/laws.toml and data/provisions.toml.

Every date of the package lives once, in laws.toml; everything else names a milestone and asks here.
Pure stdlib (no locale, no zoneinfo): runs unchanged in CPython and in bare Pyodide.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from aigov_widgets.core.law import data
from aigov_widgets.core.law.constants import LANGUAGES, is_date

_ARTICLE_ID = re.compile(
    r"^art(?P<article>\d+[a-z]?)"
    r"(?:\.(?P<paragraph>\d+[a-z]?|[a-z]{1,2}))?"
    r"(?:\.(?P<point>[a-z]{1,2}))?"
    r"(?:\.(?P<qualifier>exception|profiling|text|amending))?$"
)
_ANNEX_ID = re.compile(r"^annex(?P<annex>[ivx]+)(?:\.(?P<point>\d+))?(?:\.(?P<letter>[a-z]))?$")

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


# --- data -----------------------------------------------------------------------------------------

def load_toml(name: str) -> dict:
    """A data file of aigov_widgets/data, parsed and validated once (callers must not mutate it)."""
    return data.load(name)


def laws() -> dict:
    return load_toml("laws.toml")


def provisions() -> dict:
    """The `provision` table of provisions.toml: {id: entry}."""
    return load_toml("provisions.toml")["provision"]


def rules_version() -> str:
    return load_toml("provisions.toml")["meta"]["rules_version"]


def law_id(law: str | None = None) -> str:
    """The id of a law version of laws.toml (default: the current one); KeyError if unknown."""
    data = laws()
    law = data["current"] if law is None else law
    if law not in data["law"]:
        raise KeyError(law)
    return law


def law_in_force_from(law: str) -> str:
    """The ISO date from which a law version is the text in force (its `in_force` milestone)."""
    return milestone_date(laws()["law"][law]["in_force"], law)


def law_for_date(on_date: str) -> str | None:
    """The law version in force on `on_date`: the latest version of the current chain whose own
    entry into force is on or before that day (None before the first version entered into force)."""
    chosen = None
    for version in law_chain():
        if law_in_force_from(version) <= on_date:
            chosen = version
    return chosen


def in_law(provision_id: str, law: str | None = None) -> bool:
    """Whether a provision exists in the text of a law version (`versions` in provisions.toml;
    a provision without `versions` belongs to every version)."""
    versions = provisions()[provision_id].get("versions")
    return versions is None or law_id(law) in versions


def law_chain(law: str | None = None) -> list[str]:
    """The law version and the versions it amends, oldest first."""
    chain = [law_id(law)]
    while "amends" in laws()["law"][chain[0]]:
        chain.insert(0, laws()["law"][chain[0]]["amends"])
    return chain


def _merged(law: str | None, table: str) -> dict:
    """A per-version table (dates, transitional) with the amended versions' entries inherited."""
    merged: dict = {}
    for version in law_chain(law):
        for key, value in laws()["law"][version].get(table, {}).items():
            merged[key] = value
    return merged


@lru_cache(maxsize=None)
def milestone_dates(law: str | None = None) -> dict[str, str]:
    """{milestone: ISO date} of a law version, inheritance and milestone references resolved."""
    raw = _merged(law, "dates")

    def resolve(milestone: str, seen: tuple[str, ...]) -> str:
        if milestone in seen:
            raise ValueError(f"milestones refer to each other in a cycle: {' -> '.join(seen)}")
        value = raw[milestone]
        return value if is_date(value) else resolve(value, seen + (milestone,))

    return {milestone: resolve(milestone, ()) for milestone in raw}


def milestone_date(milestone: str, law: str | None = None) -> str:
    """ISO date of a milestone of laws.toml in the given law version (default: current)."""
    return milestone_dates(law)[milestone]


def transitional(rule: str, law: str | None = None) -> dict:
    """The Art. 111 rule `rule` (e.g. "art111.2") of a law version, with inherited keys."""
    merged: dict = {}
    for version in law_chain(law):
        entry = laws()["law"][version].get("transitional", {}).get(rule)
        if entry:
            merged = _deep_merge(merged, entry)
    return merged


def _deep_merge(base: dict, update: dict) -> dict:
    out = dict(base)
    for key, value in update.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


# --- dates in words -------------------------------------------------------------------------------

def date_text(iso: str, lang: str) -> str:
    """The date written out: nl "2 december 2027", fr "1er août 2024", en "2 December 2027"."""
    day = datetime.date.fromisoformat(iso)
    month = _MONTHS[lang][day.month - 1]
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{number} {month} {day.year}"


def milestone_text(milestone: str, lang: str) -> str:
    """The current law's date of a milestone, written in `lang`."""
    return date_text(milestone_date(milestone), lang)


# --- citations and links --------------------------------------------------------------------------

def parse_id(provision_id: str) -> dict:
    """The parts of a provision id: {"kind": "article"|"annex", "number", "paragraph", "point", ...}."""
    match = _ARTICLE_ID.match(provision_id)
    if match:
        parts = match.groupdict()
        return {"kind": "article", "number": parts["article"], "paragraph": parts["paragraph"],
                "point": parts["point"], "qualifier": parts["qualifier"]}
    match = _ANNEX_ID.match(provision_id)
    if match:
        return {"kind": "annex", "number": match["annex"].upper(), "point": match["point"],
                "letter": match["letter"]}
    raise ValueError(f"not a provision id: {provision_id!r}")


def _numbered(value: str, suffixes: dict) -> str:
    """ "1a" -> "1 bis" and "ba" -> "b bis" where the language names inserted items so (nl, fr)."""
    if not suffixes:
        return value
    match = re.match(r"^(\d+|[a-z])([a-z])$", value)
    if match and match[2] in suffixes:
        return f"{match[1]} {suffixes[match[2]]}"
    return value


def citation(provision_id: str, lang: str) -> str:
    """The citation of a provision in `lang`, derived from its id by the formats of provisions.toml."""
    entry = provisions().get(provision_id, {})
    if lang in entry.get("cite", {}):
        return entry["cite"][lang]
    data = load_toml("provisions.toml")["citation"]
    form = data[lang]
    suffixes = form["suffixes"]
    parts = parse_id(provision_id)
    if parts["kind"] == "annex":
        text = form["annex"].format(n=parts["number"])
        if parts["point"]:
            text += form["annex_point"].format(n=parts["point"])
        if parts["letter"]:
            text += form["annex_letter"].format(n=parts["letter"])
        return text
    text = form["article"].format(n=_numbered(parts["number"], suffixes))
    if parts["paragraph"]:
        if parts["number"] in data["point_numbered"]["articles"]:
            text += form["definition_point"].format(n=parts["paragraph"])
        else:
            text += form["paragraph"].format(n=_numbered(parts["paragraph"], suffixes))
    if parts["point"]:
        text += form["point"].format(n=_numbered(parts["point"], suffixes))
    return text


def eurlex_url(provision_id: str, lang: str, law: str | None = None) -> str:
    """Link to the provision in the law version's text in `lang`: the consolidated text where it has
    the anchor, else the Official Journal text (fallback_celex)."""
    if lang not in LANGUAGES:
        raise KeyError(lang)
    data = laws()
    version = data["law"][law_id(law)]
    parts = parse_id(provision_id)
    anchor = data["eurlex"]["anchor"][parts["kind"]].format(n=parts["number"], number=parts["number"])
    if parts.get("qualifier") == "amending":     # an article of the amending act itself (its final article)
        amending = next(v["amending_act"] for v in data["law"].values() if "amending_act" in v)
        return data["eurlex"]["pattern"].format(lang=lang.upper(), celex=amending["celex"], anchor=anchor)
    celex = version["celex"] if parts["kind"] in version["anchors"] else version["fallback_celex"]
    return data["eurlex"]["pattern"].format(lang=lang.upper(), celex=celex, anchor=anchor)


def provision(provision_id: str, lang: str) -> dict:
    """{citation, label, url} of a provision of provisions.toml in `lang` (KeyError if unknown)."""
    entry = provisions()[provision_id]
    return {
        "citation": citation(provision_id, lang),
        "label": entry["label"][lang],
        "url": eurlex_url(provision_id, lang),
    }


def role_label(role: str, lang: str) -> str:
    """The official term for a role (deployer = gebruiksverantwoordelijke = déployeur)."""
    return load_toml("provisions.toml")["role"][role]["label"][lang]


_DATE_FIELD = re.compile(r"\{date:([a-z0-9_]+)\}")


def fill_dates(text: str, lang: str, law: str | None = None) -> str:
    """Replace {date:milestone} with the milestone's date in the law version, written in `lang`."""
    return _DATE_FIELD.sub(
        lambda match: date_text(milestone_date(match.group(1), law), lang), text)
