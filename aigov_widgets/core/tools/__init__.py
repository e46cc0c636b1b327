"""The tools of the book, registered once.

Each entry says everything the rest of the system needs to know about a tool: the kind (the page's
`data-aigov-widget`), the module that implements the Tool protocol, the Sphinx directive, the data files
it reads, the page adapter that moves its form state (`data-aigov-form-type`), and whether its page is a
dedicated tool page (there the worker starts when the page is idle). The worker's runtime, the Sphinx
directives and the page script all read this table; nothing else lists the tools.

Adding a tool: a module here implementing `Tool`, its data, and one `ToolSpec` below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol


class Tool(Protocol):
    """What a tool module provides (module-level names, or attributes of an object for configured tools)."""

    KIND: str
    FORMAT: str          # "format" of its JSON exports
    VERSION: int         # state/export version; older ones are migrated by normalise_state
    FILE_STEM: str       # file name of its exports, before the date

    def normalise_state(self, raw: object) -> dict | None:
        """A clean copy of a stored, linked or imported state, or None when it cannot be used."""

    def evaluate(self, state: dict, lang: str, today: str) -> dict:
        """The page's answer to a state: {"regions": {id: html}, "visible": [...], "announce", "status"}."""

    def export_markdown(self, state: dict, lang: str, today: str) -> str: ...

    def result_data(self, state: dict, lang: str, today: str) -> dict: ...


@dataclass(frozen=True)
class ToolSpec:
    kind: str
    module: str
    directive: str
    data: tuple[str, ...]
    form: str                 # the page adapter: "questionnaire", "checklist" or "plain"
    tool_page: bool           # a page dedicated to this tool: start Python when the page is idle
    argument: bool = False    # the directive takes the tool's configuration (e.g. a checklist id)
    options: tuple[str, ...] = ()   # the directive's options, passed to render_static(lang, runtime, **options)

    def load(self):
        return importlib.import_module(self.module)


_COMMON = ("widget_ui.toml", "provisions.toml", "laws.toml")
# The quizzes read the audiences and every bank (data/quizzes/bank-<topic>.toml, topics in topics.toml).
_QUIZ_DATA = ("audiences.toml", "quizzes/topics.toml", *(f"quizzes/bank-{topic}.toml" for topic in (
    "what_is_ai", "generative_ai", "risks_impacts", "ai_act", "deployer_duties", "gdpr_law", "cybersecurity",
    "hr_use_cases", "scenarios")))

REGISTRY: dict[str, ToolSpec] = {spec.kind: spec for spec in (
    ToolSpec("checklist", "aigov_widgets.core.tools.checklist", "aigov-checklist", _COMMON,
             form="checklist", tool_page=False, argument=True),
    ToolSpec("classifier", "aigov_widgets.core.tools.classifier", "aigov-classifier",
             _COMMON + ("classifier.toml",), form="questionnaire", tool_page=True),
    ToolSpec("roles", "aigov_widgets.core.tools.roles", "aigov-role-finder",
             _COMMON + ("roles.toml",), form="questionnaire", tool_page=True),
    ToolSpec("obligations", "aigov_widgets.core.tools.obligations", "aigov-obligations", _COMMON,
             form="plain", tool_page=True),
    # The quizzes and the records page read and work as static forms: Python starts at the first touch (or
    # at load when there is a saved attempt), not on every visit.
    ToolSpec("quiz", "aigov_widgets.core.tools.quiz", "aigov-quiz", _COMMON + _QUIZ_DATA, form="quiz",
             tool_page=False, options=("track", "questions", "feedback", "pass", "seed")),
    ToolSpec("quiz-records", "aigov_widgets.core.tools.quiz_records", "aigov-quiz-records", _COMMON + _QUIZ_DATA,
             form="quiz-records", tool_page=False),
    # The register of AI systems: the register file (core/register.py) edited in the browser, each system
    # classified in place with the classifier's questions; exports of core/register_export.py.
    ToolSpec("register", "aigov_widgets.core.tools.register_tool", "aigov-register",
             _COMMON + ("classifier.toml", "register/algoritmeregister.toml", "register/annex_viii_c.toml",
                        "register/eurocities.toml"), form="register", tool_page=True),
)}


def spec(kind: str) -> ToolSpec:
    """The registry entry of a tool kind (KeyError for a kind nobody registered)."""
    return REGISTRY[kind]
