"""Search that finds: synonyms from data, added to Sphinx's own search index at build time.

Data: aigov_widgets/sphinx/data/search-synonyms.<lang>.toml, one file per language, each a list of
`[[group]]` tables with the same ids in every language:

    [[group]]
    id = "fria"                                   # stable id, the same in the three files
    terms = ["FRIA", "FRAIA", "beoordeling van de gevolgen voor de grondrechten"]
    pages = ["high-risk-duties"]                  # optional: the pages that answer these words

Why in the index (and not by expanding the query in the browser): Sphinx's search requires every word of
the query to be on a page and scores a page by where its words are (title or heading > body). A query
expanded into synonyms would need OR-searches and merged scores that searchtools.js does not have. Adding
the synonyms to the index keeps Sphinx's search as it is and makes any wording of a group find the same
pages:

- a page whose title or one of whose headings contains one of the group's terms (as a phrase), and the
  group's `pages`, get every word of every term of the group as *title* words;
- a page whose text contains one of the terms gets them as ordinary words.

The words are stemmed by the language's own stemmer (the one the browser uses on the query), so
"sélection de candidats" finds "sélectionner les candidats" as Sphinx does for any word. This runs at
`html-collect-pages`, after every page was indexed and before the index is written. The ranking in the
browser (which of the pages comes first) is static/aigov-search.js.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUP_KEYS = {"id", "terms", "pages"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class SynonymsError(ValueError):
    """A synonyms file is malformed; the message starts with the file and key."""


def synonyms_file(lang: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"search-synonyms.{lang}.toml"


def load_synonyms(lang: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """The groups of `lang`, validated: [{"id", "terms", "pages"}]."""
    path = synonyms_file(lang, data_dir)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return validate(data, path.name)


def validate(data: dict, name: str) -> list[dict]:
    """Check one file's structure; return its groups with `pages` defaulted to []."""
    if set(data) != {"group"} or not isinstance(data["group"], list) or not data["group"]:
        raise SynonymsError(f"{name}: expected only a non-empty list of [[group]] tables")
    groups, seen = [], set()
    for number, group in enumerate(data["group"], 1):
        where = f"{name}: group {number}"
        if not isinstance(group, dict) or set(group) - GROUP_KEYS or not {"id", "terms"} <= set(group):
            raise SynonymsError(f"{where}: keys must be id, terms and optionally pages")
        gid = group["id"]
        if not isinstance(gid, str) or not _ID.match(gid):
            raise SynonymsError(f"{where}: id must be lower-case letters, digits, - or _")
        if gid in seen:
            raise SynonymsError(f"{where}: id {gid!r} is used twice")
        seen.add(gid)
        terms = group["terms"]
        if (not isinstance(terms, list) or len(terms) < 2
                or not all(isinstance(term, str) and normalise(term) for term in terms)):
            raise SynonymsError(f"{where} ({gid}): terms must be a list of at least two non-empty texts")
        if len({normalise(term) for term in terms}) != len(terms):
            raise SynonymsError(f"{where} ({gid}): a term is listed twice")
        pages = group.get("pages", [])
        if not isinstance(pages, list) or not all(isinstance(page, str) and page for page in pages):
            raise SynonymsError(f"{where} ({gid}): pages must be a list of page names")
        groups.append({"id": gid, "terms": list(terms), "pages": list(pages)})
    return groups


def check_languages(languages: Iterable[str], pages: Iterable[str], data_dir: Path = DATA_DIR) -> None:
    """Every language has the same groups, naming the same existing pages."""
    pages = set(pages)
    reference: dict[str, list[str]] | None = None
    for lang in languages:
        groups = {group["id"]: sorted(group["pages"]) for group in load_synonyms(lang, data_dir)}
        for gid, names in groups.items():
            unknown = sorted(set(names) - pages)
            if unknown:
                raise SynonymsError(f"{synonyms_file(lang).name}: group {gid}: unknown pages {unknown}")
        if reference is None:
            reference = groups
        elif groups != reference:
            raise SynonymsError(
                f"{synonyms_file(lang).name}: groups or their pages differ from the first language's"
            )


def normalise(text: str) -> str:
    """Lower case, NFC, every run of non-word characters one space: "CV-screening" == "cv screening"."""
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(re.split(r"\W+", text)).strip()


def setup(app: Sphinx) -> None:
    _use_the_browsers_dutch_stemmer()
    app.connect("env-before-read-docs", _check)
    app.connect("env-get-outdated", _outdated_index)
    app.connect("html-collect-pages", _inject)


def _use_the_browsers_dutch_stemmer() -> None:
    """Stem Dutch in the index as the browser stems the query.

    Sphinx 7.4 indexes Dutch with snowballstemmer's "dutch", which snowballstemmer 3 replaced by a new
    algorithm ("kandidaten" -> "kandidaat"), while the search page still stems the query with the old one
    it ships as dutch-stemmer.js ("kandidaten" -> "kandidat"): many Dutch words were never found. The old
    algorithm is snowballstemmer's "dutch_porter"; the index uses it when it exists."""
    import snowballstemmer
    from sphinx import search as sphinx_search
    from sphinx.search.nl import SearchDutch

    if "dutch_porter" not in snowballstemmer.algorithms():
        return

    class SearchDutchAsTheBrowser(SearchDutch):
        def init(self, options: dict) -> None:
            super().init(options)
            self.stemmer = snowballstemmer.stemmer("dutch_porter")

    sphinx_search.languages["nl"] = SearchDutchAsTheBrowser


