"""The register of AI systems as a browser tool: add, edit, duplicate and remove systems, classify each one in
place with the classifier's own questions, see per system its obligations and what is due when, its FRIA and
its approval (flagged when the use case changed since), the DPO's documents filled for it (core/documents.py),
sort and filter, and an overview of the next 12 months. Exports and import are those of register.py and
register_export.py (nothing is duplicated here).

State (language-independent, stored in the browser only):
  {"register": <the register file, format "aigov-register", validated by register.py>,
   "editing": "" (a new system) or the id of the system in the form,
   "draft": {"fields": {field: text, or true for a ticked guarantee}, "answers": {question id: true | false |
             "unsure"}, "context": {...}},
   "view": {"sort", "tier", "status", "department", "due"},
   "organisation": {field: text} (the institution's fields of the form; a text: its name, as stored before)}
The draft is what the form holds; "save-system" validates it (register.check), records the approved use case
when an approval with its date is saved, and writes the system into the register. Import never replaces
anything by itself: "import-preview" answers with register.merge_preview, the page asks for confirmation,
then "import-apply" replaces the register with the file or "import-merge" merges it in (register.merge).
"document" shows one document filled for one system, "document-md" saves it as Markdown.
"""

from __future__ import annotations

import datetime
import json
import re
import sys

from aigov_widgets.core import documents, jsonio, register, register_export
from aigov_widgets.core.law import data, engine, questionnaire, references
from aigov_widgets.core.tools import classifier
from aigov_widgets.core.ui import doc, frame
from aigov_widgets.core.ui.html import Markup, element, fragment
from aigov_widgets.core.ui.texts import colon, widget_text

KIND = "register"
CONFIG = "register"
FORMAT = register.FORMAT
VERSION = register.VERSION
FILE_STEM = "ai-register"
BASE = f"aigov-{CONFIG}"
MAX_TEXT = 20_000          # one field typed in the form
MAX_SYSTEMS = 1_000

# The form's fields: (key in the register file, input type). Dotted keys are nested objects.
TEXT_FIELDS = (
    ("name", "text"), ("purpose", "textarea"), ("summary", "textarea"), ("department", "text"),
    ("provider", "text"), ("owner", "text"), ("contact.name", "text"), ("contact.email", "email"),
    ("in_service_since", "date"), ("next_review_on", "date"), ("retired_on", "date"),
    ("data_used", "textarea"), ("human_oversight", "textarea"), ("lawful_basis", "textarea"),
    ("impact", "textarea"), ("risks", "textarea"), ("objection_procedure", "textarea"),
    # what the standards ask besides (Annex VIII, Algoritmeregister, Eurocities)
    ("decision_making_process", "textarea"), ("proportionality", "textarea"), ("website", "url"),
    ("documentation_url", "url"), ("process_register_url", "url"), ("provider_eu_db_url", "url"),
    ("version", "text"), ("provider_contact", "text"),
    ("dpia.summary", "textarea"), ("dpia.url", "url"), ("dpia.date", "date"),
)
# The fundamental rights impact assessment (Art. 27(1)(a) to (f)); its summary is Annex VIII C item 4.
FRIA_FIELDS = tuple((f"fria.{key}", "textarea") for key in documents.FRIA_ELEMENTS) + (
    ("fria.summary", "textarea"), ("fria.url", "url"), ("fria.date", "date"), ("fria.notified_on", "date"))
# The approval before use (the book's approval file): opinions, guarantees received, decision.
APPROVAL_FIELDS = (("approval.reference", "text"),) + tuple(
    (f"approval.opinions.{signer}.{key}", kind) for signer in documents.SIGNERS
    for key, kind in (("name", "text"), ("opinion", "opinion"), ("conditions", "textarea"), ("date", "date"))) + tuple(
    (f"approval.guarantees.{key}", "checkbox") for key in documents.GUARANTEES) + (
    ("approval.guarantees_notes", "textarea"), ("approval.decision", "decision"), ("approval.conditions", "textarea"),
    ("approval.decided_by", "text"), ("approval.date", "date"))
FIELD_KEYS = tuple(key for key, _ in TEXT_FIELDS + FRIA_FIELDS + APPROVAL_FIELDS) + ("status", "domain")
BOOL_KEYS = tuple(key for key, kind in APPROVAL_FIELDS if kind == "checkbox")
# The institution (the register's organisation), as the DPO's documents name it.
ORG_FIELDS = (("name", "text"), ("address", "text"), ("contact", "text"), ("contact_email", "email"),
              ("dpo", "text"), ("security_adviser", "text"), ("legal_service", "text"), ("ai_reference", "text"),
              ("incident_contact", "text"), ("consultation_body", "text"))
TIER_ORDER = ("prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system")
SORTS = ("name", "tier", "due", "status", "department")
CONTEXT_BOOLS = ("public_body", "public_authority")
ROLES = tuple(engine.ROLES)


def _id(name: str) -> str:
    return f"{BASE}-{name}"


# --- state -----------------------------------------------------------------------------------------

def empty_register(organisation: str = "") -> dict:
    return {"format": register.FORMAT, "version": register.VERSION,
            "organisation": {"name": organisation or "-"}, "systems": []}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and len(value) <= MAX_TEXT else None


