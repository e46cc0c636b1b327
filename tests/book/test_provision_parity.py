"""Three languages, one law: every page cites the same provisions of the AI Act in NL, FR and EN.

Two kinds of citation are read from each page:

- the targets of its EUR-Lex links to the AI Act (CELEX 32024R1689 or a consolidated version
  02024R1689-…): the anchor names the article or annex (`#art_26`, `#anx_III`);
- its textual citations, normalised to (article, paragraph) in all three languages: "Article 26(5)",
  "artikel 26, lid 5" and "article 26, paragraphe 5" are all ("26", "5"); "Article 57(1) and (3a)",
  "artikel 57, leden 1 en 3 bis" and "article 57, paragraphes 1 et 3 bis" are ("57", "1") and
  ("57", "3a"); the numbered points of Article 3 count as its paragraphs ("Article 3(49)",
  "artikel 3, punt 49", "article 3, point 49)"); an unnumbered paragraph ("Article 113, third
  paragraph", "derde alinea", "troisième alinéa") is "¶3". Annexes are read the same way
  ("Annex III, point 4", "bijlage III, punt 4", "annexe III, point 4").

A citation of another instrument (the GDPR, a Directive, a Belgian law, …) is left out: either its
link points elsewhere than the AI Act, or the words that follow it name that instrument.

A provision cited in one language and not in another is a real discrepancy: the test names the page,
the language and the provision.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.book.test_parity import BOOK, toc_files
from tests.conftest import LANGUAGES

# --- EUR-Lex link targets --------------------------------------------------------------------------

_AI_ACT_URL = re.compile(r"https?://eur-lex\.europa\.eu/[^)\s\"'>]*CELEX:(?:3|0)2024R1689[^)\s\"'>#]*(#[\w.-]+)?")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")


def link_targets(text: str) -> set[str]:
    """The articles and annexes of the AI Act that the page links to (`Art. 26`, `Annex III`)."""
    targets = set()
    for match in _AI_ACT_URL.finditer(text):
        anchor = (match.group(1) or "").lstrip("#")
        article = re.fullmatch(r"art_(\d+[a-z]*)", anchor)
        annex = re.fullmatch(r"anx_([IVXLC]+)", anchor)
        if article:
            targets.add(f"Art. {article.group(1)}")
        elif annex:
            targets.add(f"Annex {annex.group(1)}")
    return targets


# --- textual citations -----------------------------------------------------------------------------

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
}
# The head of a citation: the word, the article number, then everything that can belong to the
# same citation (subdivisions, lists, ranges), up to the first character that ends it.
_HEAD = re.compile(
    r"\b(?P<kind>[Aa]rticles?|[Aa]rtikel(?:en)?|[Aa]rt\.|[Aa]nnex(?:es)?|[Bb]ijlagen?|[Aa]nnexes?)\s+"
    r"(?P<number>\d+(?:\s?(?:bis|ter|quater)\b|[a-z]\b)?|[IVX]+\b)"
    r"(?P<tail>(?:\s?\([0-9a-z]+\)|,?\s(?:lid|leden|punt|punten|paragraphe|paragraphes|point|points|"
    r"alinéa|alinea|paragraph|subparagraph|first|second|third|fourth|fifth|eerste|tweede|derde|vierde|"
    r"vijfde|premier|deuxième|troisième|quatrième|cinquième|and|en|et|or|of|ou|to|tot|à|met|"
    r"tot en met)\b|\s?\d+(?:\s?(?:bis|ter|quater)\b|[a-z]{1,2}\b)?\)?|\s[a-z]{1,2}(?:\s?(?:bis|ter|quater))?\)|,)*)"
)
# Words after a citation that name another instrument: then it is not the AI Act.
_OTHER = re.compile(
    r"^[\s,]*(?:\)|\])?[\s,]*(?:§\s?\d+[\s,]*)?(?:of the |of |the |van de |van het |van |de la |du |de l’|des |"
    r"of Regulation|of Directive)?\s*(?:GDPR|AVG|RGPD|LED|TFEU|VWEU|TFUE|TEU|VEU|TUE|Charter|Handvest|"
    r"Charte|Constitution|Grondwet|ECHR|EVRM|CEDH|Law|law|wet|Wet|loi|Loi|Royal|koninklijk|arrêté|"
    r"Directive|Richtlijn|richtlijn|directive|Regulation \(EU\) 2016|Verordening \(EU\) 2016|"
    r"règlement \(UE\) 2016|Regulation \(EU\) 2019|Verordening \(EU\) 2019|règlement \(UE\) 2019|"
    r"Decree|decreet|décret|ordinance|ordonnantie|ordonnance|Code|Wetboek|code|Convention|Verdrag|"
    r"convention|ordonnance|DSA|DMA|NIS2|Data Act|Cyber|Treaty|Verdrag|traité)"
)


def _norm(number: str) -> str:
    number = number.strip().replace(" ", "")
    for suffix, letter in (("quater", "c"), ("ter", "b"), ("bis", "a")):
        number = re.sub(rf"(\d+){suffix}$", rf"\1{letter}", number)
    return number


def _subdivisions(kind: str, tail: str) -> list[str]:
    """The paragraphs (numbers) named in the tail of a citation; letters are points and are skipped."""
    paragraphs = []
    # EN: (5), (3a), (6a); a leading letter group such as (da) is a point.
    for match in re.finditer(r"\((\d+[a-z]{0,2})\)", tail):
        paragraphs.append(match.group(1))
    # NL/FR: lid 5, leden 1 en 3 bis, paragraphe 6 bis, paragraphes 2 à 5, point 55), punt 55.
    words = re.finditer(
        r"(?:lid|leden|paragraphe|paragraphes|punt|punten|point|points)\s+((?:\d+(?:\s?(?:bis|ter|quater))?|[a-z]{1,2}(?:\s?(?:bis|ter|quater))?\)?)"
        r"(?:\s?\)?\s*(?:,|en|et|à|tot en met|tot|to|and|or|of|ou)\s*(?:\d+(?:\s?(?:bis|ter|quater))?|[a-z]{1,2}(?:\s?(?:bis|ter|quater))?\)))*)",
        tail,
    )
    for match in words:
        for number in re.findall(r"\d+(?:\s?(?:bis|ter|quater))?", match.group(1)):
            paragraphs.append(_norm(number))
    # "Article 3, point (55)": a numbered point in brackets was already read above.
    if not paragraphs:
        ordinal = re.search(
            r"\b(first|second|third|fourth|fifth|eerste|tweede|derde|vierde|vijfde|premier|deuxième|"
            r"troisième|quatrième|cinquième)\b\s*(?:paragraph|alinea|alinéa)",
            tail,
        )
        if ordinal:
            paragraphs.append(f"¶{_ORDINALS[ordinal.group(1)]}")
    # Bare numbers after a list word belong to further articles ("Articles 26 and 27"), not paragraphs.
    return paragraphs


def _further_articles(tail: str) -> list[str]:
    """'Articles 26 and 27', 'artikelen 102 tot 110', 'articles 26 et 27': the other articles named."""
    match = re.match(r"^((?:\s*(?:,|and|en|et|to|tot en met|tot|à|or|of|ou)\s*\d+(?:\s?(?:bis|ter|quater)|[a-z])?)+)", tail)
    if not match:
        return []
    return [_norm(number) for number in re.findall(r"\d+(?:\s?(?:bis|ter|quater)|[a-z])?", match.group(1))]


def _strip_code(text: str) -> str:
    """Drop fenced code blocks (not the MyST directives, whose bodies are page text)."""
    out, fence, directives = [], None, []
    for line in text.splitlines():
        stripped = line.strip()
        opening = re.match(r"^(```+|~~~+)(.*)$", stripped)
        if fence is not None:
            if stripped == fence:
                fence = None
            continue
        if opening and opening.group(2).strip().startswith("{"):
            directives.append(opening.group(1))
        elif opening and directives and stripped == directives[-1]:
            directives.pop()
        elif opening:
            fence = opening.group(1)
            continue
        out.append(line)
    return "\n".join(out)


def textual_citations(text: str) -> set[str]:
    """The AI Act provisions cited in the page's text, as 'Art. 26', 'Art. 26(5)', 'Annex III(4)'."""
    text = _strip_code(text)
    # A citation that is a link's text belongs to the instrument the link points to.
    foreign_spans = []
    for link in _LINK.finditer(text):
        url = link.group(2)
        if url.startswith("http") and not _AI_ACT_URL.match(url):
            foreign_spans.append(link.span(1))
    text_no_urls = _LINK.sub(lambda m: "[" + m.group(1) + "]" + " " * (len(m.group(0)) - len(m.group(1)) - 2), text)

    cited = set()
    for match in _HEAD.finditer(text_no_urls):
        start = match.start()
        if any(a <= start < b for a, b in foreign_spans):
            continue
        after = text_no_urls[match.end():match.end() + 60]
        if _OTHER.match(after):
            continue
        kind = match.group("kind").lower()
        number = _norm(match.group("number"))
        tail = match.group("tail")
        is_annex = kind.startswith(("annex", "bijlage"))
        if is_annex != bool(re.fullmatch(r"[IVX]+", number)):
            continue
        label = f"Annex {number}" if is_annex else f"Art. {number}"
        articles = [number] if is_annex else [number] + _further_articles(tail)
        if is_annex:
            cited.add(label)
            for point in re.findall(r"(?:point|punt|points|punten)\s+\(?(\d+)", tail):
                cited.add(f"{label}({point})")
            continue
        for article in articles:
            cited.add(f"Art. {article}")
        for paragraph in _subdivisions(kind, tail):
            cited.add(f"Art. {number}({paragraph})")
    return cited


