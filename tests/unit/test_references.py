"""references: milestone dates, dates in words, citations and EUR-Lex links."""

import pytest

from aigov_widgets.core.law import references

CHECKLIST_IDS = (
    "art3.1 art3.3 art3.4 art3.63 art4 art5.1.c art5.1.f art5.1.ba art5.1.bb art6.2 art11 art13 art14 "
    "art15 art25.1 art26.1 art26.2 art26.5 art26.6 art26.7 art26.8 art26.9 art26.11 art27 art47 art48 "
    "art49.3 art50.1 art50.4 art53 art73 art86 annexiii.4.a annexiii.4.b"
).split()


@pytest.mark.parametrize("milestone, current, original", [
    ("entry_into_force", "2024-08-01", "2024-08-01"),
    ("chapters_i_ii", "2025-02-02", "2025-02-02"),
    ("general_application", "2026-08-02", "2026-08-02"),
    ("annex_iii_high_risk", "2027-12-02", "2026-08-02"),   # Art. 113(c) as amended by 2026/1744
    ("annex_i_high_risk", "2028-08-02", "2027-08-02"),
    ("art111_2_public_authorities", "2030-08-02", "2030-08-02"),
])
def test_milestone_dates_per_law_version(milestone, current, original):
    assert references.milestone_date(milestone) == current
    assert references.milestone_date(milestone, "2024/1689+2026/1744") == current
    assert references.milestone_date(milestone, "2024/1689") == original


def test_milestone_only_in_the_amendment_is_unknown_to_the_original():
    assert references.milestone_date("art5_new_prohibitions") == "2026-12-02"
    with pytest.raises(KeyError):
        references.milestone_date("art5_new_prohibitions", "2024/1689")


def test_unknown_milestone_or_law_is_a_key_error():
    with pytest.raises(KeyError):
        references.milestone_date("no_such_milestone")
    with pytest.raises(KeyError):
        references.milestone_date("entry_into_force", "1999/1")


@pytest.mark.parametrize("iso, lang, text", [
    ("2027-12-02", "nl", "2 december 2027"),
    ("2027-12-02", "fr", "2 décembre 2027"),
    ("2027-12-02", "en", "2 December 2027"),
    ("2024-08-01", "fr", "1er août 2024"),
    ("2024-08-01", "nl", "1 augustus 2024"),
    ("2025-02-02", "fr", "2 février 2025"),
    ("2030-12-31", "en", "31 December 2030"),
])
def test_date_text(iso, lang, text):
    assert references.date_text(iso, lang) == text


def test_milestone_text_uses_the_current_law():
    assert references.milestone_text("annex_iii_high_risk", "nl") == "2 december 2027"
    assert references.milestone_text("entry_into_force", "fr") == "1er août 2024"


@pytest.mark.parametrize("provision_id, en, nl, fr", [
    ("art26.6", "Art. 26(6)", "art. 26, lid 6", "article 26, paragraphe 6"),
    ("art4", "Art. 4", "art. 4", "article 4"),
    ("art5.1.f", "Art. 5(1)(f)", "art. 5, lid 1, punt f)", "article 5, paragraphe 1, point f)"),
    ("art5.1.ba", "Art. 5(1)(ba)", "art. 5, lid 1, punt b bis)", "article 5, paragraphe 1, point b bis)"),
    ("art5.1.bb", "Art. 5(1)(bb)", "art. 5, lid 1, punt b ter)", "article 5, paragraphe 1, point b ter)"),
    ("art3.63", "Art. 3, point (63)", "art. 3, punt 63)", "article 3, point 63)"),
    ("annexiii.4.a", "Annex III, point 4(a)", "bijlage III, punt 4, a)", "annexe III, point 4 a)"),
    ("annexiii.2", "Annex III, point 2", "bijlage III, punt 2", "annexe III, point 2"),
    ("art5.1.d.exception", "Art. 5(1)(d)", "art. 5, lid 1, punt d)", "article 5, paragraphe 1, point d)"),
    ("art6.3.profiling", "Art. 6(3), third subparagraph", "art. 6, lid 3, derde alinea",
     "article 6, paragraphe 3, troisième alinéa"),
])
def test_citations(provision_id, en, nl, fr):
    assert [references.provision(provision_id, lang)["citation"] for lang in ("en", "nl", "fr")] == [en, nl, fr]


def test_inserted_article_and_paragraph_numbers():
    assert references.citation("art4a", "en") == "Art. 4a"
    assert references.citation("art4a", "fr") == "article 4 bis"
    assert references.citation("art6.1a", "nl") == "art. 6, lid 1 bis"
    assert references.citation("art6.1a", "en") == "Art. 6(1a)"


def test_urls_consolidated_text_for_articles_and_oj_text_for_annexes():
    assert references.provision("art26.6", "fr")["url"] == (
        "https://eur-lex.europa.eu/legal-content/FR/TXT/HTML/?uri=CELEX:02024R1689-20260727#art_26")
    # The consolidated text's annex anchors are not confirmed (laws.toml): link the OJ text.
    assert references.provision("annexiii.4.a", "nl")["url"] == (
        "https://eur-lex.europa.eu/legal-content/NL/TXT/HTML/?uri=CELEX:32024R1689#anx_III")
    assert references.eurlex_url("art5.1.f", "en", law="2024/1689") == (
        "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689#art_5")


@pytest.mark.parametrize("provision_id", CHECKLIST_IDS)
@pytest.mark.parametrize("lang", references.LANGUAGES)
def test_every_id_the_checklist_uses_is_known(provision_id, lang):
    ref = references.provision(provision_id, lang)
    assert set(ref) == {"citation", "label", "url"}
    assert ref["label"] and ref["citation"] and ref["url"].startswith("https://eur-lex.europa.eu/")


def test_labels_use_official_terms():
    assert "gebruiksverantwoordelijke" in references.provision("art3.4", "nl")["label"].lower()
    assert "déployeur" in references.provision("art3.4", "fr")["label"].lower()
    assert references.role_label("deployer", "fr") == "déployeur"


def test_unknown_provision_is_a_key_error():
    with pytest.raises(KeyError):
        references.provision("art999.1", "en")
    with pytest.raises(KeyError):
        references.provision("art26.6", "de")
