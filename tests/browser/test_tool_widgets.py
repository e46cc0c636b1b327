"""The risk classifier, role finder and obligations timeline in Chromium under the strict policy:
results come from the engine in the worker, links carry answers in the fragment, questions that no
longer matter disappear, gates hold in every state, and the forms read without JavaScript."""

from __future__ import annotations

import json
import time

import pytest

from aigov_widgets.core.law import questionnaire, references
from aigov_widgets.core.tools import classifier
from aigov_widgets.core.ui.texts import widget_text
from tests.browser.helpers import gates, new_context, ready, tab_to, visit, wait_until

pytestmark = pytest.mark.browser









def go_to_step(page, section: str) -> None:
    """Open a step of the guided flow from the list of steps (any order)."""
    if not page.is_visible(f"[data-aigov-section='{section}']"):
        if not page.is_visible("[data-aigov-step-list]"):
            page.click(".aigov-step-list summary")
        page.locator("[data-aigov-step-list] button").filter(
            has_text=page.text_content(f"[data-aigov-section='{section}'] > legend").strip()).first.click()


def hidden_questions(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('[data-aigov-question]')].filter(q => q.hidden).length")


def complete_link(answers: dict, context: str = "role=deployer&public_body=y") -> str:
    """A share link stating every question that matters (the unlisted ones "no"), as the tool writes it."""
    state = questionnaire.prune(classifier.fill_open(answers, value=False))
    codes = {True: "y", False: "n", "unsure": "u"}
    return "#aigov-classifier:" + "&".join(f"{key}={codes[value]}" for key, value in state.items()) + "&" + context


def test_classifier_link_shows_the_engines_result_without_a_click(context, server):
    """On a tool page Python starts when the page is idle: a link (or saved work) shows its result at once."""
    fragment = complete_link({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True, "art6.3.profiling": True})
    record = visit(context, server.url("nl/classifier.html" + fragment))
    page = record.page
    assert page.is_checked("#aigov-classifier-q-annexiii-4-a-y"), "the link prefills the form"
    ready(page)
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") == "complete",
               what="the result without a click")
    assert page.text_content(".aigov-tier").endswith(widget_text("tier_high_risk", "nl"))
    result = page.text_content(".aigov-result")
    assert references.citation("annexiii.4.a", "nl") in result
    assert references.milestone_text("annex_iii_high_risk", "nl") in result, "dates come from the law data"
    assert page.locator(".aigov-result a[href*='eur-lex.europa.eu/legal-content/NL/']").count() > 3
    gates(record, "ready")


def test_answers_in_any_order_never_give_an_early_verdict(context, server):
    """HR answers "recruitment?" first: no crash, no tier as if final; the range and the open questions."""
    record = visit(context, server.url("en/classifier.html"))
    page = record.page
    ready(page)
    go_to_step(page, "annex_iii")
    page.check("#aigov-classifier-q-annexiii-4-y")
    page.check("#aigov-classifier-q-annexiii-4-a-y")
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") == "incomplete",
               what="an incomplete result")
    assert page.locator("[data-aigov-tier=open]").count() == 1
    status = page.text_content("[data-aigov-status]")
    assert status.startswith(widget_text("announce_incomplete", "en")), status
    assert page.locator(".aigov-open li a").count() >= 1
    go_to_step(page, "definition")
    page.check("#aigov-classifier-q-art3-1-u")
    wait_until(lambda: "Not sure" in page.text_content("body") and
               page.get_attribute("[data-aigov-result]", "data-aigov-result") == "incomplete", what="still open")
    gates(record, "incomplete")


@pytest.mark.parametrize("fragment", ["#%", "#aigov-classifier:art3.1=y&note=100%", "#aigov-classifier:nope=y"])
def test_a_malformed_link_is_set_aside_and_the_tool_works(context, server, fragment):
    record = visit(context, server.url("fr/classifier.html" + fragment))
    page = record.page
    if fragment.startswith("#aigov"):
        assert page.text_content("[data-aigov-notice]") == widget_text("link_bad", "fr")
    page.check("#aigov-classifier-q-art3-1-n")
    ready(page)
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") == "complete", what="a result")
    assert page.text_content(".aigov-tier").endswith(widget_text("tier_not_ai_system", "fr"))
    assert record.console_errors == [] and record.csp_violations() == []


