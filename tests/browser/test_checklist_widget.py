"""The annex-4 checklist in Chromium, served by nginx with the strict policy: static until touched,
then one module worker boots Pyodide and our wheel; results come from the core; state survives a
change of language; export, import and reset; a broken runtime leaves a usable page; every gate holds
in every state (static, loading, ready, error), in light and dark mode."""

from __future__ import annotations

import json
import time

import pytest

from aigov_widgets.core.tools import checklist as core
from aigov_widgets.core.ui.texts import widget_text
from tests.browser.helpers import new_context, tab_to, visit
from tests.conftest import LANGUAGES

pytestmark = pytest.mark.browser
WIDGET = "[data-aigov-widget=checklist]"
FIRST = 'input[name="done:identification.inventory"]'
ANNEX4 = core.load("annex4")


@pytest.fixture()
def context(browser):
    context = new_context(browser, accept_downloads=True)
    yield context
    context.close()


def state(page) -> str:
    return page.get_attribute(WIDGET, "data-aigov-state")


def wait_for_state(page, *wanted: str, timeout: float = 60) -> str:
    # Polling with evaluate: Playwright's wait_for_function needs eval, which the policy forbids.
    deadline = time.monotonic() + timeout
    while (current := state(page)) not in wanted:
        assert time.monotonic() < deadline, f"widget stayed {current!r}, wanted {wanted}"
        time.sleep(0.05)
    return current


def status(page) -> str:
    return page.text_content("[data-aigov-status]").strip()


def assert_gates(record, label: str) -> None:
    assert record.csp_violations() == [], label
    for scheme in ("light", "dark"):
        record.page.emulate_media(color_scheme=scheme)
        assert record.axe() == [], f"axe WCAG findings ({label}, {scheme})"


def record_status_changes(page) -> None:
    page.evaluate("""() => {
      window.__statusLog = [];
      const status = document.querySelector("[data-aigov-status]");
      new MutationObserver(() => window.__statusLog.push(status.textContent.trim()))
        .observe(status, {childList: true, characterData: true, subtree: true});
    }""")


def test_static_until_first_interaction_then_loading_ready_with_honest_stages(context, server):
    record = visit(context, server.url("nl/checklist.html"))
    page = record.page
    time.sleep(1)
    assert state(page) == "static"
    assert not [url for url in record.requests if "_runtime" in url or "worker" in url], "no surprise download"
    assert_gates(record, "static")
    record_status_changes(page)
    page.click(FIRST)
    assert wait_for_state(page, "loading", "ready") in ("loading", "ready")
    if state(page) == "loading":
        assert_gates(record, "loading")
    wait_for_state(page, "ready")
    assert page.is_checked(FIRST)
    log = page.evaluate("() => window.__statusLog")
    stages = [widget_text(key, "nl") for key in ("stage_download", "stage_start", "stage_logic", "stage_ready")]
    positions = [log.index(text) for text in stages]
    assert positions == sorted(positions), log
    runtime_requests = [url for url in record.requests if "_runtime" in url]
    assert any(url.endswith("pyodide.asm.wasm") for url in runtime_requests)
    assert sum(url.endswith("pyodide.asm.wasm") for url in runtime_requests) == 1, "the runtime is fetched once"
    assert sum("aigov-worker.mjs" in url for url in record.requests) == 1, "one worker per page"
    assert record.console_errors == []
    assert_gates(record, "ready")


def test_progress_is_computed_by_the_core_and_announced(context, server):
    page = visit(context, server.url("nl/checklist.html")).page
    section = ANNEX4.sections[0]
    for item in section.items:
        page.check(f'input[name="done:{item.id}"]')
    wait_for_state(page, "ready")
    total = len(ANNEX4.items)
    expected = widget_text("progress_overall", "nl").format(
        done=len(section.items), total=total, percent=round(100 * len(section.items) / total))
    deadline = time.monotonic() + 10
    while expected not in page.text_content(".aigov-result"):
        assert time.monotonic() < deadline, page.text_content(".aigov-result")
        time.sleep(0.05)
    assert page.get_attribute(".aigov-result progress", "value") == str(len(section.items))
    assert page.get_attribute(f"#aigov-annex4-s-{section.id}-progress progress", "value") == str(len(section.items))
    assert status(page) == expected


