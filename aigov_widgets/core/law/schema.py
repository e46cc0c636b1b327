"""A small schema checker (stdlib only) and the schemas of the package's data files (used by data.load).

A schema is a dict: {"type": "str" | "bool" | "int" | "enum" | "pattern" | "list" | "table" |
"langs" | "one_of" | "any"}, with "values" (enum), "regex" (pattern), "items"/"min" (list),
"fields"/"required"/"extra" (table: extra is the schema of keys not in fields, None forbids them),
"options" (one_of). check() returns the list of errors with their paths.
"""

from __future__ import annotations

import re

from aigov_widgets.core.law.constants import LANGUAGES as LANGS, is_date

ROLE_ID = r"^[a-z_]+$"     # the roles themselves are data (provisions.toml [meta] roles), checked on load
MILESTONE = r"^[a-z][a-z0-9_]*$"
PROVISION_ID = r"^(art\d+[a-z]?(\.(\d+[a-z]?|[a-z]{1,2}))?(\.[a-z]{1,2})?(\.(exception|profiling|text|amending))?|annex[ivx]+(\.\d+)?(\.[a-z])?)$"


def check(value, schema: dict, path: str = "$") -> list[str]:
    kind = schema["type"]
    if kind == "any":
        return []
    if kind == "str":
        return [] if isinstance(value, str) and value else [f"{path}: expected a non-empty string"]
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{path}: expected true or false"]
    if kind == "int":
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: expected an integer"]
    if kind == "enum":
        return [] if value in schema["values"] else [f"{path}: {value!r} not in {schema['values']}"]
    if kind == "date":
        return [] if is_date(value) else [f"{path}: {value!r} is not a calendar date YYYY-MM-DD"]
    if kind == "pattern":
        ok = isinstance(value, str) and re.match(schema["regex"], value)
        return [] if ok else [f"{path}: {value!r} does not match {schema['regex']}"]
    if kind == "langs":
        return check(value, {"type": "table", "fields": {lang: {"type": "str"} for lang in LANGS},
                             "required": list(LANGS), "extra": None}, path)
    if kind == "one_of":
        for option in schema["options"]:
            if not check(value, option, path):
                return []
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        return [f"{path}: {shown[:80]} matches none of the allowed forms"]
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        errors = [] if len(value) >= schema.get("min", 0) else [f"{path}: fewer than {schema['min']} items"]
        for index, item in enumerate(value):
            errors += check(item, schema["items"], f"{path}[{index}]")
        return errors
    if kind == "table":
        if not isinstance(value, dict):
            return [f"{path}: expected a table"]
        errors = [f"{path}: missing {key!r}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            sub = schema.get("fields", {}).get(key, schema.get("extra"))
            if sub is None:
                errors.append(f"{path}: unknown key {key!r}")
            else:
                errors += check(item, sub, f"{path}.{key}")
        return errors
    raise ValueError(f"unknown schema type {kind}")


def table(fields: dict, required=(), extra=None) -> dict:
    return {"type": "table", "fields": fields, "required": list(required), "extra": extra}


STR = {"type": "str"}
LANG_TEXT = {"type": "langs"}
MILESTONE_ID = {"type": "pattern", "regex": MILESTONE}
PROVISION = {"type": "pattern", "regex": PROVISION_ID}

# Conditions of provisions.toml (`when`): over the facts of a classification.
WHEN = {"type": "one_of", "options": [
    table({"fact": {"type": "enum", "values": ["general_duties", "route_annex_iii", "route_annex_i", "chapter_iii",
                                                "annex_iii_beyond_point_2", "derogated", "public_body",
                                                "public_authority", "post_remote", "decisions",
                                                "rbi_exception"]}}, ["fact"]),
    table({"role": {"type": "pattern", "regex": ROLE_ID}}, ["role"]),
    table({"basis": PROVISION}, ["basis"]),
    table({"transparency": PROVISION}, ["transparency"]),
    table({"all": {"type": "list", "items": {"type": "any"}, "min": 1}}, ["all"]),
    table({"any": {"type": "list", "items": {"type": "any"}, "min": 1}}, ["any"]),
    table({"not": {"type": "any"}}, ["not"]),
]}

PROVISION_ENTRY = table({
    "kind": {"type": "enum", "values": ["definition", "scope", "prohibition", "exception", "classification",
                                        "derogation", "obligation", "right", "role", "application"]},
    "addressee": {"type": "list", "items": {"type": "pattern", "regex": ROLE_ID}, "min": 1},
    "applies_from": {"type": "one_of", "options": [
        MILESTONE_ID, table({"annex_iii": MILESTONE_ID, "annex_i": MILESTONE_ID}, ["annex_iii", "annex_i"])]},
    "transitional": {"type": "pattern", "regex": r"^art111\.\d$"},
    "when": WHEN,
    "versions": {"type": "list", "items": STR, "min": 1},
    "label": LANG_TEXT,
    "cite": LANG_TEXT,
}, required=["kind", "label"])

CITATION_FORMAT = table({key: STR for key in (
    "article", "paragraph", "point", "definition_point", "annex", "annex_point", "annex_letter")}
    | {"suffixes": table({}, extra=STR)}, required=["article", "paragraph", "point", "definition_point",
                                                  "annex", "annex_point", "annex_letter", "suffixes"])

PROVISIONS_FILE = table({
    "meta": table({"rules_version": {"type": "pattern", "regex": r"^\d+\.\d+\.\d+$"},
                   "roles": {"type": "list", "items": {"type": "pattern", "regex": ROLE_ID}, "min": 1}},
                  ["rules_version", "roles"]),
    "classification": table({
        "ai_system": PROVISION, "exclusions": {"type": "list", "items": PROVISION},
        "open_source": PROVISION, "annex_i": {"type": "list", "items": PROVISION, "min": 2},
        "annex_i_section_b": PROVISION, "profiling": PROVISION,
        "critical_infrastructure": {"type": "list", "items": PROVISION},
        "transparency": {"type": "list", "items": PROVISION},
        "derived_points": table({}, extra=PROVISION),
        "implied_transparency": table({}, extra={"type": "list", "items": PROVISION}),
        "public_authority_points": {"type": "list", "items": PROVISION},
        "presumed_public_points": {"type": "list", "items": PROVISION},
    }, required=["ai_system", "exclusions", "open_source", "annex_i", "annex_i_section_b", "profiling",
                 "critical_infrastructure", "transparency", "derived_points", "implied_transparency"]),
    "citation": table({lang: CITATION_FORMAT for lang in LANGS}
                      | {"point_numbered": table({"articles": {"type": "list", "items": STR}}, ["articles"])},
                      required=[*LANGS, "point_numbered"]),
    "role": table({}, extra=table({"label": LANG_TEXT}, ["label"])),
    "kind": table({"prohibition": table({"duty_prefix": LANG_TEXT}, ["duty_prefix"])}),
    "provision": table({}, extra=PROVISION_ENTRY),
}, required=["meta", "classification", "citation", "role", "kind", "provision"])

LAW_VERSION = table({
    "status": {"type": "enum", "values": ["current", "superseded"]},
    "amends": STR,
    "celex": STR,
    "fallback_celex": STR,
    "eli": STR,
    "anchors": {"type": "list", "items": {"type": "enum", "values": ["article", "annex"]}, "min": 1},
    "amending_act": table({"celex": STR, "eli": STR}, ["celex", "eli"]),
    "in_force": MILESTONE_ID,
    "title": LANG_TEXT,
    "dates": table({}, extra={"type": "one_of", "options": [{"type": "date"}, MILESTONE_ID]}),
    "transitional": table({}, extra=table({
        "cutoff": {"type": "one_of", "options": [MILESTONE_ID, table({"annex_iii": MILESTONE_ID, "annex_i": MILESTONE_ID})]},
        "public_authorities": MILESTONE_ID,
        "until": MILESTONE_ID,
    }, ["cutoff"])),
}, required=["status", "celex", "eli", "anchors", "in_force", "title", "dates"])

LAWS_FILE = table({
    "current": STR,
    "eurlex": table({"pattern": STR, "anchor": table({"article": STR, "annex": STR}, ["article", "annex"])},
                    ["pattern", "anchor"]),
    "law": table({}, extra=LAW_VERSION),
    "milestone": table({}, extra=table({"source": PROVISION, "label": LANG_TEXT}, ["source", "label"])),
}, required=["current", "eurlex", "law", "milestone"])

# Conditions of the questionnaires (`ask_if`, notes' `when`): over the answers.
ANSWER_VALUE = {"type": "one_of", "options": [{"type": "bool"}, {"type": "enum", "values": ["unsure"]}]}
ASK_IF = {"type": "one_of", "options": [
    table({"id": STR, "is": ANSWER_VALUE}, ["id", "is"]),
    table({"id": STR, "not": ANSWER_VALUE}, ["id", "not"]),
    table({"id": STR, "in": {"type": "list", "items": ANSWER_VALUE, "min": 1}}, ["id", "in"]),
    table({"ref": STR}, ["ref"]),
    table({"all": {"type": "list", "items": {"type": "any"}, "min": 1}}, ["all"]),
    table({"any": {"type": "list", "items": {"type": "any"}, "min": 1}}, ["any"]),
    table({"none": {"type": "list", "items": {"type": "any"}, "min": 1}}, ["none"]),
]}

QUESTION = table({
    "id": STR,
    "section": STR,
    "gate": {"type": "bool"},
    "provisions": {"type": "list", "items": PROVISION, "min": 1},
    "ask_if": ASK_IF,
    "text": LANG_TEXT,
    "help": LANG_TEXT,
    "examples": table({lang: {"type": "list", "items": STR, "min": 1} for lang in LANGS}, LANGS),
}, required=["id", "section", "text", "help"])

NOTE = table({"id": STR, "when": ASK_IF, "text": LANG_TEXT, "ask": LANG_TEXT}, ["id", "text"])

QUESTIONNAIRE_FILE = table({
    "id": STR,
    "version": {"type": "int"},
    "options": table({value: LANG_TEXT for value in ("true", "false", "unsure")}, ["true", "false", "unsure"]),
    "condition": table({}, extra=ASK_IF),
    "section": {"type": "list", "items": table({"id": STR, "title": LANG_TEXT}, ["id", "title"]), "min": 1},
    "context": table({}, extra=table({"label": LANG_TEXT, "help": LANG_TEXT,
                                      "options": {"type": "list", "items": {"type": "pattern", "regex": ROLE_ID}}},
                                     ["label", "help"])),
    "question": {"type": "list", "items": QUESTION, "min": 1},
    "note": {"type": "list", "items": NOTE},
    "finding": table({
        "direct": table({}, extra={"type": "pattern", "regex": ROLE_ID}),
        "become": {"type": "list", "items": table({
            "role": {"type": "pattern", "regex": ROLE_ID}, "answer": STR,
            "requires": {"type": "list", "items": STR}, "unless": STR}, ["role", "answer", "requires"])},
    }, ["direct", "become"]),
}, required=["id", "version", "options", "section", "question"])


def walk_conditions(condition: dict, schema: dict, path: str) -> list[str]:
    """Check a nested condition tree (the schemas above check one level; this recurses)."""
    errors = check(condition, schema, path)
    for key in ("all", "any", "none"):
        for index, part in enumerate(condition.get(key, [])):
            errors += walk_conditions(part, schema, f"{path}.{key}[{index}]")
    if "not" in condition and isinstance(condition["not"], dict):
        errors += walk_conditions(condition["not"], schema, f"{path}.not")
    return errors
