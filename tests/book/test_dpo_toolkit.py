"""The DPO's toolkit: its pages exist in every language with the same outline, sit in the shared table of
contents, and each template carries the fields and legal references it must; the pages on roles and
prohibited practices point to the supplier clause."""

from __future__ import annotations

import re

import pytest

from tests.book.test_parity import BOOK, outline, toc_files
from tests.conftest import LANGUAGES

PAGES = ["dpo-toolkit", "approval-file", "fria-helper", "notices", "supplier-clause", "incident-procedure"]

# The fields every template must carry, as they are written in each language (bold, in square brackets).
INSTITUTION = {"nl": "[naam van de instelling]", "fr": "[nom de l’institution]", "en": "[name of the institution]"}
SYSTEM = {"nl": "[naam van het systeem", "fr": "[nom du système", "en": "[name of the system"}
DATE = {"nl": "[datum]", "fr": "[date]", "en": "[date]"}
CONTACT = {"nl": "[contact]", "fr": "[contact]", "en": "[contact]"}

# What each page must contain, per language: the AI Act and GDPR provisions it rests on, and words that
# show the required content is there. Each entry: {lang: [strings that must all occur]}.
REQUIRED = {
    "approval-file": {
        "nl": ["juridische dienst", "adviseur voor informatiebeveiliging", "DPO", "Stempel van de risicowijzer",
               "(classifier.md)", "(supplier-clause.md)", "artikel 49, lid 3", "artikel 26, lid 7", "artikel 27"],
        "fr": ["service juridique", "conseiller en sécurité de l’information", "DPO", "Cachet du classificateur",
               "(classifier.md)", "(supplier-clause.md)", "article 49, paragraphe 3", "article 26, paragraphe 7",
               "article 27"],
        "en": ["Legal service", "information security adviser", "DPO", "Classifier stamp", "(classifier.md)",
               "(supplier-clause.md)", "Article 49(3)", "Article 26(7)", "Article 27"],
    },
    "fria-helper": {
        "nl": ["artikel 27, lid 1, punt a)", "punt b)", "punt c)", "punt d)", "punt e)", "punt f)",
               "artikel 27, lid 4", "publiekrechtelijke organen", "particuliere entiteiten die openbare diensten",
               "punten 5, b) en 5, c)", "bijlage III, punt 2", "(classifier.md)", "{ref}`hr-recruitment-matching`",
               "(hr-use-cases.md)", "bijlage VIII, afdeling C", "onderdelen 4 en 5"],
        "fr": ["article 27, paragraphe 1, point a)", "point b)", "point c)", "point d)", "point e)", "point f)",
               "article 27, paragraphe 4", "organismes de droit public", "entités privées qui fournissent des services publics",
               "points 5 b) et 5 c)", "annexe III, point 2", "(classifier.md)", "{ref}`hr-recruitment-matching`",
               "(hr-use-cases.md)", "annexe VIII, section C", "rubriques 4 et 5"],
        "en": ["Article 27(1)(a)", "(Article 27(1)(b))", "(Article 27(1)(c))", "(Article 27(1)(d))",
               "(Article 27(1)(e))", "(Article 27(1)(f))", "Article 27(4)", "bodies governed by public law",
               "private entities providing public services", "points 5(b) and 5(c)", "Annex III, point 2",
               "(classifier.md)", "{ref}`hr-recruitment-matching`", "(hr-use-cases.md)", "Annex VIII, Section C",
               "items 4 and 5"],
    },
    "notices": {
        "nl": ["artikel 86", "artikel 26, lid 11", "artikel 26, lid 7", "recht op uitleg", "betwisten",
               "[naam van de procedure]", "[naam en e-mailadres van de DPO]", "[overlegorgaan]"],
        "fr": ["article 86", "article 26, paragraphe 11", "article 26, paragraphe 7", "droit à une explication",
               "Contester la décision", "[nom de la procédure]", "[nom et courriel du DPO]", "[organe de concertation]"],
        "en": ["Article 86", "Article 26(11)", "Article 26(7)", "right to an explanation", "Contesting the decision",
               "[name of the procedure]", "[name and e-mail of the DPO]", "[consultation body]"],
    },
    "supplier-clause": {
        "nl": ["artikel 5", "artikel 13", "artikel 25, lid 2", "artikel 25, lid 4", "logs", "contactpunt",
               "artikel 28 AVG", "artikel 33, lid 2, AVG"],
        "fr": ["article 5", "article 13", "article 25, paragraphe 2", "article 25, paragraphe 4", "journaux",
               "point de contact", "article 28 du RGPD", "article 33, paragraphe 2, du RGPD"],
        "en": ["Article 5", "Article 13", "Article 25(2)", "Article 25(4)", "logs", "contact point",
               "Article 28 GDPR", "Article 33(2) GDPR"],
    },
    "incident-procedure": {
        "nl": ["artikel 26, lid 5", "artikel 73", "15 dagen", "10 dagen", "2 dagen", "72 uur", "artikel 33 AVG",
               "Eerst de aanbieder", "niet kunt bereiken", "Interne escalatie", "[centraal intern contactpunt"],
        "fr": ["article 26, paragraphe 5", "article 73", "15 jours", "10 jours", "2 jours", "72 heures",
               "article 33 du RGPD", "D’abord le fournisseur", "ne parvenez pas à joindre", "Escalade interne",
               "[point de contact interne unique"],
        "en": ["Article 26(5)", "Article 73", "15 days", "10 days", "2 days", "72 hours", "Article 33 GDPR",
               "First the provider", "cannot reach the provider", "Internal escalation",
               "[single internal contact point"],
    },
    "dpo-toolkit": {
        "nl": ["(approval-file.md)", "(fria-helper.md)", "(notices.md)", "(supplier-clause.md)",
               "(incident-procedure.md)", "Geen juridisch advies"],
        "fr": ["(approval-file.md)", "(fria-helper.md)", "(notices.md)", "(supplier-clause.md)",
               "(incident-procedure.md)", "Pas un avis juridique"],
        "en": ["(approval-file.md)", "(fria-helper.md)", "(notices.md)", "(supplier-clause.md)",
               "(incident-procedure.md)", "Not legal advice"],
    },
}

