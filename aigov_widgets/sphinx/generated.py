"""Directives whose content is generated at build time from data, never typed by hand:
the AI Act's timeline (from laws.toml), the lists of sources (from book/sources.toml) and the DPO's
documents (from data/documents/)."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from aigov_widgets.core import documents
from aigov_widgets.core.law import references
from aigov_widgets.core.ui import doc, frame
from aigov_widgets.core.law.timeline import timeline
from aigov_widgets.sphinx import ui
from aigov_widgets.sphinx.widgets import DATA_DIR

SOURCE_KINDS = ("law", "reference", "bibliography", "tool", "organisation")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class _MarkdownDirective(SphinxDirective):
    """A directive that writes MyST Markdown and lets the parser turn it into nodes."""

    def markdown(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=[f"aigov-{self.name.removeprefix('aigov-')}"])
        self.state.nested_parse(StringList(self.markdown(), source=self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]


class DocumentDirective(_MarkdownDirective):
    """```{aigov-document} notice-affected``` — one of the DPO's documents (data/documents/), every field in
    square brackets: the same text the register tool fills for a system (core/documents.py). Its headings
    become bold lines, as the page around it has its own; it is set off as a quotation, a model to copy."""

    required_arguments = 1

    def markdown(self) -> list[str]:
        lang = self.config.language
        blocks = [doc.Para(doc.Strong(block.text)) if isinstance(block, doc.Heading) else block
                  for block in documents.blocks(self.arguments[0], lang)]
        return [f"> {line}".rstrip() for line in doc.to_markdown(blocks, frame.markdown_inert)]


class TimelineDirective(_MarkdownDirective):
    """```{aigov-timeline}``` — the application dates of the AI Act as it stands, and what moved."""

    def markdown(self) -> list[str]:
        lang = self.config.language
        t = ui.strings(lang)
        lines = [f"| {t['timeline_date']} | {t['timeline_what']} | {t['timeline_basis']} | {t['timeline_change']} |",
                 "|---|---|---|---|"]
        for row in timeline(lang=lang):
            change = row["changed"]
            if change is None:
                change_text = t["timeline_unchanged"]
            elif change["before"] is None:
                change_text = t["timeline_new"]
            else:
                change_text = t["timeline_moved"].format(date=change["before_text"])
            citation = references.citation(row["source"], lang)
            url = references.eurlex_url(row["source"], lang)
            lines.append(f"| {row['date_text']} | {_cell(row['label'])} | [{_cell(citation)}]({url}) | {change_text} |")
        return lines


def load_sources(srcdir: str | Path) -> list[dict]:
    """The curated sources of the book (book/sources.toml): one [[source]] table per source."""
    path = Path(srcdir).parent / "sources.toml"
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        return tomllib.load(handle).get("source", [])


def _source_line(source: dict, lang: str) -> str:
    parts = []
    if source.get("author"):
        parts.append(_escape(source["author"]) + (f" ({source['year']})." if source.get("year") else "."))
    elif source.get("year"):
        parts.append(f"({source['year']}).")
    title = f"*{_escape(source['title'])}*"
    parts.append(f"[{title}]({source['url']})." if source.get("url") else f"{title}.")
    if source.get("publisher"):
        parts.append(_escape(source["publisher"]) + ".")
    description = source.get("description", {}).get(lang)
    if description:
        parts.append(_escape(description))
    return "- " + " ".join(parts)


def _escape(text: str) -> str:
    for char in "*_[]`<>":
        text = text.replace(char, "\\" + char)
    return text


class SourcesDirective(_MarkdownDirective):
    """```{aigov-sources} bibliography``` — the sources of one kind, from the one curated file."""

    required_arguments = 1

    def markdown(self) -> list[str]:
        kind = self.arguments[0]
        if kind not in SOURCE_KINDS:
            raise self.error(f"unknown source kind {kind!r}; one of {', '.join(SOURCE_KINDS)}")
        lang = self.config.language
        self.env.note_dependency(str(Path(self.env.srcdir).parent / "sources.toml"))
        chosen = [source for source in load_sources(self.env.srcdir) if source.get("kind") == kind]
        chosen.sort(key=lambda source: (source.get("author", "") or source["title"]).casefold())
        return [_source_line(source, lang) for source in chosen] or [ui.strings(lang)["sources_none"]]


class ClassificationDirective(SphinxDirective):
    """```{aigov-classification} hr-recruitment-matching``` — an example's AI Act classification, computed
    at build time by the engine from its answers (data/hr_cases.toml), with a link that opens the
    classifier prefilled with them."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from aigov_widgets.core.tools import classifier
        from aigov_widgets.core.law import engine, questionnaire
        from aigov_widgets.core.ui.texts import widget_text

        lang = self.config.language
        cases = {case["id"]: case for case in references.load_toml("hr_cases.toml")["case"]}
        if self.arguments[0] not in cases:
            raise self.error(f"unknown example {self.arguments[0]!r} (not in data/hr_cases.toml)")
        case = cases[self.arguments[0]]
        self.env.note_dependency(str(DATA_DIR / "hr_cases.toml"))
        result = engine.classify(case["answers"], on_date=self.config.aigov_build_date, lang=lang, **case["context"])
        paragraph = nodes.paragraph(classes=["aigov-classification"])
        paragraph += nodes.strong(text=widget_text("computed_classification", lang) + " ")
        paragraph += nodes.Text(widget_text(f"tier_{result['tier']}", lang))
        if result["provisional"]:
            paragraph += nodes.Text(" (" + widget_text("provisional_short", lang) + ")")
        for index, pid in enumerate(result["basis"] + result["transparency"]):
            paragraph += nodes.Text(", " if index else " – ")
            ref = references.provision(pid, lang)
            paragraph += nodes.reference("", ref["citation"], refuri=ref["url"])
        # The link states every question that matters (unlisted ones as "no"): the classifier shows an
        # unanswered question as open, and an example is a complete assessment.
        answers = questionnaire.prune(classifier.fill_open(case["answers"], value=False))
        state = {"answers": answers, "context": {"role": case["context"]["role"],
                                                          "public_body": case["context"]["public_body"]}}
        paragraph += nodes.Text(" – ")
        paragraph += nodes.reference("", widget_text("open_in_classifier", lang),
                                     refuri="classifier.html" + classifier.link(state))
        return [paragraph]


def setup(app: Sphinx) -> None:
    # The date the book's computed classifications are evaluated on: the build's day, unless fixed.
    app.add_config_value("aigov_build_date", datetime.date.today().isoformat(), "env", str)
    app.add_directive("aigov-classification", ClassificationDirective)
    app.add_directive("aigov-timeline", TimelineDirective)
    app.add_directive("aigov-document", DocumentDirective)
    app.add_directive("aigov-sources", SourcesDirective)
