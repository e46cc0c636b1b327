"""The legal regression corpus (tests/golden/*.toml): cases derived by hand from the Act."""

import re
import tomllib
from pathlib import Path

import pytest

from aigov_widgets.core.law import engine
from aigov_widgets.core import selftest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(GOLDEN.glob("*.toml")):
        cases += tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return cases


CASES = load_cases()


def test_corpus_size_and_ids():
    assert len(CASES) >= 40
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case_is_well_formed(case):
    assert re.search(r"\b(Art\.|Arts|Annex|recital)", case["justification"]), "cite the provision"
    assert "tier" in case["expect"] and case["expect"]["tier"] in engine.TIERS
    keys = set(engine.classifier_keys())
    assert set(case["answers"]) <= keys
    known = set(case["expect"]) - {"tier", "law", "basis", "transparency", "open_questions", "provisional",
                                   "obligations", "absent", "in_force", "not_in_force", "notes", "derived"}
    assert not known, f"unknown expectation keys: {known}"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_golden_case(case):
    [report] = selftest.run_corpus([case])
    assert report["ok"], "\n".join(report["differences"])


def test_run_corpus_reports_differences_and_errors():
    wrong = {"id": "wrong", "answers": {"art3.1": True, "annexiii.4.a": True},
             "expect": {"tier": "minimal_risk", "obligations": {"art26.6": "2026-08-02"}, "absent": ["art27"],
                        "notes": ["art111_4"]}}
    broken = {"id": "broken", "answers": {"no.such.key": True}, "expect": {"tier": "high_risk"}}
    report = selftest.run_corpus([wrong, broken])
    assert [entry["ok"] for entry in report] == [False, False]
    assert len(report[0]["differences"]) == 4
    assert report[1]["differences"][0].startswith("error: InputError")


def test_corpus_covers_every_tier():
    assert {case["expect"]["tier"] for case in CASES} == set(engine.TIERS)


def test_run_corpus_file_text_reads_a_golden_file():
    path = sorted(GOLDEN.glob("*.toml"))[0]
    report = selftest.run_corpus_file_text(path.read_text(encoding="utf-8"))
    assert report and all(entry["ok"] for entry in report)
