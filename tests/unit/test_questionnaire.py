"""The questionnaires as directed acyclic graphs: every path enumerated, no dead end, every question
reachable, every outcome reachable, every node translated; and the API the widgets call."""

import random
from functools import lru_cache

import pytest

from aigov_widgets.core.law import engine, questionnaire, references

LANGS = references.LANGUAGES
VALUES = questionnaire.ANSWER_VALUES


def _atoms(condition: dict, name: str) -> set[str]:
    """Question ids a condition reads, refs expanded."""
    if "ref" in condition:
        return _atoms(questionnaire.load(name)["condition"][condition["ref"]], name)
    ids = {condition["id"]} if "id" in condition else set()
    for key in ("all", "any", "none"):
        for part in condition.get(key, []):
            ids |= _atoms(part, name)
    return ids


@pytest.mark.parametrize("name", questionnaire.QUESTIONNAIRES)
def test_conditions_only_read_earlier_questions(name):
    """The acyclic part: a question's ask_if reads only questions asked before it."""
    order = {qid: index for index, qid in enumerate(questionnaire.question_ids(name))}
    for entry in questionnaire.load(name)["question"]:
        for atom in _atoms(entry.get("ask_if", {"all": []}), name):
            assert atom in order, (entry["id"], atom)
            assert order[atom] < order[entry["id"]], (entry["id"], atom)


@pytest.mark.parametrize("name", questionnaire.QUESTIONNAIRES)
def test_notes_read_known_questions(name):
    ids = set(questionnaire.question_ids(name))
    for entry in questionnaire.load(name).get("note", []):
        if "when" in entry:
            assert _atoms(entry["when"], name) <= ids, entry["id"]


def test_every_engine_input_is_asked_and_every_question_is_read_or_a_gate():
    questions = {qid: questionnaire.question(qid, "en") for qid in questionnaire.question_ids()}
    assert set(engine.input_keys()) <= set(questions)
    for qid, entry in questions.items():
        assert (qid in engine.input_keys()) != entry["gate"], qid
        if entry["gate"]:
            assert set(entry["provisions"]) <= set(engine.input_keys())


def test_role_questions_are_the_role_finder_keys():
    assert set(questionnaire.question_ids("roles")) == {
        "art3.3", "art3.4", "art3.5", "art3.6", "art3.7", "art25.1.a", "art25.1.b", "art25.1.c", "high_risk"}


# --- exact enumeration of every path -------------------------------------------------------------

def _residual(condition: dict, answers: dict, decided: set, name: str):
    """The condition with every decided question substituted: True, False or a canonical remainder.
    A question is decided once answered or passed (a skipped question stays unanswered)."""
    if "ref" in condition:
        return _residual(questionnaire.load(name)["condition"][condition["ref"]], answers, decided, name)
    if "id" in condition:
        if condition["id"] in decided:
            return questionnaire.holds(condition, answers, name)
        return ("atom", tuple(sorted((key, repr(value)) for key, value in condition.items())))
    for key in ("all", "any", "none"):
        if key in condition:
            parts = [_residual(part, answers, decided, name) for part in condition[key]]
            if key == "all":
                if False in parts:
                    return False
                rest = tuple(sorted({repr(p) for p in parts if p is not True}))
                return True if not rest else ("all", rest)
            if True in parts:
                return key == "any"
            rest = tuple(sorted({repr(p) for p in parts if p is not False}))
            return (key == "none") if not rest else (key, rest)
    raise ValueError(condition)


