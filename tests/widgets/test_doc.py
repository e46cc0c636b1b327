"""The result document: one object, rendered to HTML and to Markdown with the same content."""

from aigov_widgets.core.ui import doc
from aigov_widgets.core.ui.frame import markdown_inert
from aigov_widgets.core.law import questionnaire
from aigov_widgets.core.tools import classifier

BLOCKS = [doc.Heading(3, "Result"),
          doc.Para([doc.Strong("Classification: "), doc.Badge("High risk")], {"class": "aigov-tier"}),
          doc.Items([[doc.Link("Art. 26(6)", "https://eur-lex.europa.eu/x#art_26", "Logs"), " – keep logs"],
                     doc.Link("Open question", "#q-1")]),
          doc.Table(["Duty", "From"], [["Logs | six months", "2 December 2027"]]),
          doc.Para("<b>user text</b> *not emphasis*")]


def test_html_escapes_and_marks_up():
    html = doc.to_html(BLOCKS)
    assert '<p class="aigov-tier"><strong>Classification: </strong><span class="aigov-badge">High risk</span></p>' in html
    assert '<a href="https://eur-lex.europa.eu/x#art_26" title="Logs">Art. 26(6)</a>' in html
    assert "&lt;b&gt;user text&lt;/b&gt;" in html and "<b>" not in html
    assert '<th scope="col">Duty</th>' in html


def test_markdown_from_the_same_blocks():
    lines = doc.to_markdown(BLOCKS, markdown_inert)
    text = "\n".join(lines)
    assert "## Result" in text and "**Classification:** **High risk**" in text
    assert "Art. 26(6) <https://eur-lex.europa.eu/x#art_26> – keep logs" in text
    assert "- Open question" in text and "#q-1" not in text, "in-page links keep only their text"
    assert "| Logs \\| six months | 2 December 2027 |" in text
    assert "&lt;b&gt;" in text and "\\*not emphasis\\*" in text


def test_the_classifier_export_says_what_the_page_says():
    answers = questionnaire.prune(classifier.fill_open({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True},
                                                       value=False))
    state = {"answers": answers, "context": {"role": "deployer", "public_body": True, "in_service_since": "", "date": ""}}
    assessment = classifier.assess(state, "2026-12-06", "nl")
    html = classifier.render_result(assessment, "nl", "deployer")
    markdown = classifier.export_markdown(state, "nl", "2026-12-06")
    for block in classifier.result_blocks(assessment, "nl", "deployer"):
        if isinstance(block, doc.Heading) and block.level == 4:
            assert block.text in html and block.text in markdown
    assert "\\(" not in markdown, "no escaped parentheses"