@pytest.mark.parametrize("path, stored, answer", [
    ("nl/obligations.html", "1", "#aigov-obligations-tier-limited_risk"),
    ("en/classifier.html", '{"context": 5}', "#aigov-classifier-q-art3-1-n"),
    ("en/classifier.html", "{not json", "#aigov-classifier-q-art3-1-n"),
    ("fr/role-finder.html", '{"answers": [1, 2]}', "#aigov-roles-q-art3-4-y"),
])
def test_corrupt_storage_never_disables_a_tool(context, server, path, stored, answer):
    page = visit(context, server.url(path)).page
    key = page.get_attribute("[data-aigov-widget]", "data-aigov-storage")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, stored])
    record = visit(context, server.url(path))
    page = record.page
    assert page.is_visible("button[data-aigov-action=reset]"), "reset stays reachable"
    if stored in ("1", "{not json"):
        assert page.is_visible("[data-aigov-notice]"), "the reader is told"
    ready(page)
    page.check(answer)
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") != "empty", what="a result")
    assert page.get_attribute("[data-aigov-result]", "data-aigov-result") != "error"
    assert record.console_errors == [] and record.csp_violations() == []


def test_classifier_hides_what_no_longer_matters_and_shares_a_link(context, server):
    record = visit(context, server.url("en/classifier.html"))
    page = record.page
    assert hidden_questions(page) == 0, "without answers every question shows"
    page.check("#aigov-classifier-q-art3-1-n")
    ready(page)
    wait_until(lambda: hidden_questions(page) == len(questionnaire.question_ids()) - 1, what="questions to hide")
    assert page.text_content(".aigov-tier").endswith(widget_text("tier_not_ai_system", "en"))
    page.check("#aigov-classifier-q-art3-1-y")
    expected_hidden = len(questionnaire.question_ids()) - len(questionnaire.visible_questions({"art3.1": True}))
    wait_until(lambda: hidden_questions(page) == expected_hidden, what="questions to come back")
    go_to_step(page, "prohibited")
    page.check("#aigov-classifier-q-art5-1-f-u")
    page.click("button[data-aigov-action=link]")
    wait_until(lambda: page.input_value("[data-aigov-link]") != "", what="the link")
    link = page.input_value("[data-aigov-link]")
    assert "#aigov-classifier:" in link and "art5.1.f=u" in link and page.url == link
    with page.expect_download() as download:
        page.click("button[data-aigov-action=export-json]")
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["state"]["answers"]["art5.1.f"] == "unsure"
    assert exported["result"]["provisional"] is True and "art5.1.f" in exported["result"]["open_questions"]
    assert exported["result"]["tier"] == "prohibited", "unsure takes the most protective plausible tier"
    assert record.csp_violations() == [] and record.console_errors == []


def test_classifier_by_keyboard_alone(context, server):
    page = visit(context, server.url("fr/classifier.html")).page
    tab_to(page, "q:art3.1")
    page.keyboard.press("Space")
    ready(page)
    assert page.evaluate("() => document.activeElement.name") == "q:art3.1"
    page.keyboard.press("ArrowRight")  # radio group: the arrow moves the choice to "Non"
    wait_until(lambda: page.locator(".aigov-tier").count() == 1
               and page.text_content(".aigov-tier").endswith(widget_text("tier_not_ai_system", "fr")),
               what="the keyboard answer")


def test_role_finder_names_the_roles_and_links_to_the_classifier(context, server):
    record = visit(context, server.url("en/role-finder.html"))
    page = record.page
    page.check("#aigov-roles-q-art3-4-y")
    ready(page)
    wait_until(lambda: page.locator("[data-aigov-role=deployer]").count() == 1, what="the deployer role")
    link = page.get_attribute("[data-aigov-role=deployer] a[href^='classifier.html']", "href")
    assert link == "classifier.html#aigov-classifier:role=deployer"
    gates(record, "role finder, ready")


def test_obligations_on_a_date_follow_the_law_data(context, server):
    record = visit(context, server.url("nl/obligations.html"))
    page = record.page
    page.select_option("#aigov-obligations-route", "annexiii.4.a")
    ready(page)
    page.fill("#aigov-obligations-date", "2028-01-10")
    page.dispatch_event("#aigov-obligations-date", "change")
    heading = widget_text("obligations_now", "nl").format(date=references.date_text("2028-01-10", "nl"))
    wait_until(lambda: heading in page.text_content(".aigov-result"), what="the date's duties")
    assert references.citation("art26.6", "nl") in page.text_content(".aigov-result")
    page.check("#aigov-obligations-tier-limited_risk")
    wait_until(lambda: page.is_hidden("[data-aigov-question=route]"), what="the route to hide")
    gates(record, "obligations, ready")