def normalise_state(raw: object) -> dict | None:
    """A clean copy of a stored state; None when the register in it is not a valid register file."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return None
    document = raw.get("register")
    if document in (None, ""):
        document = empty_register()
    if not isinstance(document, dict) or len(document.get("systems", []) if isinstance(document.get("systems"), list) else []) > MAX_SYSTEMS:
        return None
    try:
        document = register.validate(document)
    except register.RegisterError:
        return None
    draft = raw.get("draft") if isinstance(raw.get("draft"), dict) else {}
    fields = draft.get("fields") if isinstance(draft.get("fields"), dict) else {}
    answers = draft.get("answers") if isinstance(draft.get("answers"), dict) else {}
    context = draft.get("context") if isinstance(draft.get("context"), dict) else {}
    keys = set(engine.classifier_keys())
    clean_context = {}
    if context.get("role") in ROLES:
        clean_context["role"] = context["role"]
    for key in CONTEXT_BOOLS:
        if isinstance(context.get(key), bool):
            clean_context[key] = context[key]
    for key in ("intended_for_public_authorities", "own_use"):
        if context.get(key) in ("y", "n", True, False):
            clean_context[key] = context[key] in ("y", True)
    view = raw.get("view") if isinstance(raw.get("view"), dict) else {}
    editing = raw.get("editing") if isinstance(raw.get("editing"), str) else ""
    if editing and editing not in {system["id"] for system in document["systems"]}:
        editing = ""
    org_problems = _take_organisation(document, raw.get("organisation"))
    return {
        "register": document,
        "editing": editing,
        "draft": {"fields": {key: (value if key in BOOL_KEYS else value.strip()) for key, value in fields.items()
                             if key in FIELD_KEYS and (value is True if key in BOOL_KEYS
                                                       else _text(value) is not None and value.strip())},
                  "answers": {key: value for key, value in answers.items()
                              if key in keys and (value is True or value is False or value == "unsure")},
                  "context": clean_context},
        "view": {key: view[key] for key in ("sort", "tier", "status", "department", "due")
                 if isinstance(view.get(key), str) and len(view[key]) <= 200 and view[key]},
        "organisation": {key: value for key, value in document["organisation"].items()
                         if key in dict(ORG_FIELDS) and value != "-"},
        "org_problems": org_problems,
    }


def _take_organisation(document: dict, given: object) -> list[str]:
    """Write the institution's fields of the form into the register's organisation (a text: the name
    alone, as an earlier version stored it). A field that does not pass the register's check (an e-mail
    address that is not one) keeps its value and is named in the answer; nothing else is refused."""
    if isinstance(given, str):
        given = {"name": given}
    if not isinstance(given, dict):
        return []
    organisation = document["organisation"]
    problems = []
    for key, _ in ORG_FIELDS:
        value = _text(given.get(key))
        if value is None:
            continue
        value = value.strip()
        if not value:
            if key == "name":
                organisation["name"] = "-"
            else:
                organisation.pop(key, None)
            continue
        found: list[str] = []
        register._check_value(value, register.ORGANISATION_FIELDS[key], key, found)
        if found:
            problems += found
        else:
            organisation[key] = value
    return problems


def _get(value: dict, path: str):
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _put(target: dict, path: str, value) -> None:
    *outer, last = path.split(".")
    for part in outer:
        target = target.setdefault(part, {})
    target[last] = value


def system_from_draft(draft: dict, system_id: str) -> dict:
    """The draft as a system of the register file (not yet checked)."""
    system: dict = {"id": system_id}
    fields = draft["fields"]
    for key in FIELD_KEYS:
        if key in fields:
            _put(system, key, fields[key])
    system.setdefault("status", "planned")
    system["answers"] = questionnaire.prune(dict(draft["answers"]))
    if draft["context"]:
        system["context"] = dict(draft["context"])
    return system


def draft_from_system(system: dict) -> dict:
    fields = {}
    for key in FIELD_KEYS:
        value = _get(system, key)
        if isinstance(value, str) or (key in BOOL_KEYS and value is True):
            fields[key] = value
    context = {key: value for key, value in system.get("context", {}).items()
               if key in ("role", *CONTEXT_BOOLS, "intended_for_public_authorities", "own_use")}
    return {"fields": fields, "answers": dict(system.get("answers", {})), "context": context}


def _keep_hidden(old: dict, new: dict, prefix: str = "") -> None:
    """Put into `new` what `old` holds and the form does not show (contact.phone, dpia.required, the
    approved use case, x- fields…), at any depth."""
    for key, value in old.items():
        path = f"{prefix}{key}"
        if path in FIELD_KEYS or key in ("answers", "context") and not prefix:
            continue
        if isinstance(value, dict) and any(k.startswith(path + ".") for k in FIELD_KEYS):
            inner = new.setdefault(key, {})
            _keep_hidden(value, inner, path + ".")
            if not inner:
                new.pop(key)
        elif key not in new:
            new[key] = value


def _record_approval(old: dict | None, system: dict, today: str, lang: str) -> None:
    """Keep the use case as approved. A decision "approved" (with or without conditions) with its date
    records the system as it is saved; the record stays while that date stays, so a later change of the
    purpose, the data or the answers shows as a change since approval. A new decision date approves the
    changed use case again; a refusal or no decision keeps no record."""
    approval = system.get("approval", {})
    if approval.get("decision") not in ("approved", "approved_with_conditions") or not approval.get("date"):
        approval.pop("approved_use", None)
        return
    before = (old or {}).get("approval", {})
    if before.get("approved_use") and before.get("date") == approval["date"]:
        approval["approved_use"] = before["approved_use"]
        return
    result = register.classify(system, on_date=today, lang=lang)
    approval["approved_use"] = documents.approved_use(system, result)


def _new_id(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "system"
    candidate, number = stem, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


# --- the engine's view of the register -------------------------------------------------------------

def _in_a_year(today: str) -> str:
    day = datetime.date.fromisoformat(today)
    try:
        return day.replace(year=day.year + 1).isoformat()
    except ValueError:          # 29 February
        return day.replace(year=day.year + 1, day=28).isoformat()


def assess_system(system: dict, today: str, lang: str) -> dict:
    """One system: its classification, its open questions, the duties in force, the next due date and what
    changed in its use case since its approval."""
    result = register.classify(system, on_date=today, lang=lang)
    answered = system.get("answers", {})
    open_ids = [qid for qid in questionnaire.visible_questions(answered) if qid not in answered]
    later = sorted((duty for duty in result["obligations"] if duty["applies_from"] and duty["applies_from"] > today),
                   key=lambda duty: duty["applies_from"])
    return {"system": system, "result": result, "open": open_ids, "later": later,
            "next_due": later[0]["applies_from"] if later else None,
            "changes": documents.approval_changes(system, result),
            "in_force": [duty for duty in result["obligations"] if duty["in_force"]]}


def _matches(item: dict, view: dict, horizon: str) -> bool:
    system = item["system"]
    if view.get("tier") and item["result"]["tier"] != view["tier"]:
        return False
    if view.get("status") and system["status"] != view["status"]:
        return False
    if view.get("department") and view["department"].casefold() not in system.get("department", "").casefold():
        return False
    if view.get("due") == "12" and not (item["next_due"] and item["next_due"] <= horizon):
        return False
    return True


def _sort_key(view: dict):
    sort = view.get("sort") if view.get("sort") in SORTS else "name"
    if sort == "tier":
        return lambda item: (TIER_ORDER.index(item["result"]["tier"]), item["system"]["name"].casefold())
    if sort == "due":
        return lambda item: (item["next_due"] or "9999-12-31", item["system"]["name"].casefold())
    if sort == "status":
        return lambda item: (register.STATUSES.index(item["system"]["status"]), item["system"]["name"].casefold())
    if sort == "department":
        return lambda item: (item["system"].get("department", "\uffff").casefold(), item["system"]["name"].casefold())
    return lambda item: item["system"]["name"].casefold()


def overview_rows(items: list[dict], today: str, horizon: str) -> list[dict]:
    """What the institution must do in the next 12 months: every duty of every system (not retired) whose
    first day falls after today and on or before the horizon, and every review date in that window."""
    rows = []
    for item in items:
        system = item["system"]
        if system["status"] == "retired":
            continue
        for duty in item["later"]:
            if duty["applies_from"] <= horizon:
                rows.append({"date": duty["applies_from"], "system": system, "duty": duty})
        review = system.get("next_review_on")
        if review and today <= review <= horizon:
            rows.append({"date": review, "system": system, "duty": None})
    return sorted(rows, key=lambda row: (row["date"], row["system"]["name"].casefold()))


# --- HTML --------------------------------------------------------------------------------------------

def _date(iso: str | None, lang: str) -> str:
    return references.date_text(iso, lang) if iso else "–"


def _tier_text(item: dict, lang: str) -> list:
    parts = [widget_text(f"tier_{item['result']['tier']}", lang)]
    if item["result"]["provisional"]:
        parts.append(f" ({widget_text('reg_provisional', lang)})")
    if item["open"]:
        parts.append(f" ({widget_text('reg_open', lang).format(count=len(item['open']))})")
    return parts


def approval_state(item: dict, lang: str) -> tuple[str, str | None]:
    """The approval in words: (none, refused, or approved on a date; what changed in the use case since
    then, or None). Shown as text, never as a colour alone."""
    approval = item["system"].get("approval", {})
    if not approval.get("decision"):
        return widget_text("reg_approval_none", lang), None
    text = widget_text(f"doc_decision_{approval['decision']}", lang)
    if approval.get("date"):
        text += " " + widget_text("reg_approval_on", lang).format(date=_date(approval["date"], lang))
    changes = item["changes"]
    return text, (", ".join(widget_text(f"doc_changed_{key}", lang) for key in changes) if changes else None)


def approval_text(item: dict, lang: str) -> list:
    text, changes = approval_state(item, lang)
    if not changes:
        return [text]
    return [text, " ", element("strong", {"class": "aigov-register-changed"}, widget_text("reg_approval_changed", lang)),
            colon(lang), changes]


def _row_button(action: str, system: dict, lang: str) -> Markup:
    return element("button", {"type": "button", "class": "secondary" if action != "edit" else None,
                              "data-aigov-register": action, "data-aigov-system": system["id"]},
                   widget_text(f"reg_{action}", lang), " ",
                   element("span", {"class": "visually-hidden"}, system["name"]))


def _header(*keys, lang: str) -> Markup:
    return element("thead", {}, element("tr", {}, *[element("th", {"scope": "col"}, widget_text(key, lang)) for key in keys]))


def render_systems(items: list[dict], shown: list[dict], lang: str) -> Markup:
    heading = element("h3", {}, widget_text("reg_systems_heading", lang))
    if not items:
        return fragment(heading, element("p", {}, widget_text("reg_empty", lang)))
    count = element("p", {}, widget_text("reg_shown", lang).format(shown=len(shown), total=len(items)))
    rows = [element("tr", {},
                    element("th", {"scope": "row"}, element("a", {"href": f"#{BASE}-sys-{index}"}, item["system"]["name"])),
                    element("td", {}, item["system"].get("department", "–")),
                    element("td", {}, widget_text(f"reg_status_{item['system']['status']}", lang)),
                    element("td", {}, _tier_text(item, lang)),
                    element("td", {}, _date(item["next_due"], lang)),
                    element("td", {}, approval_text(item, lang)),
                    element("td", {"class": "aigov-register-row-actions"},
                            _row_button("edit", item["system"], lang), " ",
                            _row_button("duplicate", item["system"], lang), " ",
                            _row_button("remove", item["system"], lang)))
            for index, item in enumerate(shown)]
    table = element("div", {"class": "table-wrapper"}, element(
        "table", {"class": "aigov-register-systems"},
        element("caption", {"class": "visually-hidden"}, widget_text("reg_systems_heading", lang)),
        _header("reg_col_name", "reg_col_department", "reg_col_status", "reg_col_tier", "reg_col_next_due",
                "reg_col_approval", "reg_col_actions", lang=lang),
        element("tbody", {}, rows)))
    return fragment(heading, count, table)


def render_obligations(result: dict, lang: str, role: str) -> Markup:
    """A system's duties as a table: duty, legal basis, first day, whether it applies on the date."""
    heading = element("h5", {}, widget_text("result_obligations", lang).format(role=references.role_label(role, lang)))
    if not result["obligations"]:
        return fragment(heading, element("p", {}, widget_text("result_no_obligations", lang)))
    on_date = widget_text("result_in_force", lang).format(date=references.date_text(result["date"], lang))
    rows = [element("tr", {},
                    element("td", {}, duty["label"]),
                    element("td", {}, element("a", {"href": duty["url"]}, references.citation(duty["id"], lang))),
                    element("td", {}, _date(duty["applies_from"], lang)),
                    element("td", {}, widget_text("result_yes_applies" if duty["in_force"] else "result_not_yet", lang)))
            for duty in result["obligations"]]
    return fragment(heading, element("div", {"class": "table-wrapper"}, element(
        "table", {"class": "aigov-obligations"},
        element("thead", {}, element("tr", {}, *[element("th", {"scope": "col"}, text) for text in (
            widget_text("result_duty", lang), widget_text("provisions", lang),
            widget_text("result_applies_from", lang), on_date)])),
        element("tbody", {}, rows))))


