"""The risk classifier as a widget: the questionnaire as a static form, and the engine's result as HTML.

State (language-independent): {"answers": {question_id: true | false | "unsure"},
"context": {"role", "public_body", "public_authority", "intended_for_public_authorities", "in_service_since",
"date"}}. Questions that no longer matter are
hidden (the questionnaire's graph); unanswered visible questions count as "no" and the result says it
is incomplete; "unsure" answers make it provisional, with the most protective plausible tier.
"""

from __future__ import annotations

import sys

from aigov_widgets.core.ui import frame
from aigov_widgets.core.law import engine, questionnaire, references
from aigov_widgets.core.law.constants import ANSWER_CODES, UNSURE, is_date
from aigov_widgets.core.ui import doc
from aigov_widgets.core.ui.html import Markup, element
from aigov_widgets.core.ui.texts import colon, plural, widget_text

KIND = "classifier"
CONFIG = "classifier"
FORMAT = "aigov-classifier"
VERSION = 1
_ANSWER_CODES = ANSWER_CODES



def _ids(config: str = CONFIG) -> dict:
    base = f"aigov-{config}"
    return {"result": f"{base}-result", "link": f"{base}-link",
            "question": lambda qid: f"{base}-q-{qid.replace('.', '-')}"}


# --- state ------------------------------------------------------------------------------------------

def empty_state() -> dict:
    return {"answers": {}, "context": {"role": "deployer", "public_body": True, "public_authority": True,
                                       "intended_for_public_authorities": "", "in_service_since": "", "date": ""}}


# intended_for_public_authorities in a state: "" (not given: the engine's default), "y" or "n".
_INTENDED = {"": None, "y": True, "n": False}


def clean_answers(raw: object, name: str) -> dict | None:
    """Answers to known questions of questionnaire `name`, each true, false or "unsure"; else None."""
    if not isinstance(raw, dict):
        return None
    known = set(questionnaire.question_ids(name))
    for key, value in raw.items():
        if key not in known or not (value is True or value is False or value == "unsure"):
            return None
    return dict(raw)


def normalise_state(raw: object) -> dict | None:
    """A clean copy of a state, or None when anything in it is unknown or of the wrong type."""
    if not isinstance(raw, dict) or set(raw) - {"answers", "context"}:
        return None
    answers, context = clean_answers(raw.get("answers", {}), CONFIG), raw.get("context", {})
    if answers is None or not isinstance(context, dict):
        return None
    clean = empty_state()
    if set(context) - set(clean["context"]):
        return None
    role = context.get("role", "deployer")
    public_body = context.get("public_body", True)
    public_authority = context.get("public_authority", public_body)     # saved before round 2: as public_body
    intended = context.get("intended_for_public_authorities", "")
    if role not in engine.ROLES or not isinstance(public_body, bool) or not isinstance(public_authority, bool) \
            or not isinstance(intended, str) or intended not in _INTENDED:
        return None
    for key in ("in_service_since", "date"):
        value = context.get(key) or ""
        if not isinstance(value, str) or (value and not is_date(value)):
            return None
        clean["context"][key] = value
    clean["context"].update(role=role, public_body=public_body, public_authority=public_authority,
                            intended_for_public_authorities=intended)
    clean["answers"] = answers
    return clean


def link(state: dict, config: str = CONFIG) -> str:
    """The state as a URL fragment (never sent to a server): #aigov-classifier:art3.1=y&role=deployer…"""
    parts = [f"{key}={_ANSWER_CODES[value]}" for key, value in state["answers"].items()]
    context = state.get("context", {})
    if "role" in context:
        parts.append(f"role={context['role']}")
    for key in ("public_body", "public_authority"):
        if key in context:
            parts.append(f"{key}={'y' if context[key] else 'n'}")
    if context.get("intended_for_public_authorities"):
        parts.append(f"intended_for_public_authorities={context['intended_for_public_authorities']}")
    for key in ("in_service_since", "date"):
        if context.get(key):
            parts.append(f"{key}={context[key]}")
    return f"#aigov-{config}:" + "&".join(parts)


