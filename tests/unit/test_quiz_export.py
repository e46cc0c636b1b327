"""The quiz exports (aigov_widgets/core/quiz_export.py) and `aigov quiz export`.

GIFT is read back by an independent parser (gift-pegjs, pinned dev dependency, run with node by
tests/unit/gift_parse.cjs) and by a port of Moodle's own unescaping. Moodle's reading is the reference:
question/format/gift/format.php (moodle/moodle, commit 00e93a993910e03083056a11bec1b68f95e34436):
- escapedchar_pre/escapedchar_post: \\: \\# \\= \\{ \\} \\~ \\n are placeholders, \\\\ is a backslash;
- split_truefalse_comment: {TRUE#A#B} gives A to whoever answers wrong and B to whoever answers right
  (gift-pegjs names them trueFeedback and falseFeedback whatever the key, so its names are not used);
- multichoice: single answer if any "=", weights ~%n% (regex ^%\\-*([0-9]{1,2})\\.?([0-9]*)%).
Moodle accepts only the grades of question_bank::fraction_options_full (question/engine/bank.php).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from aigov_widgets.core import quiz_bank, quiz_export
from aigov_widgets.core.quiz_export import gift_escape, moodle_percent

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nl", "fr", "en")
GIFT_SCRIPT = ROOT / "tests" / "unit" / "gift_parse.cjs"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
MOODLE_GRADES = {round(100 * f, 5) for f in quiz_export.MOODLE_FRACTIONS} | {
    -round(100 * f, 5) for f in quiz_export.MOODLE_FRACTIONS}

# Element names the exports may use: Moodle XML (question/format/xml/format.php, import_* functions) and
# IMS QTI 2.1 (assessmentItem and the content packaging manifest).
MOODLE_ELEMENTS = {"quiz", "question", "category", "text", "name", "questiontext", "generalfeedback",
                   "defaultgrade", "penalty", "hidden", "idnumber", "single", "shuffleanswers",
                   "answernumbering", "showstandardinstruction", "correctfeedback",
                   "partiallycorrectfeedback", "incorrectfeedback", "answer", "feedback", "tags", "tag"}
QTI_ELEMENTS = {"assessmentItem", "responseDeclaration", "correctResponse", "value", "mapping", "mapEntry",
                "outcomeDeclaration", "defaultValue", "itemBody", "choiceInteraction", "prompt",
                "simpleChoice", "feedbackInline", "responseProcessing", "responseCondition", "responseIf",
                "responseElse", "isNull", "variable", "setOutcomeValue", "baseValue", "mapResponse",
                "modalFeedback"}
CP_ELEMENTS = {"manifest", "metadata", "schema", "schemaversion", "organizations", "resources", "resource",
               "file"}


def bank(lang: str, track: str | None = None) -> quiz_bank.Bank:
    return quiz_bank.load(lang, track)


@lru_cache(maxsize=None)
def export(lang: str, fmt: str, track: str | None = None):
    return quiz_export.export(bank(lang, track), fmt)


def moodle_unescape(text: str) -> str:
    """Moodle's escapedchar_pre followed by escapedchar_post (format.php), on one piece of text."""
    placeholders = {"\\:": "&&058;", "\\#": "&&035;", "\\=": "&&061;", "\\{": "&&123;", "\\}": "&&125;",
                    "\\~": "&&126;", "\\n": "&&010"}
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in placeholders.items():
        text = text.replace(escaped, placeholder)
    text = text.replace("&&092;", "\\")
    characters = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                  "&&126;": "~", "&&010": "\n"}
    for placeholder, char in characters.items():
        text = text.replace(placeholder, char)
    return text


def unescaped_specials(text: str) -> list[str]:
    """The GIFT control characters of `text` that are not escaped."""
    found, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in "~=#{}:\n":
            found.append(text[index])
        index += 1
    return found


