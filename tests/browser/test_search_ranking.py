"""Search that finds, per language, in Chromium on the site served by nginx: the page a reader means comes
first or among the first three for the official name of a thing, its common names, acronyms and spellings
(synonyms: aigov_widgets/sphinx/data/search-synonyms.<lang>.toml; ranking: static/aigov-search.js), and a
search without result says so in the page's language, without Sphinx's "categories"."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from aigov_widgets.sphinx import ui
from tests.browser.helpers import new_context, visit
from tests.conftest import LANGUAGES

pytestmark = pytest.mark.browser

# (language, query, expected page, rank it must have at least: 1 = first, 3 = among the first three)
CASES = [
    ("en", "CV screening", "hr-use-cases", 1),
    ("en", "cv-screening", "hr-use-cases", 1),
    ("en", "candidate selection", "hr-use-cases", 3),
    ("en", "FRIA", "high-risk-duties", 1),
    ("en", "FRAIA", "high-risk-duties", 1),
    ("en", "EIDF", "high-risk-duties", 1),
    ("en", "fundamental rights impact assessment", "high-risk-duties", 1),
    ("en", "deepfake", "transparency", 3),
    ("en", "deep fake", "transparency", 3),
    ("en", "hypertrucage", "transparency", 3),
    ("nl", "cv-screening", "hr-use-cases", 1),
    ("nl", "CV screening", "hr-use-cases", 1),
    ("nl", "selectie van kandidaten", "hr-use-cases", 3),
    ("nl", "FRIA", "high-risk-duties", 1),
    ("nl", "FRAIA", "high-risk-duties", 1),
    ("nl", "EIDF", "high-risk-duties", 1),
    ("nl", "beoordeling van de gevolgen voor de grondrechten", "high-risk-duties", 1),
    ("nl", "deepfake", "transparency", 3),
    ("nl", "hypertrucage", "transparency", 3),
    ("fr", "tri de CV", "hr-use-cases", 1),
    ("fr", "sélection de candidats", "hr-use-cases", 3),
    ("fr", "CV screening", "hr-use-cases", 1),
    ("fr", "cv-screening", "hr-use-cases", 1),
    ("fr", "FRIA", "high-risk-duties", 1),
    ("fr", "EIDF", "high-risk-duties", 1),
    ("fr", "FRAIA", "high-risk-duties", 1),
    ("fr", "analyse d’impact sur les droits fondamentaux", "high-risk-duties", 1),
    ("fr", "hypertrucage", "transparency", 3),
    ("fr", "deepfake", "transparency", 3),
    # Official names, their common names and the other languages' words for them.
    ("en", "GDPR", "gdpr", 1),
    ("nl", "AVG", "gdpr", 1),
    ("fr", "RGPD", "gdpr", 1),
    ("nl", "GDPR", "gdpr", 1),
    ("en", "AI literacy", "ai-literacy", 1),
    ("nl", "AI-geletterdheid", "ai-literacy", 1),
    ("fr", "maîtrise de l’IA", "ai-literacy", 1),
    ("fr", "littératie", "ai-literacy", 3),
    ("en", "human oversight", "human-oversight", 1),
    ("nl", "menselijk toezicht", "human-oversight", 1),
    ("fr", "contrôle humain", "human-oversight", 1),
    ("fr", "surveillance humaine", "human-oversight", 1),
    ("en", "deployer", "roles", 3),
    ("nl", "gebruiksverantwoordelijke", "roles", 3),
    ("fr", "déployeur", "roles", 3),
    ("en", "BIPT", "ai-act-belgium", 3),
    ("fr", "IBPT", "ai-act-belgium", 3),
    ("nl", "DPIA", "gdpr", 3),
    ("fr", "AIPD", "gdpr", 3),
]


@pytest.fixture(scope="module")
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


def search(context, server, lang: str, query: str):
    """Run a search on the language's search page; return (visit, page names in result order, status text)."""
    record = visit(context, server.url(f"{lang}/search.html?q={quote(query)}"))
    page = record.page
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results p.search-summary');"
        " return s && s.textContent.trim().length > 0; }",
        timeout=15_000,
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(a => a.getAttribute('href'))")
    names = []
    for href in hrefs:
        name = href.split("#")[0].removesuffix(".html")
        if name not in names:
            names.append(name)
    status = page.inner_text("#search-results p.search-summary").strip()
    return record, names, status


@pytest.mark.parametrize(("lang", "query", "expected", "rank"), CASES,
                         ids=[f"{lang}-{query}" for lang, query, _, _ in CASES])
def test_the_page_meant_ranks_first_or_in_the_top_three(context, server, lang, query, expected, rank):
    record, names, _status = search(context, server, lang, query)
    try:
        assert expected in names[:rank], f"{lang} {query!r}: {expected} not in the first {rank} of {names[:8]}"
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        record.page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_result_text_is_ours_in_the_page_language(context, server, lang):
    record, names, status = search(context, server, lang, "qwxzvbnmkj")
    try:
        assert names == []
        assert status == ui.strings(lang)["search_no_results"]
        assert "categor" not in status.lower()
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        record.page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_is_clean_under_axe(context, server, lang):
    record, names, _status = search(context, server, lang, "FRIA")
    try:
        assert names
        for scheme in ("light", "dark"):
            record.page.emulate_media(color_scheme=scheme)
            assert record.axe() == [], f"axe WCAG findings in {scheme} mode"
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        record.page.close()
