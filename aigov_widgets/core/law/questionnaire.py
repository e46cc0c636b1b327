"""Questionnaires as data (data/classifier.toml, data/roles.toml): which question to show, in which words.

Each question carries the provision id it tests (its id is the answer key of the engine and the CLI),
texts in nl/fr/en, and a structured `ask_if` condition over earlier answers, so that a form shows only
what still matters. Conditions are data, never evaluated strings:

    {id = "art3.1", is = true}          the answer is exactly true (or false, or "unsure")
    {id = "art3.1", not = false}        the answer is anything but false (unanswered included)
    {id = "art3.1", in = [true, "unsure"]}  the answer is one of these
    {all = [...]}  {any = [...]}  {none = [...]}
    {ref = "in_scope"}                  a named condition of the file's [condition] table

An unanswered question counts as neither true, false nor "unsure".
"""

from __future__ import annotations

from functools import lru_cache

from aigov_widgets.core.law import conditions, references

QUESTIONNAIRES = ("classifier", "roles")
ANSWER_VALUES = (True, False, "unsure")


@lru_cache(maxsize=None)
def load(name: str = "classifier") -> dict:
    if name not in QUESTIONNAIRES:
        raise KeyError(name)
    return references.load_toml(f"{name}.toml")


@lru_cache(maxsize=None)
def _questions(name: str) -> dict:
    return {entry["id"]: entry for entry in load(name)["question"]}


def question_ids(name: str = "classifier") -> tuple[str, ...]:
    """Every question id, in the order a form asks them."""
    return tuple(_questions(name))


def _same(answer: object, value: object) -> bool:
    return answer is not None and type(answer) is type(value) and answer == value


def holds(condition: dict, answers: dict, name: str = "classifier") -> bool:
    """Evaluate a structured condition over the answers given so far (conditions.holds, answer leaves)."""
    def answer_test(leaf: dict) -> bool:
        answer = answers.get(leaf["id"])
        if "is" in leaf:
            return _same(answer, leaf["is"])
        if "not" in leaf:
            return not _same(answer, leaf["not"])
        if "in" in leaf:
            return any(_same(answer, value) for value in leaf["in"])
        raise ValueError(f"unknown condition: {leaf!r}")

    return conditions.holds(condition, answer_test, load(name).get("condition", {}))


def visible_questions(answers: dict, name: str = "classifier") -> list[str]:
    """The ids of the questions that still matter given the answers, in order."""
    return [qid for qid, entry in _questions(name).items()
            if "ask_if" not in entry or holds(entry["ask_if"], answers, name)]


def prune(answers: dict, name: str = "classifier") -> dict:
    """The answers to visible questions only (an earlier answer may have hidden a later one)."""
    current = dict(answers)
    while True:
        visible = set(visible_questions(current, name))
        kept = {key: value for key, value in current.items() if key in visible}
        if kept == current:
            return kept
        current = kept


def _options(name: str, lang: str) -> list[dict]:
    labels = load(name)["options"]
    return [{"value": value, "label": labels[str(value).lower()][lang]} for value in ANSWER_VALUES]


def question(question_id: str, lang: str, name: str = "classifier") -> dict:
    """A question in `lang`: {id, section, provisions, text, help, examples, options, gate}."""
    entry = _questions(name)[question_id]
    return {
        "id": question_id,
        "section": entry["section"],
        "provisions": list(entry.get("provisions", [question_id])),
        "gate": entry.get("gate", False),
        "text": references.fill_dates(entry["text"][lang], lang),
        "help": references.fill_dates(entry["help"][lang], lang) if "help" in entry else "",
        "examples": [references.fill_dates(example, lang) for example in entry.get("examples", {}).get(lang, [])],
        "options": _options(name, lang),
    }


def sections(lang: str, name: str = "classifier") -> list[dict]:
    """[{id, title}] in order."""
    return [{"id": section["id"], "title": section["title"][lang]} for section in load(name)["section"]]


def context(lang: str) -> list[dict]:
    """The classifier's context fields (role, public_body, in_service_since) in `lang`."""
    out = []
    for key, entry in load("classifier")["context"].items():
        item = {"id": key, "label": entry["label"][lang], "help": references.fill_dates(entry["help"][lang], lang)}
        if key == "role":
            item["options"] = [{"value": role, "label": references.role_label(role, lang)}
                               for role in entry["options"]]
        out.append(item)
    return out


# --- notes ------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _notes(name: str) -> dict:
    return {entry["id"]: entry for entry in load(name).get("note", [])}


@lru_cache(maxsize=1)
def result_notes() -> frozenset[str]:
    """The classifier's notes that the engine adds itself (they have no `when` condition)."""
    return frozenset(note_id for note_id, entry in _notes("classifier").items() if "when" not in entry)


def notes_for(name: str, answers: dict) -> list[str]:
    """Ids of the notes whose `when` holds on the answers (notes without `when` are the engine's)."""
    return [note_id for note_id, entry in _notes(name).items()
            if "when" in entry and holds(entry["when"], answers, name)]


def note_text(name: str, note_id: str, lang: str, law: str | None = None) -> str:
    entry = _notes(name)[note_id]
    text = entry["text"][lang]
    if "ask" in entry:
        text = f"{text} {entry['ask'][lang]}"
    return references.fill_dates(text, lang, law)


# --- the role finder ------------------------------------------------------------------------------

def visible_role_questions(answers: dict) -> list[str]:
    return visible_questions(answers, "roles")


def role_question(question_id: str, lang: str) -> dict:
    return question(question_id, lang, "roles")
