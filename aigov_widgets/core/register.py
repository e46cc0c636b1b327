"""The register of AI systems: the register file (format "aigov-register", version 1), its checks, its
normal form, the Art. 49 registration rules and the import preview. Pure stdlib, no I/O: the `aigov
register` command and (later) the browser tool both call it; exports are in register_export.py.

Every system is classified by the engine itself: `engine.split_record` checks a system's answers and
context and `engine.classify(answers, on_date=…, lang=…, **context)` classifies it, so a context key the
engine learns (e.g. `public_authority`) flows through without a change here. The README ("The register
file") lists every field and each mapping to the standards.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aigov_widgets.core import documents, jsonio
from aigov_widgets.core.law import data, engine, references

FORMAT = "aigov-register"
VERSION = 1
STATUSES = ("planned", "pilot", "in_use", "retired")
MAX_CHARS = 5_000_000      # a register file's text, at most (the strict JSON reader's own bound is 1 000 000)

# Context keys the register itself reads (with its default) even when the engine does not know them yet:
# `public_authority` (Art. 26(8), 49(3): "public authorities … or persons acting on their behalf"), by
# default the value of `public_body`, which itself defaults to true (the engine's default).
# `own_use` (Art. 3(4), 49(3)): the institution uses the system itself under its authority, although its
# role for the system is another (e.g. it built the system and is its provider): it is then a deployer too.
REGISTER_CONTEXT = ("public_authority", "own_use")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://\S+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EXTENSION = re.compile(r"^x[-_]")


class RegisterError(ValueError):
    """A register file that is not valid. `problems` is a list of {index, id, field, message}; `index`
    and `id` are None for the file's own fields (format, version, organisation)."""

    def __init__(self, problems: list[dict]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem_text(p) for p in problems))


def problem_text(problem: dict) -> str:
    where = ""
    if problem["index"] is not None:
        where = f"systems[{problem['index']}]"
        if problem["id"] is not None:
            where += f" (id {problem['id']!r})"
        where += ": "
    return f"{where}{problem['field']}: {problem['message']}"


# --- the fields of the register file ---------------------------------------------------------------
# type: str (a string), email, url, date (YYYY-MM-DD), uuid, bool, enum:<source>, list:<type>, or a
# nested object (a dict of its own fields). Order here = order in the normal form.

def _standard_values(standard: str, key: str) -> tuple[str, ...]:
    for entry in data.load(f"register/{standard}.toml")["field"]:
        if entry["key"] == key:
            return tuple(entry["values"])
    raise KeyError(key)


PERSON = {"name": "str", "address": "str", "contact": "str"}
OPINION = {"name": "str", "opinion": "enum:opinion", "conditions": "str", "date": "date"}
TIERS = ("prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system")
LINK = {"title": "str", "link": "url"}

ORGANISATION_FIELDS = {
    "name": "str", "address": "str", "contact": "str", "contact_email": "email", "area": "str",
    "website": "url", "submitter": PERSON,
    # who the DPO's documents name (core/documents.py): each a name and a way to reach them
    "dpo": "str", "security_adviser": "str", "legal_service": "str", "ai_reference": "str",
    "incident_contact": "str", "consultation_body": "str",
}
ORGANISATION_REQUIRED = ("name",)

