"""The AI-literacy quiz banks (aigov_widgets/data/quizzes/bank-*.toml) against their format
(aigov_widgets/data/quizzes/README.md), the other data files, the book and the rules engine.

Every message names the file, the question id and the field. The key of a scenario question is derived
by hand from the Act; the engine only checks it: when they disagree, the law or the engine changed and
the key must be reviewed by hand, never updated to whatever the engine now says.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from aigov_widgets.core.law import engine

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "aigov_widgets" / "data"
QUIZZES = DATA / "quizzes"
BOOK = ROOT / "book"
SITE = ROOT / "_build" / "html"
LANGUAGES = ("nl", "fr", "en")
TYPES = ("single", "multiple", "truefalse", "scenario")
TIERS = ("prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system")
QUESTION_KEYS = {"id", "type", "difficulty", "tracks", "provisions", "law", "page", "anchor", "text",
                 "explanation", "option", "scenario"}
OPTION_KEYS = {"id", "weight", "text", "feedback"}
SCENARIO_KEYS = {"answers", "context", "date"}
CONTEXT_KEYS = {"role", "public_body", "in_service_since"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ELEMENT_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")

# Coverage the quiz tool and the trainer's kit need (they fail until the banks are complete).
MIN_QUESTIONS_PER_LANGUAGE = 150
MIN_SCENARIOS = 30
MIN_PER_TRACK = 15
TRACKS_WITHOUT_MINIMUM = ("trainers",)


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


TOPICS = _toml(QUIZZES / "topics.toml")["topic"]
AUDIENCES = set(_toml(DATA / "audiences.toml")["audience"])
PROVISIONS = set(_toml(DATA / "provisions.toml")["provision"])
LAWS = set(_toml(DATA / "laws.toml")["law"])
BANK_FILES = sorted(QUIZZES.glob("bank-*.toml"))


def _load_bank(path: Path) -> tuple[dict | None, str | None]:
    try:
        return _toml(path), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, str(error)


BANKS = {path.name: _load_bank(path) for path in BANK_FILES}
# (file name, question table) for every question of every bank that parses
QUESTIONS = [(name, question) for name, (data, _) in BANKS.items() if data
             for question in data.get("question", []) if isinstance(question, dict)]


def _qid(item) -> str:
    name, question = item
    return f"{name}::{question.get('id', '?')}"


def _where(name: str, question: dict, field: str) -> str:
    return f"{name}, question {question.get('id', '?')!r}, {field}"


def _check_texts(table: object, where: str) -> list[str]:
    """A text table: exactly nl, fr and en, each a non-empty string."""
    if not isinstance(table, dict):
        return [f"{where}: expected a table with nl, fr and en, got {type(table).__name__}"]
    problems = []
    if set(table) != set(LANGUAGES):
        problems.append(f"{where}: expected exactly the keys nl, fr, en, got {sorted(table)}")
    for lang in LANGUAGES:
        value = table.get(lang)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{lang}: empty or not a string")
    return problems


@lru_cache(maxsize=None)
def _page_ids(lang: str, page: str) -> frozenset[str] | None:
    path = SITE / lang / f"{page}.html"
    if not path.is_file():
        return None
    return frozenset(ELEMENT_ID.findall(path.read_text(encoding="utf-8")))


# --- files ------------------------------------------------------------------------------------------

def test_there_are_banks():
    assert BANK_FILES, f"no bank-*.toml in {QUIZZES}"


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_bank_parses_and_names_its_topic(path):
    data, error = BANKS[path.name]
    assert error is None, f"{path.name}: not valid TOML: {error}"
    topic = data.get("meta", {}).get("topic")
    assert topic in TOPICS, f"{path.name}, meta.topic: {topic!r} is not a key of topics.toml"
    assert path.name == f"bank-{topic}.toml", f"{path.name}, meta.topic: {topic!r} but the file is not named bank-{topic}.toml"
    assert isinstance(data.get("question"), list) and data["question"], f"{path.name}: no [[question]]"


def test_question_ids_unique_across_banks():
    seen = Counter(question.get("id") for _, question in QUESTIONS)
    duplicates = sorted(str(qid) for qid, count in seen.items() if count > 1)
    assert not duplicates, f"question ids used more than once across the banks: {duplicates}"


# --- every question ---------------------------------------------------------------------------------

@pytest.mark.parametrize("item", QUESTIONS, ids=_qid)
def test_question_fields(item):
    name, question = item
    problems = []
    where = lambda field: _where(name, question, field)  # noqa: E731

    unknown = set(question) - QUESTION_KEYS
    if unknown:
        problems.append(f"{where('keys')}: unknown key(s) {sorted(unknown)}")
    missing = QUESTION_KEYS - {"scenario"} - set(question)
    if missing:
        problems.append(f"{where('keys')}: missing key(s) {sorted(missing)}")

    topic = BANKS[name][0].get("meta", {}).get("topic")
    prefix = TOPICS.get(topic, {}).get("prefix")
    qid = question.get("id")
    if not isinstance(qid, str) or prefix is None or not re.fullmatch(rf"{re.escape(prefix)}\.\S+", qid):
        problems.append(f"{where('id')}: expected '{prefix}.<slug>' (the prefix of topic {topic!r})")

    if question.get("type") not in TYPES:
        problems.append(f"{where('type')}: {question.get('type')!r} is not one of {', '.join(TYPES)}")
    difficulty = question.get("difficulty")
    if not (isinstance(difficulty, int) and not isinstance(difficulty, bool) and 1 <= difficulty <= 3):
        problems.append(f"{where('difficulty')}: {difficulty!r} is not 1, 2 or 3")

    tracks = question.get("tracks")
    if not isinstance(tracks, list) or not tracks:
        problems.append(f"{where('tracks')}: expected a non-empty list of audience ids")
    else:
        bad = [t for t in tracks if t not in AUDIENCES]
        if bad:
            problems.append(f"{where('tracks')}: {bad} not keys of audiences.toml")
        if len(set(tracks)) != len(tracks):
            problems.append(f"{where('tracks')}: repeated track")

    provisions = question.get("provisions")
    if not isinstance(provisions, list):
        problems.append(f"{where('provisions')}: expected a list ([] where none applies)")
    else:
        bad = [p for p in provisions if p not in PROVISIONS]
        if bad:
            problems.append(f"{where('provisions')}: {bad} not [provision] keys of provisions.toml")

    if question.get("law") not in LAWS:
        problems.append(f"{where('law')}: {question.get('law')!r} is not a [law] key of laws.toml")

    page = question.get("page")
    if not isinstance(page, str) or not page:
        problems.append(f"{where('page')}: expected a page name")
    else:
        for lang in LANGUAGES:
            if not (BOOK / lang / f"{page}.md").is_file():
                problems.append(f"{where('page')}: book/{lang}/{page}.md does not exist")

    anchor = question.get("anchor")
    if not isinstance(anchor, dict) or set(anchor) != set(LANGUAGES) or not all(
            isinstance(anchor[lang], str) for lang in LANGUAGES):
        problems.append(f"{where('anchor')}: expected exactly nl, fr, en, each a string (\"\" = page top)")

    problems += _check_texts(question.get("text"), where("text"))
    problems += _check_texts(question.get("explanation"), where("explanation"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("item", QUESTIONS, ids=_qid)
def test_anchors_exist_in_built_pages(item):
    name, question = item
    if not SITE.is_dir():
        pytest.skip("_build/html is absent (CI builds the site before the tests)")
    page, anchor = question.get("page"), question.get("anchor")
    if not isinstance(page, str) or not isinstance(anchor, dict):
        pytest.fail(f"{_where(name, question, 'page/anchor')}: malformed (see test_question_fields)")
    problems = []
    for lang in LANGUAGES:
        target = anchor.get(lang)
        if not target:  # "" is the top of the page
            continue
        ids = _page_ids(lang, page)
        if ids is None:
            problems.append(f"{_where(name, question, 'page')}: _build/html/{lang}/{page}.html is missing")
        elif target not in ids:
            problems.append(f"{_where(name, question, f'anchor.{lang}')}: no element id {target!r} "
                            f"in _build/html/{lang}/{page}.html")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("item", QUESTIONS, ids=_qid)
def test_options_and_weights(item):
    name, question = item
    options = question.get("option")
    assert isinstance(options, list) and len(options) >= 2, \
        f"{_where(name, question, 'option')}: expected at least two [[question.option]]"
    problems = []
    for index, option in enumerate(options):
        label = f"option[{index}] {option.get('id', '?')!r}"
        unknown, missing = set(option) - OPTION_KEYS, OPTION_KEYS - set(option)
        if unknown or missing:
            problems.append(f"{_where(name, question, label)}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        weight = option.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool):
            problems.append(f"{_where(name, question, label + '.weight')}: {weight!r} is not an integer")
        problems += _check_texts(option.get("text"), _where(name, question, label + ".text"))
        problems += _check_texts(option.get("feedback"), _where(name, question, label + ".feedback"))
    assert not problems, "\n".join(problems)

    ids = [option.get("id") for option in options]
    weights = {option.get("id"): option.get("weight") for option in options}
    assert len(set(ids)) == len(ids), f"{_where(name, question, 'option.id')}: repeated option id in {ids}"
    positive = [w for w in weights.values() if w > 0]
    assert sum(positive) == 100, \
        f"{_where(name, question, 'option.weight')}: positive weights add up to {sum(positive)}, not 100"

    kind = question.get("type")
    if kind in ("single", "truefalse", "scenario"):
        full = [i for i, w in weights.items() if w == 100]
        others = {i: w for i, w in weights.items() if w != 100}
        assert len(full) == 1 and all(w == 0 for w in others.values()), \
            f"{_where(name, question, 'option.weight')}: a {kind} question needs exactly one option with " \
            f"weight 100 and the others 0, got {weights}"
    if kind == "multiple":
        assert len(positive) >= 2, \
            f"{_where(name, question, 'option.weight')}: a multiple question needs at least two positive options"
    if kind == "truefalse":
        assert set(ids) == {"true", "false"}, \
            f"{_where(name, question, 'option.id')}: truefalse options must be exactly 'true' and 'false', got {ids}"
    if kind == "scenario":
        bad = [i for i in ids if i not in TIERS]
        assert not bad, f"{_where(name, question, 'option.id')}: {bad} are not tier ids ({', '.join(TIERS)})"


# --- scenarios against the rules engine -------------------------------------------------------------

SCENARIOS = [item for item in QUESTIONS if item[1].get("type") == "scenario"]


def _scenario(name: str, question: dict) -> tuple[dict, dict, str]:
    """(answers, context, date) of a scenario question, checked against the format."""
    table = question.get("scenario")
    where = lambda field: _where(name, question, field)  # noqa: E731
    assert isinstance(table, dict), f"{where('scenario')}: a scenario question needs a [question.scenario] table"
    unknown = set(table) - SCENARIO_KEYS
    assert not unknown, f"{where('scenario')}: unknown key(s) {sorted(unknown)}"
    answers, context, date = table.get("answers"), table.get("context", {}), table.get("date")
    assert isinstance(answers, dict) and answers, f"{where('scenario.answers')}: expected a table of answers"
    assert isinstance(context, dict), f"{where('scenario.context')}: expected a table"
    assert set(context) <= CONTEXT_KEYS, \
        f"{where('scenario.context')}: unknown key(s) {sorted(set(context) - CONTEXT_KEYS)}"
    assert isinstance(date, str) and ISO_DATE.match(date), f"{where('scenario.date')}: {date!r} is not an ISO date"
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        pytest.fail(f"{where('scenario.date')}: {date!r} is not a valid date")
    return answers, context, date


@pytest.mark.parametrize("item", QUESTIONS, ids=_qid)
def test_scenario_table_only_on_scenarios(item):
    name, question = item
    if question.get("type") == "scenario":
        _scenario(name, question)
    else:
        assert "scenario" not in question, \
            f"{_where(name, question, 'scenario')}: only a scenario question has a [question.scenario] table"


@pytest.mark.parametrize("item", SCENARIOS, ids=_qid)
def test_scenario_answers_are_valid_classifier_input(item):
    name, question = item
    answers, context, _ = _scenario(name, question)
    clash = sorted(set(answers) & CONTEXT_KEYS)
    assert not clash, f"{_where(name, question, 'scenario.answers')}: {clash} belong in scenario.context"
    try:
        engine.split_record({**answers, **context})  # checks the answers (check_answers) and the context
    except engine.InputError as error:
        pytest.fail(f"{_where(name, question, 'scenario.answers')}: not valid classifier input "
                    f"(key {error.key!r}): {error}")


@pytest.mark.parametrize("item", SCENARIOS, ids=_qid)
def test_scenario_key_matches_engine(item):
    name, question = item
    answers, context, date = _scenario(name, question)
    key = [option["id"] for option in question["option"] if option.get("weight") == 100]
    assert len(key) == 1, f"{_where(name, question, 'option.weight')}: no single key (see test_options_and_weights)"
    try:
        result = engine.classify(answers, on_date=date, lang="en", law=question.get("law"), **context)
    except (engine.InputError, TypeError, KeyError) as error:
        pytest.fail(f"{_where(name, question, 'scenario')}: the engine rejects the stored input: {error!r}")
    assert result["tier"] == key[0], (
        f"{_where(name, question, 'option (key)')}: the key is {key[0]!r} but the rules engine now says "
        f"{result['tier']!r} (basis {result['basis']}) for the stored answers on {date} under "
        f"{question.get('law')}. The law or the engine changed: review the key and its explanation BY HAND "
        f"against the Act; never update the key silently to the engine's answer.")
    assert not result["provisional"], (
        f"{_where(name, question, 'scenario.answers')}: the classification depends on unsure answer(s) "
        f"{result['open_questions']}; a scenario's key needs definite answers")


# --- coverage (fails until the banks are complete) --------------------------------------------------

def test_coverage_questions_per_language():
    counts = {lang: sum(1 for _, q in QUESTIONS
                        if isinstance(q.get("text"), dict) and str(q["text"].get(lang, "")).strip())
              for lang in LANGUAGES}
    short = {lang: n for lang, n in counts.items() if n < MIN_QUESTIONS_PER_LANGUAGE}
    assert not short, f"fewer than {MIN_QUESTIONS_PER_LANGUAGE} questions in: {short}"


def test_coverage_scenarios():
    assert len(SCENARIOS) >= MIN_SCENARIOS, \
        f"{len(SCENARIOS)} scenario questions across the banks, at least {MIN_SCENARIOS} needed"


def test_coverage_per_track():
    counts = Counter(track for _, q in QUESTIONS if isinstance(q.get("tracks"), list) for track in q["tracks"])
    short = {track: counts[track] for track in sorted(AUDIENCES)
             if track not in TRACKS_WITHOUT_MINIMUM and counts[track] < MIN_PER_TRACK}
    assert not short, f"tracks with fewer than {MIN_PER_TRACK} questions: {short}"
