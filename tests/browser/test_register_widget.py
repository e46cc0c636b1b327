"""The register tool in Chromium under the strict policy: two systems added by keyboard, one classified in
place, its obligations and the 12-month overview from the engine; the CSV export; an import previewed in a
dialog, cancelled then confirmed; hostile text in every field shown as text; 390 px; the page gates."""

from __future__ import annotations

import json

import pytest

from aigov_widgets.core.law import references
from aigov_widgets.core.ui.texts import widget_text
from tests.browser.helpers import gates, new_context, ready, tab_to, visit, wait_until

pytestmark = pytest.mark.browser

PAYLOADS = ['<script>window.__xss=1</script>', '"><img src=x onerror="window.__xss=1">', "<svg onload=window.__xss=1>",
            "javascript:window.__xss=1", "<a href='javascript:alert(1)'>x</a>", "=HYPERLINK(\"http://x\")",
            "</textarea><b>bold</b>", "&lt;i&gt;entity&lt;/i&gt;"]


@pytest.fixture()
def context(browser):
    context = new_context(browser, accept_downloads=True)
    yield context
    context.close()


def systems(page) -> list[str]:
    return page.eval_on_selector_all(".aigov-register-systems tbody th", "cells => cells.map(c => c.textContent)")


def status(page) -> str:
    return page.text_content("[data-aigov-status]") or ""


def save(page) -> None:
    page.focus("[data-aigov-register=save-system]")
    page.keyboard.press("Enter")


def test_two_systems_by_keyboard_classified_with_obligations_overview_export_and_import(context, server, tmp_path):
    record = visit(context, server.url("en/register.html"))
    page = record.page
    ready(page)
    # the first system, typed and classified in the register's own form (the classifier's questions)
    tab_to(page, "sys:name")
    page.keyboard.type("CV screening")
    tab_to(page, "sys:purpose")
    page.keyboard.type("Ranks job applications")
    tab_to(page, "sys:department")
    page.keyboard.type("HR")
    tab_to(page, "q:art3.1")
    page.keyboard.press("Space")
    tab_to(page, "q:annexiii.4")
    page.keyboard.press("Space")
    wait_until(lambda: page.is_visible("[data-aigov-question='annexiii.4.a']"), what="the employment points")
    tab_to(page, "q:annexiii.4.a")
    page.keyboard.press("Space")
    wait_until(lambda: widget_text("tier_high_risk", "en") in page.text_content("#aigov-register-draft"),
               what="the draft's classification")
    save(page)
    wait_until(lambda: systems(page) == ["CV screening"], what="the first system")
    assert status(page) == widget_text("reg_saved", "en").format(name="CV screening")
    assert page.input_value("[name='sys:name']") == "", "the form is empty for the next system"
    # the second one, not an AI system
    tab_to(page, "sys:name")
    page.keyboard.type("Mail sorter")
    tab_to(page, "sys:purpose")
    page.keyboard.type("Routes letters")
    tab_to(page, "q:art3.1")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    save(page)
    wait_until(lambda: systems(page) == ["CV screening", "Mail sorter"], what="the second system")
    result = page.text_content("#aigov-register-result")
    assert widget_text("tier_high_risk", "en") in result and widget_text("tier_not_ai_system", "en") in result
    assert references.citation("art26.1", "en") in result, "the obligations per system"
    assert references.date_text(references.milestone_date("annex_iii_high_risk"), "en") in result
    assert page.locator(".aigov-register-overview tbody tr").count() > 3, "the 12-month overview"
    gates(record, "two systems")

    # sort and filter
    page.select_option("[name='view:tier']", "high_risk")
    wait_until(lambda: systems(page) == ["CV screening"], what="the filter")
    page.select_option("[name='view:tier']", "")
    wait_until(lambda: len(systems(page)) == 2, what="no filter")

    # CSV export
    with page.expect_download() as download:
        page.click("[data-aigov-action=export-csv]")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert content.startswith("aigov_id;name;") and "cv-screening;CV screening;" in content

    # an import with changes: preview, cancel (nothing changes), then confirm
    document = json.loads(page.input_value("[data-aigov-register-data]"))
    document["systems"][0]["department"] = "Personnel"
    document["systems"].append({"id": "new-one", "name": "New one", "purpose": "p", "status": "pilot",
                                "answers": {"art3.1": False}})
    file = tmp_path / "register.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    page.set_input_files("[data-aigov-register-import]", str(file))
    wait_until(lambda: page.is_visible("dialog[data-aigov-register-dialog]"), what="the preview dialog")
    preview = page.text_content("#aigov-register-preview")
    assert "New one" in preview and "department" in preview
    gates(record, "import preview")
    page.click("dialog[data-aigov-register-dialog] button[value=cancel]")
    wait_until(lambda: status(page) == widget_text("reg_import_cancelled", "en"), what="cancel")
    assert systems(page) == ["CV screening", "Mail sorter"]
    page.set_input_files("[data-aigov-register-import]", str(file))
    wait_until(lambda: page.is_visible("dialog[data-aigov-register-dialog]"), what="the preview dialog again")
    page.click("dialog[data-aigov-register-dialog] button[value=confirm]")
    wait_until(lambda: systems(page) == ["CV screening", "Mail sorter", "New one"], what="the import")
    assert status(page) == widget_text("reg_import_applied", "en")
    # the register is saved work: a reload shows it
    page.reload()
    ready(page)
    wait_until(lambda: systems(page) == ["CV screening", "Mail sorter", "New one"], what="the saved register")
    assert record.csp_violations() == [] and record.console_errors == []