def enumerate_paths(name: str):
    """Walk every path (a question is shown when its ask_if holds; each shown question is answered
    yes, no or unsure). States with the same position and the same residual conditions for the
    questions still ahead have the same futures, so each is expanded once: exact, and fast.
    Returns (number of paths, set of questions shown on some path, terminal answer sets)."""
    questions = questionnaire.load(name)["question"]
    seen_questions, terminals = set(), []

    def next_visible(answers, start):
        for index in range(start, len(questions)):
            entry = questions[index]
            if "ask_if" not in entry or questionnaire.holds(entry["ask_if"], answers, name):
                return index
        return None

    @lru_cache(maxsize=None)
    def count(key):
        return _count[key]()

    _count = {}

    def walk(answers: dict, start: int) -> int:
        index = next_visible(answers, start)
        if index is None:
            terminals.append(dict(answers))
            return 1
        decided = {entry["id"] for entry in questions[:index]}
        key = (index, tuple(repr(_residual(entry.get("ask_if", {"all": []}), answers, decided, name))
                            for entry in questions[index:]))
        if key in memo:
            return memo[key]
        qid = questions[index]["id"]
        seen_questions.add(qid)
        total = 0
        for value in VALUES:
            total += walk({**answers, qid: value}, index + 1)
        memo[key] = total
        return total

    memo = {}
    paths = walk({}, 0)
    return paths, seen_questions, terminals


@lru_cache(maxsize=None)
def _enumeration(name):
    return enumerate_paths(name)


@pytest.mark.parametrize("name", questionnaire.QUESTIONNAIRES)
def test_every_question_is_reachable(name):
    paths, seen, _ = _enumeration(name)
    assert paths > 1
    assert seen == set(questionnaire.question_ids(name))


def test_no_dead_end_every_terminal_path_classifies():
    """At the end of each enumerated path the engine gives a tier, and never asks for more."""
    _, _, terminals = _enumeration("classifier")
    assert terminals
    for answers in terminals:
        assert not set(questionnaire.visible_questions(answers)) - set(answers)
        result = engine.classify(answers, on_date="2028-01-01", lang="en")
        assert result["tier"] in engine.TIERS
        assert set(result["open_questions"]) <= {key for key, value in answers.items() if value == "unsure"}


def test_no_dead_end_every_terminal_role_path_finds_roles():
    _, _, terminals = _enumeration("roles")
    for answers in terminals:
        result = engine.find_roles(answers)
        assert set(result["roles"]) <= set(engine.ROLES)


def _random_paths(name, count, seed=20260727):
    """Seeded random walks through the graph, for outcome coverage."""
    rng = random.Random(seed)
    for _ in range(count):
        answers = {}
        yes, unsure = rng.choice([0.02, 0.05, 0.1, 0.3]), rng.choice([0.0, 0.03, 0.1])
        while True:
            pending = [qid for qid in questionnaire.visible_questions(answers, name) if qid not in answers]
            if not pending:
                break
            weights = [yes, 1 - yes - unsure, unsure] if answers else [0.8, 0.1, 0.1]
            answers[pending[0]] = rng.choices(VALUES, weights)[0]
        yield answers


def test_no_unreachable_outcome():
    """Every tier, every transparency id and every duty is reached by some path."""
    tiers, transparency, duties = set(), set(), set()
    directed = [_directed_path(targets) for targets in DIRECTED_OUTCOMES]
    for answers in [*_random_paths("classifier", 400), *directed]:
        for role in ("deployer", "provider"):
            result = engine.classify(answers, on_date="2028-01-01", lang="en", role=role)
            tiers.add(result["tier"])
            transparency |= set(result["transparency"])
            duties |= {duty["id"] for duty in result["obligations"]}
    assert tiers == set(engine.TIERS)
    assert transparency == set(engine.structure().transparency)
    selectable = {pid for pid, entry in references.provisions().items()
                  if entry["kind"] in ("obligation", "right", "prohibition") and "when" in entry
                  and set(entry["addressee"]) & {"deployer", "provider"}}
    assert selectable - duties == set()


# Outcomes that random walks rarely reach: the conditions of the Art. 5(1)(h) exception (Art. 5(2)-(5)),
# post-remote identification (Art. 26(10)), a documented derogation (Art. 6(4)).
DIRECTED_OUTCOMES = [
    {"art3.1": True, "art5.1.h": True, "art5.1.h.exception": True},
    {"art3.1": True, "annexiii.1": True, "annexiii.1.a": True, "art26.10.post_remote": True},
    {"art3.1": True, "annexiii.4": True, "annexiii.4.a": True, "art6.3.a": True,
     "art6.3.no_significant_risk": True},
]