def provisions(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return link_targets(text) | textual_citations(text)


@pytest.mark.parametrize("page", toc_files())
def test_same_ai_act_provisions_cited_in_every_language(page):
    cited = {lang: provisions(BOOK / lang / f"{page}.md") for lang in LANGUAGES}
    everywhere = set.union(*cited.values())
    problems = []
    for provision in sorted(everywhere):
        present = [lang for lang in LANGUAGES if provision in cited[lang]]
        if len(present) != len(LANGUAGES):
            missing = [lang for lang in LANGUAGES if lang not in present]
            problems.append(f"{provision} cited in {'/'.join(present)}, not in {'/'.join(missing)}")
    assert not problems, f"{page}.md: " + "; ".join(problems)


# --- the reader itself -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("([Article 26(5)](https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689#art_26))",
         {"Art. 26", "Art. 26(5)"}),
        ("([artikel 26, lid 5](https://eur-lex.europa.eu/legal-content/NL/TXT/HTML/?uri=CELEX:32024R1689#art_26))",
         {"Art. 26", "Art. 26(5)"}),
        ("([article 26, paragraphe 5](https://eur-lex.europa.eu/legal-content/FR/TXT/HTML/?uri=CELEX:32024R1689#art_26))",
         {"Art. 26", "Art. 26(5)"}),
        ("(Article 57(1) and (3a))", {"Art. 57", "Art. 57(1)", "Art. 57(3a)"}),
        ("(artikel 57, leden 1 en 3 bis)", {"Art. 57", "Art. 57(1)", "Art. 57(3a)"}),
        ("(article 57, paragraphes 1 et 3 bis)", {"Art. 57", "Art. 57(1)", "Art. 57(3a)"}),
        ("(Article 99(4)(da))", {"Art. 99", "Art. 99(4)"}),
        ("(artikel 99, lid 4, punt d bis))", {"Art. 99", "Art. 99(4)"}),
        ("(article 99, paragraphe 4, point d bis))", {"Art. 99", "Art. 99(4)"}),
        ("(Article 99(6a))", {"Art. 99", "Art. 99(6a)"}),
        ("(artikel 99, lid 6 bis)", {"Art. 99", "Art. 99(6a)"}),
        ("(article 99, paragraphe 6 bis)", {"Art. 99", "Art. 99(6a)"}),
        ("(Article 5(1b))", {"Art. 5", "Art. 5(1b)"}),
        ("(artikel 5, lid 1 ter)", {"Art. 5", "Art. 5(1b)"}),
        ("(article 5, paragraphe 1 ter)", {"Art. 5", "Art. 5(1b)"}),
        ("Article 3, point (55)", {"Art. 3", "Art. 3(55)"}),
        ("Article 3(49)", {"Art. 3", "Art. 3(49)"}),
        ("artikel 3, punt 49", {"Art. 3", "Art. 3(49)"}),
        ("article 3, point 49)", {"Art. 3", "Art. 3(49)"}),
        ("Article 113, third paragraph, point (c)", {"Art. 113", "Art. 113(¶3)"}),
        ("artikel 113, derde alinea, punt c)", {"Art. 113", "Art. 113(¶3)"}),
        ("article 113, troisième alinéa, point c)", {"Art. 113", "Art. 113(¶3)"}),
        ("Articles 26 and 27", {"Art. 26", "Art. 27"}),
        ("artikelen 26 en 27", {"Art. 26", "Art. 27"}),
        ("articles 26 et 27", {"Art. 26", "Art. 27"}),
        ("Article 4a", {"Art. 4a"}),
        ("(Art. 25(1))", {"Art. 25", "Art. 25(1)"}),
        ("(art. 25, lid 1)", {"Art. 25", "Art. 25(1)"}),
        ("artikel 4 bis", {"Art. 4a"}),
        ("article 4 bis", {"Art. 4a"}),
        ("Annex III, point 4(a)", {"Annex III", "Annex III(4)"}),
        ("bijlage III, punt 4, a)", {"Annex III", "Annex III(4)"}),
        ("annexe III, point 4 a)", {"Annex III", "Annex III(4)"}),
        ("Article 35 GDPR", set()),
        ("artikel 35 AVG", set()),
        ("article 35 du RGPD", set()),
        ("Article 221(2) of the Law of 30 July 2018", set()),
        ("artikel 221, § 2, van de wet van 30 juli 2018", set()),
        ("([Article 22](https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32016R0679#art_22))", set()),
    ],
)
def test_citations_are_read_alike_in_the_three_languages(text, expected):
    assert link_targets(text) | textual_citations(text) == expected
