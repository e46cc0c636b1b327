"""Checklists (the source guide's annex 4): static form, progress, export and import.

State is language-independent: {"items": {item_id: {"done": bool, "note": str}}}. The same functions
render the form at build time and compute results in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aigov_widgets.core.law import data as law_data

from aigov_widgets.core.ui import frame
from aigov_widgets.core.law import references
from aigov_widgets.core.ui.html import Markup, element, fragment
from aigov_widgets.core.ui.texts import colon, widget_text

FORMAT = "aigov-checklist"
MAX_NOTE_CHARS = 20_000


@dataclass(frozen=True)
class Item:
    id: str
    number: str
    text: dict
    help: dict
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: dict
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    id: str
    version: int
    title: dict
    sections: tuple[Section, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


@lru_cache(maxsize=None)
def load(checklist_id: str) -> Checklist:
    """Read data/checklist_<id>.toml."""
    data = law_data.load(f"checklist_{checklist_id}.toml")
    sections = []
    for number, section in enumerate(data["section"], start=1):
        items = tuple(
            Item(
                id=item["id"],
                number=f"{number}.{index}",
                text=item["text"],
                help=item.get("help", {}),
                provisions=tuple(item.get("provisions", ())),
            )
            for index, item in enumerate(section["item"], start=1)
        )
        sections.append(Section(section["id"], number, section["title"], items))
    return Checklist(data["id"], data["version"], data["title"], tuple(sections))


def localize(text: str, lang: str) -> str:
    """Replace {date:milestone} with the milestone's date in the current law, written in `lang`."""
    return references.fill_dates(text, lang)


# --- state ---------------------------------------------------------------------------------------

def empty_state() -> dict:
    return {"items": {}}


def progress(checklist: Checklist, state: dict) -> dict:
    """Ticked items per section and overall: {"sections": {id: (done, total)}, "overall": (done, total)}."""
    ticked = {item_id for item_id, entry in state.get("items", {}).items() if entry.get("done")}
    sections = {
        section.id: (sum(item.id in ticked for item in section.items), len(section.items))
        for section in checklist.sections
    }
    done = sum(value[0] for value in sections.values())
    return {"sections": sections, "overall": (done, len(checklist.items))}


def normalise_state(checklist: Checklist, raw: object) -> dict | None:
    """A clean copy of a state object, or None when anything in it is unknown or of the wrong type."""
    if not isinstance(raw, dict) or not isinstance(raw.get("items", {}), dict):
        return None
    known = {item.id for item in checklist.items}
    items = {}
    for item_id, entry in raw.get("items", {}).items():
        if item_id not in known or not isinstance(entry, dict) or set(entry) - {"done", "note"}:
            return None
        done, note = entry.get("done", False), entry.get("note", "")
        if not isinstance(done, bool) or not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            return None
        if done or note:
            items[item_id] = {"done": done, "note": note}
    return {"items": items}


# --- HTML ----------------------------------------------------------------------------------------

def _ids(checklist: Checklist) -> dict:
    base = f"aigov-{checklist.id}"
    return {
        "root": base,
        "title": f"{base}-title",
        "overall": f"{base}-progress",
        "section": lambda section: f"{base}-s-{section.id}",
        "checkbox": lambda item: f"{base}-i-{item.id.replace('.', '-')}",
        "help": lambda item: f"{base}-h-{item.id.replace('.', '-')}",
        "note": lambda item: f"{base}-n-{item.id.replace('.', '-')}",
    }


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def render_section_progress(checklist: Checklist, section: Section, done: int, lang: str) -> Markup:
    ident = _ids(checklist)["section"](section) + "-progress"
    text = widget_text("progress_section", lang).format(done=done, total=len(section.items))
    return fragment(
        element("label", {"for": ident + "-bar"}, text),
        " ",
        element("progress", {"id": ident + "-bar", "max": len(section.items), "value": done},
                f"{done}/{len(section.items)}"),
    )


def render_overall_progress(checklist: Checklist, done: int, total: int, lang: str) -> Markup:
    ident = _ids(checklist)["overall"]
    text = widget_text("progress_overall", lang).format(done=done, total=total, percent=_percent(done, total))
    return fragment(
        element("h3", {}, widget_text("progress_heading", lang)),
        element("p", {}, element("label", {"for": ident + "-bar"}, text), " ",
                element("progress", {"id": ident + "-bar", "max": total, "value": done}, f"{done}/{total}")),
    )


def regions(checklist: Checklist, state: dict, lang: str) -> dict[str, str]:
    """The parts of the widget that depend on the state, by element id, as HTML."""
    counted = progress(checklist, state)
    ids = _ids(checklist)
    out = {ids["overall"]: render_overall_progress(checklist, *counted["overall"], lang)}
    for section in checklist.sections:
        done, _ = counted["sections"][section.id]
        out[ids["section"](section) + "-progress"] = render_section_progress(checklist, section, done, lang)
    return out


