"""The quiz core (core/tools/quiz.py) and the trainer's merge (core/tools/quiz_records.py): seeded draws,
scoring with partial credit, the answer key kept out of the page, records and their CSV."""

from __future__ import annotations

import copy
import csv
import io
import json
import random

import pytest

from aigov_widgets.core import runtime
from aigov_widgets.core.law import data as law_data
from aigov_widgets.core.tools import quiz, quiz_records

RUNTIME = {"pyodide": "p/", "wheel": "w.whl", "worker": "k.mjs"}
CONFIG = "quiz-all_staff-6-end-70"
SETTINGS = quiz.parse_config(CONFIG)


def ask(action: str, state=None, lang: str = "en", config: str = CONFIG, **extra) -> dict:
    request = {"widget": "quiz", "config": config, "lang": lang, "today": "2026-12-06", "action": action,
               "state": state, **extra}
    answer = json.loads(runtime.handle(json.dumps(request)))
    assert "detail" not in answer, answer
    return answer


def right_answers(qid: str) -> list[str]:
    return [option.id for option in quiz.bank()[qid].options if option.weight > 0]


def wrong_answer(qid: str) -> list[str]:
    return [next(option.id for option in quiz.bank()[qid].options if option.weight <= 0)]


# --- banks and draws ------------------------------------------------------------------------------------

def test_banks_load_validated_and_ids_are_unique():
    assert len(quiz.bank()) >= 200
    assert all(name.startswith("quizzes/bank-") for name in quiz.bank_files())


def test_a_broken_bank_is_refused_on_load_naming_file_and_question():
    broken = copy.deepcopy(law_data.load("quizzes/bank-ai_act.toml"))
    broken["question"][1]["option"][0]["weight"] = 90
    with pytest.raises(law_data.DataError, match=r"bank-ai_act.toml: question\[1\] \(act\.[^)]+\)\.option"):
        law_data.validate("quizzes/bank-ai_act.toml", broken)
    broken = copy.deepcopy(law_data.load("quizzes/bank-ai_act.toml"))
    broken["question"][0]["tracks"] = ["everyone"]
    with pytest.raises(law_data.DataError, match="unknown audience 'everyone'"):
        law_data.validate("quizzes/bank-ai_act.toml", broken)


def test_the_draw_is_random_random_sample_of_the_sorted_pool():
    for track in ("all_staff", "hr", "managers", "overseers"):
        pool = quiz.pool(track)
        assert pool == sorted(pool) and len(pool) >= 15
        assert quiz.draw(track, 10, 7) == random.Random(7).sample(pool, 10)
        assert quiz.draw(track, 10, 7) == quiz.draw(track, 10, 7)
        assert all(track in quiz.bank()[qid].tracks for qid in quiz.draw(track, 10, 7))
    assert quiz.draw("all_staff", 10, 1) != quiz.draw("all_staff", 10, 2)


def test_options_shuffled_by_seed_only_for_choice_questions():
    question = next(q for q in quiz.bank().values() if q.type == "single" and len(q.options) >= 4)
    orders = {tuple(quiz.option_order(question, seed)) for seed in range(20)}
    assert len(orders) > 1 and quiz.option_order(question, 3) == quiz.option_order(question, 3)
    for kind in ("truefalse", "scenario"):
        fixed = next(q for q in quiz.bank().values() if q.type == kind)
        assert quiz.option_order(fixed, 5) == [option.id for option in fixed.options]


@pytest.mark.parametrize("options, message", [
    ({"track": "nobody"}, ":track:"), ({"track": "hr", "questions": "0"}, ":questions:"),
    ({"track": "hr", "questions": "999"}, ":questions:"), ({"track": "hr", "feedback": "later"}, ":feedback:"),
    ({"track": "hr", "pass": "0"}, ":pass:"), ({"track": "hr", "seed": "x"}, ":seed:"), ({}, ":track:"),
    ({"track": "hr", "colour": "red"}, "unknown option"),
])
def test_bad_directive_options_are_named(options, message):
    with pytest.raises(ValueError, match=message):
        quiz.render_static("en", RUNTIME, **options)


# --- scoring --------------------------------------------------------------------------------------------

