"""The register tool in CPython, through the worker's entry point: a system is added, classified in place,
edited, duplicated and removed; obligations, due dates and the 12-month overview come from the engine via
register.py; exports are register_export's; an import only previews (merge_preview) until it is applied;
hostile, oversized and foreign files change nothing; every text typed is rendered inert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aigov_widgets.core import register, register_export, runtime
from aigov_widgets.core.law import references
from aigov_widgets.core.tools import REGISTRY, register_tool
from aigov_widgets.core.ui.texts import widget_text

TODAY = "2026-12-06"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "register"
RUNTIME = {"pyodide": "p/", "wheel": "w.whl", "worker": "w.mjs"}
XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
       "<svg onload=alert(1)>", "=HYPERLINK(\"http://x\")", "';alert(1)//", "{{7*7}}", "<a href=x>link</a>"]


def ask(action: str, state=None, lang: str = "en", **extra) -> dict:
    request = {"widget": "register", "config": "register", "lang": lang, "today": TODAY, "action": action,
               "state": state if state is not None else {}, **extra}
    return json.loads(runtime.handle(json.dumps(request)))


def draft(name: str, answers: dict, **fields) -> dict:
    return {"register": "", "editing": "", "organisation": "Gemeente",
            "draft": {"fields": {"name": name, "purpose": "A purpose", **fields}, "answers": answers,
                      "context": {"role": "deployer", "public_body": True, "public_authority": True}}}


HIGH_RISK = {"art3.1": True, "annexiii.4": True, "annexiii.4.a": True}


def test_registered_as_a_tool_with_its_own_adapter():
    spec = REGISTRY["register"]
    assert spec.form == "register" and spec.tool_page and spec.directive == "aigov-register"
    script = (Path(register_tool.__file__).parents[2] / "static" / "aigov.mjs").read_text(encoding="utf-8")
    assert "\n  register: {" in script


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_static_form_reuses_the_classifier_questions(lang):
    html = register_tool.render_static(lang, RUNTIME)
    assert 'data-aigov-widget="register"' in html and 'data-aigov-form-type="register"' in html
    assert 'name="q:art3.1"' in html and 'name="q:annexiii.4.a"' in html
    for key in ("name", "purpose", "department", "provider", "status", "in_service_since", "contact.name",
                "owner", "data_used", "human_oversight"):
        assert f'name="sys:{key}"' in html, key
    for action in register_tool.EXPORTS:
        assert f'data-aigov-action="{action}"' in html
    assert "data-aigov-register-dialog" in html and html.count("<dialog") == 2
    assert html.index("aigov-register-confirm") < html.index("aigov-register-import-dialog"), "reset dialog first"


def test_add_classify_edit_duplicate_remove():
    added = ask("save-system", draft("CV screening", HIGH_RISK, department="HR"))
    state = added["state"]
    [system] = state["register"]["systems"]
    assert system["id"] == "cv-screening" and system["department"] == "HR" and system["answers"]["annexiii.4.a"] is True
    assert state["draft"] == {"fields": {}, "answers": {}, "context": {}}, "the form is empty after saving"
    result = added["regions"]["aigov-register-result"]
    assert widget_text("tier_high_risk", "en") in result
    assert references.citation("art26.1", "en") in result and "2 December 2027" in result
    assert "The next 12 months" in result
    # edit: the form holds the system (its answers included) and saving writes back, same id
    edited = ask("edit", state, system="cv-screening")["state"]
    assert edited["editing"] == "cv-screening" and edited["draft"]["answers"] == system["answers"]
    edited["draft"]["fields"]["department"] = "Personnel"
    edited["draft"]["answers"] = {"art3.1": True, "art50.1": True}
    saved = ask("save-system", edited)["state"]
    [system] = saved["register"]["systems"]
    assert system["department"] == "Personnel" and system["answers"] == {"art3.1": True, "art50.1": True}
    # duplicate and remove
    copied = ask("duplicate", saved, system="cv-screening")["state"]
    assert [s["name"] for s in copied["register"]["systems"]] == ["CV screening", "CV screening (copy)"]
    assert len({s["id"] for s in copied["register"]["systems"]}) == 2
    removed = ask("remove", copied, system="cv-screening")["state"]
    assert [s["name"] for s in removed["register"]["systems"]] == ["CV screening (copy)"]


def test_save_refuses_without_name_and_purpose_and_changes_nothing():
    state = draft("", HIGH_RISK)
    state["draft"]["fields"] = {"department": "HR"}
    answer = ask("save-system", state)
    assert "state" not in answer and widget_text("reg_not_saved", "en") in answer["regions"]["aigov-register-errors"]
    bad_email = draft("X", HIGH_RISK, **{"contact.email": "not-an-email"})
    answer = ask("save-system", bad_email)
    assert "state" not in answer and "contact.email" in answer["announce"]


def test_sort_filter_and_overview():
    state = ask("save-system", draft("Zeta chatbot", {"art3.1": True, "art50.1": True}, department="Communication"))["state"]
    state["draft"] = draft("Alpha CV", HIGH_RISK, department="HR", next_review_on="2027-03-01")["draft"]
    state = ask("save-system", state)["state"]
    result = ask("evaluate", state)["regions"]["aigov-register-result"]
    assert result.index("Alpha CV") < result.index("Zeta chatbot")
    assert "Review of the register entry" in result and "1 March 2027" in result
    state["view"] = {"sort": "name", "tier": "high_risk"}
    answer = ask("evaluate", state)
    assert "1 of 2 systems shown" in answer["regions"]["aigov-register-result"]
    state["view"] = {"department": "comm"}
    table = ask("evaluate", state)["regions"]["aigov-register-result"].split("</table>")[0]
    assert "Zeta chatbot" in table and "Alpha CV" not in table
    state["view"] = {"due": "12"}
    table = ask("evaluate", state)["regions"]["aigov-register-result"].split("</table>")[0]
    assert "Alpha CV" in table and "Zeta chatbot" not in table, "Art. 50 applies already; Art. 26 within 12 months"


def test_the_draft_is_classified_in_place_and_questions_follow_the_answers():
    state = draft("X", {"art3.1": False})
    answer = ask("evaluate", state)
    assert widget_text("tier_not_ai_system", "en") in answer["regions"]["aigov-register-draft"]
    assert "annexiii.4.a" not in answer["visible"]


def test_exports_through_handle_are_register_exports():
    document = register.loads((FIXTURES / "full.json").read_text(encoding="utf-8"))
    state = {"register": document}
    for action, (fmt, _) in register_tool.EXPORTS.items():
        download = ask(action, state)["download"]
        assert download["content"] == register_export.export(document, fmt, on_date=TODAY, lang="en"), action
        assert download["filename"].endswith(".csv" if fmt == "csv" else ".json")
    assert register.loads(ask("export-json", state)["download"]["content"]) == document


def test_import_previews_then_applies():
    current = register.loads((FIXTURES / "minimal.json").read_text(encoding="utf-8"))
    incoming = json.loads(json.dumps(current))
    incoming["systems"][0]["purpose"] = "Something else"
    incoming["systems"].append({"id": "new", "name": "New one", "purpose": "p", "status": "pilot",
                                "answers": {"art3.1": False}})
    text = json.dumps(incoming)
    preview = ask("import-preview", {"register": current}, text=text)
    assert "state" not in preview, "a preview changes nothing"
    assert preview["preview"] == {"added": 1, "changed": 1, "removed": 0, "unchanged": 0}
    assert "New one" in preview["regions"]["aigov-register-preview"]
    assert "purpose" in preview["regions"]["aigov-register-preview"]
    applied = ask("import-apply", {"register": current}, text=text)["state"]
    assert applied["register"] == register.validate(incoming)


@pytest.mark.parametrize("text, error", [
    ("x" * 1_000_001, "import_too_large"),
    ("{not json", "import_not_json"),
    ('{"format": "aigov-register", "format": "aigov-register"}', "import_not_json"),
    ("[" * 100 + "]" * 100, "import_not_json"),
    (json.dumps({"format": "aigov-classifier", "version": 1, "state": {}}), "import_foreign_tool"),
    (json.dumps({"format": "aigov-register", "version": 1, "organisation": {"name": "O"},
                 "systems": [{"id": "a", "name": "A", "purpose": "p", "status": "bogus", "answers": {"art3.1": True}}]}),
     "import_invalid"),
])
def test_hostile_oversized_and_foreign_files_are_refused(text, error):
    for action in ("import-preview", "import-apply"):
        answer = ask(action, {}, text=text)
        assert answer["error"] == error and answer["message"] and "state" not in answer


def test_every_typed_text_is_inert():
    fields = {key: payload for key, payload in zip(
        ("department", "provider", "owner", "contact.name", "data_used", "human_oversight", "summary", "risks"), XSS * 2)}
    state = ask("save-system", draft(XSS[0], HIGH_RISK, **fields, purpose=XSS[1]))["state"]
    state["organisation"] = XSS[1]
    state["view"] = {"department": XSS[1]}
    answer = ask("evaluate", state)
    html = "".join(answer["regions"].values())
    for payload in XSS:
        assert "<script" not in html and "<img" not in html and "<svg" not in html and "<a href=x" not in html
    assert "&lt;script&gt;" in html
    preview = ask("import-preview", {}, text=json.dumps(state["register"]))["regions"]["aigov-register-preview"]
    assert "<script" not in preview and "&lt;script&gt;" in preview
    csv = ask("export-csv", state)["download"]["content"]
    assert "=HYPERLINK" not in csv.replace("'=HYPERLINK", "")


def test_a_bad_stored_register_is_refused_with_a_message():
    bad = {"register": {"format": "aigov-register", "version": 1, "systems": "no"}}
    answer = ask("evaluate", bad)
    assert answer["error"] == "state_invalid" and answer["message"], "the page sets the saved register aside"
    answer = ask("export-csv", bad)
    assert answer["error"] == "import_invalid" and answer["message"]


def test_editing_keeps_the_fields_the_form_does_not_show():
    document = register.loads((FIXTURES / "full.json").read_text(encoding="utf-8"))
    state = ask("edit", {"register": document}, system="cv-screening")["state"]
    state["draft"]["fields"]["department"] = "Personnel"
    saved = ask("save-system", state)["state"]
    before = next(s for s in document["systems"] if s["id"] == "cv-screening")
    after = next(s for s in saved["register"]["systems"] if s["id"] == "cv-screening")
    assert after["department"] == "Personnel"
    assert {key: value for key, value in after.items() if key != "department"} == \
        {key: value for key, value in before.items() if key != "department"}


# --- the approval, the FRIA, the institution, the documents, the merge -----------------------------------

APPROVED = {"approval.decision": "approved", "approval.date": "2026-11-02", "approval.decided_by": "The director",
            "approval.opinions.dpo.name": "Dana DPO", "approval.opinions.dpo.opinion": "favourable",
            "approval.guarantees.logs": True}


def saved_with(fields: dict, answers=HIGH_RISK) -> dict:
    return ask("save-system", draft("CV screening", answers, **fields))["state"]


def test_approval_keeps_the_use_case_and_flags_a_change_until_approved_again():
    state = saved_with(APPROVED)
    [system] = state["register"]["systems"]
    approved = system["approval"]["approved_use"]
    assert approved["purpose"] == "A purpose" and approved["tier"] == "high_risk" and approved["answers"] == HIGH_RISK
    assert system["approval"]["guarantees"] == {"logs": True}
    table = ask("evaluate", state)["regions"]["aigov-register-result"]
    assert "approved on 2 November 2026" in table and widget_text("reg_approval_changed", "en") not in table
    # the purpose changes and is saved: the approval stays, the change is flagged, in words
    edited = ask("edit", state, system="cv-screening")["state"]
    assert edited["draft"]["fields"]["approval.guarantees.logs"] is True, "a ticked box comes back to the form"
    edited["draft"]["fields"]["purpose"] = "Rank internal candidates too"
    changed = ask("save-system", edited)["state"]
    assert changed["register"]["systems"][0]["approval"]["approved_use"] == approved, "kept from the decision day"
    table = ask("evaluate", changed)["regions"]["aigov-register-result"]
    assert widget_text("reg_approval_changed", "en") in table and widget_text("doc_changed_purpose", "en") in table
    assert "changed_since_approval" in ask("export-csv", changed)["download"]["content"].splitlines()[0]
    assert widget_text("reg_approval_changed", "en") in ask("export-markdown", changed)["download"]["content"]
    # a new decision date approves the changed use case
    again = ask("edit", changed, system="cv-screening")["state"]
    again["draft"]["fields"]["approval.date"] = "2026-12-01"
    reapproved = ask("save-system", again)["state"]
    assert reapproved["register"]["systems"][0]["approval"]["approved_use"]["purpose"] == "Rank internal candidates too"
    assert widget_text("reg_approval_changed", "en") not in ask("evaluate", reapproved)["regions"]["aigov-register-result"]
    # a refusal keeps no approved use case
    refused = ask("edit", reapproved, system="cv-screening")["state"]
    refused["draft"]["fields"]["approval.decision"] = "refused"
    assert "approved_use" not in ask("save-system", refused)["state"]["register"]["systems"][0]["approval"]


def test_fria_elements_feed_the_eu_database_item_4():
    fields = {"fria.process": "Recruitment of staff.", "fria.harms": "Indirect discrimination.",
              "fria.notified_on": "2026-11-20"}
    state = saved_with(fields)
    eu_db = json.loads(ask("export-eu-db", state)["download"]["content"])
    [entry] = eu_db["art49_3"]
    assert entry["items"]["fria_summary"] == "(a) Recruitment of staff. (d) Indirect discrimination."
    assert state["register"]["systems"][0]["fria"]["notified_on"] == "2026-11-20"
    html = ask("evaluate", state)["regions"]["aigov-register-result"]
    assert f'{widget_text("reg_fria_required", "en")}: {widget_text("doc_yes", "en")}' in html


def test_the_institution_s_fields_are_saved_and_a_bad_one_is_named_not_lost():
    state = draft("X", HIGH_RISK)
    state["organisation"] = {"name": "Commune d’Exemple", "dpo": "Dana, dpo@example.brussels",
                             "contact_email": "not-an-email"}
    saved = ask("save-system", state)
    organisation = saved["state"]["register"]["organisation"]
    assert organisation["name"] == "Commune d’Exemple" and organisation["dpo"] == "Dana, dpo@example.brussels"
    assert "contact_email" not in organisation and "org_problems" not in saved["state"]
    assert "contact_email" in saved["regions"]["aigov-register-org-errors"]
    assert ask("evaluate", {"register": "", "organisation": "Old name"})["regions"]["aigov-register-org-errors"] == ""


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_documents_are_filled_for_the_system_shown_and_saved(lang):
    state = saved_with({**APPROVED, "provider": "Acme HR", "data_used": XSS[1]})
    state["organisation"] = {"name": "Commune d’Exemple", "dpo": "dpo@example.brussels"}
    from aigov_widgets.core import documents
    for document_id in documents.DOCUMENTS:
        shown = ask("document", state, lang=lang, system="cv-screening", document=document_id)
        html = shown["regions"]["aigov-register-document"]
        institution = documents.load(document_id)["document"].get("scope") == "institution"
        assert documents.title(document_id, lang) in html and ("CV screening" in html) != institution
        assert "<img" not in html
        assert shown["focus"] == "aigov-register-document-title" and 'id="aigov-register-document-title"' in html
        saved = ask("document-md", state, lang=lang, system="cv-screening", document=document_id)["download"]
        assert saved["filename"].startswith(f"{document_id}-cv-screening-") and saved["type"] == "text/markdown"
        assert "<img" not in saved["content"]
    approval = ask("document", state, lang=lang, system="cv-screening", document="approval-file")
    html = approval["regions"]["aigov-register-document"]
    assert "Dana DPO" in html and widget_text("doc_opinion_favourable", lang) in html and "☒" in html
    notice = ask("document", state, lang=lang, system="cv-screening", document="notice-affected")
    assert "Commune d’Exemple" in notice["regions"]["aigov-register-document"]
    for bad in ({"system": "nope", "document": "fria"}, {"system": "cv-screening", "document": "../x"}):
        assert ask("document", state, lang=lang, **bad)["error"] == "import_invalid"
    assert ask("document-close", state)["regions"]["aigov-register-document"] == ""


def test_import_merge_adds_and_replaces_and_removes_nothing():
    current = register.loads((FIXTURES / "full.json").read_text(encoding="utf-8"))
    incoming = {"format": "aigov-register", "version": 1, "organisation": {"name": "Other", "dpo": "x@example.org"},
                "systems": [{**current["systems"][0], "purpose": "Changed"},
                            {"id": "new", "name": "New one", "purpose": "p", "status": "pilot", "answers": {"art3.1": False}}]}
    merged = ask("import-merge", {"register": current}, text=json.dumps(incoming))["state"]["register"]
    ids = [s["id"] for s in merged["systems"]]
    assert ids == [s["id"] for s in current["systems"]] + ["new"], "none removed, the new one after"
    assert merged["systems"][0]["purpose"] == "Changed"
    assert merged["organisation"]["name"] == current["organisation"]["name"] and merged["organisation"]["dpo"] == "x@example.org"
    too_many = {**incoming, "systems": [{"id": f"s{i}", "name": "n", "purpose": "p", "status": "pilot",
                                         "answers": {"art3.1": False}} for i in range(register_tool.MAX_SYSTEMS)]}
    assert "state" not in ask("import-merge", {"register": current}, text=json.dumps(too_many))


def test_a_provider_that_uses_its_system_is_asked_and_registered():
    state = saved_with({})
    state["draft"] = draft("Own model", HIGH_RISK)["draft"]
    state["draft"]["context"] = {"role": "provider", "public_body": True, "public_authority": True}
    state = ask("save-system", state)["state"]
    eu_db = json.loads(ask("export-eu-db", state)["download"]["content"])
    own = next(entry for entry in eu_db["art49_3"] if entry["aigov_id"] == "own-model")
    assert own["open_questions"] == ["context.own_use"]
    state = ask("edit", state, system="own-model")["state"]
    state["draft"]["context"]["own_use"] = "n"
    state = ask("save-system", state)["state"]
    eu_db = json.loads(ask("export-eu-db", state)["download"]["content"])
    assert [entry["aigov_id"] for entry in eu_db["art49_3"]] == ["cv-screening"]