def render_duties(shown: list[dict], lang: str) -> Markup:
    """Per system: its classification and every obligation with its first day and whether it applies today."""
    if not shown:
        return fragment()
    parts = [element("h3", {}, widget_text("reg_duties_heading", lang))]
    for index, item in enumerate(shown):
        system, result = item["system"], item["result"]
        parts.append(element(
            "section", {"class": "aigov-register-system", "id": f"{BASE}-sys-{index}",
                        "aria-labelledby": f"{BASE}-sys-{index}-title"},
            element("h4", {"id": f"{BASE}-sys-{index}-title"}, system["name"]),
            element("p", {}, widget_text("result_classification", lang), colon(lang), _tier_text(item, lang)),
            element("p", {}, widget_text("reg_col_approval", lang), colon(lang), approval_text(item, lang)),
            element("p", {}, widget_text("reg_fria_required", lang), colon(lang),
                    widget_text("doc_yes" if documents.fria_required(result) else "doc_no", lang)),
            render_obligations(result, lang, register.role(system)) if result["obligations"]
            else element("p", {}, widget_text("result_no_obligations", lang)),
            _document_buttons(system, lang)))
    return fragment(parts)


def _document_buttons(system: dict, lang: str) -> Markup:
    """The DPO's documents filled for this system: each opens below the register, to read, print or save."""
    buttons = [element("li", {}, element(
        "button", {"type": "button", "class": "secondary", "data-aigov-register": "document",
                   "data-aigov-system": system["id"], "data-aigov-document": document_id},
        documents.title(document_id, lang), " ", element("span", {"class": "visually-hidden"}, f"({system['name']})")))
        for document_id in documents.DOCUMENTS]
    return fragment(element("h5", {}, widget_text("reg_documents", lang)),
                    element("ul", {"class": "aigov-register-documents"}, buttons))


