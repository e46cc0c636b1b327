"""The AI Act rules engine: tier, basis and transparency of an AI system, and the obligations of a role.

Answers are True, False or "unsure" per provision id (a missing key means False). "unsure" is read
with three-valued logic (None = unknown); the result takes the most protective tier that is still
plausible and lists the unsure answers it depended on. The legal structure comes from
data/provisions.toml, the dates from data/laws.toml (via references): no rule is written here twice.
Pure stdlib: runs unchanged in CPython and in bare Pyodide.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from aigov_widgets.core.law import conditions, questionnaire, references

TIERS = ("not_ai_system", "out_of_scope", "prohibited", "high_risk", "limited_risk", "minimal_risk")
ROLES = ("provider", "deployer", "authorised_representative", "importer", "distributor")
UNSURE = "unsure"
IN_SCOPE_TIERS = ("prohibited", "high_risk", "limited_risk", "minimal_risk")


class InputError(ValueError):
    """Bad input: `key` names the offending key (or None for the whole input)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


# --- three-valued logic ---------------------------------------------------------------------------

def _truth(value: object) -> bool | None:
    """An answer as Kleene truth value: True, False or None (unsure)."""
    return None if value == UNSURE else bool(value)


def _any(values) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return None if None in values else False


def _all(values) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


# --- the legal structure, from provisions.toml ---------------------------------------------------

@dataclass(frozen=True)
class Structure:
    ai_system: str
    exclusions: tuple[str, ...]
    open_source: str
    annex_i: tuple[str, ...]
    annex_i_section_b: str
    profiling: str
    critical_infrastructure: tuple[str, ...]
    transparency: tuple[str, ...]
    prohibitions: tuple[str, ...]
    exceptions: dict          # prohibition id -> exception id
    derived_points: dict      # prohibition id -> Annex III point when its exception lifts it
    implied_transparency: dict
    annex_iii: tuple[str, ...]
    derogations: tuple[str, ...]
    order: dict = field(default_factory=dict)   # id -> position in provisions.toml


@lru_cache(maxsize=1)
def structure() -> Structure:
    data = references.load_toml("provisions.toml")
    table = data["classification"]
    entries = data["provision"]
    kinds = {kind: tuple(pid for pid, entry in entries.items() if entry["kind"] == kind)
             for kind in ("prohibition", "exception", "derogation", "classification")}
    return Structure(
        ai_system=table["ai_system"],
        exclusions=tuple(table["exclusions"]),
        open_source=table["open_source"],
        annex_i=tuple(table["annex_i"]),
        annex_i_section_b=table["annex_i_section_b"],
        profiling=table["profiling"],
        critical_infrastructure=tuple(table["critical_infrastructure"]),
        transparency=tuple(table["transparency"]),
        prohibitions=kinds["prohibition"],
        exceptions={pid.removesuffix(".exception"): pid for pid in kinds["exception"]},
        derived_points=dict(table["derived_points"]),
        implied_transparency={k: tuple(v) for k, v in table["implied_transparency"].items()},
        annex_iii=tuple(pid for pid in kinds["classification"] if pid.startswith("annexiii.")),
        derogations=kinds["derogation"],
        order={pid: index for index, pid in enumerate(entries)},
    )


def input_keys() -> tuple[str, ...]:
    """Every provision id classify() reads as an answer, in provisions.toml order."""
    s = structure()
    keys = {s.ai_system, *s.exclusions, s.open_source, *s.prohibitions, *s.exceptions.values(),
            *s.annex_i, s.annex_i_section_b, *s.annex_iii, *s.derogations, s.profiling, *s.transparency}
    return tuple(sorted(keys, key=lambda pid: s.order[pid]))


def _ordered(ids) -> list[str]:
    order = structure().order
    return sorted(dict.fromkeys(ids), key=lambda pid: order.get(pid, len(order)))


# --- classification -------------------------------------------------------------------------------