SYSTEM_FIELDS = {
    "id": "str", "name": "str", "purpose": "str", "status": "enum:status", "in_service_since": "date?",
    "answers": "answers", "context": "context",
    # who and where
    "summary": "str", "department": "str", "area": "str", "owner": "str",
    "contact": {"name": "str", "email": "email", "phone": "str"},
    "provider": "str", "provider_eu_db_url": "url", "provider_contact": "str", "version": "str", "submitter": PERSON,
    "website": "url", "documentation_url": "url", "codebase_url": "url", "process_register_url": "url",
    # dates
    "retired_on": "date", "published_on": "date", "last_changed_on": "date", "next_review_on": "date",
    # use and its justification
    "decision_making_process": "str", "impact": "str", "risks": "str", "proportionality": "str",
    "lawful_basis": "str", "lawful_basis_links": "list:link", "impactful": "bool",
    "law_enforcement_or_migration": "bool",
    "domain": "enum:domain", "themes": "list:theme",
    # data and workings
    "data_used": "str", "data_links": "list:link", "training_data": "str", "data_bias": "str",
    "connected_data_sources": "str", "description": "str", "methods_and_models": "str",
    "algorithm_type": "enum:algorithm_type", "analytics_type": "enum:analytics_type",
    "performance": "str", "alternatives_considered": "str",
    # oversight and assessments
    "human_oversight": "str", "monitoring": "str", "objection_procedure": "str", "rollback": "str",
    "fria": {**{element: "str" for element in documents.FRIA_ELEMENTS},       # Art. 27(1)(a) to (f)
             "summary": "str", "url": "url", "date": "date", "notified_on": "date"},
    "dpia": {"required": "bool", "summary": "str", "url": "url", "date": "date"},
    # the approval before use: opinions, decision, and the use case as approved (to see what changed since)
    "approval": {
        "reference": "str", "decision": "enum:decision", "conditions": "str", "decided_by": "str", "date": "date",
        "opinions": {signer: OPINION for signer in documents.SIGNERS},
        "guarantees": {key: "bool" for key in documents.GUARANTEES},
        "guarantees_notes": "str",
        "approved_use": {"purpose": "str", "data_used": "str", "answers": "object", "context": "object",
                         "tier": "enum:tier", "rules": "str"},
    },
    # publication
    "uuid": "uuid", "keywords": "list:str", "revision_note": "str", "remark": "str", "notes": "str",
}
SYSTEM_REQUIRED = ("id", "name", "purpose", "status", "answers")


@lru_cache(maxsize=1)
def enums() -> dict[str, tuple[str, ...]]:
    """The closed lists: ours (status) and those the standards define (read from their field lists)."""
    return {
        "status": STATUSES,
        "decision": documents.DECISIONS,
        "opinion": documents.OPINIONS,
        "tier": TIERS,
        "domain": _standard_values("eurocities", "domain"),
        "algorithm_type": _standard_values("eurocities", "algorithm_type"),
        "analytics_type": _standard_values("eurocities", "type"),
        "theme": _standard_values("algoritmeregister", "category"),
    }


def _check_value(value: object, kind, path: str, problems: list[str]) -> None:
    """Append "field: message" strings for `value` against `kind`."""
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object")
            return
        for key, item in value.items():
            if key in kind:
                _check_value(item, kind[key], f"{path}.{key}", problems)
            elif not _EXTENSION.match(key):
                problems.append(f"{path}.{key}: unknown field")
        return
    if kind.endswith("?"):
        if value is None:
            return
        kind = kind[:-1]
    if kind.startswith("list:"):
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        item_kind = kind[5:]
        item_kind = LINK if item_kind == "link" else ("enum:theme" if item_kind == "theme" else item_kind)
        for index, item in enumerate(value):
            _check_value(item, item_kind, f"{path}[{index}]", problems)
        return
    if kind == "object":         # kept as given (the approved use case's answers and context)
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object")
        return
    if kind == "bool":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false, got {_shown(value)}")
        return
    if not isinstance(value, str):
        problems.append(f"{path}: expected a string, got {_shown(value)}")
        return
    if kind.startswith("enum:"):
        allowed = enums()[kind[5:]]
        if value not in allowed:
            problems.append(f"{path}: expected one of {', '.join(allowed)}, got {_shown(value)}")
    elif kind == "email" and not _EMAIL.match(value):
        problems.append(f"{path}: not an e-mail address: {_shown(value)}")
    elif kind == "url" and not _URL.match(value):
        problems.append(f"{path}: expected an http(s) URL, got {_shown(value)}")
    elif kind == "uuid" and not _UUID.match(value):
        problems.append(f"{path}: not a UUID: {_shown(value)}")
    elif kind == "date":
        try:
            engine.check_date(value, path)
        except engine.InputError as error:
            problems.append(str(error))
    elif kind == "str" and not value.strip():
        problems.append(f"{path}: empty; leave the field out instead")


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else ("an object" if isinstance(value, dict) else "a list")
    return text if len(text) <= 60 else text[:57] + "..."