def document_for(state: dict, system_id: object, document_id: object, lang: str, today: str) -> tuple | None:
    """(the system, the document filled for it as doc blocks), or None for an unknown system or document."""
    system = _find(state, system_id)
    if system is None or document_id not in documents.DOCUMENTS:
        return None
    result = register.classify(system, on_date=today, lang=lang)
    return system, documents.for_system(document_id, state["register"]["organisation"], system, result, lang, today)


def show_document(system: dict, blocks: list, document_id: str, lang: str) -> dict:
    """One document filled for one system, shown in the page's document region with its own buttons."""
    attrs = {"data-aigov-system": system["id"], "data-aigov-document": document_id}
    view = element(
        "section", {"class": "aigov-register-document", "aria-labelledby": _id("document-title")},
        element("p", {"class": "aigov-buttons aigov-no-print"},
                element("button", {"type": "button", "data-aigov-register": "document-md", **attrs},
                        widget_text("reg_document_save", lang)), " ",
                element("button", {"type": "button", "class": "secondary", "data-aigov-print-document": True},
                        widget_text("reg_document_print", lang)), " ",
                element("button", {"type": "button", "class": "secondary", "data-aigov-register": "document-close"},
                        widget_text("reg_document_close", lang))),
        element("p", {"class": "aigov-help"}, widget_text("reg_document_help", lang)),
        Markup(doc.to_html(blocks).replace("<h2>", f'<h2 id="{_id("document-title")}" tabindex="-1">', 1)))
    return {"regions": {_id("document"): view}, "focus": _id("document-title"),
            "announce": documents.title(document_id, lang)}


def document_markdown(system: dict, blocks: list, document_id: str, lang: str, today: str) -> dict:
    lines = frame.markdown_header(documents.title(document_id, lang), lang, today)
    lines += doc.to_markdown(blocks[1:], frame.markdown_inert)
    return {"download": {"filename": f"{document_id}-{system['id']}-{today}.md", "type": "text/markdown",
                         "content": "\n".join(lines)}}


def render_overview(items: list[dict], today: str, lang: str) -> Markup:
    horizon = _in_a_year(today)
    heading = element("h3", {}, widget_text("reg_overview_heading", lang).format(
        start=_date(today, lang), end=_date(horizon, lang)))
    in_force = sum(len(item["in_force"]) for item in items if item["system"]["status"] != "retired")
    now = element("p", {}, widget_text("reg_in_force_now", lang).format(count=in_force))
    rows = overview_rows(items, today, horizon)
    if not rows:
        return fragment(heading, now, element("p", {}, widget_text("reg_overview_empty", lang)))
    body = [element("tr", {},
                    element("td", {}, _date(row["date"], lang)),
                    element("td", {}, row["system"]["name"]),
                    element("td", {}, row["duty"]["label"] if row["duty"] else widget_text("reg_review", lang)),
                    element("td", {}, element("a", {"href": row["duty"]["url"]}, references.citation(row["duty"]["id"], lang))
                            if row["duty"] else "–"))
            for row in rows]
    return fragment(heading, now, element("div", {"class": "table-wrapper"}, element(
        "table", {"class": "aigov-register-overview"},
        element("caption", {"class": "visually-hidden"}, widget_text("reg_overview_caption", lang)),
        _header("reg_col_date", "reg_col_system", "result_duty", "provisions", lang=lang),
        element("tbody", {}, body))))


def render_draft(state: dict, today: str, lang: str) -> Markup:
    """The classification of the system in the form, as it is answered (the classifier edits this system)."""
    heading = element("h4", {}, widget_text("reg_draft_heading", lang))
    if "art3.1" not in state["draft"]["answers"]:
        return fragment(heading, element("p", {}, widget_text("reg_draft_empty", lang)))
    system = system_from_draft(state["draft"], "draft")
    system.update({"name": "-", "purpose": "-"})
    if not _valid_date(system.get("in_service_since")):
        system.pop("in_service_since", None)
    if _classification_problems(system):
        return fragment(heading, element("p", {}, widget_text("reg_draft_empty", lang)))
    item = assess_system(system, today, lang)
    return fragment(heading, element("p", {"class": "aigov-tier"}, widget_text("result_classification", lang), colon(lang),
                                     _tier_text(item, lang)),
                    render_obligations(item["result"], lang, register.role(system)))


def _valid_date(value) -> bool:
    try:
        engine.check_date(value, "date")
        return True
    except engine.InputError:
        return False


def _form_heading(state: dict, lang: str) -> Markup:
    if state["editing"]:
        name = next(s["name"] for s in state["register"]["systems"] if s["id"] == state["editing"])
        return element("p", {"class": "aigov-register-editing"}, widget_text("reg_editing", lang).format(name=name))
    return element("p", {"class": "aigov-register-editing"}, widget_text("reg_new_system", lang))


def evaluate(state: dict, lang: str, today: str) -> dict:
    items = [assess_system(system, today, lang) for system in state["register"]["systems"]]
    horizon = _in_a_year(today)
    shown = sorted((item for item in items if _matches(item, state["view"], horizon)), key=_sort_key(state["view"]))
    return {
        "visible": questionnaire.visible_questions(state["draft"]["answers"]),
        "status": "complete" if items else "empty",
        "announce": widget_text("reg_announce", lang).format(shown=len(shown), total=len(items)),
        "regions": {
            _id("result"): fragment(render_systems(items, shown, lang), render_overview(items, today, lang),
                                    render_duties(shown, lang)),
            _id("draft"): render_draft(state, today, lang),
            _id("heading"): _form_heading(state, lang),
            _id("org-errors"): _org_problems(state, lang),
        },
    }