# --- evaluation ---------------------------------------------------------------------------------------

def fill_open(answers: dict, name: str = CONFIG, value: object = UNSURE) -> dict:
    """The answers with every question that still matters and has no answer set to `value` (repeated
    until nothing new appears, since an open answer can open further questions)."""
    filled = dict(answers)
    while True:
        missing = [qid for qid in questionnaire.visible_questions(filled, name) if qid not in filled]
        if not missing:
            return filled
        filled.update(dict.fromkeys(missing, value))


def assess(state: dict, today: str, lang: str) -> dict:
    """Visible questions, what is unanswered, and the engine's result. In the tools an unanswered question
    that still matters is not "no": while any is open, `result` is the most protective classification still
    possible (the open questions read as "unsure") and `if_no` what "no" to all of them would give."""
    answers = questionnaire.prune(state["answers"], CONFIG)
    visible = questionnaire.visible_questions(answers, CONFIG)
    unanswered = [qid for qid in visible if qid not in answers]
    context = state["context"]

    # the text in force on the date (engine.choose_law); a date before the Act is read as its first day
    on_date = max(context["date"] or today, references.law_in_force_from(references.law_chain()[0]))

    def run(given: dict) -> dict:
        return engine.classify(given, on_date=on_date, lang=lang, role=context["role"],
                               public_body=context["public_body"],
                               public_authority=context.get("public_authority", context["public_body"]),
                               intended_for_public_authorities=_INTENDED[context.get("intended_for_public_authorities", "")],
                               in_service_since=context["in_service_since"] or None)

    result = run(fill_open(answers) if unanswered else answers)
    if_no = run(questionnaire.prune(fill_open(answers, value=False), CONFIG)) if unanswered else None
    status = "incomplete" if unanswered else "provisional" if result["provisional"] else "complete"
    return {"visible": visible, "unanswered": unanswered, "result": result, "if_no": if_no,
            "answers": answers, "status": status}


def result_blocks(assessment: dict, lang: str, role: str) -> list:
    """The result, written once (core/ui/doc.py): the page renders it to HTML, the export to Markdown."""
    result = assessment["result"]
    if assessment["status"] == "incomplete":
        return [*open_blocks(assessment, lang), stamp(result, lang)]
    tier = widget_text(f"tier_{result['tier']}", lang)
    provisional = f" ({widget_text('announce_provisional', lang).lower()})" if result["provisional"] else ""
    blocks = [doc.Heading(3, widget_text("result_heading", lang)),
              doc.Para([doc.Strong([widget_text("result_classification", lang), colon(lang)]), doc.Badge(tier),
                        provisional], {"class": "aigov-tier", "data-aigov-tier": result["tier"]})]
    if result["provisional"]:
        blocks.append(doc.Para(widget_text("result_provisional", lang), {"class": "aigov-provisional"}))
    if result["basis"]:
        blocks += [doc.Heading(4, widget_text("result_basis", lang)),
                   doc.Items([[citation(pid, lang), " – ", references.provision(pid, lang)["label"],
                               f" ({widget_text('derived_from', lang)})" if pid in result["derived"] else ""]
                              for pid in result["basis"]])]
    if result["transparency"]:
        blocks += [doc.Heading(4, widget_text("result_transparency", lang)),
                   doc.Items([[citation(pid, lang), " – ", references.provision(pid, lang)["label"]]
                              for pid in result["transparency"]])]
    blocks += obligation_blocks(result, lang, role)
    if result["open_questions"]:
        blocks += [doc.Heading(4, widget_text("result_open_questions", lang)),
                   doc.Items([question_ref(qid, lang) for qid in result["open_questions"]])]
    if result["notes"]:
        blocks += [doc.Heading(4, widget_text("result_notes", lang)),
                   doc.Items([note["text"] for note in result["notes"]])]
    if result["changes"]:
        blocks += [doc.Heading(4, widget_text("result_changes", lang)),
                   doc.Items([_change_text(change, lang) for change in result["changes"]])]
    return [*blocks, stamp(result, lang)]