@pytest.mark.parametrize("path", ["nl/classifier.html", "fr/role-finder.html", "en/obligations.html"])
def test_tools_read_without_javascript(browser, server, path):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url(path))
        assert page.locator("[data-aigov-widget] fieldset").count() > 1
        assert page.locator("[data-aigov-widget] [data-aigov-question]:visible").count() >= 1
        assert not page.is_visible("[data-aigov-actions]")
    finally:
        context.close()


def test_hr_example_opens_the_classifier_prefilled_with_its_answers(context, server):
    record = visit(context, server.url("fr/hr-use-cases.html"))
    page = record.page
    links = page.locator(".aigov-classification a[href^='classifier.html#aigov-classifier:']")
    assert links.count() == 31
    first = links.nth(0)
    if not first.is_visible():   # the classification may be folded in a dropdown
        page.locator("details", has=first).first.locator("summary").click()
    with page.expect_navigation():
        first.click()
    assert page.url.split("/")[-1].startswith("classifier.html")
    assert page.is_checked("#aigov-classifier-q-annexiii-4-a-y")
    assert page.text_content("[data-aigov-notice]") == widget_text("saved_opened", "fr")


def test_cv_screening_on_a_phone_step_by_step(browser, server):
    """An HR officer classifies a CV-screening tool on a 390 px phone: one step at a time, "none of these
    applies" for the steps that do not concern it, the running result above the step, about a dozen taps."""
    context = new_context(browser, viewport={"width": 390, "height": 844})
    try:
        record = visit(context, server.url("en/classifier.html"))
        page = record.page
        ready(page)
        label = lambda: page.text_content("[data-aigov-step-label]")  # noqa: E731
        assert label().startswith("Step 1 of ")
        taps = 0

        def tap(selector: str, check: bool = False) -> None:
            nonlocal taps
            taps += 1
            (page.check if check else page.click)(selector)

        tap("#aigov-classifier-q-art3-1-y", check=True)
        tap("[data-aigov-step=next]")
        assert page.evaluate("() => document.activeElement.dataset.aigovSection") == "scope", "focus follows"
        tap("[data-aigov-step=none]")
        for _ in range(2):   # prohibited practices, products: none applies
            tap("[data-aigov-step=next]")
            tap("[data-aigov-step=none]")
        tap("[data-aigov-step=next]")
        assert "Annex III" in label()
        tap("#aigov-classifier-q-annexiii-4-y", check=True)
        tap("#aigov-classifier-q-annexiii-4-a-y", check=True)
        tap("[data-aigov-step=none]")
        # The remaining steps (derogation, transparency, …): none applies, until nothing is open.
        while page.get_attribute("[data-aigov-result]", "data-aigov-result") != "complete" and taps < 24:
            tap("[data-aigov-step=next]")
            if page.is_visible("[data-aigov-step=none]"):
                tap("[data-aigov-step=none]")
            time.sleep(0.3)
        wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") == "complete",
                   what="a complete result")
        assert page.text_content(".aigov-tier").endswith(widget_text("tier_high_risk", "en"))
        assert widget_text("tier_high_risk", "en") in page.text_content("[data-aigov-summary]")
        assert taps <= 20, taps
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        # One step on screen; every step on paper.
        shown = page.evaluate("() => [...document.querySelectorAll('[data-aigov-section]')]"
                              ".filter(s => getComputedStyle(s).display !== 'none').length")
        assert shown == 1
        page.emulate_media(media="print")
        shown = page.evaluate("() => [...document.querySelectorAll('[data-aigov-section]')]"
                              ".filter(s => getComputedStyle(s).display !== 'none').length")
        assert shown == page.locator("[data-aigov-section]").count()
        page.emulate_media(media="screen")
        before = label()
        page.click("[data-aigov-step=prev]")
        assert label() != before
        gates(record, "guided flow, phone")
    finally:
        context.close()