def gift_pegjs(text: str) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    assert (ROOT / "node_modules" / "gift-pegjs").is_dir(), "gift-pegjs missing: run `npm ci`"
    done = subprocess.run([node, str(GIFT_SCRIPT)], input=text, capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- the model and json ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_json_has_every_question_of_the_language(lang):
    document = json.loads(export(lang, "json"))
    assert document["format"] == "aigov-quiz" and document["version"] == 1 and document["lang"] == lang
    assert document["bank_version"].startswith("sha256:") and document["law"]
    raw_ids = [q["id"] for path in sorted((ROOT / "aigov_widgets/data/quizzes").glob("bank-*.toml"))
               for q in tomllib.loads(path.read_text(encoding="utf-8")).get("question", [])]
    assert [q["id"] for q in document["questions"]] and sorted(q["id"] for q in document["questions"]) == sorted(raw_ids)
    for q in document["questions"]:
        assert set(q) == {"id", "type", "text", "options", "explanation", "link", "topic", "tracks",
                          "provisions", "difficulty"}
        assert q["type"] in ("single", "multiple", "truefalse", "scenario")
        assert q["link"].startswith(f"{lang}/") and ".html" in q["link"]
        assert sum(o["weight"] for o in q["options"] if o["weight"] > 0) == 100, q["id"]
        for option in q["options"]:
            assert set(option) == {"id", "text", "correct", "weight", "feedback"}
            assert option["correct"] is (option["weight"] > 0)


def test_same_ids_and_correct_options_in_every_language():
    keys = {lang: [(q["id"], q["type"], [o["id"] for o in q["options"] if o["correct"]],
                    [o["weight"] for o in q["options"]]) for q in json.loads(export(lang, "json"))["questions"]]
            for lang in LANGUAGES}
    assert keys["nl"] == keys["fr"] == keys["en"]


@pytest.mark.parametrize("track", quiz_bank.tracks())
def test_a_track_holds_exactly_its_questions(track):
    document = json.loads(export("en", "json", track))
    everything = json.loads(export("en", "json"))["questions"]
    assert [q["id"] for q in document["questions"]] == [q["id"] for q in everything if track in q["tracks"]]
    assert document["questions"], track


def test_bad_language_or_track_is_refused():
    with pytest.raises(ValueError):
        quiz_bank.load("de")
    with pytest.raises(ValueError):
        quiz_bank.load("en", "nobody")


# --- GIFT -----------------------------------------------------------------------------------------

@given(st.text(alphabet=st.sampled_from(list("~=#{}:\n\r\\%ab é’ [](/)")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_gift_escape_is_read_back_by_moodle(text):
    escaped = gift_escape(text)
    assert unescaped_specials(escaped) == []
    assert "\n" not in escaped and "\r" not in escaped
    assert moodle_unescape(escaped) == text.replace("\r\n", "\n").replace("\r", "\n")


def test_gift_escape_survives_an_independent_parser():
    """Generated nasty texts in question, answers, feedback and general feedback, read by gift-pegjs."""
    rng = random.Random(20261206)
    # No "->": gift-pegjs then tries a matching question; the exports never contain it because their
    # texts are HTML, where ">" is written &gt; (Moodle itself decides by "~" and would read multichoice).
    alphabet = list("~=#{}:\n\\abc é’") + [" : ", "\\n", "::", "{}", "####", "%50%", "<&>"]
    def nasty() -> str:
        return "x" + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 15))) + "y"
    cases, chunks = [], []
    for index in range(60):
        texts = [nasty() for _ in range(6)]
        cases.append(texts)
        chunks.append(f"::q{index}::{gift_escape(texts[0])}{{\n\t={gift_escape(texts[1])}#{gift_escape(texts[2])}\n"
                      f"\t~%-50%{gift_escape(texts[3])}#{gift_escape(texts[4])}\n\t####{gift_escape(texts[5])}\n}}\n")
    parsed = gift_pegjs("\n".join(chunks))
    assert len(parsed) == len(cases)
    same = lambda text: re.sub(" +", " ", text.strip())  # noqa: E731  (gift-pegjs collapses runs of spaces)
    for texts, question in zip(cases, parsed):
        right, wrong = question["choices"]
        read = [question["stem"]["text"], right["text"]["text"], right["feedback"]["text"], wrong["text"]["text"],
                wrong["feedback"]["text"], question["globalFeedback"]["text"]]
        assert [same(text) for text in read] == [same(text) for text in texts]
        assert right["isCorrect"] is True and wrong["weight"] == -50


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gift_parses_with_every_question_feedback_and_weight(lang):
    model = bank(lang)
    parsed = gift_pegjs(export(lang, "gift"))
    categories = [item for item in parsed if item["type"] == "Category"]
    questions = [item for item in parsed if item["type"] != "Category"]
    assert len(categories) == len(model.by_topic())
    assert [item["title"] for item in questions] == [q.id for q in model.questions]
    for q, item in zip(model.questions, questions):
        assert item["stem"] == {"format": "html", "text": quiz_export._html(q.text)}
        assert item["globalFeedback"]["text"] == quiz_export._general_feedback(q)
        if q.type == "truefalse":
            options = {o.id: o for o in q.options}
            key = "true" if options["true"].correct else "false"
            other = "false" if key == "true" else "true"
            assert item["type"] == "TF" and item["isTrue"] is (key == "true")
            # Moodle: the first feedback goes to a wrong answer, the second to the right one.
            assert item["trueFeedback"]["text"] == quiz_export._html(options[other].feedback), q.id
            assert item["falseFeedback"]["text"] == quiz_export._html(options[key].feedback), q.id
            continue
        assert item["type"] == "MC", q.id
        assert [c["text"]["text"] for c in item["choices"]] == [quiz_export._html(o.text) for o in q.options]
        assert [c["feedback"]["text"] for c in item["choices"]] == [quiz_export._html(o.feedback) for o in q.options]
        for option, choice in zip(q.options, item["choices"]):
            if q.type != "multiple" and option.weight == 100:
                assert choice["isCorrect"] is True and choice["weight"] is None
            elif option.weight == 0:
                assert choice["isCorrect"] is False and choice["weight"] in (None, 0)
            else:
                assert choice["weight"] == pytest.approx(float(moodle_percent(option.weight)), abs=1e-9)


def test_gift_partial_credit_and_question_kinds():
    text = export("en", "gift")
    model = bank("en")
    weights = {o.weight for q in model.questions if q.type == "multiple" for o in q.options}
    assert {50, -50} <= weights
    assert "\t~%50%" in text and "\t~%-50%" in text
    if 33 in weights:
        assert "\t~%33.33333%" in text
    for q in model.questions:
        block = text.split(f"::{q.id}::", 1)[1].split("\n}", 1)[0]
        answers = block.split("{", 1)[1]
        if q.type == "multiple":   # Moodle: no "=" at all makes a multiple-answer question
            assert not any(line.startswith("\t=") for line in answers.splitlines()), q.id
        elif q.type in ("single", "scenario"):
            assert sum(line.startswith("\t=") for line in answers.splitlines()) == 1, q.id


def test_moodle_grades():
    assert [moodle_percent(w) for w in (100, 50, 33, 34, -50, 0, 25, -100)] == [
        "100", "50", "33.33333", "33.33333", "-50", "0", "25", "-100"]
    with pytest.raises(ValueError):
        moodle_percent(42)


# --- Moodle XML -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_moodle_xml_structure_fractions_and_feedback(lang):
    model = bank(lang)
    root = ET.fromstring(export(lang, "moodle-xml"))
    assert root.tag == "quiz"
    assert {element.tag for element in root.iter()} <= MOODLE_ELEMENTS
    categories = [q for q in root.findall("question") if q.get("type") == "category"]
    assert len(categories) == len(model.by_topic())
    assert all(c.findtext("category/text").startswith("$course$/top/") for c in categories)
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    assert [q.findtext("name/text") for q in questions] == [q.id for q in model.questions]
    for q, element in zip(model.questions, questions):
        assert element.findtext("idnumber") == q.id
        answers = element.findall("answer")
        fractions = [float(a.get("fraction")) for a in answers]
        assert all(round(f, 5) in MOODLE_GRADES for f in fractions), q.id
        assert abs(sum(f for f in fractions if f > 0) - 100) < 0.0001, q.id
        if q.type == "truefalse":
            assert element.get("type") == "truefalse"
            by_text = {a.findtext("text"): a for a in answers}
            assert set(by_text) == {"true", "false"}
            for option in q.options:
                assert by_text[option.id].findtext("feedback/text") == f"<p>{quiz_export._html(option.feedback)}</p>"
                assert float(by_text[option.id].get("fraction")) == option.weight
        else:
            assert element.get("type") == "multichoice"
            assert element.findtext("single") == ("false" if q.type == "multiple" else "true")
            assert [a.findtext("feedback/text") for a in answers] == [
                f"<p>{quiz_export._html(o.feedback)}</p>" for o in q.options]
            assert fractions == [float(moodle_percent(o.weight)) for o in q.options]


def test_moodle_xml_escapes_markup_in_texts():
    text = export("fr", "moodle-xml")
    ET.fromstring(text)   # well-formed although the texts are full of « », ’, : and &
    assert "<![CDATA[" not in text


# --- QTI 2.1 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_qti_package(lang):
    model = bank(lang)
    data = export(lang, "qti")
    assert data == quiz_export.export(quiz_bank.load(lang), "qti"), "the zip must be deterministic"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "imsmanifest.xml"
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    assert {e.tag.removeprefix(CP) for e in manifest.iter()} <= CP_ELEMENTS
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert len(resources) == len(model.questions)
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv2p1"}
    for q, resource in zip(model.questions, resources):
        item = ET.fromstring(archive.read(resource.get("href")))
        assert item.tag == f"{QTI}assessmentItem" and item.get("title") == q.id
        assert {e.tag.removeprefix(QTI) for e in item.iter()} <= QTI_ELEMENTS
        declaration = item.find(f"{QTI}responseDeclaration")
        assert declaration.get("cardinality") == ("multiple" if q.type == "multiple" else "single")
        mapping = declaration.find(f"{QTI}mapping")
        assert mapping.get("lowerBound") == "0"   # the score is floored at 0
        assert {m.get("mapKey"): float(m.get("mappedValue")) for m in mapping} == {
            o.id: o.weight / 100 for o in q.options}
        assert [v.text for v in declaration.find(f"{QTI}correctResponse")] == list(q.correct_ids)
        choices = item.findall(f".//{QTI}simpleChoice")
        assert [c.get("identifier") for c in choices] == [o.id for o in q.options]
        for option, choice in zip(q.options, choices):
            inline = choice.find(f"{QTI}feedbackInline")
            assert inline.get("outcomeIdentifier") == "FEEDBACK" and inline.get("identifier") == option.id
            assert inline.text == option.feedback
        processing = item.find(f"{QTI}responseProcessing")
        assert processing.get("template") is None and processing.find(f".//{QTI}mapResponse") is not None
        assert {s.get("identifier") for s in processing.iter(f"{QTI}setOutcomeValue")} == {
            "SCORE", "FEEDBACK", "EXPLANATION"}
        assert item.find(f"{QTI}modalFeedback").text == q.explanation


# --- md -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_markdown_bank_has_every_question_with_key_and_explanation(lang):
    text = export(lang, "md", "hr")
    model = bank(lang, "hr")
    for q in model.questions:
        assert f"`{q.id}`" in text and q.link in text
    assert text.count(quiz_export.TEXTS["key"][lang]) == len(model.questions)


# --- the command ----------------------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aigov_widgets.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.parametrize("args", [
    ["quiz", "export", "--format", "gift"],                          # --lang missing
    ["quiz", "export", "--lang", "nl", "--format", "qti"],           # qti without -o
    ["quiz", "export", "--lang", "nl", "--format", "qti", "-o", "-"],
    ["quiz", "export", "--lang", "de", "--format", "json"],
    ["quiz", "export", "--lang", "nl", "--format", "docx"],
    ["quiz", "export", "--lang", "nl", "--format", "json", "--track", "nobody"],
    ["quiz", "export", "--lang", "nl", "--format", "json", "-o", "/nonexistent/dir/x.json"],
    ["quiz"],
])
def test_cli_bad_arguments_exit_2_with_one_line(args):
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("aigov: error: "), done.stderr


