"""The AI-literacy quiz and the trainer's records page in Chromium under the strict policy: a quiz taken by
keyboard to the end gets the core's score and review, the learner's name stays inert, the attempt survives
a reload, a retake draws other questions, the record merges into the trainer's CSV, the gates hold in
every state, and the page reads without JavaScript (the seeded draw, without the answer key)."""

from __future__ import annotations

import json

import pytest

from aigov_widgets.core.tools import quiz
from aigov_widgets.core.ui.texts import widget_text
from tests.browser.helpers import gates, new_context, tab_to, visit, wait_until

pytestmark = pytest.mark.browser

CONFIG = "quiz-all_staff-10-end-70"
ROOT = f"#aigov-{CONFIG}"
NAME = '<img src=x onerror="document.title=1">Anna'







def drawn(page) -> tuple[int, list[str]]:
    seed = int(page.get_attribute(f"{ROOT} [data-aigov-seed]", "data-aigov-seed"))
    return seed, page.get_attribute(f"{ROOT} [data-aigov-seed]", "data-aigov-ids").split()


def tab_to_action(page, action: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"([a, root]) => document.activeElement.dataset?.aigovAction === a && "
                         f"document.querySelector(root).contains(document.activeElement)", [action, ROOT]):
            return
    raise AssertionError(f"Tab never reached the {action} button")


def test_a_quiz_taken_by_keyboard_to_the_end(context, server):
    record = visit(context, server.url("en/quizzes.html"))
    page = record.page
    assert page.locator("[data-aigov-widget=quiz]").count() == 3, "several quizzes on one page"
    gates(record, "static")
    seed, ids = drawn(page)
    assert seed == 2026 and ids == quiz.draw("all_staff", 10, 2026)

    # Every question: Tab into its group and Space on the first option shown (no mouse).
    page.focus("body")
    for qid in ids:
        tab_to(page, f"q:{qid}")
        page.keyboard.press("Space")
    tab_to(page, "quiz:name")
    page.keyboard.type(NAME)
    wait_until(lambda: widget_text("quiz_progress", "en").format(answered=10, total=10)
               in page.text_content(f"{ROOT}-progress"), what="the progress")
    gates(record, "answered")
    tab_to_action(page, "finish")
    page.keyboard.press("Enter")
    wait_until(lambda: page.locator(f"{ROOT}-result .aigov-quiz-score").count() == 1, what="the score")

    settings = quiz.parse_config(CONFIG)
    state = {"seed": seed, "ids": ids, "finished": True, "name": NAME, "checked": [],
             "answers": {qid: [quiz.option_order(quiz.bank()[qid], seed)[0]] for qid in ids}}
    counted = quiz.score(settings, state)
    assert page.text_content(f"{ROOT}-result .aigov-quiz-score").strip().endswith(
        quiz.score_sentence(settings, counted, "en"))
    mistakes = [qid for qid in ids if counted["per_question"][qid] < 100]
    assert page.locator(f"{ROOT}-result ol > li").count() == len(mistakes)
    assert page.locator(f"{ROOT}-result ol > li a[href*='.html']").count() == len(mistakes)
    assert page.locator(f"{ROOT} .aigov-quiz-review").count() == 10, "feedback under every question"
    assert page.locator(f"{ROOT} fieldset:disabled").count() == 10, "a finished attempt is locked"
    assert page.text_content(f"{ROOT}-result .aigov-certificate dd").strip() == NAME, "the name as text"
    assert page.locator(f"{ROOT} img").count() == 0 and page.title() != "1"
    assert page.text_content("[data-aigov-status]").strip() != ""
    gates(record, "finished")

    with page.expect_download() as waiting:
        page.click(f"{ROOT} button[data-aigov-action=export-json]")
    exported = json.loads(open(waiting.value.path(), encoding="utf-8").read())
    assert exported["format"] == "aigov-quiz-record" and exported["state"]["ids"] == ids
    assert exported["result"]["percent"] == counted["percent"] and exported["result"]["name"] == NAME

    # The attempt survives a reload: the score shows again without a click.
    record = visit(context, server.url("en/quizzes.html"))
    page = record.page
    wait_until(lambda: page.locator(f"{ROOT}-result .aigov-quiz-score").count() == 1, what="the saved attempt")
    assert page.input_value(f"{ROOT}-name") == NAME

    # A retake draws other questions, from the core.
    page.click(f"{ROOT} button[data-aigov-action=retake]")
    wait_until(lambda: drawn(page)[0] != seed, what="a new draw")
    new_seed, new_ids = drawn(page)
    assert new_ids == quiz.draw("all_staff", 10, new_seed)
    assert page.locator(f"{ROOT} fieldset:disabled").count() == 0
    assert page.get_attribute(f"{ROOT}-result", "data-aigov-result") == "empty"
    gates(record, "retake")

    # The new draw and an answer to it come back after a reload: the core renders that draw's questions.
    first = new_ids[0]
    page.locator(f"{ROOT} [data-aigov-question-id='{first}'] input").first.check()
    wait_until(lambda: "1 of 10" in page.text_content(f"{ROOT}-progress"), what="the answer to the new draw")
    record = visit(context, server.url("en/quizzes.html"))
    page = record.page
    wait_until(lambda: drawn(page)[0] == new_seed, what="the retake's draw after a reload")
    assert drawn(page)[1] == new_ids
    assert page.locator(f"{ROOT} [data-aigov-question-id='{first}'] input:checked").count() == 1
    assert record.console_errors == [] and record.csp_violations() == []

    # The trainer merges the record.
    path = waiting.value.path()
    record = visit(context, server.url("nl/training-records.html"))
    page = record.page
    with page.expect_download() as csv_download:
        page.set_input_files("input[data-aigov-records]", [str(path)])
    content = open(csv_download.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf\"Naam\";") and b"\r\n" in content
    assert NAME.replace('"', '""').encode() in content
    assert widget_text("records_summary", "nl").format(accepted=1, rejected=0) in page.text_content(
        "#aigov-quiz-records-result")
    assert page.locator("#aigov-quiz-records-result img").count() == 0
    gates(record, "records")


def test_immediate_feedback_by_check(context, server):
    record = visit(context, server.url("fr/quizzes.html"))
    page = record.page
    root = "#aigov-quiz-managers-10-immediate-70"
    first = page.locator(f"{root} [data-aigov-question-id]").first
    first.locator("input").first.check()
    page.click(f"{root} button[data-aigov-action=check]")
    wait_until(lambda: page.locator(f"{root} .aigov-quiz-review").count() == 1, what="the feedback")
    assert page.locator(f"{root} fieldset:disabled").count() == 1
    assert page.get_attribute(f"{root}-result", "data-aigov-result") == "incomplete"
    gates(record, "checked")


def test_the_quiz_reads_without_javascript(browser, server):
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("nl/quizzes.html"))
        assert page.locator(f"{ROOT} fieldset").count() == 10
        assert page.locator(f"{ROOT} legend").first.is_visible()
        text = page.text_content("main")
        for qid in quiz.draw("all_staff", 10, 2026):
            question = quiz.bank()[qid]
            assert question.text["nl"] in text
            assert question.explanation["nl"] not in text, "no explanation in the page"
            assert all(option.feedback["nl"] not in text for option in question.options), "no feedback"
        html = page.content()
        assert "weight" not in html
    finally:
        context.close()