def test_steps_in_any_order_from_the_list(context, server):
    record = visit(context, server.url("nl/classifier.html"))
    page = record.page
    ready(page)
    page.click(".aigov-step-list summary")
    page.locator("[data-aigov-step-list] button").nth(4).click()
    assert page.text_content("[data-aigov-step-label]").startswith("Stap 5 van ")
    assert page.locator("[data-aigov-step-list] button[aria-current=step]").count() == 1


def saved_library(page) -> dict:
    key = page.get_attribute("[data-aigov-widget]", "data-aigov-storage") + ".saved"
    return json.loads(page.evaluate("(key) => localStorage.getItem(key)", key) or "null")


def test_a_link_opens_as_a_new_assessment_and_never_over_the_readers_own(context, server):
    record = visit(context, server.url("en/classifier.html"))
    page = record.page
    ready(page)
    page.check("#aigov-classifier-q-art3-1-n")
    wait_until(lambda: saved_library(page) is not None, what="saved work")
    own = saved_library(page)
    assert len(own["entries"]) == 1 and own["entries"][0]["state"]["answers"] == {"art3.1": False}
    # An HR example's link: a new assessment; the reader's own stays as it was.
    fragment = complete_link({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True})
    page = visit(context, server.url("en/classifier.html" + fragment)).page
    assert page.text_content("[data-aigov-notice]") == widget_text("saved_opened", "en")
    assert "#" not in page.url, "the link is taken in: a reload does not add it again"
    ready(page)
    page.check("#aigov-classifier-q-art3-1-u")   # a change to the linked assessment
    wait_until(lambda: saved_library(page)["entries"][-1]["state"]["answers"].get("art3.1") == "unsure",
               what="the linked assessment to save")
    library = saved_library(page)
    assert len(library["entries"]) == 2
    assert library["entries"][0]["state"]["answers"] == {"art3.1": False}, "the reader's own is untouched"
    # Back to the first assessment from the list: its answers and its result, no click needed.
    page.select_option("[data-aigov-saved-select]", library["entries"][0]["id"])
    wait_until(lambda: page.is_checked("#aigov-classifier-q-art3-1-n"), what="the first assessment")
    wait_until(lambda: page.text_content(".aigov-tier").endswith(widget_text("tier_not_ai_system", "en")),
               what="its result")
    # Rename, duplicate, delete and undo.
    page.fill("[data-aigov-saved-name]", "CV screening <script>x</script>")
    page.dispatch_event("[data-aigov-saved-name]", "change")
    wait_until(lambda: saved_library(page)["entries"][0]["name"] == "CV screening <script>x</script>", what="rename")
    assert page.locator("[data-aigov-saved-select] option").first.text_content().startswith("CV screening <script>")
    page.click("[data-aigov-saved-action=duplicate]")
    wait_until(lambda: len(saved_library(page)["entries"]) == 3, what="duplicate")
    page.click("[data-aigov-saved-action=delete]")
    wait_until(lambda: len(saved_library(page)["entries"]) == 2, what="delete")
    page.click("[data-aigov-undo]")
    wait_until(lambda: len(saved_library(page)["entries"]) == 3, what="undo")
    assert record.console_errors == [] and record.csp_violations() == []


def test_an_older_single_saved_state_becomes_the_first_assessment(context, server):
    page = visit(context, server.url("fr/role-finder.html")).page
    page.evaluate("() => localStorage.setItem('aigov.roles.roles', JSON.stringify({answers: {'art3.4': true}}))")
    page = visit(context, server.url("fr/role-finder.html")).page
    assert page.is_checked("#aigov-roles-q-art3-4-y")
    library = saved_library(page)
    assert library["entries"][0]["state"] == {"answers": {"art3.4": True}}
    assert page.evaluate("() => localStorage.getItem('aigov.roles.roles')") is None
    ready(page)   # saved work: Python starts at load and the result shows without a click
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") != "empty", what="a result")


def test_share_link_copy_and_print_with_the_result_first(context, server):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    record = visit(context, server.url("en/classifier.html"))
    page = record.page
    ready(page)
    page.check("#aigov-classifier-q-art3-1-n")
    wait_until(lambda: page.get_attribute("[data-aigov-result]", "data-aigov-result") == "complete", what="a result")
    page.click("button[data-aigov-action=link]")
    wait_until(lambda: page.input_value("[data-aigov-link]") != "", what="the link")
    page.click("[data-aigov-copy]")
    wait_until(lambda: page.text_content("[data-aigov-status]") == widget_text("link_copied", "en"), what="copied")
    page.emulate_media(media="print")
    order = page.evaluate("() => getComputedStyle(document.querySelector('.aigov-widget > .aigov-result')).order")
    assert order == "-1", "the result prints first"
    assert not page.is_visible("[data-aigov-saved]")
    page.emulate_media(media="screen")
    assert record.console_errors == [] and record.csp_violations() == []