def test_state_survives_a_change_of_language_and_shows_its_progress_without_a_click(context, server):
    """Saved work is restored at once in any language, and its result (the progress) follows without a
    click: a page with saved work starts Python at load."""
    page = visit(context, server.url("nl/checklist.html")).page
    page.check(FIRST)
    page.click("#aigov-annex4 details.aigov-note summary")
    page.fill('textarea[name="note:identification.inventory"]', "Lijst bij de DPO <b>niet</b> vet")
    page.dispatch_event('textarea[name="note:identification.inventory"]', "change")
    for lang in ("fr", "en"):
        record = visit(context, server.url(f"{lang}/checklist.html"))
        assert record.page.is_checked(FIRST)
        assert record.page.input_value('textarea[name="note:identification.inventory"]') == "Lijst bij de DPO <b>niet</b> vet"
        wait_for_state(record.page, "ready")
        expected = widget_text("progress_overall", lang).format(done=1, total=19, percent=5)
        deadline = time.monotonic() + 30
        while expected not in record.page.text_content("#aigov-annex4-progress"):
            assert time.monotonic() < deadline, "the progress of the saved work"
            time.sleep(0.05)
        assert record.page.get_attribute("[data-aigov-result]", "data-aigov-result") == "incomplete"


def test_export_markdown_and_json_then_import_restores_everything(context, server, tmp_path):
    page = visit(context, server.url("en/checklist.html")).page
    page.check(FIRST)
    page.click("#aigov-annex4 details.aigov-note summary")
    page.fill('textarea[name="note:identification.inventory"]', "<img src=x onerror=alert(1)> kept as text")
    page.dispatch_event('textarea[name="note:identification.inventory"]', "change")
    wait_for_state(page, "ready")
    with page.expect_download() as markdown_download:
        page.click("button[data-aigov-action=export-markdown]")
    markdown = open(markdown_download.value.path(), encoding="utf-8").read()
    assert markdown.startswith(f"# {ANNEX4.title['en']}") and "- [x] 1.1" in markdown
    assert "<img" not in markdown and "&lt;img" in markdown, "user text is inert in the export"
    with page.expect_download() as json_download:
        page.click("button[data-aigov-action=export-json]")
    exported = json.loads(open(json_download.value.path(), encoding="utf-8").read())
    assert exported["format"] == "aigov-checklist-annex4"
    assert exported["state"]["items"]["identification.inventory"] == {
        "done": True, "note": "<img src=x onerror=alert(1)> kept as text"}

    page.uncheck(FIRST)
    page.set_input_files("input[data-aigov-action=import]", files=[
        {"name": "export.json", "mimeType": "application/json", "buffer": json.dumps(exported).encode()}])
    deadline = time.monotonic() + 10
    while not page.is_checked(FIRST):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert page.input_value('textarea[name="note:identification.inventory"]').startswith("<img src=x")
    assert page.locator("#aigov-annex4 img").count() == 0, "imported text never becomes markup"
    assert status(page) == widget_text("import_as_new", "en")
    library = json.loads(page.evaluate("() => localStorage.getItem('aigov.checklist.annex4.saved')"))
    assert len(library["entries"]) == 2, "an import is a new assessment; the unticked one is kept"
    assert library["entries"][0]["state"] == {"items": {"identification.inventory": {
        "done": False, "note": "<img src=x onerror=alert(1)> kept as text"}}}