@dataclass
class Decision:
    """What the answers decide: the tier and the ids behind it, before any date is considered."""
    tier: str
    basis: list[str]
    transparency: list[str] = field(default_factory=list)
    relevant: list[str] = field(default_factory=list)     # answer ids the decision depended on
    derived: dict = field(default_factory=dict)           # derived Annex III point -> its source ids


def decide(answers: dict) -> Decision:
    """The tier under the law as adopted (precedence: AI system, scope, Art. 5, Art. 6, Art. 50)."""
    s = structure()
    relevant: list[str] = []

    def read(pid: str) -> bool | None:
        relevant.append(pid)
        return _truth(answers.get(pid, False))

    if read(s.ai_system) is False:
        return Decision("not_ai_system", [s.ai_system], relevant=relevant)

    excluded = {pid: read(pid) for pid in s.exclusions}
    if True in excluded.values():
        hard = [pid for pid, value in excluded.items() if value is True]
        return Decision("out_of_scope", hard, relevant=[s.ai_system, *hard])

    # Art. 5: a practice is prohibited unless its exception (if any) applies.
    prohibited, derived = [], {}
    for pid in s.prohibitions:
        practice = read(pid)
        if practice is False:
            continue
        exception = read(s.exceptions[pid]) if pid in s.exceptions else False
        if _all([practice, _not(exception)]) is not False:
            prohibited.append(pid)
        if pid in s.derived_points and _all([practice, exception]) is not False:
            derived[s.derived_points[pid]] = [pid, s.exceptions[pid]]

    # Annex III points, asked or derived from a lifted prohibition (derived ones are at most as sure
    # as the answers they come from).
    points = {}
    for pid in s.annex_iii:
        asked = read(pid)
        source = derived.get(pid)
        from_exception = _all([_truth(answers.get(x, False)) for x in source]) if source else False
        value = _any([asked, from_exception])
        if value is not False:
            points[pid] = value
    transparency = _transparency(read, points)

    if prohibited:
        return Decision("prohibited", prohibited, transparency, relevant, derived)

    # Art. 6(1): Annex I products needing third-party conformity assessment.
    annex_i_first = read(s.annex_i[0])
    annex_i = _all([annex_i_first, *(read(pid) for pid in s.annex_i[1:])]) if annex_i_first is not False else False
    section_b = read(s.annex_i_section_b) if annex_i is not False else False

    # Art. 6(2) and (3): an Annex III point makes it high-risk unless a derogation applies and the
    # system does not profile natural persons (profiling overrides the derogation).
    exempt, derogation_ids, profiling = False, [], False
    if points:
        profiling = read(s.profiling)
        if profiling is not True:
            derogation_values = {pid: read(pid) for pid in s.derogations}
            derogation_ids = [pid for pid, value in derogation_values.items() if value is True]
            exempt = _all([_any(derogation_values.values()), _not(profiling)])
    annex_iii = _all([_any(points.values()), _not(exempt)]) if points else False

    if _any([annex_i, annex_iii]) is not False:
        basis = []
        if annex_i is not False:
            basis += list(s.annex_i) + ([s.annex_i_section_b] if section_b is True else [])
        if annex_iii is not False:
            basis += list(points) + ([s.profiling] if profiling is not False else [])
        return Decision("high_risk", _ordered(basis), transparency, relevant, derived)

    derogation_basis = list(points) + derogation_ids if exempt is True else []
    if transparency:
        return Decision("limited_risk", _ordered(transparency + derogation_basis), transparency, relevant, derived)
    if read(s.open_source) is True:
        return Decision("out_of_scope", [s.open_source], transparency, relevant, derived)
    return Decision("minimal_risk", _ordered(derogation_basis), transparency, relevant, derived)


def _transparency(read, points: dict) -> list[str]:
    """Art. 50 ids triggered, whatever the tier: answered, or implied by an Annex III 1(b)/(c) point."""
    s = structure()
    triggered = [pid for pid in s.transparency if read(pid) is not False]
    for point in points:
        triggered += s.implied_transparency.get(point, ())
    return _ordered(triggered)


# --- obligations ------------------------------------------------------------------------------------

