"""The role finder as a widget: which roles of Art. 3(3)–(7) and Art. 25(1) an organisation has
towards one AI system. Same form as the classifier (questionnaire data/roles.toml)."""

from __future__ import annotations

import sys

from aigov_widgets.core.ui import frame
from aigov_widgets.core.law import engine, questionnaire, references
from aigov_widgets.core.tools.classifier import citation, clean_answers, link, question_ref, question_sections
from aigov_widgets.core.ui import doc
from aigov_widgets.core.ui.html import Markup, element
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


def result_blocks(assessment: dict, lang: str) -> list:
    """The result, written once (core/ui/doc.py): the page renders it to HTML, the export to Markdown."""
    result = assessment["result"]
    blocks = [doc.Heading(3, widget_text("result_heading", lang))]
    roles = doc.Items(
        [[doc.Strong(references.role_label(role, lang)), " (",
          [[", " if index else "", citation(pid, lang)] for index, pid in enumerate(result["basis"][role])], ") – ",
          doc.Link(widget_text("roles_open_classifier", lang),
                   "classifier.html" + link({"answers": {}, "context": {"role": role}}, "classifier"))]
         for role in result["roles"]],
        {"class": "aigov-roles"}, [{"data-aigov-role": role} for role in result["roles"]])
    open_ids = assessment["unanswered"]
    if open_ids:
        blocks.append(doc.Para([doc.Strong(widget_text("result_not_final", lang)), " ",
                                plural("result_open", len(open_ids), lang)],
                               {"class": "aigov-tier aigov-not-final", "data-aigov-tier": "open"}))
        if result["roles"]:
            blocks += [doc.Para(widget_text("roles_not_final", lang)), roles]
        blocks += [doc.Heading(4, widget_text("result_open_list", lang)),
                   doc.Items([question_ref(qid, lang, CONFIG) for qid in open_ids], {"class": "aigov-open"})]
    elif result["roles"]:
        blocks += [doc.Para(widget_text("roles_found", lang)), roles]
    else:
        blocks.append(doc.Para(widget_text("roles_none", lang)))
    if result["provisional"]:
        blocks += [doc.Para(widget_text("result_provisional", lang), {"class": "aigov-provisional"}),
                   doc.Heading(4, widget_text("result_open_questions", lang)),
                   doc.Items([question_ref(qid, lang, CONFIG) for qid in result["open_questions"]])]
    blocks.append(doc.Para(widget_text("roles_stamp", lang).format(rules=result["rules_version"]),
                           {"class": "aigov-stamp"}))
    return blocks


def render_result(assessment: dict, lang: str) -> Markup:
    return doc.to_html(result_blocks(assessment, lang))


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
    """The same result as the page (result_blocks)."""
    blocks = result_blocks(assess(state), lang)
    return "\n".join([*frame.markdown_header(widget_text("title_roles", lang), lang, today),
                      *doc.to_markdown(blocks[1:], frame.markdown_inert)])


def result_data(state: dict, lang: str, today: str) -> dict:
    return assess(state)["result"]


FILE_STEM = "ai-act-roles"


def handle(request: dict) -> dict:
    return frame.handle(request, sys.modules[__name__])
