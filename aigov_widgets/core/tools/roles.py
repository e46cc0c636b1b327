"""The role finder as a widget: which roles of Art. 3(3)–(7) and Art. 25(1) an organisation has
towards one AI system. Same form as the classifier (questionnaire data/roles.toml)."""

from __future__ import annotations

import sys

from aigov_widgets.core.ui import frame
from aigov_widgets.core.law import engine, questionnaire, references
from aigov_widgets.core.tools.classifier import clean_answers, link, question_link, question_sections
from aigov_widgets.core.ui.html import Markup, element, fragment
from aigov_widgets.core.ui.texts import plural, widget_text

KIND = "roles"
CONFIG = "roles"
FORMAT = "aigov-roles"
VERSION = 1

RESULT_ID = f"aigov-{CONFIG}-result"


def normalise_state(raw: object) -> dict | None:
    if not isinstance(raw, dict) or set(raw) - {"answers"}:
        return None
    answers = clean_answers(raw.get("answers", {}), CONFIG)
    return None if answers is None else {"answers": answers}


def assess(state: dict) -> dict:
    """Roles found on the answers so far; while questions that matter are open the result is not final
    (an unanswered question is not "no")."""
    answers = questionnaire.prune(state["answers"], CONFIG)
    visible = questionnaire.visible_questions(answers, CONFIG)
    unanswered = [q for q in visible if q not in answers]
    result = engine.find_roles(answers)
    status = "incomplete" if unanswered else "provisional" if result["provisional"] else "complete"
    return {"visible": visible, "answers": answers, "unanswered": unanswered, "result": result, "status": status}


def render_result(assessment: dict, lang: str) -> Markup:
    result = assessment["result"]
    parts = [element("h3", {}, widget_text("result_heading", lang))]
    items = []
    if result["roles"]:
        for role in result["roles"]:
            classifier_link = link({"answers": {}, "context": {"role": role}}, "classifier")
            items.append(element(
                "li", {"data-aigov-role": role},
                element("strong", {}, references.role_label(role, lang)), " (",
                frame.citation_links(result["basis"][role], lang),
                ") – ", element("a", {"href": "classifier.html" + classifier_link},
                                widget_text("roles_open_classifier", lang))))
    open_ids = assessment["unanswered"]
    if open_ids:
        parts.append(element("p", {"class": "aigov-tier aigov-not-final", "data-aigov-tier": "open"},
                             element("strong", {}, widget_text("result_not_final", lang)), " ",
                             plural("result_open", len(open_ids), lang)))
        if result["roles"]:
            parts += [element("p", {}, widget_text("roles_not_final", lang)), element("ul", {"class": "aigov-roles"}, items)]
        parts += [element("h4", {}, widget_text("result_open_list", lang)),
                  element("ul", {"class": "aigov-open"}, [element("li", {}, question_link(qid, lang, CONFIG))
                                                         for qid in open_ids])]
    elif result["roles"]:
        parts += [element("p", {}, widget_text("roles_found", lang)), element("ul", {"class": "aigov-roles"}, items)]
    else:
        parts.append(element("p", {}, widget_text("roles_none", lang)))
    if result["provisional"]:
        parts += [element("p", {"class": "aigov-provisional"}, widget_text("result_provisional", lang)),
                  element("h4", {}, widget_text("result_open_questions", lang)),
                  element("ul", {}, [element("li", {}, question_link(qid, lang, CONFIG))
                                     for qid in result["open_questions"]])]
    parts.append(element("p", {"class": "aigov-stamp"}, widget_text("roles_stamp", lang).format(
        rules=result["rules_version"])))
    return fragment(parts)


def evaluate(state: dict, lang: str, today: str = "") -> dict:
    if not state["answers"]:
        return {"visible": questionnaire.visible_questions({}, CONFIG), "status": "empty",
                "regions": {RESULT_ID: frame.static_result(lang)}}
    assessment = assess(state)
    names = ", ".join(references.role_label(role, lang) for role in assessment["result"]["roles"])
    if assessment["status"] == "incomplete":
        announce = f"{widget_text('announce_incomplete', lang)}: {plural('result_open', len(assessment['unanswered']), lang)}"
    else:
        prefix = f"{widget_text('announce_provisional', lang)}. " if assessment["status"] == "provisional" else ""
        announce = f"{prefix}{widget_text('roles_found', lang)} {names or widget_text('roles_none', lang)}"
    return {"visible": assessment["visible"], "status": assessment["status"], "announce": announce,
            "regions": {RESULT_ID: render_result(assessment, lang), **frame.summary(CONFIG, lang, announce)}}


def render_static(lang: str, runtime: dict[str, str]) -> str:
    return frame.root(
        KIND, CONFIG, lang, runtime, widget_text("title_roles", lang),
        frame.guided_steps(CONFIG, lang),
        element("form", {"class": "aigov-form", "data-aigov-form": True}, question_sections(lang, CONFIG)),
        frame.step_buttons(lang),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": RESULT_ID}, frame.static_result(lang)),
        frame.actions(CONFIG, lang, frame.button("print", widget_text("print", lang))),
    )


def export_markdown(state: dict, lang: str, today: str) -> str:
    assessment = assess(state)
    result = assessment["result"]
    lines = frame.markdown_header(widget_text("title_roles", lang), lang, today)
    if result["roles"]:
        lines.append(widget_text("roles_found", lang))
        lines += [f"- {references.role_label(role, lang)} ("
                  + ", ".join(references.citation(pid, lang) for pid in result["basis"][role]) + ")"
                  for role in result["roles"]]
    else:
        lines.append(widget_text("roles_none", lang))
    if result["provisional"]:
        lines += ["", widget_text("result_provisional", lang)]
        lines += [f"- {questionnaire.question(qid, lang, CONFIG)['text']}" for qid in result["open_questions"]]
    lines += ["", widget_text("roles_stamp", lang).format(rules=result["rules_version"]), ""]
    return "\n".join(lines)


def result_data(state: dict, lang: str, today: str) -> dict:
    return assess(state)["result"]


FILE_STEM = "ai-act-roles"


def handle(request: dict) -> dict:
    return frame.handle(request, sys.modules[__name__])
