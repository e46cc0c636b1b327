"""The trainer's kit in the built site: session plans, exercises, handouts, printable banks, exports.

Needs a build (tools/build_book.py). AIGOV_TEST_SITE=<folder> checks another build folder (for example a
private one made with `tools/build_book.py --out /tmp/x`, then AIGOV_TEST_SITE=/tmp/x/html).
"""

from __future__ import annotations

import html
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from aigov_widgets.core import quiz_bank, quiz_export
from aigov_widgets.sphinx import trainers
from tests.conftest import LANGUAGES, SITE as DEFAULT_SITE

SITE = Path(os.environ.get("AIGOV_TEST_SITE", DEFAULT_SITE))
HREF = re.compile(r'href="([^"]+)"')
ID = re.compile(r'\sid="([^"]+)"')
H2 = re.compile(r"<h2[^>]*>(.*?)(?:<a class=\"headerlink\".*?)?</h2>", re.S)


@pytest.fixture(scope="module", autouse=True)
def built():
    if not (SITE / "en" / f"{trainers.KIT_PAGE}.html").is_file():
        pytest.skip(f"no trainer's kit in {SITE}: build the book first")


def read(lang: str, page: str) -> str:
    return (SITE / lang / page).read_text(encoding="utf-8")


def ids(lang: str, page: str) -> set[str]:
    return set(ID.findall(read(lang, page)))


def main_part(text: str) -> str:
    return text.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]


def check_internal_links(lang: str, page: str) -> None:
    for href in HREF.findall(main_part(read(lang, page))):
        href = html.unescape(href)
        if href.startswith(("http:", "https:", "mailto:", "#")):
            continue
        target, _, anchor = href.partition("#")
        path = (SITE / lang / target).resolve()
        assert path.is_file(), f"{lang}/{page}: broken link {href}"
        if anchor and path.suffix == ".html":
            assert anchor in set(ID.findall(path.read_text(encoding="utf-8"))), f"{lang}/{page}: no #{anchor} in {target}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_kit_links_every_export_and_every_printable_bank(lang):
    kit = main_part(read(lang, "trainers-kit.html"))
    links = set(HREF.findall(kit))
    for fmt, name in trainers.export_files(lang):
        assert f"{trainers.EXPORT_DIR}/{name}" in links, f"{lang}: no link to the {fmt} export"
    for track in quiz_bank.tracks():
        assert f"{trainers.bank_page(track)}.html" in links, f"{lang}: no link to the bank of {track}"
    for page in ("trainers-exercises.html", "trainers-handouts.html"):
        assert page in links
    assert len(re.findall(r"<h3[^>]*>", kit)) == 3, "three session plans"
    check_internal_links(lang, "trainers-kit.html")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_exports_are_in_the_site_and_read_back(lang):
    folder = SITE / lang / trainers.EXPORT_DIR
    files = {fmt: folder / name for fmt, name in trainers.export_files(lang)}
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    assert document["format"] == "aigov-quiz" and document["lang"] == lang
    ids_in_json = [q["id"] for q in document["questions"]]
    assert len(ids_in_json) == len(set(ids_in_json)) >= 150
    gift = files["gift"].read_text(encoding="utf-8")
    moodle = files["moodle-xml"].read_text(encoding="utf-8")
    markdown = files["md"].read_text(encoding="utf-8")
    with zipfile.ZipFile(files["qti"]) as archive:
        items = [name for name in archive.namelist() if name.startswith("items/")]
    assert len(items) == len(ids_in_json)
    for qid in ids_in_json:
        assert f"::{qid}::" in gift and f"<idnumber>{qid}</idnumber>" in moodle and f"`{qid}`" in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("track", quiz_bank.tracks())
def test_a_printable_bank_per_track_with_key_and_explanations(lang, track):
    page = f"{trainers.bank_page(track)}.html"
    text = main_part(read(lang, page))
    assert "<script" not in text and "style=" not in text
    articles = re.findall(r'<article class="quiz-bank-question" id="q-([^"]+)">', text)
    assert articles and len(articles) == len(set(articles))
    assert set(articles) <= {q["id"] for q in json.loads(
        (SITE / lang / trainers.EXPORT_DIR / f"aigov-quiz-{lang}.json").read_text(encoding="utf-8"))["questions"]
        if track in q["tracks"]}
    assert text.count(f"<strong>{html.escape(quiz_export.TEXTS['key'][lang])}") == len(articles)
    assert text.count(f"<strong>{html.escape(quiz_export.TEXTS['explanation'][lang])}") == len(articles)
    check_internal_links(lang, page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_printable_banks_are_not_in_the_search_index(lang):
    index = read(lang, "searchindex.js")
    docnames = json.loads(re.search(r'"docnames":\s*(\[.*?\])', index).group(1))
    assert "trainers-kit" in docnames, "the kit page itself is searchable"
    assert not [name for name in docnames if name.startswith(trainers.PAGE_PREFIX)]
    titles = json.loads(re.search(r'"titles":\s*(\[.*?\])', index).group(1))
    assert not [title for title in titles if title == quiz_export.title(quiz_bank.load(lang, "hr"))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_learners_quiz_page_does_not_link_the_printable_banks(lang):
    quiz = SITE / lang / "quizzes.html"
    if not quiz.is_file():
        pytest.skip("no quiz page in this build")
    assert trainers.PAGE_PREFIX not in quiz.read_text(encoding="utf-8")
    assert trainers.EXPORT_DIR not in quiz.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_exercises_link_into_the_hr_catalogue_and_the_protocol_with_model_answers(lang):
    text = main_part(read(lang, "trainers-exercises.html"))
    catalogue = ids(lang, "hr-use-cases.html")
    examples = {anchor for anchor in re.findall(r'href="hr-use-cases\.html#([^"]+)"', text)}
    assert len(examples) >= 4 and examples <= catalogue
    assert all(anchor.startswith("hr-") for anchor in examples)
    assert 'href="impact-health.html' in text
    exercises = re.findall(r"<h2[^>]*>", text)
    assert text.count("<details") >= 6 and len(exercises) >= 7   # six exercises and how to run them
    check_internal_links(lang, "trainers-exercises.html")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_handout_per_audience_in_the_order_of_audiences_toml(lang):
    text = main_part(read(lang, "trainers-handouts.html"))
    headings = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in H2.findall(text)]
    assert headings == [quiz_bank.track_label(track, lang) for track in quiz_bank.tracks()]
    check_internal_links(lang, "trainers-handouts.html")