def render_result(assessment: dict, lang: str, role: str) -> Markup:
    return doc.to_html(result_blocks(assessment, lang, role))


def open_blocks(assessment: dict, lang: str, limit: int | None = 8) -> list:
    """While questions that matter are open: no verdict, but what is possible and what is left to answer."""
    result, if_no = assessment["result"], assessment["if_no"]
    open_ids = assessment["unanswered"]
    return [
        doc.Heading(3, widget_text("result_heading", lang)),
        doc.Para([doc.Strong(widget_text("result_not_final", lang)), " ", plural("result_open", len(open_ids), lang)],
                 {"class": "aigov-tier aigov-not-final", "data-aigov-tier": "open"}),
        doc.Para(widget_text("result_range", lang).format(
            upper=widget_text(f"tier_{result['tier']}", lang), lower=widget_text(f"tier_{if_no['tier']}", lang))),
        doc.Heading(4, widget_text("result_open_list", lang)),
        doc.Items([question_ref(qid, lang) for qid in open_ids[:limit]], {"class": "aigov-open"}),
    ]


def citation(provision_id: str, lang: str) -> doc.Link:
    ref = references.provision(provision_id, lang)
    return doc.Link(ref["citation"], ref["url"], ref["label"])


def question_ref(qid: str, lang: str, name: str = CONFIG) -> doc.Link:
    return doc.Link(questionnaire.question(qid, lang, name)["text"], "#" + _ids(name)["question"](qid))


def stamp(result: dict, lang: str) -> doc.Para:
    return doc.Para(widget_text("result_stamp", lang).format(
        date=references.date_text(result["date"], lang), law=references.laws()["law"][result["law"]]["title"][lang],
        rules=result["rules_version"]), {"class": "aigov-stamp"})


def _change_text(change: dict, lang: str) -> str:
    duty = references.citation(change["id"], lang)
    after = references.date_text(change["applies_from"], lang) if change["applies_from"] else "–"
    if change["before"] is None:
        return widget_text("result_change_new", lang).format(duty=duty, after=after)
    return widget_text("result_change_line", lang).format(
        duty=duty, after=after, before=references.date_text(change["before"], lang))


def obligation_blocks(result: dict, lang: str, role: str) -> list:
    """The duties as a table: duty, legal basis, first day, whether it applies on the date (and until when,
    for a duty that applies only until a prohibition does)."""
    heading = doc.Heading(4, widget_text("result_obligations", lang).format(role=references.role_label(role, lang)))
    if not result["obligations"]:
        return [heading, doc.Para(widget_text("result_no_obligations", lang))]
    on_date = widget_text("result_in_force", lang).format(date=references.date_text(result["date"], lang))

    def applies(duty: dict) -> str:
        text = widget_text("result_yes_applies" if duty["in_force"] else "result_not_yet", lang)
        if duty.get("until"):
            text += f" ({widget_text('result_until', lang).format(date=references.date_text(duty['until'], lang))})"
        return text

    rows = [[duty["label"], doc.Link(references.citation(duty["id"], lang), duty["url"]),
             references.date_text(duty["applies_from"], lang) if duty["applies_from"] else "–", applies(duty)]
            for duty in result["obligations"]]
    return [heading, doc.Table([widget_text("result_duty", lang), widget_text("provisions", lang),
                                widget_text("result_applies_from", lang), on_date], rows, {"class": "aigov-obligations"})]


def evaluate(state: dict, lang: str, today: str) -> dict:
    if not state["answers"]:
        return {"visible": questionnaire.visible_questions({}, CONFIG), "status": "empty",
                "regions": {_ids()["result"]: frame.static_result(lang)}}
    assessment = assess(state, today, lang)
    result_html = render_result(assessment, lang, state["context"]["role"])
    announce = announcement(assessment, lang)
    return {"visible": assessment["visible"], "status": assessment["status"], "announce": announce,
            "regions": {_ids()["result"]: result_html, **frame.summary(CONFIG, lang, announce)}}


