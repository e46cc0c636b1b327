"""The obligations timeline as a widget: what applies to us on date X, for a role and a classification.

Every duty, its legal basis and its first day come from the rules engine (engine.obligations), which
reads the dates from laws.toml: the same dates as the book's timeline and the classifier.
"""

from __future__ import annotations

import sys

from aigov_widgets.core.ui import frame
from aigov_widgets.core.law import engine, references
from aigov_widgets.core.law.constants import is_date
from aigov_widgets.core.tools.classifier import citation
from aigov_widgets.core.ui import doc
from aigov_widgets.core.ui.html import Markup, element
from aigov_widgets.core.ui.texts import widget_text

KIND = "obligations"
CONFIG = "obligations"
FORMAT = "aigov-obligations"
VERSION = 1
TIERS = ("high_risk", "limited_risk", "minimal_risk")
ANNEX_I = "annex_i"
RESULT_ID = f"aigov-{CONFIG}-result"



def routes() -> list[str]:
    """How a system can be high-risk: each point of Annex III, or a product of Annex I (Section A)."""
    return list(engine.structure().annex_iii) + [ANNEX_I]


def empty_state() -> dict:
    return {"role": "deployer", "tier": "high_risk", "route": routes()[0], "transparency": [],
            "public_body": True, "public_authority": None, "in_service_since": "", "date": ""}


def normalise_state(raw: object) -> dict | None:
    clean = empty_state()
    if not isinstance(raw, dict) or set(raw) - set(clean):
        return None
    merged = clean | raw
    if merged["public_authority"] is None:          # not given (or saved before round 2): as public_body
        merged["public_authority"] = merged["public_body"] if isinstance(merged["public_body"], bool) else None
    if (not isinstance(merged["public_authority"], bool) or merged["role"] not in engine.ROLES or merged["tier"] not in TIERS or merged["route"] not in routes()
            or not isinstance(merged["public_body"], bool) or not isinstance(merged["transparency"], list)
            or any(pid not in engine.structure().transparency for pid in merged["transparency"])):
        return None
    for key in ("in_service_since", "date"):
        if not isinstance(merged[key], str) or (merged[key] and not is_date(merged[key])):
            return None
    return merged


def duties(state: dict, lang: str, today: str) -> tuple[str, list[dict]]:
    """(the date looked at, the duties of the role sorted by first day)."""
    on_date = state["date"] or today
    basis = []
    if state["tier"] == "high_risk":
        basis = list(engine.structure().annex_i) if state["route"] == ANNEX_I else [state["route"]]
    found = engine.obligations(state["role"], state["tier"], basis, on_date=on_date, lang=lang,
                               transparency=state["transparency"], public_body=state["public_body"],
                               public_authority=state.get("public_authority"),
                               in_service_since=state["in_service_since"] or None,
                               law=references.law_for_date(on_date))       # the text in force on the date
    order = engine.structure().order     # provisions.toml is in article order: 26(2) before 26(11)
    return on_date, sorted(found, key=lambda duty: (duty["applies_from"] or "9999", order[duty["id"]]))


def result_blocks(state: dict, lang: str, today: str) -> list:
    """The result, written once (core/ui/doc.py): the page renders it to HTML, the export to Markdown."""
    on_date, found = duties(state, lang, today)
    date_text = references.date_text(on_date, lang)
    now = [duty for duty in found if duty["in_force"]]
    later = [duty for duty in found if not duty["in_force"] and duty["applies_from"]]
    never = [duty for duty in found if duty["applies_from"] is None]

    def items(list_of_duties, with_date):
        return doc.Items([[duty["label"], " (", citation(duty["id"], lang), ")",
                           f" – {widget_text('result_applies_from', lang).lower()} "
                           f"{references.date_text(duty['applies_from'], lang)}" if with_date else ""]
                          for duty in list_of_duties])

    blocks = [doc.Heading(3, widget_text("result_heading", lang)),
              doc.Para(widget_text("obligations_summary", lang).format(
                  role=references.role_label(state["role"], lang), tier=widget_text(f"tier_{state['tier']}", lang),
                  date=date_text, now=len(now), later=len(later)))]
    if now:
        blocks += [doc.Heading(4, widget_text("obligations_now", lang).format(date=date_text)), items(now, True)]
    if later:
        blocks += [doc.Heading(4, widget_text("obligations_later", lang)), items(later, True)]
    if never:
        blocks += [doc.Heading(4, widget_text("obligations_legacy", lang)), items(never, False)]
    if not found:
        blocks.append(doc.Para(widget_text("result_no_obligations", lang)))
    blocks.append(doc.Para(widget_text("result_stamp", lang).format(
        date=date_text, law=references.laws()["law"][references.law_id()]["title"][lang],
        rules=references.rules_version()), {"class": "aigov-stamp"}))
    return blocks