def _directed_path(targets: dict) -> dict:
    """Walk the graph answering each targeted question as given when it is shown, any other no."""
    answers = {}
    while True:
        pending = [qid for qid in questionnaire.visible_questions(answers) if qid not in answers]
        if not pending:
            return answers
        answers[pending[0]] = targets.get(pending[0], False)


def _targets(condition: dict) -> dict:
    """Answers that make a note's condition hold (first allowed value of each positive atom)."""
    out = {}
    if "id" in condition:
        if "is" in condition:
            out[condition["id"]] = condition["is"]
        elif "in" in condition:
            out[condition["id"]] = condition["in"][0]
    for key in ("all", "any"):
        for part in condition.get(key, [])[: None if key == "all" else 1]:
            out |= _targets(part)
    return out


RESULT_NOTE_PATHS = {
    "derived_point": ({"art3.1": True, "art5.1.f": True, "art5.1.f.exception": True}, {}),
    "annex_i_section_b": ({"art3.1": True, "art6.1.a": True, "art6.1.b": True, "art2.2": True}, {}),
    "art111_2_public": ({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True},
                        {"in_service_since": "2025-01-01"}),
    "art111_2_private": ({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True},
                         {"in_service_since": "2025-01-01", "public_body": False}),
    "art111_4": ({"art3.1": True, "art50.2": True}, {"in_service_since": "2025-01-01", "role": "provider"}),
    "prohibition_pending": ({"art3.1": True, "art5.1.ba": True}, {"on_date": "2026-11-30"}),
    "derogation_not_for_exception": ({"art3.1": True, "art5.1.f": True, "art5.1.f.exception": True,
                                      "art6.3.a": True, "art6.3.no_significant_risk": True}, {}),
    "not_in_this_text": ({"art3.1": True, "art5.1.bb": True}, {"on_date": "2026-01-15"}),
}


@pytest.mark.parametrize("note", questionnaire.load("classifier")["note"], ids=lambda note: note["id"])
def test_every_note_is_reachable_along_a_path(note):
    if "when" in note:
        targets, context = _targets(note["when"]), {}
        targets.setdefault("art3.1", True)
        for qid in list(targets):
            if qid.count(".") == 2 and qid.startswith("annexiii."):   # open the area's gate
                targets[qid.rsplit(".", 1)[0]] = True
            if qid.startswith("art6.3."):                              # an Annex III point first
                targets |= {"annexiii.4": True, "annexiii.4.a": True}
        if any(targets.get(f"art6.3.{x}") is True for x in "abcd"):
            targets.setdefault("art6.3.no_significant_risk", True)                # Art. 6(3), first subpara.
    else:
        targets, context = RESULT_NOTE_PATHS[note["id"]]
    answers = _directed_path(targets)
    assert {key: answers.get(key) for key in targets} == targets, "a targeted question was not shown"
    context = {"on_date": "2028-01-01", **context}
    result = engine.classify(answers, lang="en", **context)
    assert note["id"] in {entry["id"] for entry in result["notes"]}


def test_every_role_is_reachable():
    roles = set()
    for answers in _random_paths("roles", 300):
        roles |= set(engine.find_roles(answers)["roles"])
    assert roles == set(engine.ROLES)


# --- translations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", questionnaire.QUESTIONNAIRES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_node_is_translated(name, lang):
    for qid in questionnaire.question_ids(name):
        entry = questionnaire.question(qid, lang, name)
        assert entry["text"].strip() and entry["help"].strip(), (qid, lang)
        assert [option["label"] for option in entry["options"]] and all(o["label"] for o in entry["options"])
        raw = questionnaire._questions(name)[qid]
        assert set(raw.get("examples", {})) in (set(), set(LANGS)), qid
        for pid in entry["provisions"]:
            assert references.provision(pid, lang)["label"]
    for section in questionnaire.sections(lang, name):
        assert section["title"]
    for entry in questionnaire.load(name).get("note", []):
        assert questionnaire.note_text(name, entry["id"], lang)