def announcement(assessment: dict, lang: str) -> str:
    """What a screen reader hears: never a tier without "incomplete" or "provisional" when the page says so."""
    tier = widget_text(f"tier_{assessment['result']['tier']}", lang)
    if assessment["status"] == "incomplete":
        return f"{widget_text('announce_incomplete', lang)}: {plural('result_open', len(assessment['unanswered']), lang)}"
    prefix = f"{widget_text('announce_provisional', lang)}. " if assessment["status"] == "provisional" else ""
    return f"{prefix}{widget_text('result_classification', lang)}{colon(lang)}{tier}"


# --- static form ---------------------------------------------------------------------------------

def question_fieldset(qid: str, lang: str, name: str = CONFIG) -> Markup:
    """One question: its text as the legend, help, examples and provisions, and yes / no / not sure."""
    q = questionnaire.question(qid, lang, name)
    ident = _ids(name)["question"](qid)
    help_id = ident + "-help"
    examples = element("div", {"class": "aigov-examples"}, element("p", {}, widget_text("examples", lang)),
                       element("ul", {}, [element("li", {}, example) for example in q["examples"]])) \
        if q["examples"] else None
    provisions = frame.legal_basis(q["provisions"], lang)
    options = [element("span", {"class": "aigov-option"},
                       element("input", {"type": "radio", "id": f"{ident}-{_ANSWER_CODES[o['value']]}",
                                         "name": f"q:{qid}", "value": _ANSWER_CODES[o["value"]]}),
                       element("label", {"for": f"{ident}-{_ANSWER_CODES[o['value']]}"}, o["label"]))
               for o in q["options"]]
    return element(
        "fieldset", {"class": "aigov-question", "id": ident, "data-aigov-question": qid,
                     "aria-describedby": help_id},
        element("legend", {}, q["text"]),
        element("div", {"class": "aigov-help", "id": help_id},
                element("p", {}, q["help"]) if q["help"] else None, examples, provisions),
        element("div", {"class": "aigov-options"}, options),
    )


def _context_fieldset(lang: str) -> Markup:
    base = f"aigov-{CONFIG}-ctx"
    fields = []
    for item in questionnaire.context(lang):
        ident = f"{base}-{item['id']}"
        help_id = ident + "-help"
        if item["id"] == "role":
            control = element("select", {"id": ident, "name": "ctx:role", "aria-describedby": help_id},
                              [element("option", {"value": o["value"], "selected": o["value"] == "deployer"}, o["label"])
                               for o in item["options"]])
        elif item["id"] in ("public_body", "public_authority"):
            control = element("input", {"type": "checkbox", "id": ident, "name": f"ctx:{item['id']}",
                                        "checked": True, "aria-describedby": help_id})
        elif item["id"] == "intended_for_public_authorities":
            labels = questionnaire.load(CONFIG)["options"]
            control = element("select", {"id": ident, "name": f"ctx:{item['id']}", "aria-describedby": help_id},
                              [element("option", {"value": value, "selected": value == ""}, labels[key][lang])
                               for value, key in (("", "unsure"), ("y", "true"), ("n", "false"))])
        else:
            control = element("input", {"type": "date", "id": ident, "name": f"ctx:{item['id']}",
                                        "aria-describedby": help_id})
        label = element("label", {"for": ident}, item["label"])
        pair = [control, " ", label] if item["id"] in ("public_body", "public_authority") else [label, " ", control]
        fields.append(element("div", {"class": "aigov-field"}, *pair, element("p", {"class": "aigov-help", "id": help_id},
                                                                              item["help"])))
    date_id = f"{base}-date"
    fields.append(element("div", {"class": "aigov-field"},
                          element("label", {"for": date_id}, widget_text("evaluation_date", lang)), " ",
                          element("input", {"type": "date", "id": date_id, "name": "ctx:date",
                                            "aria-describedby": date_id + "-help"}),
                          element("p", {"class": "aigov-help", "id": date_id + "-help"},
                                  widget_text("evaluation_date_help", lang))))
    return element("fieldset", {"class": "aigov-context", "data-aigov-section": "context"},
                   element("legend", {}, widget_text("context_heading", lang)),
                   fields)