def render_result(state: dict, lang: str, today: str) -> Markup:
    return doc.to_html(result_blocks(state, lang, today))


def _field(ident: str, label: str, control: Markup, help_text: str | None = None, before: bool = False) -> Markup:
    help_id = f"{ident}-help" if help_text else None
    label_element = element("label", {"for": ident}, label)
    pair = [control, " ", label_element] if before else [label_element, " ", control]
    return element("div", {"class": "aigov-field"}, *pair,
                   element("p", {"class": "aigov-help", "id": help_id}, help_text) if help_text else None)


def render_static(lang: str, runtime: dict[str, str]) -> str:
    base = f"aigov-{CONFIG}"
    state = empty_state()
    role = element("select", {"id": f"{base}-role", "name": "o:role"},
                   [element("option", {"value": r, "selected": r == state["role"]}, references.role_label(r, lang))
                    for r in engine.ROLES])
    tiers = element("fieldset", {"class": "aigov-question"},
                    element("legend", {}, widget_text("result_classification", lang)),
                    element("div", {"class": "aigov-options"}, [element(
                        "span", {"class": "aigov-option"},
                        element("input", {"type": "radio", "id": f"{base}-tier-{tier}", "name": "o:tier",
                                          "value": tier, "checked": tier == state["tier"]}),
                        element("label", {"for": f"{base}-tier-{tier}"}, widget_text(f"tier_{tier}", lang)))
                        for tier in TIERS]))
    route_options = [element("option", {"value": pid, "selected": pid == state["route"]},
                             f"{references.citation(pid, lang)} – {references.provision(pid, lang)['label']}")
                     for pid in engine.structure().annex_iii]
    route_options.append(element("option", {"value": ANNEX_I}, widget_text("obligations_annex_i", lang)))
    route = element("div", {"class": "aigov-question", "data-aigov-question": "route"},
                    _field(f"{base}-route", widget_text("obligations_route", lang),
                           element("select", {"id": f"{base}-route", "name": "o:route"}, route_options)))
    transparency = element("fieldset", {"class": "aigov-question"},
                           element("legend", {}, widget_text("result_transparency", lang)),
                           [element("div", {"class": "aigov-field"},
                                    element("input", {"type": "checkbox", "id": f"{base}-t-{pid.replace('.', '-')}",
                                                      "name": "o:transparency", "value": pid}), " ",
                                    element("label", {"for": f"{base}-t-{pid.replace('.', '-')}"},
                                            f"{references.citation(pid, lang)} – {references.provision(pid, lang)['label']}"))
                            for pid in engine.structure().transparency])
    context = [
        _field(f"{base}-public", widget_text("obligations_public_body", lang),
               element("input", {"type": "checkbox", "id": f"{base}-public", "name": "o:public_body", "checked": True}),
               before=True),
        _field(f"{base}-authority", widget_text("obligations_public_authority", lang),
               element("input", {"type": "checkbox", "id": f"{base}-authority", "name": "o:public_authority",
                                 "checked": True}),
               before=True),
        _field(f"{base}-since", widget_text("obligations_since", lang),
               element("input", {"type": "date", "id": f"{base}-since", "name": "o:in_service_since"})),
        _field(f"{base}-date", widget_text("evaluation_date", lang),
               element("input", {"type": "date", "id": f"{base}-date", "name": "o:date"})),
    ]
    return frame.root(
        KIND, CONFIG, lang, runtime, widget_text("title_obligations", lang),
        element("form", {"class": "aigov-form", "data-aigov-form": True},
                _field(f"{base}-role", widget_text("obligations_role", lang), role), tiers, route, transparency, context),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": RESULT_ID}, frame.static_result(lang, "obligations_static")),
        frame.actions(CONFIG, lang, frame.button("print", widget_text("print", lang))),
    )


def evaluate(state: dict, lang: str, today: str) -> dict:
    visible = ["route"] if state["tier"] == "high_risk" else []
    on_date, found = duties(state, lang, today)
    count = sum(duty["in_force"] for duty in found)
    return {"visible": visible, "regions": {RESULT_ID: render_result(state, lang, today)}, "status": "complete",
            "announce": widget_text("obligations_announce", lang).format(
                count=count, date=references.date_text(on_date, lang))}


def export_markdown(state: dict, lang: str, today: str) -> str:
    """The same result as the page (result_blocks)."""
    blocks = result_blocks(state, lang, today)
    return "\n".join([*frame.markdown_header(widget_text("title_obligations", lang), lang, today),
                      *doc.to_markdown(blocks[1:], frame.markdown_inert)])


def result_data(state: dict, lang: str, today: str) -> dict:
    on_date, found = duties(state, lang, today)
    return {"date": on_date, "obligations": found}


FILE_STEM = "ai-act-obligations"


def handle(request: dict) -> dict:
    return frame.handle(request, sys.modules[__name__])