def _org_problems(state: dict, lang: str) -> Markup:
    if not state.get("org_problems"):
        return fragment()
    return element("div", {"class": "aigov-register-problems"},
                   element("p", {}, widget_text("reg_org_not_saved", lang)),
                   element("ul", {}, [element("li", {}, text) for text in state["org_problems"][:10]]))


# --- actions ------------------------------------------------------------------------------------------

def _answer(state: dict, lang: str, today: str, announce: str, **extra) -> dict:
    kept = {key: value for key, value in state.items() if key != "org_problems"}
    return {**evaluate(state, lang, today), "state": kept, "announce": announce, **extra}


def _errors(lang: str, problems: list[str]) -> dict:
    return {"regions": {_id("errors"): element(
        "div", {"class": "aigov-register-problems"},
        element("p", {}, widget_text("reg_not_saved", lang)),
        element("ul", {}, [element("li", {}, text) for text in problems[:10]]))},
        "announce": widget_text("reg_not_saved", lang) + " " + "; ".join(problems[:3])}


def _classification_problems(system: dict) -> list[dict]:
    """What stops the draft from being classified: the register's problems with its answers, context or
    first day of use (the other fields are checked when it is saved)."""
    return [p for p in register.check(empty_register() | {"systems": [system]})
            if p["field"].startswith(("answers", "context", "in_service"))]


def save_system(state: dict, lang: str, today: str) -> dict:
    document = state["register"]
    taken = {system["id"] for system in document["systems"]}
    editing = state["editing"]
    if not state["draft"]["fields"].get("name") or not state["draft"]["fields"].get("purpose"):
        return _errors(lang, [widget_text("reg_need_name", lang)])
    if len(document["systems"]) >= MAX_SYSTEMS and not editing:
        return _errors(lang, [widget_text("reg_too_many", lang)])
    system_id = editing or _new_id(state["draft"]["fields"]["name"], taken)
    system = system_from_draft(state["draft"], system_id)
    old = next((s for s in document["systems"] if s["id"] == editing), None) if editing else None
    if old is not None:
        _keep_hidden(old, system)
    if _classification_problems(system):         # named by the check below; no record of a use case that cannot be classified
        system.get("approval", {}).pop("approved_use", None)
    else:
        _record_approval(old, system, today, lang)
    if "approval" in system and not system["approval"]:
        system.pop("approval")
    systems = ([system if s["id"] == editing else s for s in document["systems"]] if editing
               else [*document["systems"], system])
    candidate = {**document, "systems": systems}
    problems = register.check(candidate)
    if problems:
        return _errors(lang, [f"{p['field']}: {p['message']}" for p in problems])
    new_state = {**state, "register": register.normalise(candidate), "editing": "",
                 "draft": {"fields": {}, "answers": {}, "context": {}}}
    answer = _answer(new_state, lang, today, widget_text("reg_saved", lang).format(name=system["name"]))
    answer["regions"][_id("errors")] = fragment()
    return answer


def _find(state: dict, system_id: object) -> dict | None:
    return next((s for s in state["register"]["systems"] if s["id"] == system_id), None)


def row_action(action: str, state: dict, system_id: object, lang: str, today: str) -> dict:
    system = _find(state, system_id)
    if system is None:
        return {"error": "import_invalid", "message": widget_text("import_invalid", lang)}
    systems = state["register"]["systems"]
    if action == "edit":
        new_state = {**state, "editing": system["id"], "draft": draft_from_system(system)}
        return _answer(new_state, lang, today, widget_text("reg_editing", lang).format(name=system["name"]))
    if action == "duplicate":
        copy = json.loads(json.dumps(system))
        copy["name"] = widget_text("reg_copy_name", lang).format(name=system["name"])
        copy["id"] = _new_id(copy["name"], {s["id"] for s in systems})
        copy.pop("uuid", None)
        if len(systems) >= MAX_SYSTEMS:
            return _errors(lang, [widget_text("reg_too_many", lang)])
        new_state = {**state, "register": {**state["register"], "systems": [*systems, copy]}}
        return _answer(new_state, lang, today, widget_text("reg_duplicated", lang).format(name=copy["name"]))
    if action == "remove":
        new_state = {**state, "register": {**state["register"], "systems": [s for s in systems if s is not system]},
                     "editing": "" if state["editing"] == system["id"] else state["editing"]}
        return _answer(new_state, lang, today, widget_text("reg_removed", lang).format(name=system["name"]))
    raise ValueError(f"unknown register action {action!r}")


def new_system(state: dict, lang: str, today: str) -> dict:
    new_state = {**state, "editing": "", "draft": {"fields": {}, "answers": {}, "context": {}}}
    return _answer(new_state, lang, today, widget_text("reg_new_system", lang))


# --- import -------------------------------------------------------------------------------------------

def read_register(text: object, lang: str) -> tuple[dict | None, dict | None]:
    """(the imported register in normal form, None) or (None, an answer with the message). Oversized, foreign,
    malformed or invalid files are refused; nothing is changed then."""
    if not isinstance(text, str) or len(text) > frame.MAX_IMPORT_CHARS:
        return None, {"error": "import_too_large", "message": widget_text("import_too_large", lang)}
    try:
        document = jsonio.loads(text, max_chars=frame.MAX_IMPORT_CHARS)
    except jsonio.JSONError as error:
        key = "import_too_large" if error.reason == "too_large" else "import_not_json"
        return None, {"error": key, "message": widget_text(key, lang)}
    if not isinstance(document, dict) or document.get("format") != register.FORMAT:
        return None, {"error": "import_foreign_tool", "message": widget_text("reg_import_foreign", lang)}
    if isinstance(document.get("systems"), list) and len(document["systems"]) > MAX_SYSTEMS:
        return None, {"error": "import_invalid", "message": widget_text("reg_too_many", lang)}
    try:
        return register.validate(document), None
    except register.RegisterError as error:
        problems = [register.problem_text(p) for p in error.problems]
        message = widget_text("reg_import_invalid", lang) + " " + "; ".join(problems[:5])
        return None, {"error": "import_invalid", "message": message[:2000]}


def _names(systems: list[dict]) -> Markup:
    return element("ul", {}, [element("li", {}, system["name"]) for system in systems[:50]])