def test_multiple_choice_partial_credit_is_floored_at_zero():
    question = next(q for q in quiz.bank().values() if q.type == "multiple" and any(o.weight < 0 for o in q.options))
    positive = [o.id for o in question.options if o.weight > 0]
    negative = [o.id for o in question.options if o.weight < 0]
    assert quiz.question_points(question, positive) == 100
    assert quiz.question_points(question, positive[:1]) == question.option(positive[0]).weight
    assert quiz.question_points(question, negative) == 0, "never below zero"
    assert quiz.question_points(question, positive + negative) == max(
        0, 100 + sum(question.option(o).weight for o in negative))
    assert quiz.verdict(question, positive[:1]) == "partial" and quiz.verdict(question, []) == "unanswered"


def test_score_and_pass_mark():
    state = quiz.new_state("all_staff", 6, 11)
    ids = state["ids"]
    state["answers"] = {qid: right_answers(qid) for qid in ids[:4]} | {ids[4]: wrong_answer(ids[4])}
    counted = quiz.score(SETTINGS, state)
    assert (counted["points"], counted["max"], counted["percent"]) == (400, 600, 66)
    assert counted["passed"] is False, "66.7% is below a pass mark of 70%"
    state["answers"][ids[5]] = right_answers(ids[5])
    assert quiz.score(SETTINGS, state)["passed"] is True


# --- the page: no answer key in the HTML ----------------------------------------------------------------

def test_static_html_holds_the_seeded_draw_without_the_key():
    html = quiz.render_static("fr", RUNTIME, track="all_staff", questions="6", seed="11")
    state = quiz.new_state("all_staff", 6, 11)
    for qid in state["ids"]:
        question = quiz.bank()[qid]
        assert f'name="q:{qid}"' in html
        assert question.explanation["fr"].replace("’", "’")[:60] not in html
        for option in question.options:
            assert option.feedback["fr"][:60] not in html
    assert "weight" not in html and "data-aigov-verdict" not in html
    assert 'data-aigov-seed="11"' in html and html.count("<fieldset") == 6 and html.count("<legend>") == 6


def test_name_and_imported_text_are_inert():
    state = quiz.new_state("all_staff", 6, 11)
    state.update(name='<img src=x onerror="alert(1)">', finished=True)
    answer = ask("evaluate", state)
    result = answer["regions"][f"aigov-{CONFIG}-result"]
    assert "<img" not in result and "&lt;img src=x" in result
    markdown = ask("export-markdown", state)["download"]["content"]
    assert "<img" not in markdown


# --- the worker's answers -------------------------------------------------------------------------------

def test_progress_check_finish_retake():
    state = quiz.new_state("all_staff", 6, 11)
    assert ask("evaluate", state)["status"] == "empty"
    state["answers"] = {state["ids"][0]: right_answers(state["ids"][0])}
    answer = ask("evaluate", state, lang="nl")
    assert answer["status"] == "incomplete" and answer["announce"] == "1 van 6 vragen beantwoord."
    assert all(answer["regions"][f"aigov-{CONFIG}-f{n}"] == "" for n in range(1, 7)), "no feedback before the end"
    finished = ask("finish", state)
    assert finished["state"]["finished"] is True and finished["status"] == "complete"
    assert finished["announce"].startswith("Not passed: 1 of 6 points")
    feedback = finished["regions"][f"aigov-{CONFIG}-f1"]
    assert 'data-aigov-verdict="correct"' in feedback and "Correct." in feedback and "✓" in feedback
    assert quiz.bank()[state["ids"][0]].explanation["en"][:40] in feedback
    assert 'value="1"' in finished["regions"][f"aigov-{CONFIG}-progress"]
    review = finished["regions"][f"aigov-{CONFIG}-result"]
    assert review.count(f'href="#aigov-{CONFIG}-q') == 5, "five mistakes (unanswered) in the review"
    assert ".html#" in review or ".html\"" in review
    again = ask("retake", finished["state"])
    assert again["state"]["seed"] != 11 and again["state"]["answers"] == {} and not again["state"]["finished"]
    assert f"aigov-{CONFIG}-draw" in again["regions"]


def test_immediate_feedback_on_check_only_for_answered_questions():
    config = "quiz-managers-4-immediate-70"
    state = quiz.new_state("managers", 4, 3)
    state["answers"] = {state["ids"][1]: wrong_answer(state["ids"][1])}
    answer = ask("check", state, config=config)
    assert answer["state"]["checked"] == [state["ids"][1]]
    assert answer["regions"][f"aigov-{config}-f2"] and not answer["regions"][f"aigov-{config}-f1"]
    assert "Incorrect." in answer["regions"][f"aigov-{config}-f2"]
    html = ask("render", answer["state"], config=config)["regions"][f"aigov-{config}-draw"]
    assert html.count("<fieldset") == 4 and html.count("disabled") == 1, "a checked question is locked"