def render_static(checklist_id: str, lang: str, runtime: dict[str, str]) -> str:
    """The complete widget as static HTML in `lang`: a semantic form that works without JavaScript,
    with its configuration in data attributes (runtime: {"pyodide": dir, "wheel": file, "worker": file},
    relative to the page's content root)."""
    checklist = load(checklist_id)
    ids = _ids(checklist)
    state = empty_state()
    state_regions = regions(checklist, state, lang)
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            help_text = localize(item.help[lang], lang) if item.help else None
            provisions = frame.legal_basis(item.provisions, lang)
            described = ids["help"](item) if (help_text or provisions) else None
            items.append(element(
                "li", {"class": "aigov-item"},
                element("input", {"type": "checkbox", "id": ids["checkbox"](item), "name": f"done:{item.id}",
                                  "aria-describedby": described}),
                " ",
                element("label", {"for": ids["checkbox"](item)},
                        element("span", {"class": "aigov-number"}, item.number), " ",
                        localize(item.text[lang], lang)),
                element("div", {"class": "aigov-help", "id": described},
                        element("p", {}, help_text) if help_text else None, provisions) if described else None,
                element("details", {"class": "aigov-note"},
                        element("summary", {}, widget_text("note", lang)),
                        element("label", {"for": ids["note"](item)},
                                f"{widget_text('note_for', lang)} {widget_text('item', lang).lower()} {item.number}"),
                        element("textarea", {"id": ids["note"](item), "name": f"note:{item.id}", "rows": 3,
                                             "maxlength": MAX_NOTE_CHARS})),
            ))
        progress_id = ids["section"](section) + "-progress"
        sections.append(element(
            "fieldset", {"class": "aigov-section", "id": ids["section"](section)},
            element("legend", {}, f"{section.number}. {section.title[lang]}"),
            element("ul", {"class": "aigov-items"}, items),
            element("p", {"class": "aigov-section-progress", "id": progress_id}, state_regions[progress_id]),
        ))
    return frame.root(
        "checklist", checklist.id, lang, runtime, checklist.title[lang],
        element("form", {"class": "aigov-form", "data-aigov-form": True}, sections),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": ids["overall"]}, state_regions[ids["overall"]]),
        frame.actions(checklist.id, lang, frame.button("print", widget_text("print", lang))),
    )


# --- export and import -----------------------------------------------------------------------------

def export_markdown(checklist: Checklist, state: dict, lang: str, today: str) -> str:
    counted = progress(checklist, state)
    done, total = counted["overall"]
    lines = [*frame.markdown_header(checklist.title[lang], lang, today),
             widget_text("progress_overall", lang).format(done=done, total=total, percent=_percent(done, total)), ""]
    for section in checklist.sections:
        section_done, section_total = counted["sections"][section.id]
        lines += [f"## {section.number}. {section.title[lang]} ({section_done}/{section_total})", ""]
        for item in section.items:
            entry = state.get("items", {}).get(item.id, {})
            mark = "x" if entry.get("done") else " "
            lines.append(f"- [{mark}] {item.number} {localize(item.text[lang], lang)}")
            for provision_id in item.provisions:
                ref = references.provision(provision_id, lang)
                lines.append(f"  - {ref['citation']}{colon(lang)}<{ref['url']}>")
            note = entry.get("note", "").strip()
            if note:
                lines.append(f"  - {widget_text('note', lang)}{colon(lang).rstrip()}")
                lines += [f"    > {frame.markdown_inert(line)}" for line in note.splitlines()]
        lines.append("")
    return "\n".join(lines)


class Tool:
    """A checklist as a tool of frame.handle, which answers the page's requests (evaluate, import,
    exports) the same way for every tool."""

    KIND = "checklist"

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self.FORMAT = f"{FORMAT}-{checklist.id}"
        self.VERSION = checklist.version
        self.FILE_STEM = f"checklist-{checklist.id}"

    def normalise_state(self, raw: object) -> dict | None:
        return normalise_state(self.checklist, raw)

    def evaluate(self, state: dict, lang: str, today: str) -> dict:
        done, total = progress(self.checklist, state)["overall"]
        return {"regions": regions(self.checklist, state, lang),
                "status": "empty" if not done else "complete" if done == total else "incomplete",
                "announce": widget_text("progress_overall", lang).format(done=done, total=total,
                                                                         percent=_percent(done, total))}

    def export_markdown(self, state: dict, lang: str, today: str) -> str:
        return export_markdown(self.checklist, state, lang, today)

    def result_data(self, state: dict, lang: str, today: str) -> dict:
        counted = progress(self.checklist, state)
        return {"sections": {key: list(value) for key, value in counted["sections"].items()},
                "overall": list(counted["overall"])}


def handle(request: dict) -> dict:
    """Answer one request of the page: evaluate, export-markdown, export-json or import."""
    return frame.handle(request, Tool(load(request["config"])))
