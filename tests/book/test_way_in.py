"""A way in for every reader: the start page, the home page's routes by role (aigov-routes) and its tools
list (aigov-tools). The routes data is checked against the one list of audiences and the book's pages; a
broken routes file fails the build with an error naming the key."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

from aigov_widgets.sphinx import routes
from tests.conftest import LANGUAGES, ROOT

BOOK = ROOT / "book"
START = "start-here"
TOOL_DIRECTIVES = {"classifier": "aigov-classifier", "role-finder": "aigov-role-finder",
                   "obligations": "aigov-obligations", "checklist": "aigov-checklist", "quizzes": "aigov-quiz",
                   "training-records": "aigov-quiz-records",
                   "register": "aigov-register"}


def book_pages() -> set[str]:
    return {path.stem for path in (BOOK / LANGUAGES[0]).glob("*.md")}


def toc_parts() -> list[dict]:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]


# --- the data as it is --------------------------------------------------------------------------------

def test_the_routes_file_fits_the_audiences_the_pages_and_the_languages():
    routes.validate(routes.load_routes(), routes.load_audiences(), book_pages(), LANGUAGES)


def test_every_audience_has_a_route_and_staff_who_want_a_chatbot_start_on_the_start_page():
    data = routes.load_routes()
    assert list(data["route"]) == list(routes.load_audiences()), "one route per audience, in audiences.toml order"
    assert data["route"]["all_staff"]["pages"][0] == START


def test_every_tool_page_is_in_the_tools_list():
    """A page that holds a tool widget is listed once in routes.toml's tools.pages, so the home page links it."""
    tools = routes.load_routes()["tools"]["pages"]
    for lang in LANGUAGES:
        holding = {page for page, directive in TOOL_DIRECTIVES.items()
                   if f"{{{directive}}}" in (BOOK / lang / f"{page}.md").read_text(encoding="utf-8")}
        assert holding == set(TOOL_DIRECTIVES), f"{lang}: a tool page lost its widget: {set(TOOL_DIRECTIVES) - holding}"
    assert set(tools) == set(TOOL_DIRECTIVES)


# --- the pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_start_page_exists_and_the_home_page_links_it_and_renders_routes_and_tools(lang):
    start = BOOK / lang / f"{START}.md"
    assert start.is_file(), f"book/{lang}/{START}.md is missing"
    home = (BOOK / lang / "index.md").read_text(encoding="utf-8")
    assert f"]({START}.md)" in home, f"book/{lang}/index.md does not link the start page"
    assert "```{aigov-routes}" in home and "```{aigov-tools}" in home


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_start_page_reads_in_three_minutes(lang):
    text = (BOOK / lang / f"{START}.md").read_text(encoding="utf-8")
    words = len(text.split())
    assert 450 <= words <= 900, f"book/{lang}/{START}.md has {words} words (about 500 to 700 of prose)"


def test_the_start_page_opens_the_book_and_the_tools_come_right_after_the_first_part():
    parts = toc_parts()
    assert parts[0]["chapters"][0]["file"] == START
    assert parts[1]["caption"] == "part_tools"
    assert {chapter["file"] for chapter in parts[1]["chapters"]} == set(routes.load_routes()["tools"]["pages"])


# --- validation with broken data -----------------------------------------------------------------------

AUDIENCES = ["all_staff", "hr"]
PAGES = {"start-here", "gdpr", "roles", "ai-act", "classifier", "checklist"}
GOOD = {
    "tools": {"pages": ["classifier", "checklist"]},
    "labels": {"read": {"en": "Read"}, "tools": {"en": "Tools"}},
    "route": {
        "all_staff": {"pages": ["start-here", "gdpr", "roles"], "tools": ["classifier"]},
        "hr": {"pages": ["start-here", "roles", "ai-act"], "tools": []},
    },
}


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_the_good_example_is_valid():
    routes.validate(GOOD, AUDIENCES, PAGES, ["en"])