@pytest.mark.parametrize("bad", [
    None, {}, {"seed": 1}, {"seed": True, "ids": []}, {"seed": 1, "ids": ["nope"] * 6},
    {"seed": 1, "ids": quiz.draw("hr", 6, 1)},            # not all of them are all_staff questions
    {"seed": 1, "ids": quiz.draw("all_staff", 5, 1)},      # too few
    {"seed": 1, "ids": quiz.draw("all_staff", 6, 1), "answers": {"x": ["a"]}},
    {"seed": 1, "ids": quiz.draw("all_staff", 6, 1), "name": "x" * 201},
    {"seed": 1, "ids": quiz.draw("all_staff", 6, 1), "extra": 1},
])
def test_broken_states_are_refused(bad):
    assert quiz.normalise_state(SETTINGS, bad) is None
    assert ask("evaluate", bad)["error"] == "state_invalid"


def test_export_and_import_reproduce_the_attempt():
    state = quiz.new_state("all_staff", 6, 99)
    state["answers"] = {qid: right_answers(qid) for qid in state["ids"][:3]}
    state.update(finished=True, name="Anna Peeters")
    record = json.loads(ask("export-json", state, lang="fr")["download"]["content"])
    assert record["format"] == "aigov-quiz-record" and record["state"]["seed"] == 99
    expected = {"name": "Anna Peeters", "track": "all_staff", "language": "fr", "percent": 50, "passed": False,
                "bank_version": quiz.bank_version()}
    assert {key: record["result"][key] for key in expected} == expected
    imported = ask("import", text=json.dumps(record))
    assert imported["state"] == quiz.normalise_state(SETTINGS, state)


# --- the trainer's merge --------------------------------------------------------------------------------

def _record(name: str, seed: int, right: int, lang: str = "nl") -> str:
    state = quiz.new_state("all_staff", 6, seed)
    state["answers"] = {qid: right_answers(qid) for qid in state["ids"][:right]}
    state.update(finished=True, name=name)
    return ask("export-json", state, lang=lang)["download"]["content"]


def merge(files):
    request = {"widget": "quiz-records", "config": "quiz-records", "lang": "nl", "today": "2026-12-06",
               "action": "merge", "files": files}
    return json.loads(runtime.handle(json.dumps(request)))


def test_records_merge_into_an_excel_csv_and_bad_files_are_named():
    good = _record("=HYPERLINK(\"http://x\")", 1, 6)
    altered = json.loads(_record("Bob", 2, 1))
    altered["result"]["percent"] = 100
    unfinished = json.loads(_record("Carla", 3, 2))
    unfinished["state"]["finished"] = False
    files = [{"name": "a.json", "text": good}, {"name": "b.json", "text": _record("Bram; \"Dirk\"", 4, 5, "fr")},
             {"name": "c.json", "text": json.dumps(altered)}, {"name": "d.json", "text": "{\"a\": 1, \"a\": 2}"},
             {"name": "e.json", "text": json.dumps({"format": "aigov-checklist-annex4"})},
             {"name": "f.json", "text": json.dumps(unfinished)}, {"name": "g.json", "text": None}]
    answer = merge(files)
    assert answer["announce"] == "2 deelnamebewijzen overgenomen, 5 geweigerd."
    result = answer["regions"]["aigov-quiz-records-result"]
    for name in ("c.json", "d.json", "e.json", "f.json", "g.json"):
        assert f"{name}: " in result
    content = answer["download"]["content"]
    assert content.startswith("\ufeff\"Naam\";") and content.endswith("\r\n") and "\r\n" in content
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 3 and rows[1][0] == "'=HYPERLINK(\"http://x\")", "a formula is neutralised"
    assert rows[2][0] == "Bram; \"Dirk\"" and rows[2][3] == "fr" and rows[1][5] == "100" and rows[1][6] == "ja"
    assert "=HYPERLINK" in result and "<script" not in result


def test_csv_neutralises_every_formula_start():
    for start in ("=", "+", "-", "@", "\t"):
        assert quiz_records.inert(start + "1") == "'" + start + "1"
    assert quiz_records.inert("Anna") == "Anna"
