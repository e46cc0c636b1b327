"""What every widget has around its form, in the same markup: the root with its data attributes, the
status line, the texts the page script needs, the save-and-share buttons and the reset dialog."""

from __future__ import annotations

import json
import re

from aigov_widgets.core import jsonio, tools
from aigov_widgets.core.law.constants import ANSWER_CODES
from aigov_widgets.core.law import references
from aigov_widgets.core.ui.html import Markup, element, fragment
from aigov_widgets.core.ui.texts import colon, widget_text

# Texts the page script shows by itself (stages, errors, messages of import, storage and reset).
SCRIPT_TEXTS = (
    "stage_download", "stage_start", "stage_logic", "stage_ready", "error_runtime", "error_detail",
    "error_timeout", "error_evaluation", "reset_done", "reset_undo", "import_done", "import_too_large",
    "import_not_json", "import_invalid", "prefilled", "link_ready", "link_bad", "storage_bad", "link_copied",
    "step_of", "step_done", "step_open", "saved_default", "saved_from_link", "saved_imported", "saved_copy",
    "saved_opened", "saved_deleted", "saved_undone", "import_as_new", "reset_undo",
)
# The largest file a tool reads (the page checks the size before reading it, with this same bound).
MAX_IMPORT_CHARS = 1_000_000
# After this long without "ready", the page gives up on Python and says so (a wasm served with the wrong
# MIME type, an aborted download): the static content stays usable.
BOOT_TIMEOUT_MS = 60_000


def page_config(kind: str, config: str, lang: str) -> dict:
    """What the page script needs besides the markup, from the one place each fact lives."""
    return {
        "texts": {key: widget_text(key, lang) for key in SCRIPT_TEXTS},
        "answer_codes": {code: value for value, code in ANSWER_CODES.items()},
        "link_prefix": f"#aigov-{config}:",
        "max_import": MAX_IMPORT_CHARS,
        "rules_version": references.rules_version(),
        "boot_timeout": BOOT_TIMEOUT_MS,
    }


def root(kind: str, config: str, lang: str, runtime: dict[str, str], title: str, *body) -> Markup:
    """<section data-aigov-widget=kind …> with its heading, status line and configuration, then `body`."""
    base = f"aigov-{config}"
    spec = tools.spec(kind)
    return element(
        "section",
        {"class": f"aigov-widget aigov-{kind}", "id": base, "aria-labelledby": f"{base}-title",
         "data-aigov-widget": kind, "data-aigov-config": config, "data-aigov-state": "static",
         "data-aigov-form-type": spec.form, "data-aigov-tool-page": spec.tool_page,
         "data-aigov-lang": lang, "data-aigov-storage": f"aigov.{kind}.{config}",
         "data-aigov-pyodide": runtime["pyodide"], "data-aigov-wheel": runtime["wheel"],
         "data-aigov-worker": runtime["worker"]},
        element("h2", {"id": f"{base}-title"}, title),
        element("noscript", {}, element("p", {"class": "notice"}, widget_text("noscript", lang))),
        element("p", {"class": "aigov-idle", "data-aigov-idle": True, "hidden": True}, widget_text("stage_idle", lang)),
        element("p", {"class": "aigov-status", "role": "status", "data-aigov-status": True, "hidden": True}),
        element("p", {"class": "aigov-notice", "data-aigov-notice": True, "hidden": True}),
        element("script", {"type": "application/json", "data-aigov-page-config": True},
                Markup(json.dumps(page_config(kind, config, lang), ensure_ascii=False).replace("<", "\\u003c"))),
        *body,
    )


def guided_steps(config: str, lang: str) -> Markup:
    """The guided flow of a questionnaire: where the reader is ("Step 3 of 7"), every step in any order, and
    a one-line running result linking to the full one. Hidden until the page script runs: without it the
    whole form shows, as on paper. Steps are the form's sections that hold a question that still matters."""
    base = f"aigov-{config}"
    return element(
        "div", {"class": "aigov-guide", "data-aigov-steps": True, "hidden": True},
        # On a phone this bar holds both the way to the book's contents and the running result.
        element("a", {"class": "aigov-contents-link", "href": "#site-nav"}, widget_text("steps_contents", lang)),
        element("p", {"class": "aigov-summary", "id": f"{base}-summary", "data-aigov-summary": True}),
        element("nav", {"class": "aigov-steps", "aria-label": widget_text("steps_nav", lang)},
                element("p", {"class": "aigov-step-label", "data-aigov-step-label": True}),
                element("details", {"class": "aigov-step-list"},
                        element("summary", {}, widget_text("steps_all", lang)),
                        element("ol", {"data-aigov-step-list": True}))),
    )