@pytest.mark.parametrize("change, key", [
    (lambda d: d["route"].update(trainers={"pages": ["gdpr", "roles", "ai-act"]}), "route.trainers"),
    (lambda d: d["route"].pop("hr"), "route.hr"),
    (lambda d: d["route"]["hr"]["pages"].append("no-such-page"), "route.hr.pages"),
    (lambda d: d["route"]["hr"].update(pages=["gdpr", "roles"]), "route.hr.pages"),
    (lambda d: d["route"]["hr"].update(pages=["gdpr", "gdpr", "roles"]), "route.hr.pages"),
    (lambda d: d["route"]["all_staff"]["tools"].append("gdpr"), "route.all_staff.tools"),
    (lambda d: d["route"]["all_staff"].update(page=["gdpr"]), "route.all_staff.page"),
    (lambda d: d["tools"]["pages"].append("register"), "tools.pages"),
    (lambda d: d["labels"]["read"].pop("en"), "labels.read.en"),
    (lambda d: d.update(routes={}), "routes"),
])
def test_a_broken_routes_file_is_refused_with_the_key_named(change, key):
    with pytest.raises(routes.RoutesError) as error:
        routes.validate(broken(change), AUDIENCES, PAGES, ["en"])
    assert str(error.value).startswith(key + ":"), str(error.value)


# --- the directive in a real (tiny) Sphinx build -------------------------------------------------------

def _project(tmp_path: Path, routes_toml: str) -> tuple[Path, Path, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["aigov_widgets.sphinx.routes"]\nlanguage = "en"\n', encoding="utf-8")
    (src / "index.rst").write_text(textwrap.dedent("""\
        Home
        ====

        .. toctree::
           :hidden:

           start-here
           gdpr
           roles
           classifier

        Tools
        -----

        .. aigov-tools::

        Routes
        ------

        .. aigov-routes::
        """), encoding="utf-8")
    for name, title in [("start-here", "Start here"), ("gdpr", "Personal data"), ("roles", "Roles"),
                        ("classifier", "Risk classifier")]:
        (src / f"{name}.rst").write_text(f"{title}\n{'=' * len(title)}\n\nText.\n", encoding="utf-8")
    data = tmp_path / "routes.toml"
    data.write_text(routes_toml, encoding="utf-8")
    audiences = tmp_path / "audiences.toml"
    audiences.write_text(textwrap.dedent("""\
        [audience.all_staff]
        label.en = "All staff"
        summary.en = "I use a chatbot at work."
        """), encoding="utf-8")
    return src, data, audiences


ROUTES_TOML = """\
[tools]
pages = ["classifier"]
[labels.read]
en = "Read in this order"
[labels.tools]
en = "Tools"
[route.all_staff]
pages = ["start-here", "gdpr", "{third}"]
tools = ["classifier"]
"""


def _build(tmp_path, monkeypatch, third: str) -> Path:
    from sphinx.application import Sphinx

    src, data, audiences = _project(tmp_path, ROUTES_TOML.format(third=third))
    monkeypatch.setattr(routes, "ROUTES_FILE", data)
    monkeypatch.setattr(routes, "AUDIENCES_FILE", audiences)
    out = tmp_path / "out"
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    return out


def test_the_directive_renders_headings_lists_and_titled_relative_links(tmp_path, monkeypatch):
    html = (_build(tmp_path, monkeypatch, "roles") / "index.html").read_text(encoding="utf-8")
    assert '<section class="aigov-route" id="route-all-staff">' in html
    assert "<h3>All staff" in html and "I use a chatbot at work." in html
    assert '<ol class="arabic simple">' in html
    for page, title in [("start-here", "Start here"), ("gdpr", "Personal data"), ("roles", "Roles"),
                        ("classifier", "Risk classifier")]:
        assert f'href="{page}.html"><span class="doc">{title}</span></a>' in html, page
    assert '<ul class="aigov-tools simple">' in html


def test_the_directive_fails_the_build_on_an_unknown_page(tmp_path, monkeypatch):
    from sphinx.errors import SphinxError

    with pytest.raises(SphinxError) as error:
        _build(tmp_path, monkeypatch, "no-such-page")
    assert "route.all_staff.pages" in str(error.value) and "no-such-page" in str(error.value)
