"""Every registered tool in CPython: the registry is the one list, each tool renders its static form in
every language, evaluates to a status the page shows, never gives a verdict while questions are open,
exports from the same result, and refuses bad state without changing anything. Also what goes to the
browser: the wheel holds the core and the browser data, not the book's."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from aigov_widgets.core import runtime
from aigov_widgets.core.law import questionnaire, references
from aigov_widgets.core.tools import REGISTRY
from aigov_widgets.core.tools import classifier
from aigov_widgets.core.ui.texts import plural, widget_text
from aigov_widgets.sphinx import widgets as sphinx_widgets
from tests.conftest import LANGUAGES
from tools import site_assets

RUNTIME = {"pyodide": "../_runtime/pyodide/1/", "wheel": "../_runtime/w.whl", "worker": "_static/w.mjs"}
TODAY = "2026-12-06"
CONTEXT = {"role": "deployer", "public_body": True, "in_service_since": "", "date": ""}


def ask(kind: str, lang: str, action: str = "evaluate", **request) -> dict:
    config = "annex4" if kind == "checklist" else kind
    return json.loads(runtime.handle(json.dumps({"widget": kind, "config": config, "lang": lang,
                                                 "today": TODAY, "action": action, **request})))


def static(kind: str, lang: str) -> str:
    module = REGISTRY[kind].load()
    return module.render_static("annex4", lang, RUNTIME) if REGISTRY[kind].argument else module.render_static(lang, RUNTIME)


def test_nothing_else_lists_the_tools():
    """The page script, the runtime and the directives hold no list of tool kinds of their own."""
    from pathlib import Path
    root = Path(site_assets.PACKAGE)
    script = (root / "static" / "aigov.mjs").read_text(encoding="utf-8")
    assert not re.search(r"\b(classifier|obligations|checklist)\b", script.split("const adapters")[0])
    for module in (root / "core" / "runtime.py", root / "sphinx" / "widgets.py"):
        text = module.read_text(encoding="utf-8")
        assert '"classifier"' not in text and '"obligations"' not in text, module


def test_registry_drives_directives_and_page_attributes():
    directives = {spec.directive: sphinx_widgets.directive_for(spec) for spec in REGISTRY.values()}
    assert set(directives) >= {"aigov-checklist", "aigov-classifier", "aigov-role-finder", "aigov-obligations"}
    for kind, spec in REGISTRY.items():
        if getattr(spec, "options", ()):
            continue   # tools configured by directive options (the quiz) have their own tests
        html = static(kind, "en")
        assert f'data-aigov-widget="{kind}"' in html
        assert f'data-aigov-form-type="{spec.form}"' in html
        assert ("data-aigov-tool-page" in html) == spec.tool_page
        assert 'data-aigov-result="empty"' in html, "one result region with its state"
        config = json.loads(re.search(r"data-aigov-page-config>(.*?)</script>", html).group(1))
        assert config["answer_codes"] == {"y": True, "n": False, "u": "unsure"}
        assert set(config["texts"]) >= {"error_timeout", "error_evaluation", "link_bad", "storage_bad"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["checklist", "classifier", "roles", "obligations"])
def test_static_form_in_every_language(kind, lang):
    html = static(kind, lang)
    assert f'data-aigov-lang="{lang}"' in html and "<form" in html and "<noscript>" in html
    if kind in ("classifier", "roles"):
        for qid in questionnaire.question_ids(kind):
            assert f'data-aigov-question="{qid}"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_classifier_statuses_and_announcements(lang):
    empty = ask("classifier", lang, state={"answers": {}, "context": CONTEXT})
    assert empty["status"] == "empty"
    # Out of order: "recruitment?" first, the AI-system question unanswered: no crash, no verdict.
    partial = ask("classifier", lang, state={"answers": {"annexiii.4": True, "annexiii.4.a": True}, "context": CONTEXT})
    assert partial["status"] == "incomplete"
    assert partial["announce"].startswith(widget_text("announce_incomplete", lang))
    html = next(iter(partial["regions"].values()))
    assert 'data-aigov-tier="open"' in html and widget_text("result_not_final", lang) in html
    assert widget_text("result_classification", lang) + ":" not in html.replace("\u00a0", "")
    # Complete: every question that matters answered (the others "no").
    answers = questionnaire.prune(classifier.fill_open({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True},
                                                       value=False))
    done = ask("classifier", lang, state={"answers": answers, "context": CONTEXT})
    assert done["status"] == "complete" and widget_text("tier_high_risk", lang) in done["announce"]
    # "Not sure" makes it provisional, and the announcement says so.
    unsure = ask("classifier", lang, state={"answers": {**answers, "art6.3.profiling": "unsure"}, "context": CONTEXT})
    assert unsure["status"] in ("provisional", "complete")
    first_unsure = questionnaire.prune(classifier.fill_open({"art3.1": "unsure"}, value=False))
    provisional = ask("classifier", lang, state={"answers": first_unsure, "context": CONTEXT})
    assert provisional["status"] == "provisional"
    assert provisional["announce"].startswith(widget_text("announce_provisional", lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_role_finder_is_not_final_after_one_answer(lang):
    answer = ask("roles", lang, state={"answers": {"art3.4": True}})
    assert answer["status"] == "incomplete"
    html = next(iter(answer["regions"].values()))
    assert widget_text("roles_none", lang) not in html
    assert 'data-aigov-role="deployer"' in html, "what is settled is shown"
    everything = {qid: False for qid in questionnaire.question_ids("roles")} | {"art3.4": True}
    complete = ask("roles", lang, state={"answers": questionnaire.prune(everything, "roles")})
    assert complete["status"] == "complete"


def test_obligations_are_in_article_order():
    state = {"role": "deployer", "tier": "high_risk", "route": "annexiii.4.a", "transparency": [],
             "public_body": True, "in_service_since": "", "date": "2028-01-01"}
    data = ask("obligations", "en", "export-json", state=state)
    document = json.loads(data["download"]["content"])
    assert document["rules_version"] == references.rules_version(), "exports carry the rules version"
    same_day = [duty["id"] for duty in document["result"]["obligations"] if duty["applies_from"] == "2027-12-02"]
    art26 = [pid for pid in same_day if pid.startswith("art26.")]
    assert art26 == sorted(art26, key=lambda pid: int(pid.split(".")[1])), art26


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms(lang):
    assert plural("result_open", 1, lang) != plural("result_open", 2, lang)
    assert "(s)" not in plural("result_open", 2, lang) and "/" not in plural("result_open", 2, lang)


@pytest.mark.parametrize("kind, bad", [
    ("classifier", {"answers": {"art3.1": "maybe"}, "context": CONTEXT}),
    ("classifier", {"answers": {}, "context": {**CONTEXT, "date": "2026-02-31"}}),
    ("classifier", {"answers": {}, "context": {**CONTEXT, "in_service_since": "2026-13-45"}}),
    ("roles", {"answers": {"nope": True}}),
    ("obligations", {"role": "owner"}),
])
def test_bad_state_gets_a_message_in_the_page_language(kind, bad):
    # on evaluate the state is the saved one: "state_invalid" tells the page to set it aside (never lost)
    answer = ask(kind, "fr", state=bad)
    assert answer["error"] == "state_invalid" and answer["message"] == widget_text("import_invalid", "fr")
    answer = ask(kind, "fr", "export-markdown", state=bad)
    assert answer["error"] == "import_invalid" and answer["message"] == widget_text("import_invalid", "fr")


def test_an_import_with_a_duplicate_key_is_refused():
    text = '{"format": "aigov-classifier", "version": 1, "state": {"answers": {"art3.1": true, "art3.1": false}}}'
    answer = ask("classifier", "nl", "import", text=text)
    assert answer["error"] == "import_not_json"


def test_an_unexpected_failure_is_an_evaluation_error_not_a_start_failure():
    answer = ask("classifier", "nl", action="no-such-action", state={"answers": {}, "context": CONTEXT})
    assert answer["error"] == "evaluation" and "no-such-action" in answer["detail"]


def test_the_wheel_holds_the_core_and_browser_data_only():
    _, wheel = site_assets.build_wheel()
    names = zipfile.ZipFile(io.BytesIO(wheel)).namelist()
    assert "aigov_widgets/core/tools/__init__.py" in names and "aigov_widgets/data/laws.toml" in names
    assert not [name for name in names if "/sphinx/" in name], "no Sphinx code in the browser"
    assert "aigov_widgets/data/hr_cases.toml" not in names and "aigov_widgets/data/ui.toml" not in names


def test_no_plural_shortcuts_in_the_interface_texts():
    """"1 verplichting(en)", "question(s)": a count gets its language's plural form or a count-free wording."""
    from aigov_widgets.core.ui.texts import widget_text_keys
    found = [(key, lang) for key in widget_text_keys() for lang in LANGUAGES
             if re.search(r"\w\((s|en|e|n|x)\)", widget_text(key, lang))]
    assert found == []
