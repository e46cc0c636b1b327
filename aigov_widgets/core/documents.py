"""The DPO's documents (notices, supplier clause, incident procedure, AI clause, approval file, FRIA),
written once as data (data/documents/<id>.toml, in NL, FR and EN) and filled with the register's data.

The same text serves two readers: the book shows it with every field to fill in square brackets (the
`aigov-document` directive), and the register tool fills it for one system of the institution's register
(what the register holds is written in, the rest stays in brackets). So the template the book prints and
the document a DPO downloads cannot drift apart.

A document's text knows four inline forms, nothing else (no HTML, no links, no Markdown beyond bold):
  **bold**        emphasis
  {key}           a field of data/documents/fields.toml, filled by `values()` or shown as [its label]
  {check:key}     a box, ticked (☒) when the value is true, else empty (☐)
  [[label]]       a field the register never holds: always shown as [label], for the reader to fill in
Blocks: heading, para, items, table, and `duties` (the system's obligations with their first day; in the
book its `text`). A document of `scope = "institution"` (the AI clause) names no system. Pure stdlib; the results are core/ui/doc.py blocks, rendered to HTML and to Markdown.
"""

from __future__ import annotations

from aigov_widgets.core.law import data, engine, questionnaire, references
from aigov_widgets.core.ui import doc
from aigov_widgets.core.ui.texts import widget_text

DOCUMENTS = ("notice-affected", "notice-workers", "supplier-clause", "incident-procedure", "ai-clause",
             "approval-file", "fria")
TOKEN = data.DOCUMENT_TOKEN     # the inline forms, defined where the data files are checked
OPINIONS = ("favourable", "conditional", "unfavourable", "not_applicable")
DECISIONS = ("approved", "approved_with_conditions", "refused")
SIGNERS = ("legal", "security", "dpo", "ai_reference")
GUARANTEES = ("prohibited", "instructions", "conformity", "logs", "incidents", "data_protection", "cooperation")
FRIA_ELEMENTS = ("process", "period", "persons", "harms", "oversight", "measures")   # Art. 27(1)(a) to (f)


def fields() -> dict:
    return data.load("documents/fields.toml")["field"]


def load(document_id: str) -> dict:
    if document_id not in DOCUMENTS:
        raise KeyError(document_id)
    return data.load(f"documents/{document_id}.toml")


def placeholders(text: str) -> list[str]:
    """The `{key}`, `{check:key}` and `[[label]]` forms of a text, in order (labels as `[[…]]`): for the
    checks that every language of a block has the same fields."""
    return [token for token in TOKEN.findall(text) if token != "**"]


# --- the values ------------------------------------------------------------------------------------------

def _join(*parts) -> str | None:
    held = [part for part in parts if isinstance(part, str) and part.strip()]
    return ", ".join(held) if held else None


def _date(iso: str | None, lang: str) -> str | None:
    return references.date_text(iso, lang) if iso else None


def fria_required(result: dict) -> bool:
    """The engine decides: Art. 27 is among the system's duties (Annex III beyond point 2, deployed by a body
    governed by public law or a private entity providing public services, or points 5(b) and (c))."""
    return any(duty["id"] == "art27" for duty in result["obligations"])


def fria_summary(system: dict) -> str | None:
    """Annex VIII Section C item 4: the FRIA's summary as written, else its elements (a) to (f) as held."""
    fria = system.get("fria", {})
    if fria.get("summary"):
        return fria["summary"]
    held = [f"({letter}) {fria[key]}" for letter, key in zip("abcdef", FRIA_ELEMENTS) if fria.get(key)]
    return " ".join(held) if held else None


def approval_changes(system: dict, result: dict | None = None) -> list[str] | None:
    """What changed in the use case since it was approved: a list of "purpose", "data_used", "answers",
    "context", "tier" (empty: nothing); None when the system has no approval on record. The register keeps
    the approved use case (`approval.approved_use`) from the day of the decision."""
    approved = system.get("approval", {}).get("approved_use")
    if not approved:
        return None
    changed = [key for key in ("purpose", "data_used") if approved.get(key) != system.get(key)]
    # answers no longer asked (pruned, as the form saves them) are no change either
    if questionnaire.prune(dict(approved.get("answers", {}))) != questionnaire.prune(dict(system.get("answers", {}))):
        changed.append("answers")
    if _effective(approved.get("context", {})) != _effective(system.get("context", {})):
        changed.append("context")
    if result is not None and approved.get("tier") and approved["tier"] != result["tier"]:
        changed.append("tier")
    return changed


