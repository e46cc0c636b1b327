"""The HR use-case catalogue as data (aigov_widgets/data/hr_cases.toml) against the book and the engine.

Each [[case]] is one example of book/{nl,fr,en}/hr-use-cases.md, keyed by the example's MyST target,
with the answers a deployer would give to the classifier and the tier derived by hand from the Act.
The book computes each example's classification from these answers at build time, so they must stay
in step with the pages (ids), the questionnaire (keys, visibility) and the engine (tier).
"""

import re
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from aigov_widgets.core.law import engine, questionnaire

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nl", "fr", "en")
ON_DATE = "2026-11-28"
TARGET = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$", re.MULTILINE)
# A justification cites at least one provision, in the citation style of its language.
CITES = {
    "en": re.compile(r"\b(Art\.|Arts|Annex|recital)"),
    "nl": re.compile(r"\b(art\.|bijlage|overweging)"),
    "fr": re.compile(r"\b(article|annexe|considérant)"),
}


def load_cases() -> list[dict]:
    text = files("aigov_widgets.data").joinpath("hr_cases.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["case"]


def page_targets(lang: str) -> list[str]:
    text = (ROOT / "book" / lang / "hr-use-cases.md").read_text(encoding="utf-8")
    return TARGET.findall(text)


CASES = load_cases()
IDS = [case["id"] for case in CASES]


def test_ids_are_unique():
    assert len(IDS) == len(set(IDS)), [i for i in IDS if IDS.count(i) > 1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ids_are_exactly_the_targets_of_the_page(lang):
    """One case per example, in the order of the page, named by its MyST target."""
    targets = page_targets(lang)
    assert targets, f"no MyST target in book/{lang}/hr-use-cases.md"
    missing = [t for t in targets if t not in IDS]
    unknown = [i for i in IDS if i not in targets]
    assert not missing and not unknown, f"{lang}: no case for {missing}; no example for {unknown}"
    assert IDS == targets, f"{lang}: cases are not in the order of the page"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_is_well_formed(case):
    assert set(case) == {"id", "answers", "context", "expect", "justification"}
    assert case["expect"] in engine.TIERS
    assert set(case["context"]) <= set(engine.CONTEXT_KEYS)
    assert case["context"].get("role") in engine.ROLES
    assert isinstance(case["context"].get("public_body"), bool)
    assert set(case["justification"]) == set(LANGUAGES)
    for lang, text in case["justification"].items():
        assert text.strip() and "\n" not in text, f"{lang}: one line"
        assert CITES[lang].search(text), f"{lang}: cite the provision"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_answer_key_is_a_classifier_question(case):
    questions = set(questionnaire.question_ids("classifier"))
    unknown = sorted(set(case["answers"]) - questions)
    assert not unknown, f"not classifier question ids: {unknown}"
    for key, value in case["answers"].items():
        assert value is True or value is False or value == "unsure", f"{key}: {value!r}"
    assert "art3.1" in case["answers"], "the engine requires art3.1"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_answers_are_what_the_prefilled_form_shows(case):
    """No answer to a question the form hides given the other answers: the classifier opened with
    these answers shows every one of them."""
    assert questionnaire.prune(case["answers"]) == case["answers"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_engine_gives_the_tier_derived_by_hand(case):
    result = engine.classify(case["answers"], on_date=ON_DATE, lang="en", **case["context"])
    assert result["tier"] == case["expect"], (
        f"engine: {result['tier']} (basis {result['basis']}), by hand: {case['expect']}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unsure_answers_make_the_result_provisional_and_name_the_open_question(case):
    """"unsure" is used only where the example is genuinely open, so each one must matter."""
    result = engine.classify(case["answers"], on_date=ON_DATE, lang="en", **case["context"])
    unsure = {key for key, value in case["answers"].items() if value == "unsure"}
    assert result["provisional"] is bool(unsure)
    assert set(result["open_questions"]) == unsure


def test_the_catalogue_covers_the_tiers_the_pages_name():
    assert {case["expect"] for case in CASES} >= {"prohibited", "high_risk", "limited_risk", "minimal_risk"}