def _split(message: str) -> tuple[str, str]:
    field, _, text = message.partition(": ")
    return field, text


# --- context and the engine ----------------------------------------------------------------------

def engine_record(system: dict) -> dict:
    """The record the engine's `split_record` reads: answers, then the context keys the engine knows,
    then in_service_since. Register-only context keys (REGISTER_CONTEXT the engine does not know yet)
    stay out; any other context key goes to the engine, which accepts or names it."""
    record = dict(system.get("answers", {}))
    known = set(getattr(engine, "CONTEXT_KEYS", ()))
    for key, value in system.get("context", {}).items():
        if key in REGISTER_CONTEXT and key not in known:
            continue
        record[key] = value
    if system.get("in_service_since") is not None:
        record["in_service_since"] = system["in_service_since"]
    return record


def public_authority(system: dict) -> bool:
    """Is the deployer a public authority (or acting on behalf of one)? The context's `public_authority`,
    by default its `public_body`, by default true (the engine's default for public_body)."""
    context = system.get("context", {})
    return bool(context.get("public_authority", context.get("public_body", True)))


def role(system: dict) -> str:
    return system.get("context", {}).get("role", "deployer")


def _engine_problems(system: dict) -> list[str]:
    """The engine's check of answers and context, as "field: message" with the field's place in the file."""
    context = system.get("context", {})
    if "in_service_since" in context:
        return ["context.in_service_since: give in_service_since at the system level, not in context"]
    problems = []
    context_keys = {*getattr(engine, "CONTEXT_KEYS", ()), *REGISTER_CONTEXT}
    answer_keys = set(engine.classifier_keys())
    problems += [f"answers.{key}: a context key; give it in context" for key in system["answers"] if key in context_keys]
    problems += [f"context.{key}: an answer; give it in answers" for key in context if key in answer_keys]
    for key in REGISTER_CONTEXT:
        if key in context and not isinstance(context[key], bool):
            problems.append(f"context.{key}: expected true or false, got {_shown(context[key])}")
    if problems:
        return problems
    try:
        engine.split_record(engine_record(system))
    except engine.InputError as error:
        key = error.key
        message = str(error)
        if key is None:
            return [f"answers: {message}"]
        prefix = f"{key}: "
        message = message[len(prefix):] if message.startswith(prefix) else message
        if key == "in_service_since":
            return [f"in_service_since: {message}"]
        place = "context" if key in context else "answers"
        return [f"{place}.{key}: {message}"]
    return []


def classify(system: dict, *, on_date: str, lang: str) -> dict:
    """The engine's result for one (valid) system on `on_date`."""
    answers, context = engine.split_record(engine_record(system))
    return engine.classify(answers, on_date=on_date, lang=lang, **context)


# --- validation and the normal form -----------------------------------------------------------------