def _facts(tier: str, basis: list[str], transparency: list[str], public_body: bool) -> dict:
    s = structure()
    high = tier == "high_risk"
    annex_iii_points = [pid for pid in basis if pid in s.annex_iii]
    route_annex_iii = high and bool(annex_iii_points)
    route_annex_i = high and s.annex_i[0] in basis
    section_b_only = route_annex_i and s.annex_i_section_b in basis and not route_annex_iii
    return {
        "general_duties": tier in IN_SCOPE_TIERS and not section_b_only,
        "route_annex_iii": route_annex_iii,
        "route_annex_i": route_annex_i,
        "chapter_iii": high and not section_b_only,
        "annex_iii_beyond_point_2": route_annex_iii
        and any(pid not in s.critical_infrastructure for pid in annex_iii_points),
        "derogated": not high and any(pid in s.derogations for pid in basis),
        "public_body": bool(public_body),
        "basis": set(basis),
        "transparency": set(transparency),
    }


def holds(condition: dict, facts: dict) -> bool:
    """A `when` condition of provisions.toml over the facts (conditions.holds, fact leaves)."""
    def fact_test(leaf: dict) -> bool:
        if "fact" in leaf:
            return facts[leaf["fact"]]
        if "basis" in leaf:
            return leaf["basis"] in facts["basis"]
        if "transparency" in leaf:
            return leaf["transparency"] in facts["transparency"]
        raise ValueError(f"unknown condition: {leaf!r}")

    return conditions.holds(condition, fact_test)


def _routes(facts: dict) -> list[str]:
    return [route for route in ("annex_iii", "annex_i") if facts[f"route_{route}"]]


def applies_from(provision_id: str, facts: dict, *, in_service_since: str | None = None,
                 law: str | None = None) -> tuple[str | None, str | None]:
    """(first day the duty applies to this system, the Art. 111 rule that moved it or None).

    None as date: an already-running system is caught only after a significant change (Art. 111(2)).
    Where the date depends on the high-risk route (Art. 113(c)), the earliest route that holds counts.
    """
    entry = references.provisions()[provision_id]
    spec = entry["applies_from"]
    routes = _routes(facts) or ["annex_iii"]
    rule_id = entry.get("transitional")
    rule = references.transitional(rule_id, law) if rule_id else {}
    candidates = []
    for route in routes:
        milestone = spec[route] if isinstance(spec, dict) else spec
        if milestone is None:
            continue
        start = references.milestone_date(milestone, law)
        moved = None
        if rule and in_service_since:
            cutoff = rule["cutoff"][route] if isinstance(rule["cutoff"], dict) else rule["cutoff"]
            if in_service_since < references.milestone_date(cutoff, law):
                moved = rule_id
                if "until" in rule:
                    start = references.milestone_date(rule["until"], law)
                elif "public_authorities" in rule and facts["public_body"]:
                    start = max(start, references.milestone_date(rule["public_authorities"], law))
                else:
                    start = None
        candidates.append((start, moved))
    dated = [c for c in candidates if c[0] is not None]
    return min(dated, key=lambda c: c[0]) if dated else candidates[0]