def test_hostile_files_are_refused_and_change_nothing(context, server, tmp_path):
    record = visit(context, server.url("fr/register.html"))
    page = record.page
    ready(page)
    for name, text, key in (("a.json", "{nope", "import_not_json"),
                            ("b.json", json.dumps({"format": "aigov-classifier", "version": 1}), "reg_import_foreign"),
                            ("c.json", "[" * 200 + "]" * 200, "import_not_json"),
                            ("d.json", " " * 1_000_001, "import_too_large")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        page.set_input_files("[data-aigov-register-import]", str(path))
        wait_until(lambda: status(page) == widget_text(key, "fr"), what=key)
        assert not page.is_visible("dialog[data-aigov-register-dialog]")
    assert page.locator(".aigov-register-systems").count() == 0
    assert record.csp_violations() == [] and record.console_errors == []


def test_hostile_text_in_every_field_is_shown_as_text_at_390px(context, server):
    record = visit(context, server.url("nl/register.html"))
    page = record.page
    page.set_viewport_size({"width": 390, "height": 844})
    ready(page)
    for summary in page.query_selector_all("[data-aigov-form] details > summary"):
        summary.click()         # every part of the form: more fields, FRIA, approval, the institution
    names = page.eval_on_selector_all(
        "[data-aigov-form] input[type=text][name^='sys:'], [data-aigov-form] textarea[name^='sys:']",
        "fields => fields.map(f => f.name)")
    assert len(names) >= 35 and "sys:approval.opinions.dpo.name" in names and "sys:fria.harms" in names
    for index, name in enumerate(names):
        page.fill(f"[name='{name}']", PAYLOADS[index % len(PAYLOADS)])
    for index, name in enumerate(page.eval_on_selector_all("[data-aigov-form] input[type=text][name^='org:']",
                                                            "fields => fields.map(f => f.name)")):
        page.fill(f"[name='{name}']", PAYLOADS[(index + 1) % len(PAYLOADS)])
    page.fill("[name='sys:contact.email']", PAYLOADS[0])
    page.check("#aigov-classifier-q-art3-1-n")
    save(page)
    wait_until(lambda: "contact.email" in page.text_content("#aigov-register-errors"), what="the refusal")
    assert PAYLOADS[0] in page.text_content("#aigov-register-errors"), "the bad value is shown as text"
    page.fill("[name='sys:contact.email']", "")
    save(page)
    wait_until(lambda: systems(page) == [PAYLOADS[0]], what="the hostile system saved")
    body = page.text_content("#aigov-register-result")
    assert PAYLOADS[0] in body and PAYLOADS[names.index("sys:department") % len(PAYLOADS)] in body
    counts = page.evaluate("""() => ['#aigov-register-result', '#aigov-register-errors', '#aigov-register-heading']
        .map(s => document.querySelector(s).querySelectorAll('script, img, svg, b, a[href^=javascript]').length)""")
    assert counts == [0, 0, 0]
    assert page.evaluate("() => window.__xss") is None
    # every document filled with that text shows it as text
    for document_id in ("approval-file", "notice-affected", "fria"):
        page.click(f".aigov-register-documents [data-aigov-document={document_id}]")
        wait_until(lambda: page.evaluate("() => document.activeElement.id") == "aigov-register-document-title",
                   what=f"the document {document_id}")
        assert PAYLOADS[0] in page.text_content("#aigov-register-document")
        assert page.evaluate("""() => document.querySelector('#aigov-register-document')
            .querySelectorAll('script, img, svg, b, a[href^=javascript]').length""") == 0
    assert page.evaluate("() => window.__xss") is None
    # edit puts every text back in the form, unchanged
    page.click(".aigov-register-systems [data-aigov-register=edit]")
    wait_until(lambda: page.input_value("[name='sys:name']") == PAYLOADS[0], what="edit")
    assert page.input_value("[name='org:name']") == PAYLOADS[1]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + getComputedStyle(e).minWidth + ' ' + getComputedStyle(e).display + ' ' + getComputedStyle(e).gridTemplateColumns + ' ' + e.parentElement.getBoundingClientRect().width)""")
    gates(record, "390 px with hostile text")
    # a removal can be undone
    page.click(".aigov-register-systems [data-aigov-register=remove]")
    wait_until(lambda: page.locator(".aigov-register-systems").count() == 0, what="the removal")
    page.click("[data-aigov-undo]")
    wait_until(lambda: systems(page) == [PAYLOADS[0]], what="the undo")


FULL = json.loads((__import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "register" / "full.json")
                  .read_text(encoding="utf-8"))


def import_file(page, tmp_path, document: dict, button: str, name: str = "r.json") -> None:
    file = tmp_path / name
    file.write_text(json.dumps(document), encoding="utf-8")
    page.set_input_files("[data-aigov-register-import]", str(file))
    wait_until(lambda: page.is_visible("dialog[data-aigov-register-dialog]"), what="the preview dialog")
    page.click(f"dialog[data-aigov-register-dialog] button[value={button}]")


def test_approval_flag_documents_print_alone_and_merge(context, server, tmp_path):
    record = visit(context, server.url("en/register.html"))
    page = record.page
    ready(page)
    document = json.loads(json.dumps(FULL))
    first = document["systems"][0]
    first["approval"] = {"decision": "approved", "date": "2026-10-01", "approved_use": {
        "purpose": "An earlier purpose", "answers": first["answers"], "context": first["context"],
        "tier": "high_risk", "rules": "test"}}
    document["organisation"]["dpo"] = "Dana Peeters, dpo@example.brussels"
    import_file(page, tmp_path, document, "confirm")
    wait_until(lambda: len(systems(page)) == len(FULL["systems"]), what="the import")
    row = page.locator(".aigov-register-systems tbody tr", has_text=first["name"]).text_content()
    assert widget_text("reg_approval_changed", "en") in row and widget_text("doc_changed_purpose", "en") in row
    assert page.input_value("[name='org:dpo']") == "Dana Peeters, dpo@example.brussels", "the institution's fields"

    # a document filled for the system: focus on its title, then saved as Markdown
    section = page.locator("section.aigov-register-system", has=page.locator(f"h4:text-is('{first['name']}')"))
    section.locator("[data-aigov-document=approval-file]").click()
    wait_until(lambda: page.evaluate("() => document.activeElement.id") == "aigov-register-document-title",
               what="the approval file")
    text = page.text_content("#aigov-register-document")
    assert first["name"] in text and "Changed since the approval" in text and widget_text("doc_changed_purpose", "en") in text
    gates(record, "a document shown")
    with page.expect_download() as download:
        page.click("#aigov-register-document [data-aigov-register=document-md]")
    content = open(download.value.path(), encoding="utf-8").read()
    assert content.startswith("# Approval file") and first["name"] in content

    # printed alone: the rest of the page is left off the paper, and comes back afterwards
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.click("#aigov-register-document [data-aigov-print-document]")
    assert page.evaluate("() => window.__printed") is True
    page.emulate_media(media="print")
    assert page.is_visible("#aigov-register-document h2") and not page.is_visible("#aigov-register-result")
    assert not page.is_visible("header") and not page.is_visible("[name='sys:name']")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.is_visible("#aigov-register-result")
    assert page.evaluate("() => document.querySelectorAll('[data-aigov-print-path]').length") == 0

    # a merge adds the file's new system, replaces the one with its id, and removes none
    incoming = {"format": "aigov-register", "version": 1, "organisation": {"name": "Someone else"},
                "systems": [{**FULL["systems"][1], "purpose": "Changed by the merge"},
                            {"id": "merged", "name": "Merged one", "purpose": "p", "status": "pilot",
                             "answers": {"art3.1": False}}]}
    import_file(page, tmp_path, incoming, "merge", "m.json")
    wait_until(lambda: "Merged one" in systems(page), what="the merge")
    assert len(systems(page)) == len(FULL["systems"]) + 1
    assert status(page) == widget_text("reg_import_merged", "en")
    saved = json.loads(page.input_value("[data-aigov-register-data]"))
    assert saved["organisation"]["name"] == FULL["organisation"]["name"], "the institution keeps its name"
    # the merge can be undone
    page.click("[data-aigov-undo]")
    wait_until(lambda: "Merged one" not in systems(page), what="the undo")
    assert record.csp_violations() == [] and record.console_errors == []


def test_a_saved_register_that_no_longer_validates_is_set_aside(context, server):
    record = visit(context, server.url("fr/register.html"))
    page = record.page
    ready(page)
    storage = page.get_attribute("[data-aigov-widget]", "data-aigov-storage")
    bad = {"register": {"format": "aigov-register", "version": 1, "organisation": {"name": "O"},
                        "systems": [{"id": "a", "name": "A", "purpose": "p", "status": "withdrawn",
                                     "answers": {"art3.1": False}}]}}
    library = {"version": 1, "current": "x", "entries": [
        {"id": "x", "name": "Ancien registre", "state": bad, "updated": "2026-01-01", "rules": "old"}]}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [f"{storage}.saved", json.dumps(library)])
    page.reload()
    ready(page)
    page.focus("[name='sys:name']")        # the first interaction evaluates the saved register
    wait_until(lambda: page.text_content("[data-aigov-notice]") == widget_text("storage_bad", "fr"),
               what="the notice")
    kept = page.evaluate("(key) => localStorage.getItem(key)", f"{storage}.set-aside")
    assert "withdrawn" in kept and "Ancien registre" in kept, "set aside whole, never lost"
    assert "withdrawn" not in (page.evaluate("(key) => localStorage.getItem(key)", f"{storage}.saved") or "")
    assert page.input_value("[data-aigov-register-data]") == ""
    assert record.csp_violations() == [] and record.console_errors == []