# The templates (every page but the overview) carry the institution's name as a field.
TEMPLATES = [page for page in PAGES if page != "dpo-toolkit"]


DOCUMENT = re.compile(r"^```\{aigov-document\} (\S+)\n```$", re.M)


def document(document_id: str, lang: str) -> str:
    """A data document (data/documents/) as the aigov-document directive shows it: headings as bold lines,
    every field as **[label]**."""
    from aigov_widgets.core import documents
    from aigov_widgets.core.ui import doc, frame
    blocks = [doc.Para(doc.Strong(block.text)) if isinstance(block, doc.Heading) else block
              for block in documents.blocks(document_id, lang)]
    return "\n".join(doc.to_markdown(blocks, frame.markdown_inert)).replace("\\[", "[").replace("\\]", "]")


def text(lang: str, page: str) -> str:
    """The page's source with each aigov-document directive replaced by the template it shows."""
    body = (BOOK / lang / f"{page}.md").read_text(encoding="utf-8")
    body = DOCUMENT.sub(lambda match: document(match.group(1), lang), body)
    return body.replace("\u00a0", " ")


def test_the_toolkit_is_in_the_table_of_contents_in_order():
    files = toc_files()
    positions = [files.index(page) for page in PAGES]
    assert positions == sorted(positions) and positions[-1] - positions[0] == len(PAGES) - 1, positions


@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_every_language_with_the_same_outline(page):
    reference = outline(BOOK / LANGUAGES[0] / f"{page}.md")
    assert reference.count("h1") == 1
    for lang in LANGUAGES:
        assert (BOOK / lang / f"{page}.md").is_file(), f"{lang}/{page}.md missing"
        assert outline(BOOK / lang / f"{page}.md") == reference, f"{lang}/{page}.md differs from {LANGUAGES[0]}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_carries_what_it_must(page, lang):
    body = text(lang, page)
    missing = [item for item in REQUIRED[page][lang] if item not in body]
    assert not missing, f"{lang}/{page}.md lacks {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", TEMPLATES)