def obligations(role: str, tier: str, basis: list[str], *, on_date: str, lang: str,
                transparency: list[str] = (), public_body: bool = True,
                in_service_since: str | None = None, law: str | None = None) -> list[dict]:
    """The duties of `role` for a system of this tier and basis, each with its first day and whether
    it applies on `on_date`. For a prohibited system: the prohibitions themselves."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}", "role")
    facts = _facts(tier, basis, list(transparency), public_body)
    entries = references.provisions()
    prefix = references.load_toml("provisions.toml")["kind"]["prohibition"]["duty_prefix"][lang]
    out = []
    if tier == "prohibited":
        chosen = [pid for pid in basis if entries[pid]["kind"] == "prohibition"]
    else:
        chosen = [pid for pid, entry in entries.items()
                  if entry["kind"] in ("obligation", "right") and "when" in entry
                  and role in entry["addressee"] and holds(entry["when"], facts)]
    for pid in chosen:
        entry = entries[pid]
        try:
            start, _ = applies_from(pid, facts, in_service_since=in_service_since, law=law)
        except KeyError:      # the duty's milestone does not exist in this law version: no such duty then
            continue
        ref = references.provision(pid, lang)
        label = (prefix if entry["kind"] == "prohibition" else "") + ref["label"]
        out.append({
            "id": pid,
            "addressee": list(entry["addressee"]),
            "applies_from": start,
            "in_force": start is not None and on_date >= start,
            "label": label,
            "url": references.eurlex_url(pid, lang, law),
        })
    return out


# --- input checks -----------------------------------------------------------------------------------

CONTEXT_KEYS = ("role", "public_body", "in_service_since")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(value: object, key: str) -> str:
    """An ISO date string (YYYY-MM-DD) that is a real day, else InputError naming `key`."""
    if not isinstance(value, str) or not _ISO.match(value):
        raise InputError(f"{key}: expected a date YYYY-MM-DD, got {value!r}", key)
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{key}: not a calendar date: {value!r}", key) from None
    return value


def check_answers(answers: object, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    """Answers keyed by known ids with values true, false or "unsure"; InputError names the key."""
    if not isinstance(answers, dict):
        raise InputError(f"expected an object of answers, got {type(answers).__name__}")
    for key, value in answers.items():
        if key not in allowed:
            raise InputError(f"unknown key {key!r}", key)
        if not (isinstance(value, bool) or value == UNSURE):
            raise InputError(f"{key}: expected true, false or \"unsure\", got {value!r}", key)
    for key in required:
        if key not in answers:
            raise InputError(f"missing required key {key!r}", key)
    return dict(answers)


def classifier_keys() -> tuple[str, ...]:
    """The answer keys classify() accepts: the provisions it reads and the questionnaire's ids."""
    return tuple(dict.fromkeys(input_keys() + questionnaire.question_ids("classifier")))


def split_record(record: object) -> tuple[dict, dict]:
    """A CLI/worker record -> (answers, context), each checked; InputError names the bad key."""
    if not isinstance(record, dict):
        raise InputError(f"expected an object, got {type(record).__name__}")
    context = {key: record[key] for key in CONTEXT_KEYS if key in record}
    answers = {key: value for key, value in record.items() if key not in CONTEXT_KEYS}
    if "role" in context and context["role"] not in ROLES:
        raise InputError(f"role: expected one of {', '.join(ROLES)}, got {context['role']!r}", "role")
    if "public_body" in context and not isinstance(context["public_body"], bool):
        raise InputError(f"public_body: expected true or false, got {context['public_body']!r}", "public_body")
    if "in_service_since" in context and context["in_service_since"] is not None:
        check_date(context["in_service_since"], "in_service_since")
    check_answers(answers, classifier_keys(), (structure().ai_system,))
    return answers, context


# --- the result -------------------------------------------------------------------------------------

def classify(answers: dict, *, on_date: str, lang: str, role: str = "deployer", public_body: bool = True,
             in_service_since: str | None = None, law: str | None = None) -> dict:
    """Classify one AI system and list the duties of `role` on `on_date` (see core/README.md)."""
    check_answers(answers, classifier_keys(), (structure().ai_system,))
    check_date(on_date, "date")
    if in_service_since is not None:
        check_date(in_service_since, "in_service_since")
    if lang not in references.LANGUAGES:
        raise InputError(f"lang: expected one of {', '.join(references.LANGUAGES)}, got {lang!r}", "lang")
    law = references.law_id(law)
    decision = decide(answers)
    duties = obligations(role, decision.tier, decision.basis, on_date=on_date, lang=lang,
                         transparency=decision.transparency, public_body=public_body,
                         in_service_since=in_service_since, law=law)
    open_questions = [pid for pid in dict.fromkeys(decision.relevant) if answers.get(pid) == UNSURE]
    return {
        "tier": decision.tier,
        "basis": decision.basis,
        "transparency": decision.transparency,
        "obligations": duties,
        "provisional": bool(open_questions),
        "open_questions": open_questions,
        "derived": decision.derived,
        "changes": _changes(role, decision, duties, public_body, in_service_since, law),
        "notes": _notes(answers, decision, duties, role, public_body, in_service_since, lang, law),
        "law": law,
        "rules_version": references.rules_version(),
        "date": on_date,
    }


