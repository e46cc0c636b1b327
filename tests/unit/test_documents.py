"""The DPO's documents (core/documents.py, data/documents/): one text per document and language, shown as
a template in the book and filled from the register for one system. The tests render every document in
every language both ways, check that what the register holds is written in and the rest stays a [field],
that user text stays inert, and that the loader refuses a document whose languages differ."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from aigov_widgets.core import documents, register
from aigov_widgets.core.law import data, references
from aigov_widgets.core.law.constants import LANGUAGES
from aigov_widgets.core.ui import doc, frame

TODAY = "2026-12-06"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "register"
XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold** {org.name}'


def full_register() -> dict:
    return register.loads((FIXTURES / "full.json").read_text(encoding="utf-8"))


def filled(document_id: str, lang: str, document: dict | None = None, system_id: str = "cv-screening") -> list:
    document = document or full_register()
    system = next(s for s in document["systems"] if s["id"] == system_id)
    result = register.classify(system, on_date=TODAY, lang=lang)
    return documents.for_system(document_id, document["organisation"], system, result, lang, TODAY)


def markdown(blocks: list) -> str:
    return "\n".join(doc.to_markdown(blocks, frame.markdown_inert))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("document_id", documents.DOCUMENTS)
def test_every_document_renders_as_template_and_filled(document_id, lang):
    template = documents.blocks(document_id, lang)
    html, text = str(doc.to_html(template)), markdown(template)
    assert not re.search(r"\{[a-z_.:]+\}|\[\[", html + text), "every form is rendered, none leaks"
    assert 'class="aigov-fill"' in html, "a template has fields to fill in"
    full = filled(document_id, lang)
    html = str(doc.to_html(full))
    assert "<script" not in html and not re.search(r"\{[a-z_.:]+\}", html)
    assert documents.title(document_id, lang) in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_what_the_register_holds_is_written_in_and_the_rest_stays_a_field(lang):
    document = full_register()
    organisation = document["organisation"]["name"]
    system = next(s for s in document["systems"] if s["id"] == "cv-screening")
    labels = documents.fields()
    text = markdown(filled("notice-affected", lang, document))
    assert frame.markdown_inert(organisation) in text and frame.markdown_inert(system["name"]) in text
    assert f"[{labels['org.name']['label'][lang]}]" not in text, "a held value is not asked again"
    assert frame.markdown_inert(f"[{labels['org.dpo']['label'][lang]}]") in text, "not held: still a field"
    # the template asks for the same field
    template = markdown(documents.blocks("notice-affected", lang))
    assert frame.markdown_inert(f"[{labels['org.name']['label'][lang]}]") in template


def test_user_text_is_inert_in_html_and_markdown():
    document = full_register()
    document["organisation"]["name"] = XSS
    system = document["systems"][0]
    system["name"] = system["purpose"] = XSS
    blocks = filled("notice-affected", "en", document)
    html = str(doc.to_html(blocks))
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "{org.name}" in html, "a brace typed by a user is text, never a field"
    text = markdown(blocks)
    assert "<script" not in text and "\\[link\\](javascript" in text and "\\*\\*bold\\*\\*" in text


def test_a_value_ending_a_sentence_does_not_double_the_full_stop():
    document = full_register()
    document["systems"][0]["data_used"] = "CVs and motivation letters."
    text = markdown(filled("notice-affected", "en", document))
    assert "motivation letters." in text and "motivation letters.." not in text


def test_the_approval_file_lists_the_system_duties_and_the_book_a_text():
    document = full_register()
    system = document["systems"][0]
    result = register.classify(system, on_date=TODAY, lang="en")
    fria = next(duty for duty in result["obligations"] if duty["id"] == "art27")
    text = markdown(filled("approval-file", "en", document))
    line = next(line for line in text.splitlines() if references.citation("art27", "en") + " <" in line)
    assert references.date_text(fria["applies_from"], "en") in line, "the FRIA duty with its own first day"
    assert references.citation("art86", "en") + " <" not in text, "only the duties the document names"
    template = markdown(documents.blocks("approval-file", "en"))
    assert "eur-lex" not in template, "the book's text in the duties' place, not a system's"


def test_guarantees_are_ticked_from_the_register():
    document = full_register()
    document["systems"][0]["approval"] = {"guarantees": {"logs": True}}
    text = markdown(filled("approval-file", "en", document))
    assert text.count("☒") == 1 and text.count("☐") >= len(documents.GUARANTEES) - 1


def test_fria_summary_is_the_summary_else_the_elements():
    system = {"fria": {"process": "Recruitment.", "harms": "Bias against older candidates."}}
    assert documents.fria_summary(system) == "(a) Recruitment. (d) Bias against older candidates."
    system["fria"]["summary"] = "Our summary."
    assert documents.fria_summary(system) == "Our summary."
    assert documents.fria_summary({}) is None


def test_fria_required_is_the_engine_s_art27():
    document = full_register()
    hr = next(s for s in document["systems"] if s["id"] == "cv-screening")
    assert documents.fria_required(register.classify(hr, on_date=TODAY, lang="en"))
    private = copy.deepcopy(hr)
    private["context"] = {"role": "deployer", "public_body": False, "public_authority": False}
    assert not documents.fria_required(register.classify(private, on_date=TODAY, lang="en"))


def test_approval_changes_name_what_moved():
    document = full_register()
    system = document["systems"][0]
    result = register.classify(system, on_date=TODAY, lang="en")
    assert documents.approval_changes(system, result) is None, "no approval on record"
    system["approval"] = {"decision": "approved", "date": "2026-11-01",
                          "approved_use": documents.approved_use(system, result)}
    assert register.check({**document}) == [], "the record is a valid part of the register file"
    assert documents.approval_changes(system, result) == []
    system["context"] = {"public_body": True}
    approved = system["approval"]["approved_use"]
    approved["context"] = {"role": "deployer", "public_body": True, "public_authority": True}
    assert documents.approval_changes(system, result) == [], "a default written out is no change"
    system["context"] = {"public_body": True, "public_authority": False}
    assert documents.approval_changes(system, result) == ["context"]
    system["context"] = approved["context"]
    system["purpose"] = "Another purpose"
    system["answers"] = {"art3.1": True, "art50.1": True}
    changed = register.classify(system, on_date=TODAY, lang="en")
    assert documents.approval_changes(system, changed) == ["purpose", "answers", "tier"]


def test_every_field_is_computed_and_every_value_is_a_field():
    document = full_register()
    system = document["systems"][0]
    values = documents.values(document["organisation"], system, register.classify(system, on_date=TODAY, lang="en"),
                              "en", TODAY)
    assert set(values) == set(documents.fields())


def test_the_institution_document_uses_no_system_field():
    for block in documents.load("ai-clause")["block"]:
        assert "{system." not in json.dumps(block, ensure_ascii=False)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["block"][1]["text"].update(fr=d["block"][1]["text"]["fr"].replace("{system.name}", "")),
     "the languages differ"),
    (lambda d: d["block"][1]["text"].update(en=d["block"][1]["text"]["en"] + " {no.such}"), "unknown field"),
    (lambda d: d["block"][2]["text"].update(nl=d["block"][2]["text"]["nl"] + " **"), "unclosed **"),
    (lambda d: d["document"].update(provisions=["art999"]), "unknown provision"),
    (lambda d: d["block"].append({"kind": "items", "text": {"nl": "x", "fr": "x", "en": "x"}}), "needs 'items'"),
    (lambda d: d["document"].update(scope="institution"), "names no system"),
])
def test_the_loader_refuses_a_broken_document(change, message):
    broken = copy.deepcopy(data.load("documents/notice-affected.toml"))
    change(broken)
    with pytest.raises(data.DataError, match=re.escape(message)):
        data.validate("documents/notice-affected.toml", broken)