def check(document: object) -> list[dict]:
    """Every problem of a parsed register file: [{index, id, field, message}] (empty: valid)."""
    problems: list[dict] = []

    def add(index, system_id, text):
        field, message = _split(text)
        problems.append({"index": index, "id": system_id, "field": field, "message": message})

    if not isinstance(document, dict):
        add(None, None, "(file): expected an object with format, version, organisation and systems")
        return problems
    if document.get("format") != FORMAT:
        add(None, None, f"format: expected {FORMAT!r}, got {_shown(document.get('format'))}")
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        add(None, None, f"version: expected {VERSION}, got {_shown(document.get('version'))}")
    for key in document:
        if key not in ("format", "version", "organisation", "systems") and not _EXTENSION.match(key):
            add(None, None, f"{key}: unknown field")
    organisation = document.get("organisation")
    if organisation is None:
        add(None, None, "organisation: missing")
    else:
        texts: list[str] = []
        _check_value(organisation, ORGANISATION_FIELDS, "organisation", texts)
        if isinstance(organisation, dict):
            texts += [f"organisation.{key}: missing" for key in ORGANISATION_REQUIRED if key not in organisation]
        for text in texts:
            add(None, None, text)
    systems = document.get("systems")
    if not isinstance(systems, list):
        add(None, None, "systems: expected a list")
        return problems
    seen: dict[str, int] = {}
    for index, system in enumerate(systems):
        if not isinstance(system, dict):
            add(index, None, "(system): expected an object")
            continue
        system_id = system.get("id") if isinstance(system.get("id"), str) else None
        texts = [f"{key}: missing" for key in SYSTEM_REQUIRED if key not in system]
        plain = {key: value for key, value in system.items() if key not in ("answers", "context")}
        _check_value(plain, {k: v for k, v in SYSTEM_FIELDS.items() if k not in ("answers", "context")}, "", texts)
        texts = [text[1:] if text.startswith(".") else text for text in texts]
        answers_ok = isinstance(system.get("answers", {}), dict)
        context_ok = isinstance(system.get("context", {}), dict)
        if not answers_ok:
            texts.append("answers: expected an object")
        if not context_ok:
            texts.append("context: expected an object")
        if answers_ok and context_ok and "answers" in system:
            texts += _engine_problems(system)
        if system_id is not None:
            if system_id in seen:
                texts.append(f"id: duplicate of systems[{seen[system_id]}]")
            else:
                seen[system_id] = index
        for text in texts:
            add(index, system_id, text)
    return problems


def validate(document: object) -> dict:
    """A parsed register file -> its normal form; RegisterError listing every problem."""
    problems = check(document)
    if problems:
        raise RegisterError(problems)
    return normalise(document)


def loads(text: str) -> dict:
    """Register file text -> its normal form. The strict JSON reader (duplicate keys, depth, size) first;
    its error becomes one RegisterError problem on the field "(file)"."""
    try:
        document = jsonio.loads(text, max_chars=MAX_CHARS)
    except jsonio.JSONError as error:
        raise RegisterError([{"index": None, "id": None, "field": "(file)", "message": str(error)}]) from None
    return validate(document)


def _ordered(value: dict, fields: dict) -> dict:
    out = {}
    for key, kind in fields.items():
        if key in value:
            out[key] = _ordered(value[key], kind) if isinstance(kind, dict) else _copy(value[key])
    for key in sorted(k for k in value if k not in fields):     # x- extension fields, kept as given
        out[key] = _copy(value[key])
    return out


def _copy(value):
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def normalise(document: dict) -> dict:
    """The normal form of a valid register: fields in the documented order, answers in the engine's
    order, extension fields (x-…) after them in name order. Nothing is added or dropped."""
    order = {key: index for index, key in enumerate(engine.classifier_keys())}
    systems = []
    for system in document["systems"]:
        out = _ordered({k: v for k, v in system.items() if k not in ("answers", "context")},
                       {k: v for k, v in SYSTEM_FIELDS.items()})
        if "answers" in system:
            out["answers"] = {key: system["answers"][key]
                              for key in sorted(system["answers"], key=lambda k: order.get(k, len(order)))}
        if "context" in system:
            out["context"] = dict(sorted(system["context"].items()))
        systems.append({key: out[key] for key in [*SYSTEM_FIELDS, *sorted(k for k in out if k not in SYSTEM_FIELDS)]
                        if key in out})
    head = {"format": FORMAT, "version": VERSION, "organisation": _ordered(document["organisation"], ORGANISATION_FIELDS)}
    head.update({key: _copy(document[key]) for key in sorted(document) if _EXTENSION.match(key)})
    head["systems"] = systems
    return head


# --- the Art. 49 registration rules -----------------------------------------------------------------

NATIONAL_DUTY = "art49.5"


def _points(result: dict) -> list[str]:
    annex_iii = engine.structure().annex_iii
    return [pid for pid in result["basis"] if pid in annex_iii] if result["tier"] == "high_risk" else []


def _point_number(pid: str) -> str:
    return pid.split(".")[1]