@pytest.mark.parametrize("payload, message", [
    (b"{ this is not json", "import_not_json"),
    (json.dumps({"format": "something-else", "items": {}}).encode(), "import_foreign_tool"),
    (json.dumps({"format": "aigov-checklist-annex4", "version": 1,
                 "state": {"items": {"no.such.item": {"done": True}}}}).encode(), "import_invalid"),
    (b" " * 1_000_001, "import_too_large"),
])
def test_bad_import_gets_a_clear_message_and_destroys_nothing(context, server, payload, message):
    page = visit(context, server.url("fr/checklist.html")).page
    page.check(FIRST)
    wait_for_state(page, "ready")
    # The tick's own result first, so that it cannot arrive after the import's message and hide it.
    ticked = widget_text("progress_overall", "fr").format(done=1, total=19, percent=5)
    deadline = time.monotonic() + 30
    while status(page) != ticked:
        assert time.monotonic() < deadline, status(page)
        time.sleep(0.05)
    before = page.evaluate("() => localStorage.getItem('aigov.checklist.annex4.saved')")
    assert before is not None and "identification.inventory" in before
    page.set_input_files("input[data-aigov-action=import]", files=[
        {"name": "bad.json", "mimeType": "application/json", "buffer": payload}])
    deadline = time.monotonic() + 10
    while status(page) != widget_text(message, "fr"):
        assert time.monotonic() < deadline, status(page)
        time.sleep(0.05)
    assert page.is_checked(FIRST)
    assert page.evaluate("() => localStorage.getItem('aigov.checklist.annex4.saved')") == before


def test_reset_asks_for_confirmation(context, server):
    page = visit(context, server.url("nl/checklist.html")).page
    page.check(FIRST)
    wait_for_state(page, "ready")
    page.click("button[data-aigov-action=reset]")
    assert page.is_visible("dialog.aigov-confirm")
    page.click("dialog.aigov-confirm button[value=cancel]")
    assert page.is_checked(FIRST)
    page.click("button[data-aigov-action=reset]")
    page.click("dialog.aigov-confirm button[value=confirm]")
    deadline = time.monotonic() + 10
    while status(page) != widget_text("reset_done", "nl"):
        assert time.monotonic() < deadline, status(page)
        time.sleep(0.05)
    assert not page.is_checked(FIRST)
    saved = json.loads(page.evaluate("() => localStorage.getItem('aigov.checklist.annex4.saved')"))
    assert saved["entries"][0]["state"] == {"items": {}}
    # A reset can be undone.
    page.click("[data-aigov-undo]")
    deadline = time.monotonic() + 10
    while not page.is_checked(FIRST) or status(page) != widget_text("saved_undone", "nl"):
        assert time.monotonic() < deadline, "the undo"
        time.sleep(0.05)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_broken_runtime_gives_an_error_in_the_page_language_and_keeps_the_content(context, server, lang):
    context.route("**/_runtime/aigov/**", lambda route: route.fulfill(status=404, body="gone"))
    record = visit(context, server.url(f"{lang}/checklist.html"))
    page = record.page
    page.click(FIRST)
    wait_for_state(page, "error")
    assert status(page).startswith(widget_text("error_runtime", lang))
    for item in ANNEX4.items:
        assert page.is_visible(f'label[for="aigov-annex4-i-{item.id.replace(".", "-")}"]')
    unexpected = [text for text, url in zip(record.console_errors, record.console_error_urls)
                  if "/_runtime/aigov/" not in url]
    assert unexpected == [], "only the deliberately missing wheel may fail to load"
    assert_gates(record, "error")


def test_keyboard_only(context, server):
    page = visit(context, server.url("en/checklist.html")).page
    tab_to(page, "done:identification.inventory")
    page.keyboard.press("Space")
    assert page.is_checked(FIRST)
    wait_for_state(page, "ready")
    page.focus("button[data-aigov-action=reset]")
    page.keyboard.press("Enter")
    assert page.is_visible("dialog.aigov-confirm")
    assert page.evaluate("() => document.activeElement.value") == "cancel", "focus moves into the dialog"
    page.keyboard.press("Escape")
    assert not page.is_visible("dialog.aigov-confirm")
    assert page.is_checked(FIRST)


def test_checklist_is_readable_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("nl/checklist.html"))
        assert page.locator("#aigov-annex4 fieldset legend").count() == len(ANNEX4.sections)
        for item in ANNEX4.items:
            assert page.is_visible(f'label[for="aigov-annex4-i-{item.id.replace(".", "-")}"]')
        assert not page.is_visible("[data-aigov-actions]"), "buttons that need the runtime stay hidden"
        assert page.is_visible("#aigov-annex4 noscript, #aigov-annex4 .notice")
    finally:
        context.close()