def import_preview(state: dict, text: object, lang: str, today: str) -> dict:
    imported, refusal = read_register(text, lang)
    if refusal:
        return refusal
    preview = register.merge_preview(state["register"], imported)
    parts = [element("p", {}, widget_text("reg_preview_intro", lang).format(name=imported["organisation"]["name"]))]
    if preview["added"]:
        parts += [element("h4", {}, widget_text("reg_preview_added", lang).format(count=len(preview["added"]))),
                  _names(preview["added"])]
    if preview["changed"]:
        parts += [element("h4", {}, widget_text("reg_preview_changed", lang).format(count=len(preview["changed"]))),
                  element("ul", {}, [element("li", {}, change["imported"]["name"], colon(lang), ", ".join(change["fields"]))
                                     for change in preview["changed"][:50]])]
    if preview["removed"]:
        parts += [element("h4", {}, widget_text("reg_preview_removed", lang).format(count=len(preview["removed"]))),
                  _names(preview["removed"])]
    parts.append(element("p", {}, widget_text("reg_preview_unchanged", lang).format(count=len(preview["unchanged"]))))
    if preview["organisation"]["changed"]:
        parts.append(element("p", {}, widget_text("reg_preview_org", lang)))
    summary = {key: len(preview[key]) for key in ("added", "changed", "removed", "unchanged")}
    return {"regions": {_id("preview"): fragment(parts)}, "preview": summary,
            "announce": widget_text("reg_preview_title", lang)}


def import_apply(state: dict, text: object, lang: str, today: str, merge: bool = False) -> dict:
    """Replace the register with the file (`merge` False) or merge the file into it (register.merge: the
    file's systems replace those with their id and the others are added; none is removed)."""
    imported, refusal = read_register(text, lang)
    if refusal:
        return refusal
    if merge:
        if len({s["id"] for s in state["register"]["systems"]} | {s["id"] for s in imported["systems"]}) > MAX_SYSTEMS:
            return _errors(lang, [widget_text("reg_too_many", lang)])
        imported = register.merge(state["register"], imported)
    new_state = {**state, "register": imported, "editing": "",
                 "organisation": {k: v for k, v in imported["organisation"].items() if k in dict(ORG_FIELDS)}}
    return _answer(new_state, lang, today, widget_text("reg_import_merged" if merge else "reg_import_applied", lang))


# --- exports ------------------------------------------------------------------------------------------

EXPORTS = {"export-json": ("json", "application/json"), "export-csv": ("csv", "text/csv"),
           "export-eu-db": ("eu-db", "application/json"), "export-algoritmeregister": ("algoritmeregister", "application/json"),
           "export-eurocities": ("eurocities", "application/json")}


def export(action: str, state: dict, lang: str, today: str) -> dict:
    fmt, mime = EXPORTS[action]
    content = register_export.export(state["register"], fmt, on_date=today, lang=lang)
    extension = "csv" if fmt == "csv" else "json"
    stem = FILE_STEM if fmt == "json" else f"{FILE_STEM}-{fmt}"
    return {"download": {"filename": f"{stem}-{today}.{extension}", "type": mime, "content": content}}


def export_markdown(state: dict, lang: str, today: str) -> str:
    lines = frame.markdown_header(widget_text("title_register", lang), lang, today)
    organisation = state["register"]["organisation"].get("name", "-")
    if organisation != "-":
        lines += [frame.markdown_inert(organisation), ""]
    for item in (assess_system(system, today, lang) for system in state["register"]["systems"]):
        approval, changes = approval_state(item, lang)
        if changes:
            approval += f" **{widget_text('reg_approval_changed', lang)}**{colon(lang)}{changes}"
        fria = widget_text("doc_yes" if documents.fria_required(item["result"]) else "doc_no", lang)
        lines += [f"## {frame.markdown_inert(item['system']['name'])}", "",
                  f"- {widget_text('result_classification', lang)}{colon(lang)}{''.join(_tier_text(item, lang))}",
                  f"- {widget_text('reg_col_approval', lang)}{colon(lang)}{approval}",
                  f"- {widget_text('reg_fria_required', lang)}{colon(lang)}{fria}",
                  f"- {widget_text('reg_col_next_due', lang)}{colon(lang)}{_date(item['next_due'], lang)}", "",
                  f"### {widget_text('result_obligations', lang).format(role=references.role_label(register.role(item['system']), lang))}", ""]
        lines += [f"- {duty['label']} ({references.citation(duty['id'], lang)}; {_date(duty['applies_from'], lang)})"
                  for duty in item["result"]["obligations"]] + [""]
    return "\n".join(lines)


def result_data(state: dict, lang: str, today: str) -> dict:
    return {"rows": register_export.csv_rows(state["register"], on_date=today, lang=lang)}


def handle(request: dict) -> dict:
    lang, action, today = request["lang"], request["action"], request["today"]
    if action in EXPORTS or action in ("save-system", "new-system", "edit", "duplicate", "remove",
                                       "import-preview", "import-apply", "import-merge", "document",
                                       "document-md", "document-close"):
        state = normalise_state(request.get("state"))
        if state is None:
            return {"error": "import_invalid", "message": widget_text("import_invalid", lang)}
        if action in ("document", "document-md"):
            found = document_for(state, request.get("system"), request.get("document"), lang, today)
            if found is None:
                return {"error": "import_invalid", "message": widget_text("import_invalid", lang)}
            if action == "document":
                return show_document(*found, request["document"], lang)
            return document_markdown(*found, request["document"], lang, today)
        if action == "document-close":
            return {"regions": {_id("document"): fragment()}, "announce": widget_text("reg_document_closed", lang)}
        if action == "import-merge":
            return import_apply(state, request.get("text"), lang, today, merge=True)
        if action in EXPORTS:
            return export(action, state, lang, today)
        if action == "save-system":
            return save_system(state, lang, today)
        if action == "new-system":
            return new_system(state, lang, today)
        if action == "import-preview":
            return import_preview(state, request.get("text"), lang, today)
        if action == "import-apply":
            return import_apply(state, request.get("text"), lang, today)
        return row_action(action, state, request.get("system"), lang, today)
    if action == "import":
        return {"error": "import_invalid", "message": widget_text("import_invalid", lang)}
    return frame.handle(request, sys.modules[__name__])


# --- the static form ------------------------------------------------------------------------------------

def _label_text(key: str, lang: str) -> str:
    """A form label: the register tool's own text, else (the FRIA's elements, the guarantees) the label of
    the document field the value fills (data/documents/fields.toml), so each is written once."""
    name = "reg_f_" + key.replace(".", "_")
    if name in data.load("widget_ui.toml"):
        return widget_text(name, lang)
    parts = key.split(".")
    if parts[:2] == ["approval", "opinions"]:
        return widget_text(f"reg_f_opinion_{parts[3]}", lang)
    text = documents.fields()[key]["label"][lang]
    return text[0].upper() + text[1:]