@pytest.mark.parametrize("lang", LANGS)
def test_texts_have_no_unfilled_placeholders(lang):
    for qid in questionnaire.question_ids():
        entry = questionnaire.question(qid, lang)
        assert "{" not in entry["text"] + entry["help"] + "".join(entry["examples"]), qid
    for item in questionnaire.context(lang):
        assert "{" not in item["help"]


def test_register_and_official_terms():
    """Dutch addresses the reader with "u", French with "vous"; no deprecated terms."""
    nl = " ".join(questionnaire.question(q, "nl")["text"] + " " + questionnaire.question(q, "nl")["help"]
                  for q in questionnaire.question_ids())
    fr = " ".join(questionnaire.question(q, "fr")["text"] + " " + questionnaire.question(q, "fr")["help"]
                  for q in questionnaire.question_ids())
    assert " je " not in f" {nl.lower()} " and " jij " not in f" {nl.lower()} "
    assert " tu " not in f" {fr.lower()} "
    for wrong in ("gebruikersverantwoordelijke", "menselijke supervisie", "leverancier"):
        assert wrong not in nl.lower()
    for wrong in ("surveillance humaine", "littératie", "finalité prévue", "entreprise de déploiement"):
        assert wrong not in fr.lower()


# --- the API the widgets call ---------------------------------------------------------------------

def test_visible_questions_follow_the_answers():
    first = questionnaire.visible_questions({})
    assert first[0] == "art3.1"
    assert questionnaire.visible_questions({"art3.1": False}) == ["art3.1"]
    out_of_scope = questionnaire.visible_questions({"art3.1": True, "art2.3": True})
    assert "art5.1.a" not in out_of_scope and "art2.6" in out_of_scope
    prohibited = questionnaire.visible_questions({"art3.1": True, "art5.1.c": True})
    assert "annexiii.4" not in prohibited and "art50.1" not in prohibited
    derived = questionnaire.visible_questions({"art3.1": True, "art5.1.f": True, "art5.1.f.exception": True})
    assert "annexiii.1.c" not in derived and "annexiii.1.a" in derived and "art6.3.profiling" in derived
    assert "art50.3" not in derived
    employment = questionnaire.visible_questions({"art3.1": True, "annexiii.4": False})
    assert "annexiii.4.a" not in employment and "art6.3.a" not in employment
    profiling = questionnaire.visible_questions({"art3.1": True, "annexiii.4.a": True, "art6.3.profiling": True})
    assert "art6.3.profiling" in profiling and "art6.3.a" not in profiling


def test_annex_iii_6_d_is_asked_after_the_5_1_d_exception():
    visible = questionnaire.visible_questions({"art3.1": True, "art5.1.d": True, "art5.1.d.exception": True})
    assert "annexiii.6.d" in visible


def test_prune_drops_answers_that_no_longer_matter():
    answers = {"art3.1": True, "annexiii.4": False, "annexiii.4.a": True, "art6.3.a": True}
    assert questionnaire.prune(answers) == {"art3.1": True, "annexiii.4": False}


def test_question_api():
    entry = questionnaire.question("art5.1.ba", "fr")
    assert entry["provisions"] == ["art5.1.ba"]
    assert "2 décembre 2026" in entry["help"]
    assert [option["value"] for option in entry["options"]] == [True, False, "unsure"]
    assert questionnaire.question("annexiii.4", "nl")["gate"] is True
    assert questionnaire.role_question("art3.4", "nl")["text"].startswith("Gebruikt uw organisatie")
    assert questionnaire.visible_role_questions({"art3.3": True}) == ["art3.3", "art3.4", "art3.6", "art3.7", "art3.5"]
    roles = [option["label"] for option in questionnaire.context("nl")[0]["options"]]
    assert "gebruiksverantwoordelijke" in roles
    with pytest.raises(KeyError):
        questionnaire.question("art99", "en")
