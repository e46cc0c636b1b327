"""Every data file of the package, read once and validated when it is loaded.

A file that breaks its schema (unknown or missing keys, a date that is not a calendar day, a label
missing in a language) or refers to something that does not exist (a milestone, a provision, a
question) raises DataError naming the file, the table and the key: the book build and the `aigov`
command stop with that one line instead of computing with bad law. Stdlib only (runs in Pyodide).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from aigov_widgets.core.law import schema
from aigov_widgets.core.law.constants import LANGUAGES, is_date

PACKAGE = "aigov_widgets.data"
_DATE_FIELD = re.compile(r"\{date:([a-z0-9_]+)\}")


class DataError(Exception):
    """A data file is broken: `file`, the dotted `path` inside it and what is wrong."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file, self.problems = file, problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{file}: {problems[0]}{more}")


def parse(name: str, text: str) -> dict:
    """TOML text -> dict, a syntax error as DataError."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, [f"not valid TOML: {error}"]) from None


@lru_cache(maxsize=None)
def load(name: str, package: str = PACKAGE) -> dict:
    """A data file (a path relative to `package`), parsed and validated once. Callers must not mutate it."""
    try:
        text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(name, ["no such data file"]) from None
    data = parse(name, text)
    validate(name, data)
    return data


def validate(name: str, data: dict) -> None:
    """Check `data` as the content of file `name` (its schema, then the links to other files)."""
    kind = kind_of(name)
    problems = schema.check(data, SCHEMAS[kind]) if kind in SCHEMAS else []
    if not problems and kind in CROSS_CHECKS:
        problems = CROSS_CHECKS[kind](data)
    if problems:
        raise DataError(name, [problem.replace("$.", "", 1).replace("$", "(top)") for problem in problems])


def kind_of(name: str) -> str:
    """Which schema a file follows, from its name: checklist_x.toml -> checklist, quizzes/bank-x -> bank."""
    base = name.rsplit("/", 1)[-1].removesuffix(".toml")
    if name.startswith("register/"):
        return "register_standard"
    if name.startswith("documents/"):
        return "document_fields" if base == "fields" else "document"
    if base.startswith("checklist_"):
        return "checklist"
    if base.startswith("bank-"):
        return "bank"
    return base


# --- checks across files ------------------------------------------------------------------------

def _milestones() -> dict[str, set[str]]:
    """{law version: the milestones it knows (own and inherited)}."""
    laws = load("laws.toml")["law"]
    out = {}
    for law_id in laws:
        known, version = set(), law_id
        while version:
            known |= set(laws[version].get("dates", {}))
            version = laws[version].get("amends")
        out[law_id] = known
    return out


def _conditions(condition: object, path: str, leaf: dict) -> list[str]:
    """Walk a nested condition, checking every level against the leaf schemas and combinators."""
    errors = schema.check(condition, leaf, path)
    if errors or not isinstance(condition, dict):
        return errors
    for key in ("all", "any", "none"):
        for index, part in enumerate(condition.get(key, [])):
            errors += _conditions(part, f"{path}.{key}[{index}]", leaf)
    if isinstance(condition.get("not"), dict):
        errors += _conditions(condition["not"], f"{path}.not", leaf)
    return errors


def _date_fields(texts: dict, path: str, known: set[str]) -> list[str]:
    return [f"{path}.{lang}: unknown milestone {{date:{milestone}}}"
            for lang, text in texts.items() if isinstance(text, str)
            for milestone in _DATE_FIELD.findall(text) if milestone not in known]


def _check_laws(data: dict) -> list[str]:
    errors = []
    laws = data["law"]
    if data["current"] not in laws:
        errors.append(f"current: unknown law version {data['current']!r}")
    for law_id, law in laws.items():
        if "amends" in law and law["amends"] not in laws:
            errors.append(f"law.{law_id}.amends: unknown law version {law['amends']!r}")
    chains = {}
    for law_id in laws:
        known, version, seen = {}, law_id, set()
        while version and version in laws and version not in seen:
            seen.add(version)
            known = {**laws[version].get("dates", {}), **known}
            version = laws[version].get("amends")
        chains[law_id] = known
    for law_id, dates in chains.items():
        for milestone, value in laws[law_id].get("dates", {}).items():
            if not is_date(value) and value not in dates:
                errors.append(f"law.{law_id}.dates.{milestone}: {value!r} is neither a date nor a milestone")
        for rule_id, rule in laws[law_id].get("transitional", {}).items():
            cutoff = rule.get("cutoff", {})
            for milestone in [*(cutoff.values() if isinstance(cutoff, dict) else [cutoff]),
                              rule.get("public_authorities"), rule.get("until")]:
                if milestone is not None and milestone not in dates:
                    errors.append(f"law.{law_id}.transitional.{rule_id}: unknown milestone {milestone!r}")
        in_force = laws[law_id].get("in_force")
        if in_force and in_force not in dates:
            errors.append(f"law.{law_id}.in_force: unknown milestone {in_force!r}")
    used = set().union(*(set(dates) for dates in chains.values())) if chains else set()
    errors += [f"milestone.{m}: a label for a milestone no law version has" for m in set(data["milestone"]) - used]
    errors += [f"law: milestone {m!r} has no [milestone.{m}] label" for m in sorted(used - set(data["milestone"]))]
    return errors


def _check_provisions(data: dict) -> list[str]:
    errors = []
    entries = data["provision"]
    roles = set(data["meta"]["roles"])
    every = set().union(*_milestones().values())
    for pid, entry in entries.items():
        if not re.match(schema.PROVISION_ID, pid):
            errors.append(f"provision.{pid}: not a provision id")
        errors += [f"provision.{pid}.addressee: unknown role {role!r}"
                   for role in entry.get("addressee", []) if role not in roles]
        spec = entry.get("applies_from")
        for milestone in (spec.values() if isinstance(spec, dict) else [spec] if spec else []):
            if milestone not in every:
                errors.append(f"provision.{pid}.applies_from: unknown milestone {milestone!r}")
        if entry["kind"] in ("obligation", "right", "prohibition") and not {"addressee", "applies_from"} <= set(entry):
            errors.append(f"provision.{pid}: a duty needs `addressee` and `applies_from`")
        if "when" in entry:
            errors += _conditions(entry["when"], f"provision.{pid}.when", schema.WHEN)
            for leaf in _leaves(entry["when"]):
                for key in ("basis", "transparency"):
                    if key in leaf and leaf[key] not in entries:
                        errors.append(f"provision.{pid}.when: unknown provision {leaf[key]!r}")
    errors += [f"role: roles of [meta] without a label: {sorted(roles - set(data['role']))}"] \
        if roles - set(data["role"]) else []
    table = data["classification"]
    referenced = [table["ai_system"], *table["exclusions"], table["open_source"], *table["annex_i"],
                  table["annex_i_section_b"], table["profiling"], *table["critical_infrastructure"],
                  *table["transparency"], *table["derived_points"], *table["derived_points"].values(),
                  *table["implied_transparency"],
                  *(pid for ids in table["implied_transparency"].values() for pid in ids),
                  *table.get("public_authority_points", []), *table.get("presumed_public_points", [])]
    laws = set(load("laws.toml")["law"])
    for pid, entry in entries.items():
        errors += [f"provision.{pid}.versions: unknown law version {law!r}"
                   for law in entry.get("versions", []) if law not in laws]
    errors += [f"classification: unknown provision {pid!r}" for pid in referenced if pid not in entries]
    return errors


def _leaves(condition: dict):
    for key in ("all", "any", "none"):
        for part in condition.get(key, []):
            yield from _leaves(part)
    if isinstance(condition.get("not"), dict):
        yield from _leaves(condition["not"])
    yield condition


def _check_questionnaire(data: dict) -> list[str]:
    errors = []
    provisions = load("provisions.toml")["provision"]
    known_milestones = _milestones()[load("laws.toml")["current"]]
    ids = [question["id"] for question in data["question"]]
    sections = {section["id"] for section in data["section"]}
    if len(set(ids)) != len(ids):
        errors.append("question: duplicate ids " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    names = set(data.get("condition", {}))
    for name, condition in data.get("condition", {}).items():
        errors += _conditions(condition, f"condition.{name}", schema.ASK_IF)
        errors += _condition_refs(condition, f"condition.{name}", set(ids), names)
    for index, question in enumerate(data["question"]):
        path = f"question[{index}] ({question['id']})"
        if question["section"] not in sections:
            errors.append(f"{path}.section: unknown section {question['section']!r}")
        errors += [f"{path}.provisions: unknown provision {pid!r}"
                   for pid in question.get("provisions", [question["id"]]) if pid not in provisions
                   and question.get("provisions")]
        if "ask_if" in question:
            errors += _conditions(question["ask_if"], f"{path}.ask_if", schema.ASK_IF)
            errors += _condition_refs(question["ask_if"], f"{path}.ask_if", set(ids[:index]), names)
        for field in ("text", "help"):
            if field in question:
                errors += _date_fields(question[field], f"{path}.{field}", known_milestones)
    for index, note in enumerate(data.get("note", [])):
        if "when" in note:
            errors += _conditions(note["when"], f"note[{index}].when", schema.ASK_IF)
            errors += _condition_refs(note["when"], f"note[{index}].when", set(ids), names)
    for key, entry in data.get("context", {}).items():
        errors += _date_fields(entry["help"], f"context.{key}.help", known_milestones)
    finding = data.get("finding", {})
    roles = set(load("provisions.toml")["meta"]["roles"])
    for key, role in finding.get("direct", {}).items():
        errors += [f"finding.direct.{key}: not a question"] if key not in ids else []
        errors += [f"finding.direct.{key}: unknown role {role!r}"] if role not in roles else []
    for index, rule in enumerate(finding.get("become", [])):
        for key in [rule["answer"], *rule["requires"], *([rule["unless"]] if "unless" in rule else [])]:
            errors += [f"finding.become[{index}]: {key!r} is not a question"] if key not in ids else []
        errors += [f"finding.become[{index}].role: unknown role {rule['role']!r}"] if rule["role"] not in roles else []
    return errors


def _condition_refs(condition: dict, path: str, questions: set[str], names: set[str]) -> list[str]:
    errors = []
    for leaf in _leaves(condition):
        if "id" in leaf and leaf["id"] not in questions:
            errors.append(f"{path}: refers to {leaf['id']!r}, not an earlier question")
        if "ref" in leaf and leaf["ref"] not in names:
            errors.append(f"{path}: unknown named condition {leaf['ref']!r}")
    return errors


def _check_checklist(data: dict) -> list[str]:
    provisions = load("provisions.toml")["provision"]
    known = _milestones()[load("laws.toml")["current"]]
    errors, seen = [], set()
    for s_index, section in enumerate(data["section"]):
        for i_index, item in enumerate(section["item"]):
            path = f"section[{s_index}].item[{i_index}] ({item['id']})"
            if item["id"] in seen:
                errors.append(f"{path}: duplicate id")
            seen.add(item["id"])
            errors += [f"{path}.provisions: unknown provision {pid!r}" for pid in item.get("provisions", [])
                       if pid not in provisions]
            for field in ("text", "help"):
                if field in item:
                    errors += _date_fields(item[field], f"{path}.{field}", known)
    return errors


def _check_widget_ui(data: dict) -> list[str]:
    return [f"{key}: expected a table with exactly {', '.join(LANGUAGES)}" for key, value in data.items()
            if not isinstance(value, dict) or set(value) != set(LANGUAGES)]


# --- the schemas of the files that are not questionnaires or law -------------------------------------

_T, _S, _L = schema.table, schema.STR, schema.LANG_TEXT

CHECKLIST_FILE = _T({
    "id": _S, "version": {"type": "int"}, "title": _L,
    "section": {"type": "list", "min": 1, "items": _T({
        "id": _S, "title": _L,
        "item": {"type": "list", "min": 1, "items": _T({
            "id": _S, "text": _L, "help": _L, "provisions": {"type": "list", "items": schema.PROVISION}},
            ["id", "text"])}}, ["id", "title", "item"])},
}, ["id", "version", "title", "section"])

AUDIENCES_FILE = _T({"audience": _T({}, extra=_T({"label": _L, "summary": _L}, ["label", "summary"]))},
                    ["audience"])

# A quiz bank (data/quizzes/bank-<topic>.toml; format in data/quizzes/README.md).
_ANCHOR = {"type": "pattern", "regex": r"^[A-Za-z0-9._-]*$"}    # "" is the top of the page
BANK_FILE = _T({
    "meta": _T({"topic": _S}, ["topic"]),
    "question": {"type": "list", "min": 1, "items": _T({
        "id": _S, "type": {"type": "enum", "values": ["single", "multiple", "truefalse", "scenario"]},
        "difficulty": {"type": "enum", "values": [1, 2, 3]},
        "tracks": {"type": "list", "min": 1, "items": _S},
        "provisions": {"type": "list", "items": schema.PROVISION},
        "law": _S, "page": {"type": "pattern", "regex": r"^[a-z0-9-]+$"},
        "anchor": _T({lang: _ANCHOR for lang in LANGUAGES}, LANGUAGES),
        "text": _L, "explanation": _L,
        "option": {"type": "list", "min": 2, "items": _T(
            {"id": _S, "weight": {"type": "int"}, "text": _L, "feedback": _L}, ["id", "weight", "text", "feedback"])},
        "scenario": _T({"answers": _T({}, extra={"type": "any"}),
                        "context": _T({"role": _S, "public_body": {"type": "bool"}, "in_service_since": {"type": "date"}}),
                        "date": {"type": "date"}}, ["answers", "date"]),
    }, ["id", "type", "difficulty", "tracks", "provisions", "law", "page", "anchor", "text", "explanation",
        "option"])},
}, ["meta", "question"])

BANK_TIERS = ("prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system")


def _check_bank(data: dict) -> list[str]:
    """What tests/unit/test_quiz_banks.py checks inside one bank, on load (the quiz tool reads banks so)."""
    topics = load("quizzes/topics.toml")["topic"]
    audiences = load("audiences.toml")["audience"]
    provisions = load("provisions.toml")["provision"]
    laws = load("laws.toml")["law"]
    topic = data["meta"]["topic"]
    if topic not in topics:
        return [f"meta.topic: {topic!r} is not a topic of quizzes/topics.toml"]
    prefix = topics[topic]["prefix"] + "."
    errors, seen = [], set()
    for index, question in enumerate(data["question"]):
        path = f"question[{index}] ({question['id']})"
        if not question["id"].startswith(prefix) or len(question["id"]) == len(prefix) or " " in question["id"]:
            errors.append(f"{path}.id: expected {prefix}<slug>")
        if question["id"] in seen:
            errors.append(f"{path}.id: duplicate id")
        seen.add(question["id"])
        errors += [f"{path}.tracks: unknown audience {t!r}" for t in question["tracks"] if t not in audiences]
        if len(set(question["tracks"])) != len(question["tracks"]):
            errors.append(f"{path}.tracks: repeated track")
        errors += [f"{path}.provisions: unknown provision {p!r}" for p in question["provisions"] if p not in provisions]
        if question["law"] not in laws:
            errors.append(f"{path}.law: unknown law version {question['law']!r}")
        kind = question["type"]
        if (kind == "scenario") != ("scenario" in question):
            errors.append(f"{path}.scenario: a [question.scenario] table belongs to (and only to) a scenario question")
        ids = [option["id"] for option in question["option"]]
        weights = [option["weight"] for option in question["option"]]
        if len(set(ids)) != len(ids):
            errors.append(f"{path}.option: repeated option id in {ids}")
        if not all(-100 <= w <= 100 for w in weights):
            errors.append(f"{path}.option: every weight is a percent from -100 to 100, not {weights}")
        if sum(w for w in weights if w > 0) != 100:
            errors.append(f"{path}.option: positive weights add up to {sum(w for w in weights if w > 0)}, not 100")
        if isinstance(question["difficulty"], bool):
            errors.append(f"{path}.difficulty: expected 1, 2 or 3")
        if kind in ("single", "truefalse", "scenario") and not (
                weights.count(100) == 1 and all(w in (0, 100) for w in weights)):
            errors.append(f"{path}.option: a {kind} question needs one option of weight 100, the others 0")
        if kind == "multiple" and sum(w > 0 for w in weights) < 2:
            errors.append(f"{path}.option: a multiple question needs at least two positive options")
        if kind == "truefalse" and set(ids) != {"true", "false"}:
            errors.append(f"{path}.option: truefalse options are 'true' and 'false'")
        if kind == "scenario" and set(ids) - set(BANK_TIERS):
            errors.append(f"{path}.option: {sorted(set(ids) - set(BANK_TIERS))} are not tier ids")
    return errors


# A register standard's field list (data/register/<standard>.toml, read by core/register_export.py).
REGISTER_STANDARD_FILE = _T({
    "standard": _T({"id": _S, "title": _S, "version": _S, "sources": {"type": "list", "items": _S, "min": 1}},
                   ["id", "title", "version", "sources"]),
    "field": {"type": "list", "min": 1, "items": _T({
        "key": _S, "title": _S, "required": {"type": "bool"}, "max_length": {"type": "int"},
        "type": {"type": "enum", "values": ["string", "email", "url", "date", "enum", "const", "uuid", "array"]},
        "values": {"type": "list", "items": _S, "min": 1}, "const": _S, "format": _S, "item": {"type": "int"},
        "labels": _T({}, extra=_L)},     # how the register tool shows a value in NL, FR, EN (the export keeps it)
        ["key", "title", "type", "required"])},
}, ["standard", "field"])

# The DPO's documents (data/documents/<id>.toml, read by core/documents.py) and the fields they are filled with.
DOCUMENT_FIELDS_FILE = _T({"field": _T({}, extra=_T({"label": _L}, ["label"]))}, ["field"])
DOCUMENT_FILE = _T({
    "document": _T({"id": _S, "title": _L, "page": _S, "provisions": {"type": "list", "items": schema.PROVISION},
                    "duties": {"type": "list", "items": schema.PROVISION},
                    "scope": {"type": "enum", "values": ["system", "institution"]}},
                   ["id", "title", "page", "provisions"]),
    "block": {"type": "list", "min": 1, "items": _T({
        "kind": {"type": "enum", "values": ["heading", "para", "items", "table", "duties"]},
        "level": {"type": "int"}, "text": _L, "items": {"type": "list", "items": _L, "min": 1},
        "head": {"type": "list", "items": _L, "min": 1},
        "rows": {"type": "list", "min": 1, "items": {"type": "list", "items": _L, "min": 1}}}, ["kind"])},
}, ["document", "block"])

DOCUMENT_TOKEN = re.compile(r"(\*\*|\{check:[a-z_.]+\}|\{[a-z_.]+\}|\[\[[^\[\]]+\]\])")
_BLOCK_PARTS = {"heading": ("text",), "para": ("text",), "duties": ("text",), "items": ("items",),
                "table": ("head", "rows")}


def _check_document(data: dict) -> list[str]:
    """Each block has the parts its kind needs; every language of a text has the same fields, in the same
    order, and closes its bold; every field is one of fields.toml; every provision exists."""
    errors = []
    known = set(load("documents/fields.toml")["field"])
    provisions = load("provisions.toml")["provision"]
    for key in ("provisions", "duties"):
        errors += [f"document.{key}: unknown provision {pid!r}" for pid in data["document"].get(key, [])
                   if pid not in provisions]
    institution = data["document"].get("scope") == "institution"
    for index, block in enumerate(data["block"]):
        path = f"block[{index}]"
        if institution and "{system." in repr(block) or institution and block["kind"] == "duties":
            errors.append(f"{path}: a document of the institution (scope = \"institution\") names no system")
        needed = _BLOCK_PARTS[block["kind"]]
        errors += [f"{path}: a {block['kind']} block needs {key!r}" for key in needed if key not in block]
        errors += [f"{path}.{key}: not used by a {block['kind']} block" for key in ("text", "items", "head", "rows")
                   if key in block and key not in needed]
        texts = [block.get("text")] + block.get("items", []) + block.get("head", []) + \
            [cell for row in block.get("rows", []) for cell in row]
        if "rows" in block and "head" in block and any(len(row) != len(block["head"]) for row in block["rows"]):
            errors.append(f"{path}.rows: a row has not as many cells as the head")
        for text in filter(None, texts):
            forms = {}
            for lang in LANGUAGES:
                tokens = DOCUMENT_TOKEN.findall(text[lang])
                if tokens.count("**") % 2:
                    errors.append(f"{path}: unclosed ** in {lang}: {text[lang][:60]!r}")
                fields = [token for token in tokens if token.startswith("{")]
                errors += [f"{path}: unknown field {token} in {lang}" for token in fields
                           if token.removeprefix("{check:").removeprefix("{").rstrip("}") not in known]
                forms[lang] = (fields, sum(token.startswith("[[") for token in tokens))
            if len({repr(value) for value in forms.values()}) > 1:
                errors.append(f"{path}: the languages differ in their fields: {forms}")
    return errors


SCHEMAS = {
    "document_fields": DOCUMENT_FIELDS_FILE,
    "document": DOCUMENT_FILE,
    "register_standard": REGISTER_STANDARD_FILE,
    "bank": BANK_FILE,
    "laws": schema.LAWS_FILE,
    "provisions": schema.PROVISIONS_FILE,
    "classifier": schema.QUESTIONNAIRE_FILE,
    "roles": schema.QUESTIONNAIRE_FILE,
    "checklist": CHECKLIST_FILE,
    "audiences": AUDIENCES_FILE,
}

def _check_register_standard(data: dict) -> list[str]:
    """Display labels, where given, are for exactly the field's values."""
    return [f"field {entry['key']!r}.labels: not the values of the field"
            for entry in data["field"] if "labels" in entry and set(entry["labels"]) != set(entry.get("values", []))]


CROSS_CHECKS = {
    "register_standard": _check_register_standard,
    "document": _check_document,
    "bank": _check_bank,
    "laws": _check_laws,
    "provisions": _check_provisions,
    "classifier": _check_questionnaire,
    "roles": _check_questionnaire,
    "checklist": _check_checklist,
    "widget_ui": _check_widget_ui,
}


def validate_all(package: str = PACKAGE) -> list[str]:
    """Load every .toml file of the package's data (recursively): the names checked. DataError on the first
    broken one. The book build calls this first, so a broken file stops it with one line."""
    root = resources.files(package)
    names = sorted(path.relative_to(root).as_posix() for path in _walk(root))
    for name in names:
        load(name, package)
    return names


def _walk(folder):
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.name.endswith(".toml"):
            yield entry