def search_language(lang: str):
    """The SearchLanguage the build indexes `lang` with (for tests and tools)."""
    from importlib import import_module

    from sphinx.search import languages

    _use_the_browsers_dutch_stemmer()
    language = languages[lang]
    if isinstance(language, str):
        module, name = language.rsplit(".", 1)
        language = getattr(import_module(module), name)
    return language({})


def index_stamp(lang: str) -> str:
    """Changes when the synonyms of `lang` or the way they are added change: then every page is indexed again
    (Sphinx keeps the index of unchanged pages from the previous build)."""
    import hashlib

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(synonyms_file(lang).read_bytes())
    return digest.hexdigest()[:16]


def _outdated_index(app: Sphinx, env, added, changed, removed) -> list[str]:
    index = Path(app.outdir) / "searchindex.js"
    stamp = f'"{index_stamp(app.config.language)}"'
    try:
        current = stamp in index.read_text(encoding="utf-8")
    except OSError:
        current = False
    return [] if current else sorted(env.found_docs - set(added) - set(changed) - set(removed))


def _check(app: Sphinx, env, docnames) -> None:
    from aigov_widgets.sphinx import ui

    try:
        check_languages(ui.languages(), env.found_docs)
    except (SynonymsError, OSError, tomllib.TOMLDecodeError) as error:
        raise ExtensionError(f"aigov search synonyms: {error}") from None


def _inject(app: Sphinx) -> list:
    """Add each group's words to the pages it concerns, in the index Sphinx is about to write."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    groups = load_synonyms(app.config.language)
    added = expand_index(indexer, groups, _page_texts(app, indexer))
    app.env.aigov_search_synonyms = added  # for tests and debugging: {docname: {"title": [...], "text": [...]}}
    _add_answers(indexer, index_stamp(app.config.language), [(sorted(set().union(*(_stems(indexer, t) for t in g["terms"]))), g["pages"])
                           for g in groups if g["pages"]])
    return []


def _add_answers(indexer, stamp: str, answers: list[tuple[list[str], list[str]]]) -> None:
    """Write the groups' answer pages into the index as `aigov_answers`: [[stemmed words], [file numbers]].

    aigov-search.js ranks a group's `pages` first when every query word is one of the group's words, above
    pages that merely have the words in a heading. IndexBuilder.freeze() builds the dict that becomes
    searchindex.js; the wrapper adds one key (searchtools.js ignores keys it does not know)."""
    freeze = indexer.freeze

    def freeze_with_answers():
        frozen = freeze()
        number = {docname: i for i, docname in enumerate(frozen["docnames"])}
        frozen["aigov_index"] = stamp
        frozen["aigov_answers"] = [
            [words, sorted(number[page] for page in pages if page in number)] for words, pages in answers
        ]
        return frozen

    indexer.freeze = freeze_with_answers


def _page_texts(app: Sphinx, indexer) -> dict[str, tuple[str, str]]:
    """{docname: (normalised titles and headings, normalised text)} of every indexed page."""
    texts = {}
    for docname, title in indexer._titles.items():
        if not title:  # pages left out of the search (no title, or `nosearch`)
            continue
        headings = " | ".join(normalise(heading) for heading, _anchor in indexer._all_titles.get(docname, []))
        try:
            body = normalise(app.env.get_doctree(docname).astext())
        except FileNotFoundError:
            body = ""
        texts[docname] = (f"{normalise(title)} | {headings}", body)
    return texts


def _stems(indexer, text: str) -> set[str]:
    """The index words for `text`, as IndexBuilder.feed makes them (stemmed, filtered, lower case)."""
    words = set()
    for word in indexer.lang.split(text):
        stemmed = indexer.lang.stem(word).lower()
        if indexer.lang.word_filter(stemmed):
            words.add(stemmed)
        elif indexer.lang.word_filter(word):
            words.add(word.lower())
    return words


def _contains(haystack: str, phrase: str) -> bool:
    return f" {phrase} " in f" {haystack} ".replace(" | ", "  ")


def expand_index(indexer, groups: list[dict], texts: dict[str, tuple[str, str]]) -> dict[str, dict]:
    """Add the synonyms to the indexer's word maps; return what was added per page."""
    titles_map: dict[str, set[str]] = indexer._title_mapping
    words_map: dict[str, set[str]] = indexer._mapping
    added: dict[str, dict[str, set[str]]] = {}
    for group in groups:
        phrases = [normalise(term) for term in group["terms"]]
        words = set().union(*(_stems(indexer, term) for term in group["terms"]))
        in_title = {page for page in group["pages"] if page in texts}
        in_text = set()
        for docname, (headings, body) in texts.items():
            if any(_contains(headings, phrase) for phrase in phrases):
                in_title.add(docname)
            elif any(_contains(body, phrase) for phrase in phrases):
                in_text.add(docname)
        for word in words:
            for docname in in_title:
                titles_map.setdefault(word, set()).add(docname)
                added.setdefault(docname, {"title": set(), "text": set()})["title"].add(word)
            for docname in in_text - in_title:
                if docname not in titles_map.get(word, ()):
                    words_map.setdefault(word, set()).add(docname)
                    added.setdefault(docname, {"title": set(), "text": set()})["text"].add(word)
    return {docname: {kind: sorted(words) for kind, words in kinds.items()} for docname, kinds in added.items()}