def step_buttons(lang: str) -> Markup:
    """Back, next and "none of these applies" (an explicit "no" to the step's open questions)."""
    return element(
        "p", {"class": "aigov-step-buttons", "data-aigov-step-buttons": True, "hidden": True},
        element("button", {"type": "button", "class": "secondary", "data-aigov-step": "prev"}, widget_text("step_prev", lang)),
        element("button", {"type": "button", "data-aigov-step": "next"}, widget_text("step_next", lang)),
        element("button", {"type": "button", "class": "secondary", "data-aigov-step": "none"}, widget_text("step_none", lang)),
    )


def summary(config: str, lang: str, *text) -> dict[str, Markup]:
    """The running result's one line, as a region: what the page shows beside the current step."""
    base = f"aigov-{config}"
    return {f"{base}-summary": fragment(*text, " ", element("a", {"href": f"#{base}-result"}, widget_text("summary_link", lang)))}


def citation_link(provision_id: str, lang: str) -> Markup:
    """A provision's citation linking to EUR-Lex in `lang`, its label as the link's title."""
    ref = references.provision(provision_id, lang)
    return element("a", {"href": ref["url"], "title": ref["label"]}, ref["citation"])


def citation_links(provision_ids, lang: str) -> list:
    """Several citation links, separated by commas."""
    return [[", " if index else "", citation_link(pid, lang)] for index, pid in enumerate(provision_ids)]


def legal_basis(provision_ids, lang: str) -> Markup | None:
    """The "Legal basis: …" line of a question or item (None when it cites nothing)."""
    if not provision_ids:
        return None
    return element("p", {"class": "aigov-provisions"}, widget_text("provisions", lang), colon(lang),
                   citation_links(provision_ids, lang))


def static_result(lang: str, text_key: str = "result_static") -> Markup:
    """The result area before any answer: its heading and what will appear there."""
    return fragment(element("h3", {}, widget_text("result_heading", lang)), element("p", {}, widget_text(text_key, lang)))


def button(action: str, label: str, secondary: bool = False) -> Markup:
    return element("button", {"type": "button", "class": "secondary" if secondary else None,
                              "data-aigov-action": action}, label)


def actions(config: str, lang: str, *extra_buttons: Markup, extra: Markup | None = None) -> Markup:
    """Save and share: exports, import, reset (hidden until the page script runs: they need it)."""
    base = f"aigov-{config}"
    return element(
        "div", {"class": "aigov-actions", "data-aigov-actions": True, "hidden": True},
        element("h3", {}, widget_text("tools", lang)),
        element("p", {}, widget_text("saved_locally", lang)),
        element("p", {"class": "aigov-buttons"},
                *extra_buttons,
                button("export-markdown", widget_text("export_markdown", lang)),
                button("export-json", widget_text("export_json", lang)),
                button("reset", widget_text("reset", lang), secondary=True)),
        element("p", {"class": "aigov-undo", "data-aigov-undo-box": True, "hidden": True},
                element("button", {"type": "button", "data-aigov-undo": True}, widget_text("reset_undo", lang))),
        element("p", {},
                element("label", {"for": f"{base}-import"}, widget_text("import_json", lang)), " ",
                element("input", {"type": "file", "id": f"{base}-import", "accept": ".json,application/json",
                                  "data-aigov-action": "import"})),
        extra,
        saved_work(config, lang),
        confirm_dialog(config, lang),
    )


def saved_work(config: str, lang: str) -> Markup:
    """Several named assessments per tool, kept in this browser: choose, name, add, duplicate, delete.
    The page script fills the list; a deletion or a reset can be undone."""
    base = f"aigov-{config}"
    return element(
        "div", {"class": "aigov-saved", "data-aigov-saved": True},
        element("h3", {}, widget_text("saved_heading", lang)),
        element("p", {"class": "aigov-field"},
                element("label", {"for": f"{base}-saved"}, widget_text("saved_choose", lang)), " ",
                element("select", {"id": f"{base}-saved", "data-aigov-saved-select": True})),
        element("p", {"class": "aigov-field"},
                element("label", {"for": f"{base}-saved-name"}, widget_text("saved_name", lang)), " ",
                element("input", {"type": "text", "id": f"{base}-saved-name", "maxlength": 120,
                                  "data-aigov-saved-name": True, "autocomplete": "off"})),
        element("p", {"class": "aigov-buttons"},
                element("button", {"type": "button", "data-aigov-saved-action": "new"}, widget_text("saved_new", lang)),
                element("button", {"type": "button", "class": "secondary", "data-aigov-saved-action": "duplicate"},
                        widget_text("saved_duplicate", lang)),
                element("button", {"type": "button", "class": "secondary", "data-aigov-saved-action": "delete"},
                        widget_text("saved_delete", lang))),
    )