def _field(key: str, kind: str, lang: str, prefix: str = "sys") -> Markup:
    ident = _id(("f-" if prefix == "sys" else f"{prefix}-") + key.replace(".", "-").replace("_", "-"))
    required = prefix == "sys" and key in ("name", "purpose")
    label = element("label", {"for": ident}, _label_text(key, lang) if prefix == "sys" else widget_text(f"reg_org_{key}", lang),
                    " ", element("span", {"class": "aigov-required"}, widget_text("reg_required", lang))
                    if required else None)
    attrs = {"id": ident, "name": f"{prefix}:{key}", "required": required or None, "autocomplete": "off"}
    if kind == "checkbox":
        return element("div", {"class": "aigov-field aigov-check"},
                       element("input", {"type": "checkbox", "id": ident, "name": f"{prefix}:{key}"}), " ", label)
    if kind in ("opinion", "decision"):
        values = documents.OPINIONS if kind == "opinion" else documents.DECISIONS
        return _select(ident, f"{prefix}:{key}", _label_text(key, lang),
                       [("", "–")] + [(value, widget_text(f"doc_{kind}_{value}", lang)) for value in values])
    if kind == "textarea":
        control = element("textarea", {**attrs, "rows": 2, "maxlength": MAX_TEXT})
    else:
        control = element("input", {"type": kind, **attrs, "maxlength": MAX_TEXT if kind != "date" else None})
    return element("div", {"class": "aigov-field"}, label, control)


def _select(ident: str, name: str, label: str, options: list[tuple[str, str]], selected: str = "") -> Markup:
    return element("div", {"class": "aigov-field"}, element("label", {"for": ident}, label), " ",
                   element("select", {"id": ident, "name": name},
                           [element("option", {"value": value, "selected": value == selected}, text)
                            for value, text in options]))


def _context_fieldset(lang: str) -> Markup:
    fields = []
    for item in questionnaire.context(lang):
        ident = _id("ctx-" + item["id"].replace("_", "-"))
        help_id = ident + "-help"
        if item["id"] == "role":
            control = element("select", {"id": ident, "name": "ctx:role", "aria-describedby": help_id},
                              [element("option", {"value": o["value"], "selected": o["value"] == "deployer"}, o["label"])
                               for o in item["options"]])
        elif item["id"] in CONTEXT_BOOLS:
            control = element("input", {"type": "checkbox", "id": ident, "name": f"ctx:{item['id']}",
                                        "checked": True, "aria-describedby": help_id})
        elif item["id"] == "intended_for_public_authorities":
            labels = questionnaire.load("classifier")["options"]
            control = element("select", {"id": ident, "name": f"ctx:{item['id']}", "aria-describedby": help_id},
                              [element("option", {"value": value, "selected": value == ""}, labels[key][lang])
                               for value, key in (("", "unsure"), ("y", "true"), ("n", "false"))])
        else:
            continue            # in_service_since is a field of the system itself
        label = element("label", {"for": ident}, item["label"])
        pair = [control, " ", label] if item["id"] in CONTEXT_BOOLS else [label, " ", control]
        fields.append(element("div", {"class": "aigov-field"}, *pair,
                              element("p", {"class": "aigov-help", "id": help_id}, item["help"])))
        if item["id"] == "role":      # the register's own question: does the institution use it itself?
            fields.append(_own_use(lang))
    return element("fieldset", {"class": "aigov-context"}, element("legend", {}, widget_text("context_heading", lang)), fields)


def _own_use(lang: str) -> Markup:
    ident, labels = _id("ctx-own-use"), questionnaire.load("classifier")["options"]
    return element("div", {"class": "aigov-field"},
                   element("label", {"for": ident}, widget_text("reg_own_use", lang)), " ",
                   element("select", {"id": ident, "name": "ctx:own_use", "aria-describedby": ident + "-help"},
                           [element("option", {"value": value, "selected": value == ""}, labels[key][lang])
                            for value, key in (("", "unsure"), ("y", "true"), ("n", "false"))]),
                   element("p", {"class": "aigov-help", "id": ident + "-help"}, widget_text("reg_own_use_help", lang)))


def _view_fieldset(lang: str) -> Markup:
    every = [("", widget_text("reg_all", lang))]
    return element(
        "fieldset", {"class": "aigov-register-view"},
        element("legend", {}, widget_text("reg_view_legend", lang)),
        _select(_id("sort"), "view:sort", widget_text("reg_sort", lang),
                [(key, widget_text(f"reg_sort_{key}", lang)) for key in SORTS], "name"),
        _select(_id("filter-tier"), "view:tier", widget_text("reg_col_tier", lang),
                every + [(tier, widget_text(f"tier_{tier}", lang)) for tier in TIER_ORDER]),
        _select(_id("filter-status"), "view:status", widget_text("reg_col_status", lang),
                every + [(status, widget_text(f"reg_status_{status}", lang)) for status in register.STATUSES]),
        element("div", {"class": "aigov-field"},
                element("label", {"for": _id("filter-department")}, widget_text("reg_col_department", lang)), " ",
                element("input", {"type": "text", "id": _id("filter-department"), "name": "view:department",
                                  "autocomplete": "off", "maxlength": 200})),
        _select(_id("filter-due"), "view:due", widget_text("reg_col_next_due", lang),
                every + [("12", widget_text("reg_due_12", lang))]),
    )


def _organisation_fieldset(lang: str) -> Markup:
    """The institution: its name (for every export) and who the DPO's documents name."""
    fields = [_field(key, kind, lang, prefix="org") for key, kind in ORG_FIELDS]
    return element("fieldset", {"class": "aigov-register-organisation"},
                   element("legend", {}, widget_text("reg_org_legend", lang)), fields[0],
                   element("details", {}, element("summary", {}, widget_text("reg_org_more", lang)), fields[1:]),
                   element("div", {"id": _id("org-errors"), "role": "alert"}))


def _fria_fieldset(lang: str) -> Markup:
    return element("details", {"class": "aigov-register-more"},
                   element("summary", {}, widget_text("reg_fria_legend", lang)),
                   element("fieldset", {}, element("legend", {}, widget_text("reg_fria_legend", lang)),
                           element("p", {"class": "aigov-help"}, widget_text("reg_fria_help", lang)),
                           [_field(key, kind, lang) for key, kind in FRIA_FIELDS]))