def _effective(context: dict) -> dict:
    """A context with the engine's defaults written in, so that a default made explicit by the form (role
    deployer, public body, public authority as public body) is not a change."""
    out = {"role": "deployer", "public_body": True, **context}
    out.setdefault("public_authority", out["public_body"])
    return out


def approved_use(system: dict, result: dict) -> dict:
    """The use case as approved: what `approval_changes` compares with later."""
    out = {key: system[key] for key in ("purpose", "data_used") if key in system}
    out["answers"] = dict(system.get("answers", {}))
    out["context"] = dict(system.get("context", {}))
    out["tier"] = result["tier"]
    out["rules"] = references.rules_version()
    return out


def values(organisation: dict, system: dict, result: dict, lang: str, today: str) -> dict:
    """Every field of fields.toml for one system: a text, a bool (boxes) or None (not held)."""
    contact = system.get("contact", {})
    approval = system.get("approval", {})
    fria = system.get("fria", {})
    dpia = system.get("dpia", {})
    annex_iii = engine.structure().annex_iii
    points = [references.citation(pid, lang) for pid in result["basis"] if pid in annex_iii]
    out = {
        "org.name": organisation.get("name") if organisation.get("name") not in (None, "-") else None,
        "org.address": organisation.get("address"),
        "org.contact": _join(organisation.get("contact"), organisation.get("contact_email")),
        "org.dpo": organisation.get("dpo"),
        "org.security": organisation.get("security_adviser"),
        "org.legal": organisation.get("legal_service"),
        "org.ai_reference": organisation.get("ai_reference"),
        "org.incident_contact": organisation.get("incident_contact"),
        "org.consultation_body": organisation.get("consultation_body"),
        "system.name": system.get("name"),
        "system.purpose": system.get("purpose"),
        "system.summary": system.get("summary"),
        "system.department": system.get("department"),
        "system.owner": system.get("owner"),
        "system.contact": _join(contact.get("name"), contact.get("email"), contact.get("phone")),
        "system.provider": system.get("provider"),
        "system.provider_eu_db_url": system.get("provider_eu_db_url"),
        "system.provider_contact": system.get("provider_contact"),
        "system.version": system.get("version"),
        "system.data_used": system.get("data_used"),
        "system.human_oversight": system.get("human_oversight"),
        "system.objection_procedure": system.get("objection_procedure"),
        "system.risks": system.get("risks"),
        "system.impact": system.get("impact"),
        "system.in_service_since": _date(system.get("in_service_since"), lang),
        "system.next_review_on": _date(system.get("next_review_on"), lang),
        "system.tier": widget_text(f"tier_{result['tier']}", lang),
        "system.basis": "; ".join(references.citation(pid, lang) for pid in result["basis"]) or None,
        "system.annex_iii": "; ".join(points) or None,
        "system.role": references.role_label(system.get("context", {}).get("role", "deployer"), lang),
        "system.open_questions": str(len(result["open_questions"])) if result["open_questions"] else None,
        "system.stamp": widget_text("doc_stamp", lang).format(date=references.date_text(today, lang),
                                                              version=references.rules_version()),
        "system.provisional": widget_text("doc_yes" if result["provisional"] else "doc_no", lang),
        "system.dpia": _join(dpia.get("url"), _date(dpia.get("date"), lang)),
        "system.fria": _join(fria.get("url"), _date(fria.get("date"), lang)),
        "fria.required": widget_text("doc_fria_required" if fria_required(result) else "doc_fria_not_required", lang),
        "fria.summary": fria_summary(system),
        "fria.date": _date(fria.get("date"), lang),
        "fria.notified_on": _date(fria.get("notified_on"), lang),
        "dpia.summary": dpia.get("summary"),
        "approval.reference": approval.get("reference"),
        "approval.decision": widget_text(f"doc_decision_{approval['decision']}", lang) if approval.get("decision") else None,
        "approval.conditions": approval.get("conditions"),
        "approval.decided_by": approval.get("decided_by"),
        "approval.date": _date(approval.get("date"), lang),
        "approval.guarantees_notes": approval.get("guarantees_notes"),
    }
    out.update({f"fria.{key}": fria.get(key) for key in FRIA_ELEMENTS})
    changes = approval_changes(system, result)
    out["approval.changed"] = (None if changes is None else
                               widget_text("doc_changed_none", lang) if not changes else
                               ", ".join(widget_text(f"doc_changed_{key}", lang) for key in changes))
    for signer in SIGNERS:
        opinion = approval.get("opinions", {}).get(signer, {})
        out[f"approval.{signer}.name"] = opinion.get("name")
        out[f"approval.{signer}.opinion"] = (widget_text(f"doc_opinion_{opinion['opinion']}", lang)
                                             if opinion.get("opinion") else None)
        out[f"approval.{signer}.conditions"] = opinion.get("conditions")
        out[f"approval.{signer}.date"] = _date(opinion.get("date"), lang)
    for key in GUARANTEES:
        out[f"approval.guarantees.{key}"] = approval.get("guarantees", {}).get(key) is True
    return out