def test_templates_have_clearly_marked_fields(page, lang):
    body = text(lang, page)
    assert f"**{INSTITUTION[lang]}**" in body or f"**{INSTITUTION[lang][0]}{INSTITUTION[lang][1].upper()}" in body, (
        f"{lang}/{page}.md: no field for the institution's name")
    fields = re.findall(r"\*\*\[[^\]]+\]\*\*", body)
    assert len(fields) >= 5, f"{lang}/{page}.md: only {len(fields)} marked fields"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_affected_persons_notice_has_every_element(lang):
    """AI use and purpose, the right to an explanation (Article 86), contesting and appeal, a contact."""
    body = text(lang, "notices")
    notice = body.split("\n## ")[2]  # the section "Notice to affected persons"
    template = notice.split("\n### ")[2]
    words = {
        "nl": ["**[naam van het systeem]**", "**[doel]**", "artikel 86", "betwisten", "beroep", "**[dienst, adres, telefoon, e-mail]**"],
        "fr": ["**[nom du système]**", "**[finalité]**", "article 86", "Contester", "recours", "**[service, adresse, téléphone, courriel]**"],
        "en": ["**[name of the system]**", "**[purpose]**", "Article 86", "Contesting", "appeal", "**[service, address, telephone, e-mail]**"],
    }[lang]
    missing = [word for word in words if word not in template]
    assert not missing, f"{lang}: the notice to affected persons lacks {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workers_notice_comes_before_use_and_cites_article_26_7(lang):
    body = text(lang, "notices")
    workers = body.split("\n## ")[3]
    cite = {"nl": "artikel 26, lid 7", "fr": "article 26, paragraphe 7", "en": "Article 26(7)"}[lang]
    assert cite in workers and "**[" in workers


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ["roles", "prohibited-practices"])
def test_roles_and_prohibited_practices_link_to_the_supplier_clause(page, lang):
    assert "](supplier-clause.md)" in text(lang, page), f"{lang}/{page}.md does not link to the supplier clause"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_eur_lex_link_of_the_toolkit_is_in_the_page_language(lang):
    for page in PAGES:
        for url in re.findall(r"\]\((https://eur-lex\.europa\.eu/[^)\s]+)\)", text(lang, page)):
            assert f"/legal-content/{lang.upper()}/" in url, f"{lang}/{page}.md: {url}"


def test_the_ai_clause_concerns_the_institution_not_one_system():
    """The AI clause of the internal rules is filled for the institution: its name, no field of one system."""
    from aigov_widgets.core import documents
    keys = {token[1:-1].removeprefix("check:") for block in documents.load("ai-clause")["block"]
            for part in [block.get("text", {})] + block.get("items", []) for value in part.values()
            for token in documents.placeholders(value) if token.startswith("{")}
    assert "org.name" in keys and all(key.startswith("org.") for key in keys), keys


def _document_fields(document_id: str) -> list[str]:
    """The `{key}` and `{check:key}` forms of a document, in English (every language has the same)."""
    from aigov_widgets.core import documents
    parts = []
    for block in documents.load(document_id)["block"]:
        parts += [block.get("text")] + block.get("items", []) + block.get("head", []) + \
            [cell for row in block.get("rows", []) for cell in row]
    return [token for part in parts if part for token in documents.placeholders(part["en"]) if token.startswith("{")]


def test_the_approval_file_carries_what_the_register_holds_about_the_approval():
    """The classification with its stamp, the seven guarantees as boxes, the four opinions, the decision, what
    changed since it, and the pre-use duties listed by the register."""
    from aigov_widgets.core import documents
    used = _document_fields("approval-file")
    wanted = ["{system.stamp}", "{system.tier}", "{system.annex_iii}", "{system.role}", "{system.provisional}",
              "{fria.required}", "{approval.decision}", "{approval.decided_by}", "{approval.date}", "{approval.changed}"]
    wanted += [f"{{check:approval.guarantees.{key}}}" for key in documents.GUARANTEES]
    wanted += [f"{{approval.{signer}.{part}}}" for signer in documents.SIGNERS
               for part in ("name", "opinion", "conditions", "date")]
    assert not [field for field in wanted if field not in used], [field for field in wanted if field not in used]
    data = documents.load("approval-file")
    assert any(block["kind"] == "duties" for block in data["block"])
    assert {"art27", "art26.7", "art26.11", "art26.2", "art4"} <= set(data["document"]["duties"])


def test_the_fria_record_has_the_six_elements_and_the_summary():
    """Article 27(1)(a) to (f) each with its field, the DPIA reused, the summary for the EU database and the
    notification to the market surveillance authority (Article 27(3))."""
    from aigov_widgets.core import documents
    used = _document_fields("fria")
    wanted = ["{fria.required}", *[f"{{fria.{key}}}" for key in documents.FRIA_ELEMENTS], "{dpia.summary}",
              "{fria.summary}", "{fria.date}", "{fria.notified_on}"]
    assert not [field for field in wanted if field not in used], [field for field in wanted if field not in used]
    for lang in LANGUAGES:
        assert "```{aigov-document} fria\n```" in (BOOK / lang / "fria-helper.md").read_text(encoding="utf-8")