def question_sections(lang: str, name: str) -> list[Markup]:
    """Every question of questionnaire `name`, in fieldsets by section, in file order."""
    by_section: dict[str, list[str]] = {}
    for qid in questionnaire.question_ids(name):
        by_section.setdefault(questionnaire.question(qid, lang, name)["section"], []).append(qid)
    return [element("fieldset", {"class": "aigov-section", "data-aigov-section": section["id"]},
                    element("legend", {}, section["title"]),
                    [question_fieldset(qid, lang, name) for qid in by_section.get(section["id"], [])])
            for section in questionnaire.sections(lang, name)]


def render_static(lang: str, runtime: dict[str, str]) -> str:
    """The classifier as static HTML in `lang`: every question, grouped by section, with help, examples
    and legal references; it reads as a decision list without JavaScript."""
    sections = question_sections(lang, CONFIG)
    ids = _ids()
    share = element("div", {"class": "aigov-share", "data-aigov-share": True, "hidden": True},
                    element("label", {"for": ids["link"]}, widget_text("link_label", lang)), " ",
                    element("input", {"type": "text", "id": ids["link"], "readonly": True, "data-aigov-link": True}),
                    " ", element("button", {"type": "button", "data-aigov-copy": True}, widget_text("copy", lang)))
    return frame.root(
        KIND, CONFIG, lang, runtime, widget_text("title_classifier", lang),
        element("p", {"class": "aigov-jump"}, element("a", {"href": "#" + ids["result"]}, widget_text("go_to_result", lang))),
        frame.guided_steps(CONFIG, lang),
        element("form", {"class": "aigov-form", "data-aigov-form": True}, _context_fieldset(lang), sections),
        frame.step_buttons(lang),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": ids["result"]}, frame.static_result(lang)),
        frame.actions(CONFIG, lang,
                       frame.button("evaluate", widget_text("show_result", lang)),
                       frame.button("print", widget_text("print", lang)),
                       frame.button("link", widget_text("copy_link", lang)),
                       extra=share),
    )


# --- export and import -------------------------------------------------------------------------------

def export_markdown(state: dict, lang: str, today: str) -> str:
    """The same result as the page (result_blocks), then the answers given."""
    assessment = assess(state, today, lang)
    blocks = result_blocks(assessment, lang, state["context"]["role"])
    if assessment["status"] == "incomplete":   # on paper, every open question
        blocks[:-1] = open_blocks(assessment, lang, limit=None)
    lines = [*frame.markdown_header(widget_text("title_classifier", lang), lang, today),
             *doc.to_markdown(blocks[1:-1], frame.markdown_inert)]
    labels = {_ANSWER_CODES[o["value"]]: o["label"] for o in questionnaire.question("art3.1", lang, CONFIG)["options"]}
    answers = [[questionnaire.question(qid, lang, CONFIG)["text"], " ", doc.Strong(labels[_ANSWER_CODES[value]])]
               for qid, value in assessment["answers"].items()]
    lines += doc.to_markdown([doc.Heading(3, widget_text("answers", lang)), doc.Items(answers), blocks[-1]],
                             frame.markdown_inert)
    return "\n".join(lines)


def result_data(state: dict, lang: str, today: str) -> dict:
    """The engine's result for the JSON export (notes are prose: the Markdown export has them)."""
    return {key: value for key, value in assess(state, today, lang)["result"].items() if key != "notes"}


def _link_action(state: dict, lang: str, today: str) -> dict:
    return {"link": link(state), "announce": widget_text("link_ready", lang)}


FILE_STEM = "ai-act-classification"
ACTIONS = {"link": _link_action}


def handle(request: dict) -> dict:
    return frame.handle(request, sys.modules[__name__])