# --- rendering -------------------------------------------------------------------------------------------

def inline(text: str, filled: dict, lang: str) -> list:
    """A text's inline forms as doc inlines: fields filled from `filled` or shown as [label]."""
    labels = fields()
    out: list = []
    stack: list[list] = [out]
    ends_sentence = False       # a filled value ending in . ! or ?: the text's own full stop after it goes
    for token in TOKEN.split(text):
        if not token:
            continue
        if ends_sentence and token.startswith("."):
            token = token[1:]
        ends_sentence = False
        if not token:
            continue
        if token == "**":
            if len(stack) == 1:
                stack.append([])
            else:
                inner = stack.pop()
                stack[-1].append(doc.Strong(inner))
        elif token.startswith("{check:"):
            stack[-1].append("☒" if filled.get(token[7:-1]) is True else "☐")
        elif token.startswith("{"):
            key = token[1:-1]
            value = filled.get(key)
            if isinstance(value, str) and value.strip():
                value = value.strip()
                stack[-1].append(value)
                ends_sentence = value.endswith((".", "!", "?"))
            else:
                stack[-1].append(doc.Fill(labels[key]["label"][lang]))
        elif token.startswith("[["):
            stack[-1].append(doc.Fill(token[2:-2]))
        else:
            stack[-1].append(token)
    while len(stack) > 1:           # an unclosed ** (the data checks refuse it): close it
        inner = stack.pop()
        stack[-1].append(doc.Strong(inner))
    return out


def blocks(document_id: str, lang: str, filled: dict | None = None, duties: list | None = None,
           level: int = 3) -> list:
    """The document as doc blocks; `filled` None: the template (every field in brackets)."""
    filled = filled or {}
    out = []
    for block in load(document_id)["block"]:
        kind = block["kind"]
        if kind == "heading":
            out.append(doc.Heading(level + block.get("level", 0), inline(block["text"][lang], filled, lang)))
        elif kind == "para":
            out.append(doc.Para(inline(block["text"][lang], filled, lang)))
        elif kind == "items":
            out.append(doc.Items([inline(item[lang], filled, lang) for item in block["items"]]))
        elif kind == "table":
            out.append(doc.Table([inline(cell[lang], filled, lang) for cell in block["head"]],
                                 [[inline(cell[lang], filled, lang) for cell in row] for row in block["rows"]]))
        elif kind == "duties":
            if duties is None:
                out.append(doc.Para(inline(block["text"][lang], filled, lang)))
            elif duties:
                out.append(doc.Items([[duty["label"], " (", doc.Link(references.citation(duty["id"], lang), duty["url"]),
                                       "; ", widget_text("doc_from", lang).format(
                                           date=references.date_text(duty["applies_from"], lang))
                                       if duty["applies_from"] else "", ")"] for duty in duties]))
            else:
                out.append(doc.Para(widget_text("result_no_obligations", lang)))
    return out


def title(document_id: str, lang: str) -> str:
    return load(document_id)["document"]["title"][lang]


def for_system(document_id: str, organisation: dict, system: dict, result: dict, lang: str, today: str) -> list:
    """The document filled for one system of the register: its title, then its blocks."""
    filled = values(organisation, system, result, lang, today)
    chosen = load(document_id)["document"].get("duties")      # the provisions the document lists; none: all
    duties = [duty for duty in result["obligations"] if not chosen or duty["id"] in chosen]
    heading = [title(document_id, lang)]
    if load(document_id)["document"].get("scope", "system") == "system":
        heading += [" – ", system["name"]]
    return [doc.Heading(2, heading), *blocks(document_id, lang, filled, duties, level=3)]