def _approval_fieldset(lang: str) -> Markup:
    by_key = dict(APPROVAL_FIELDS)
    signers = [element("fieldset", {}, element("legend", {}, widget_text(f"reg_signer_{signer}", lang)),
                       [_field(f"approval.opinions.{signer}.{key}", by_key[f"approval.opinions.{signer}.{key}"], lang)
                        for key in ("name", "opinion", "conditions", "date")])
               for signer in documents.SIGNERS]
    guarantees = element("fieldset", {}, element("legend", {}, widget_text("reg_guarantees_legend", lang)),
                         [_field(f"approval.guarantees.{key}", "checkbox", lang) for key in documents.GUARANTEES],
                         _field("approval.guarantees_notes", "textarea", lang))
    decision = [_field(key, by_key[key], lang) for key in ("approval.decision", "approval.conditions",
                                                           "approval.decided_by", "approval.date")]
    return element("details", {"class": "aigov-register-more"},
                   element("summary", {}, widget_text("reg_approval_legend", lang)),
                   element("fieldset", {}, element("legend", {}, widget_text("reg_approval_legend", lang)),
                           element("p", {"class": "aigov-help"}, widget_text("reg_approval_help", lang)),
                           _field("approval.reference", "text", lang), guarantees, signers, decision))


def render_static(lang: str, runtime: dict[str, str]) -> str:
    """An empty register: the organisation, the system form with the classifier's questions, the views,
    the exports and the import with its confirmation dialog."""
    system_fields = [_field(key, kind, lang) for key, kind in TEXT_FIELDS[:6]]
    system_fields.insert(4, _select(_id("f-status"), "sys:status", widget_text("reg_f_status", lang),
                                    [(status, widget_text(f"reg_status_{status}", lang)) for status in register.STATUSES],
                                    "planned"))
    more = [_field(key, kind, lang) for key, kind in TEXT_FIELDS[6:]]
    more.append(_select(_id("f-domain"), "sys:domain", widget_text("reg_f_domain", lang),
                        [("", "–")] + [(value, register_export.value_label("domain", value, lang))
                                       for value in register.enums()["domain"]]))
    exports = [frame.button(action, widget_text("reg_" + action.replace("-", "_"), lang)) for action in EXPORTS]
    exports.append(frame.button("export-markdown", widget_text("export_markdown", lang)))
    dialog_id = _id("import-dialog")
    actions = element(
        "div", {"class": "aigov-actions", "data-aigov-actions": True, "hidden": True},
        element("h3", {}, widget_text("tools", lang)),
        element("p", {}, widget_text("reg_local", lang)),
        element("p", {"class": "aigov-buttons"}, *exports, frame.button("print", widget_text("print", lang)),
                frame.button("reset", widget_text("reset", lang), secondary=True)),
        element("p", {"class": "aigov-undo", "data-aigov-undo-box": True, "hidden": True},
                element("button", {"type": "button", "data-aigov-undo": True}, widget_text("reset_undo", lang))),
        element("p", {},
                element("label", {"for": _id("import")}, widget_text("reg_import_label", lang)), " ",
                element("input", {"type": "file", "id": _id("import"), "accept": ".json,application/json",
                                  "data-aigov-register-import": True})),
        frame.saved_work(CONFIG, lang),
        frame.confirm_dialog(CONFIG, lang),
        element("dialog", {"class": "aigov-confirm aigov-register-import", "id": dialog_id,
                           "aria-labelledby": dialog_id + "-title", "data-aigov-register-dialog": True,
                           "data-aigov-cancelled": widget_text("reg_import_cancelled", lang)},
                element("h3", {"id": dialog_id + "-title"}, widget_text("reg_preview_title", lang)),
                element("div", {"id": _id("preview")}),
                element("form", {"method": "dialog"},
                        element("button", {"type": "submit", "value": "confirm"}, widget_text("reg_import_confirm", lang)),
                        " ",
                        element("button", {"type": "submit", "value": "merge"}, widget_text("reg_import_merge", lang)),
                        " ",
                        element("button", {"type": "submit", "value": "cancel", "class": "secondary", "autofocus": True},
                                widget_text("reg_import_cancel", lang)))),
    )
    form = element(
        "form", {"class": "aigov-form", "data-aigov-form": True},
        element("input", {"type": "hidden", "data-aigov-register-data": True, "value": ""}),
        element("input", {"type": "hidden", "data-aigov-register-editing": True, "value": ""}),
        _organisation_fieldset(lang),
        _view_fieldset(lang),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": _id("result"),
                        "tabindex": -1},
                element("h3", {}, widget_text("reg_systems_heading", lang)),
                element("p", {}, widget_text("reg_empty", lang))),
        element("div", {"id": _id("document"), "class": "aigov-register-document-region"}),
        element("h3", {"id": _id("form-title")}, widget_text("reg_form_heading", lang)),
        element("div", {"id": _id("heading")}, element("p", {"class": "aigov-register-editing"},
                                                        widget_text("reg_new_system", lang))),
        element("fieldset", {"class": "aigov-register-system-fields"},
                element("legend", {}, widget_text("reg_system_legend", lang)), system_fields),
        element("details", {"class": "aigov-register-more"},
                element("summary", {}, widget_text("reg_more", lang)),
                element("fieldset", {}, element("legend", {}, widget_text("reg_more_legend", lang)), more)),
        _context_fieldset(lang),
        element("fieldset", {"class": "aigov-register-classify"},
                element("legend", {}, widget_text("reg_classify_legend", lang)),
                element("p", {}, widget_text("reg_classify_help", lang)),
                classifier.question_sections(lang, "classifier")),
        _fria_fieldset(lang),
        _approval_fieldset(lang),
        element("div", {"class": "aigov-register-draft", "id": _id("draft")},
                element("h4", {}, widget_text("reg_draft_heading", lang)),
                element("p", {}, widget_text("reg_draft_empty", lang))),
        element("div", {"id": _id("errors"), "role": "alert"}),
        element("p", {"class": "aigov-buttons", "data-aigov-register-buttons": True, "hidden": True},
                element("button", {"type": "button", "data-aigov-register": "save-system"}, widget_text("reg_save", lang)),
                " ",
                element("button", {"type": "button", "class": "secondary", "data-aigov-register": "new-system"},
                        widget_text("reg_clear", lang))),
    )
    return frame.root(KIND, CONFIG, lang, runtime, widget_text("title_register", lang), form, actions)