def confirm_dialog(config: str, lang: str) -> Markup:
    ident = f"aigov-{config}-confirm"
    return element(
        "dialog", {"class": "aigov-confirm", "id": ident, "aria-labelledby": ident + "-title"},
        element("h3", {"id": ident + "-title"}, widget_text("reset_confirm_title", lang)),
        element("p", {}, widget_text("reset_confirm_text", lang)),
        element("form", {"method": "dialog"},
                element("button", {"type": "submit", "value": "confirm"}, widget_text("reset_confirm_yes", lang)),
                " ",
                element("button", {"type": "submit", "value": "cancel", "class": "secondary", "autofocus": True},
                        widget_text("reset_cancel", lang))),
    )


def read_export(text: str, fmt: str, version: int, normalise, limit: int = MAX_IMPORT_CHARS) -> tuple[dict | None, str | None]:
    """(state, None) for a JSON export of this tool (format `fmt`, version ≤ `version`), else (None, id of
    the message to show). Read by the strict reader (duplicate keys refused). Nothing is changed on
    error: the caller keeps its state."""
    try:
        document = jsonio.loads(text, max_chars=limit)
    except jsonio.JSONError as error:
        return None, "import_too_large" if error.reason == "too_large" else "import_not_json"
    if not isinstance(document, dict) or document.get("format") != fmt:
        return None, "import_foreign_tool"
    if not isinstance(document.get("version"), int) or document["version"] > version:
        return None, "import_invalid"
    state = normalise(document.get("state"))
    return (state, None) if state is not None else (None, "import_invalid")


def handle(request: dict, tool) -> dict:
    """Answer the actions every questionnaire tool shares — evaluate, import, export-markdown,
    export-json — and the tool's own (`tool.ACTIONS`: action -> function(state, lang, today))."""
    lang, action, today = request["lang"], request["action"], request["today"]
    if action == "import":
        state, error = read_export(request["text"], tool.FORMAT, tool.VERSION, tool.normalise_state)
        if error:
            return {"error": error, "message": widget_text(error, lang)}
        return {"state": state, **tool.evaluate(state, lang, today), "announce": widget_text("import_done", lang)}
    state = tool.normalise_state(request.get("state"))
    if state is None:      # on evaluate, the state is the saved one: the page sets it aside (never lost)
        return {"error": "state_invalid" if action == "evaluate" else "import_invalid",
                "message": widget_text("import_invalid", lang)}
    if action == "evaluate":
        return tool.evaluate(state, lang, today)
    if action in ("export-markdown", "export-json"):
        if action == "export-markdown":
            extension, mime, content = "md", "text/markdown", tool.export_markdown(state, lang, today)
        else:
            document = {"format": tool.FORMAT, "version": tool.VERSION, "exported": today,
                        "rules_version": references.rules_version(), "state": state,
                        "result": tool.result_data(state, lang, today)}
            extension, mime = "json", "application/json"
            content = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        return {"download": {"filename": f"{tool.FILE_STEM}-{today}.{extension}", "type": mime, "content": content}}
    if action in getattr(tool, "ACTIONS", {}):
        return tool.ACTIONS[action](state, lang, today)
    raise ValueError(f"unknown {tool.KIND} action {action!r}")


def markdown_inert(text: str) -> str:
    """User text as inert Markdown: no HTML, link, emphasis, code or heading can come out of it. Only what
    Markdown would read as markup is escaped, so ordinary text keeps its parentheses and signs."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)
    text = re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^(\s*)([#+\-=])", r"\1\\\2", text)


def markdown_header(title: str, lang: str, today: str) -> list[str]:
    """The first lines of every Markdown export: the tool's title and the day of the export."""
    return [f"# {title}", "", f"{widget_text('exported_on', lang)} {references.date_text(today, lang)}.", ""]