def _changes(role, decision, duties, public_body, in_service_since, law) -> list[dict]:
    """Duties whose first day differs from the version this law amends (what the amendment moved)."""
    previous = references.laws()["law"][law].get("amends")
    if not previous:
        return []
    facts = _facts(decision.tier, decision.basis, decision.transparency, public_body)
    out = []
    for duty in duties:
        try:
            before, _ = applies_from(duty["id"], facts, in_service_since=in_service_since, law=previous)
        except KeyError:      # a milestone the amended version did not have: a new duty
            before = None
        if before != duty["applies_from"]:
            out.append({"id": duty["id"], "applies_from": duty["applies_from"], "before": before})
    return out


def _notes(answers, decision, duties, role, public_body, in_service_since, lang, law) -> list[dict]:
    """Notes for this result only: the questionnaire's notes whose condition holds on the answers
    (e.g. a genuinely open legal question, with what to ask a lawyer), plus notes on derived points,
    Annex I Section B and Art. 111 transitional dates."""
    s = structure()
    notes = [{"id": note_id, "text": questionnaire.note_text("classifier", note_id, lang, law)}
             for note_id in questionnaire.notes_for("classifier", answers)
             if note_id not in questionnaire.result_notes()]
    reasons = []
    if decision.derived and decision.tier != "prohibited":
        reasons.append("derived_point")
    if decision.tier == "high_risk" and s.annex_i_section_b in decision.basis:
        reasons.append("annex_i_section_b")
    facts = _facts(decision.tier, decision.basis, decision.transparency, public_body)
    moved = {applies_from(d["id"], facts, in_service_since=in_service_since, law=law)[1]: d
             for d in duties}
    if "art111.2" in moved:
        reasons.append("art111_2_public" if moved["art111.2"]["applies_from"] else "art111_2_private")
    if "art111.4" in moved:
        reasons.append("art111_4")
    for note_id in reasons:
        notes.append({"id": note_id, "text": questionnaire.note_text("classifier", note_id, lang, law)})
    return notes


# --- role finder ------------------------------------------------------------------------------------

def role_keys() -> tuple[str, ...]:
    return questionnaire.question_ids("roles")


def find_roles(answers: dict) -> dict:
    """Roles of an organisation towards one AI system (Art. 3(3) to (7), Art. 25(1)).

    Art. 25(1)(a) and (b) make a third party the provider of a system that is high-risk; (c) of one
    that becomes high-risk through the new intended purpose. "unsure" counts as yes (a role brings
    duties) and makes the result provisional. The structure is data: roles.toml [finding].
    """
    check_answers(answers, role_keys(), ())
    value = {key: _truth(answers.get(key, False)) for key in role_keys()}
    finding = questionnaire.load("roles")["finding"]
    basis: dict[str, list[str]] = {}
    relevant = list(finding["direct"])
    for key, role in finding["direct"].items():
        if value[key] is not False:
            basis.setdefault(role, []).append(key)
    for rule in finding["become"]:
        if "unless" in rule and value[rule["unless"]] is True:
            continue
        relevant += [rule["answer"], *rule["requires"]]
        if _all([value[rule["answer"]], *(value[key] for key in rule["requires"])]) is not False:
            basis.setdefault(rule["role"], []).append(rule["answer"])
    roles = [role for role in ROLES if role in basis]
    open_questions = [key for key in dict.fromkeys(relevant) if answers.get(key) == UNSURE]
    return {"roles": roles, "basis": {role: basis[role] for role in roles},
            "provisional": bool(open_questions), "open_questions": open_questions,
            "rules_version": references.rules_version()}