def test_cli_writes_text_to_stdout_and_files(tmp_path):
    done = run("quiz", "export", "--lang", "fr", "--format", "json", "--track", "hr")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(export("fr", "json", "hr"))
    target = tmp_path / "bank.zip"
    done = run("quiz", "export", "--lang", "nl", "--format", "qti", "-o", str(target))
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert target.read_bytes() == export("nl", "qti")
    target = tmp_path / "bank.txt"
    assert run("quiz", "export", "--lang", "en", "--format", "gift", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == export("en", "gift")


def run_qti_processing(item: ET.Element, chosen: list[str]) -> dict:
    """A small interpreter of the response processing the export writes (QTI 2.1 semantics: mapResponse
    sums the mapped values of the distinct responses, unmapped ones count defaultValue, and the sum is
    clamped to lowerBound/upperBound; isNull is true for an empty response)."""
    declaration = item.find(f"{QTI}responseDeclaration")
    multiple = declaration.get("cardinality") == "multiple"
    response = list(dict.fromkeys(chosen)) if multiple else (chosen[0] if chosen else None)
    mapping = declaration.find(f"{QTI}mapping")
    values = {entry.get("mapKey"): float(entry.get("mappedValue")) for entry in mapping}
    variables = {"RESPONSE": response}

    def expression(element: ET.Element):
        tag = element.tag.removeprefix(QTI)
        if tag == "variable":
            return variables.get(element.get("identifier"))
        if tag == "baseValue":
            return float(element.text) if element.get("baseType") == "float" else element.text
        if tag == "isNull":
            value = expression(element[0])
            return value is None or value == []
        if tag == "mapResponse":
            given = response if multiple else ([] if response is None else [response])
            total = sum(values.get(key, float(mapping.get("defaultValue", "0"))) for key in given)
            total = max(total, float(mapping.get("lowerBound", "-inf")))
            return min(total, float(mapping.get("upperBound", "inf")))
        raise AssertionError(f"unexpected expression {tag}")

    def rules(parent: ET.Element) -> None:
        for rule in parent:
            tag = rule.tag.removeprefix(QTI)
            if tag == "setOutcomeValue":
                variables[rule.get("identifier")] = expression(rule[0])
            elif tag == "responseCondition":
                for branch in rule:
                    kind = branch.tag.removeprefix(QTI)
                    if kind == "responseElse" or expression(branch[0]):
                        rules(list(branch) if kind == "responseElse" else list(branch)[1:])
                        break
            else:
                raise AssertionError(f"unexpected rule {tag}")

    rules(item.find(f"{QTI}responseProcessing"))
    return variables


def test_qti_response_processing_scores_as_the_bank_says():
    from itertools import combinations
    archive = zipfile.ZipFile(io.BytesIO(export("en", "qti")))
    checked = 0
    for q in bank("en").questions:
        item = ET.fromstring(archive.read(f"items/{quiz_export.qti_identifier(q.id)}.xml"))
        ids = [o.id for o in q.options]
        sizes = range(0, len(ids) + 1) if q.type == "multiple" else (0, 1)
        for size in sizes:
            for chosen in combinations(ids, size):
                result = run_qti_processing(item, list(chosen))
                weights = sum(o.weight for o in q.options if o.id in chosen)
                assert result["SCORE"] == pytest.approx(max(0, min(100, weights)) / 100), (q.id, chosen)
                if chosen:
                    feedback = result["FEEDBACK"]
                    assert set(feedback if isinstance(feedback, list) else [feedback]) == set(chosen)
                    assert result["EXPLANATION"] == "EXPLANATION"
                checked += 1
    assert checked > len(bank("en").questions)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_qti_package_validates_against_the_ims_schemas(lang):
    """Optional: AIGOV_QTI_XSD=<folder> with qtiv2p1/imsqti_v2p1.xsd and imscp_v1p1.xsd (and the files they
    import), e.g. model/qti/data of oat-sa/extension-tao-itemqti, and lxml importable. Not shipped here: the
    IMS schemas are third-party files."""
    folder = os.environ.get("AIGOV_QTI_XSD")
    if not folder:
        pytest.skip("set AIGOV_QTI_XSD to a folder with the IMS QTI 2.1 and CP 1.1 schemas")
    etree = pytest.importorskip("lxml.etree")
    item_schema = etree.XMLSchema(etree.parse(os.path.join(folder, "qtiv2p1", "imsqti_v2p1.xsd")))
    manifest_schema = etree.XMLSchema(etree.parse(os.path.join(folder, "imscp_v1p1.xsd")))
    archive = zipfile.ZipFile(io.BytesIO(export(lang, "qti")))
    for name in archive.namelist():
        schema = manifest_schema if name == "imsmanifest.xml" else item_schema
        assert schema.validate(etree.fromstring(archive.read(name))), f"{name}: {schema.error_log.last_error}"