def test_running_result_beside_the_article_on_wide_screens_and_above_the_step_on_phones(browser, server):
    context = new_context(browser, viewport={"width": 1440, "height": 900})
    try:
        record = visit(context, server.url("fr/role-finder.html"))
        page = record.page
        inside_aside = "() => !!document.querySelector('[data-aigov-aside] [data-aigov-summary]')"
        assert page.evaluate(inside_aside), "wide: in the column beside the article"
        ready(page)
        page.check("#aigov-roles-q-art3-4-y")
        wait_until(lambda: page.text_content("[data-aigov-aside] [data-aigov-summary]").strip() != "",
                   what="the running result beside the article")
        page.set_viewport_size({"width": 390, "height": 844})
        wait_until(lambda: not page.evaluate(inside_aside), what="the summary back in the tool")
        assert page.is_visible("[data-aigov-widget] [data-aigov-summary]")
        bar = page.locator("[data-aigov-widget] [data-aigov-steps]")
        assert bar.locator(".aigov-contents-link").is_visible(), "one bar: the contents and the result"
        assert page.evaluate("() => getComputedStyle(document.querySelector('.aigov-guide')).position") == "sticky"
        gates(record, "running result, phone")
    finally:
        context.close()


def test_work_saved_under_earlier_rules_is_kept_when_saved_again(context, server):
    page = visit(context, server.url("en/classifier.html")).page
    old = {"version": 1, "current": "a1", "entries": [
        {"id": "a1", "name": "Old", "rules": "1.0.0", "updated": "2026-01-01",
         "state": {"answers": {"art3.1": True}, "context": {"role": "deployer", "public_body": True}}}]}
    page.evaluate("(v) => localStorage.setItem('aigov.classifier.classifier.saved', JSON.stringify(v))", old)
    page = visit(context, server.url("en/classifier.html")).page
    assert page.is_checked("#aigov-classifier-q-art3-1-y"), "an older state loads"
    ready(page)
    page.click("[data-aigov-step=next]")
    page.click("[data-aigov-step=none]")
    wait_until(lambda: saved_library(page)["entries"][0].get("previous") is not None, what="the older state kept")
    entry = saved_library(page)["entries"][0]
    assert entry["previous"] == {"rules": "1.0.0", "state": old["entries"][0]["state"]}
    assert entry["rules"] == references.rules_version() != "1.0.0"


def test_a_garbled_webassembly_file_ends_in_the_error_state(browser, server):
    """pyodide.asm.wasm served garbled (or with the wrong type): the error state, in the page's language, with
    the form still usable; the technical detail goes to the console, not into the Dutch text."""
    context = new_context(browser)
    try:
        context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(
            status=200, body=b"<html>not wasm</html>", headers={"Content-Type": "text/html"}))
        record = visit(context, server.url("nl/classifier.html"))
        page = record.page
        wait_until(lambda: page.get_attribute("[data-aigov-widget]", "data-aigov-state") == "error",
                   timeout=120, what="the error state")
        # Pyodide may reject at once or hang on a broken module: then the boot timeout speaks.
        assert page.text_content("[data-aigov-status]") in (widget_text("error_runtime", "nl"),
                                                            widget_text("error_timeout", "nl"))
        page.check("#aigov-classifier-q-art3-1-y")
        assert page.is_checked("#aigov-classifier-q-art3-1-y"), "the static form stays usable"
    finally:
        context.close()


def test_a_start_that_never_ends_times_out(browser, server):
    """The runtime's download hangs: after the boot timeout the page says so (about a minute)."""
    context = new_context(browser)
    try:
        context.route("**/python_stdlib.zip", lambda route: None)   # never answered
        record = visit(context, server.url("en/role-finder.html"))
        page = record.page
        wait_until(lambda: page.get_attribute("[data-aigov-widget]", "data-aigov-state") == "error",
                   timeout=120, what="the timeout")
        assert page.text_content("[data-aigov-status]") == widget_text("error_timeout", "en")
    finally:
        context.close()
