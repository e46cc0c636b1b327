"""The checklist core in CPython: its data, its results, its exports and imports, its HTML."""

from __future__ import annotations

import json
import re

import pytest

from aigov_widgets.core.tools import checklist
from aigov_widgets.core.law import references
from aigov_widgets.core import runtime
from aigov_widgets.core.ui.frame import MAX_IMPORT_CHARS
from aigov_widgets.core.ui.texts import widget_text, widget_text_keys
from tests.conftest import LANGUAGES
from tests.gates import _Collector

ANNEX4 = checklist.load("annex4")
RUNTIME = {"pyodide": "../_runtime/pyodide/1/", "wheel": "../_runtime/w.whl", "worker": "_static/w.mjs"}


def test_the_guides_seven_sections_with_unique_language_independent_ids():
    assert len(ANNEX4.sections) == 7
    ids = [item.id for item in ANNEX4.items]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", item_id) for item_id in ids)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_exists_in_every_language_and_every_reference_resolves(lang):
    for section in ANNEX4.sections:
        assert section.title[lang]
        for item in section.items:
            text = checklist.localize(item.text[lang], lang)
            assert text and "{" not in text
            if item.help:
                assert "{" not in checklist.localize(item.help[lang], lang)
            for provision_id in item.provisions:
                ref = references.provision(provision_id, lang)
                assert ref["url"].startswith("https://eur-lex.europa.eu/legal-content/" + lang.upper())
    for key in widget_text_keys():
        assert widget_text(key, lang)


def test_dates_in_texts_come_from_the_law_data():
    text = checklist.localize(ANNEX4.items[3].text["en"], "en")
    assert references.milestone_text("chapters_i_ii", "en") in text
    high_risk = next(item for item in ANNEX4.items if item.id == "classification.high_risk")
    assert references.milestone_text("annex_iii_high_risk", "nl") in checklist.localize(high_risk.text["nl"], "nl")


def test_emotion_recognition_is_corrected_against_the_2025_source():
    prohibited = next(item for item in ANNEX4.items if item.id == "classification.prohibited")
    assert "art5.1.f" in prohibited.provisions
    assert "medische of veiligheidsredenen" in prohibited.text["nl"]


def test_progress_counts_per_section_and_overall():
    state = {"items": {item.id: {"done": True, "note": ""} for item in ANNEX4.sections[1].items}}
    counted = checklist.progress(ANNEX4, state)
    assert counted["sections"][ANNEX4.sections[1].id] == (len(ANNEX4.sections[1].items),) * 2
    assert counted["sections"][ANNEX4.sections[0].id] == (0, len(ANNEX4.sections[0].items))
    assert counted["overall"] == (len(ANNEX4.sections[1].items), len(ANNEX4.items))


def ask(action: str, **fields) -> dict:
    return json.loads(runtime.handle(json.dumps(
        {"widget": "checklist", "config": "annex4", "lang": "en", "today": "2026-11-28", "action": action, **fields})))


def test_import_accepts_its_own_export_and_rejects_the_rest():
    state = {"items": {"identification.inventory": {"done": True, "note": "<b>x</b>"}}}
    exported = ask("export-json", state=state)["download"]["content"]
    assert ask("import", text=exported)["state"] == state
    assert ask("import", text="{")["error"] == "import_not_json"
    assert ask("import", text="[1]")["error"] == "import_foreign_tool"
    assert ask("import", text=json.dumps({"format": "aigov-checklist-other", "version": 1}))["error"] == "import_foreign_tool"
    bad_items = json.loads(exported)
    bad_items["state"]["items"]["identification.inventory"]["done"] = "yes"
    assert ask("import", text=json.dumps(bad_items))["error"] == "import_invalid"
    newer = json.loads(exported) | {"version": ANNEX4.version + 1}
    assert ask("import", text=json.dumps(newer))["error"] == "import_invalid"
    assert ask("import", text=" " * (MAX_IMPORT_CHARS + 1))["error"] == "import_too_large"
    assert ask("import", text="{")["message"] == widget_text("import_not_json", "en")


def test_markdown_export_keeps_user_text_inert():
    note = "<script>x</script> [a](http://e.x) *b* (zie bijlage 2)\n# kop\n1. punt"
    state = {"items": {"identification.inventory": {"done": True, "note": note}}}
    markdown = checklist.export_markdown(ANNEX4, state, "fr", "2026-11-28")
    assert "<script>" not in markdown and not re.search(r"(?<!\\)\]\(", markdown), "no link"
    assert "\\*b\\*" in markdown and "> \\# kop" in markdown and "> 1\\. punt" in markdown
    assert "(zie bijlage 2)" in markdown, "ordinary parentheses are not escaped"
    assert "- [x] 1.1" in markdown and "28 novembre 2026" in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_static_html_is_a_semantic_form_without_inline_code_or_style(lang):
    html = checklist.render_static("annex4", lang, RUNTIME)
    collector = _Collector()
    collector.feed(html)
    facts = collector.facts
    assert facts.inline_scripts == [] and facts.handlers == [] and facts.style_attributes == []
    assert facts.style_elements == 0 and facts.foreign_fetches == []
    assert html.count("<fieldset") == len(ANNEX4.sections) and html.count("<legend>") == len(ANNEX4.sections)
    for item in ANNEX4.items:
        ident = "aigov-annex4-i-" + item.id.replace(".", "-")
        assert f'id="{ident}"' in html and f'<label for="{ident}">' in html
    assert 'data-aigov-state="static"' in html and 'data-aigov-widget="checklist"' in html


def test_the_runtime_entry_point_reports_failures_as_data():
    answer = json.loads(runtime.handle(json.dumps({"widget": "nope"})))
    assert answer["error"] == "evaluation"
    answer = json.loads(runtime.handle(json.dumps(
        {"widget": "checklist", "config": "annex4", "lang": "en", "action": "evaluate", "today": "2026-11-28",
         "state": {"items": {}}})))
    assert set(answer["regions"]) == {"aigov-annex4-progress"} | {
        f"aigov-annex4-s-{section.id}-progress" for section in ANNEX4.sections}