def registration(system: dict, result: dict) -> dict:
    """Where the system's use is registered, from its classification `result` and its context:

    art49_3: high-risk under an Annex III point other than point 2, the deployer (role `deployer`, or
      another role with `own_use`: the institution uses the system itself) a public authority or acting on
      its behalf (`public_authority`), the system not retired; None when the role is not `deployer` and
      `own_use` is not said (an open question, never a guess);
    art49_4: among those, Annex III points 6 or 7, or point 1 used in the areas of law enforcement,
      migration, asylum or border control management (`law_enforcement_or_migration`; None = not said);
    art49_5: high-risk under Annex III point 2 (critical infrastructure), not retired: national register.
      Who registers follows the engine: where it knows the duty `art49.5`, the system is selected when that
      duty is among the result's obligations (its reading of who must register); otherwise every point-2
      system is selected.
    """
    points = _points(result)
    critical = set(engine.structure().critical_infrastructure)
    active = system.get("status") != "retired"
    beyond_2 = [pid for pid in points if pid not in critical]
    uses: bool | None = True
    if role(system) != "deployer":       # a provider (or importer…) that uses the system itself deploys it too
        uses = system.get("context", {}).get("own_use")
    art49_3: bool | None = bool(beyond_2) and active and public_authority(system)
    if art49_3 and uses is not True:
        art49_3 = uses          # False, or None: not said
    numbers = {_point_number(pid) for pid in beyond_2}
    art49_4: bool | None = None if art49_3 is None else False
    if art49_3 is not False:
        if numbers & {"6", "7"}:
            art49_4 = True
        elif "1" in numbers:
            flag = system.get("law_enforcement_or_migration")
            art49_4 = None if flag is None else bool(flag)
    art49_5 = active and any(pid in critical for pid in points)
    if art49_5 and NATIONAL_DUTY in references.provisions():
        art49_5 = any(duty["id"] == NATIONAL_DUTY for duty in result["obligations"])
    return {"art49_3": art49_3, "art49_4": art49_4, "art49_5": art49_5}


# --- import preview -------------------------------------------------------------------------------------

def merge_preview(current: object, imported: object) -> dict:
    """What importing `imported` over `current` would do, system by system (matched on `id`), before
    anything is written: {added: [system], changed: [{id, fields, current, imported}], removed: [system],
    unchanged: [id], organisation: {changed, fields}}. Both are validated and normalised first (a
    RegisterError names the problem); `current` may be None (nothing stored yet). The caller decides:
    nothing here replaces or deletes anything."""
    now = validate(current) if current is not None else {"organisation": {}, "systems": []}
    new = validate(imported)
    before = {system["id"]: system for system in now["systems"]}
    after = {system["id"]: system for system in new["systems"]}
    preview = {"added": [], "changed": [], "removed": [], "unchanged": []}
    for system_id, system in after.items():
        old = before.get(system_id)
        if old is None:
            preview["added"].append(system)
        elif old == system:
            preview["unchanged"].append(system_id)
        else:
            fields = [key for key in dict.fromkeys([*old, *system]) if old.get(key) != system.get(key)]
            preview["changed"].append({"id": system_id, "fields": fields, "current": old, "imported": system})
    preview["removed"] = [system for system_id, system in before.items() if system_id not in after]
    fields = [key for key in dict.fromkeys([*now["organisation"], *new["organisation"]])
              if now["organisation"].get(key) != new["organisation"].get(key)]
    preview["organisation"] = {"changed": bool(fields), "fields": fields}
    return preview


def merge(current: object, imported: object) -> dict:
    """The register after merging `imported` into `current` (both validated first): a system of the file
    replaces the one with its id, the file's new systems are added after the current ones, and no current
    system is removed; the organisation keeps its own fields and takes from the file those it lacks."""
    now = validate(current) if current is not None else {"organisation": {}, "systems": []}
    new = validate(imported)
    incoming = {system["id"]: system for system in new["systems"]}
    systems = [incoming.pop(system["id"], system) for system in now["systems"]] + list(incoming.values())
    organisation = {**new["organisation"], **{k: v for k, v in now["organisation"].items() if v != "-"}}
    return validate({**new, "organisation": organisation, "systems": systems})
