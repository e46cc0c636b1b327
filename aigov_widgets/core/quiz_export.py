"""Exports of the AI-literacy quiz banks for a learning platform: json, gift, moodle-xml, qti, md.

    export(bank, "gift") -> str      (json, gift, moodle-xml, md: text; qti: the bytes of a zip)

All of them come from one model (core/quiz_bank.py) and are deterministic (same banks, same bytes).

- json: {"format": "aigov-quiz", "version": 1, lang, bank_version, law, questions: [...]}, weights as in
  the banks (percent; the positive weights of a question add up to 100; a score is floored at 0).
- gift and moodle-xml: Moodle's two import formats, one category per topic, feedback per answer, partial
  credit. Moodle accepts only the grades of its list (question/engine/bank.php, fraction_options_full:
  100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5,
  11.11111, 10, 5 and their negatives) unless the teacher picks "nearest grade" on import, so a bank
  weight of 33 or 34 is written 33.33333. GIFT text escapes \\ ~ = # { } : and newlines as Moodle's own
  exporter does (question/format/gift/format.php, repchar); true/false is {TRUE#feedback when the
  learner answers wrong#feedback when right} (split_truefalse_comment).
- qti: an IMS QTI 2.1 content package: imsmanifest.xml and one assessmentItem per question, a mapping of
  the weights (lowerBound 0), explicit response processing, feedbackInline per option and modalFeedback
  with the explanation.
- md: the printable bank for the trainer (key, weights, feedback, explanation, book section).
"""

from __future__ import annotations

import html
import io
import json
import zipfile
import xml.etree.ElementTree as ET

from aigov_widgets.core.quiz_bank import Bank, Question, track_label

FORMATS = ("json", "gift", "moodle-xml", "qti", "md")
BINARY_FORMATS = ("qti",)
EXTENSIONS = {"json": "json", "gift": "gift.txt", "moodle-xml": "moodle.xml", "qti": "qti.zip", "md": "md"}

TEXTS = {
    "root": {"nl": "AI-geletterdheid", "fr": "Maîtrise de l’IA", "en": "AI literacy"},
    "all_tracks": {"nl": "alle doelgroepen", "fr": "tous les publics", "en": "all audiences"},
    "key": {"nl": "Sleutel", "fr": "Corrigé", "en": "Key"},
    "explanation": {"nl": "Uitleg", "fr": "Explication", "en": "Explanation"},
    "section": {"nl": "In het boek", "fr": "Dans le livre", "en": "In the book"},
    "correct": {"nl": "juist", "fr": "correct", "en": "correct"},
    "wrong": {"nl": "fout", "fr": "incorrect", "en": "wrong"},
    "questions": {"nl": "vragen", "fr": "questions", "en": "questions"},
    "version": {"nl": "versie van de banken", "fr": "version des banques", "en": "bank version"},
    "law": {"nl": "recht", "fr": "droit", "en": "law"},
    "true": {"nl": "Waar", "fr": "Vrai", "en": "True"},
    "false": {"nl": "Niet waar", "fr": "Faux", "en": "False"},
    "difficulty": {"nl": "niveau", "fr": "niveau", "en": "level"},
}

# Moodle's grade list (question/engine/bank.php, question_bank::ensure_fraction_options_initialised).
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
                    0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
MOODLE_TOLERANCE = 1.0   # percentage points: a bank weight may be this far from a Moodle grade


TITLES = {"nl": "Vragenbank AI-geletterdheid: {scope}", "fr": "Banque de questions sur la maîtrise de l’IA\u00a0: {scope}",
          "en": "AI literacy question bank: {scope}"}


def title(bank: Bank) -> str:
    scope = track_label(bank.track, bank.lang) if bank.track else TEXTS["all_tracks"][bank.lang]
    return TITLES[bank.lang].format(scope=scope)


def export(bank: Bank, fmt: str) -> str | bytes:
    writers = {"json": to_json, "gift": to_gift, "moodle-xml": to_moodle_xml, "qti": to_qti, "md": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return writers[fmt](bank)


def file_name(bank: Bank, fmt: str) -> str:
    """aigov-quiz-nl.gift.txt, aigov-quiz-fr-hr.qti.zip, …"""
    return f"aigov-quiz-{bank.lang}" + (f"-{bank.track}" if bank.track else "") + f".{EXTENSIONS[fmt]}"


# --- json -----------------------------------------------------------------------------------------

def as_dict(bank: Bank) -> dict:
    return {
        "format": "aigov-quiz", "version": 1, "lang": bank.lang, "bank_version": bank.bank_version,
        "law": bank.law,
        "questions": [{
            "id": q.id, "type": q.type, "text": q.text,
            "options": [{"id": o.id, "text": o.text, "correct": o.correct, "weight": o.weight,
                         "feedback": o.feedback} for o in q.options],
            "explanation": q.explanation, "link": q.link, "topic": q.topic, "tracks": list(q.tracks),
            "provisions": list(q.provisions), "difficulty": q.difficulty,
        } for q in bank.questions],
    }


def to_json(bank: Bank) -> str:
    return json.dumps(as_dict(bank), ensure_ascii=False, indent=2) + "\n"


# --- Moodle: shared -------------------------------------------------------------------------------

def moodle_percent(weight: int) -> str:
    """A bank weight as one of Moodle's grades, in percent ("33.33333", "-50", "100")."""
    best = min((sign * fraction for fraction in MOODLE_FRACTIONS for sign in (1, -1)),
               key=lambda fraction: abs(fraction * 100 - weight))
    if abs(best * 100 - weight) > MOODLE_TOLERANCE:
        raise ValueError(f"weight {weight} is not close to any grade Moodle accepts")
    text = f"{best * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def category_path(bank: Bank, label: str) -> str:
    """$course$/top/<root>/<topic>: one category per topic, "/" in a name doubled (Moodle's escape)."""
    names = [f"{TEXTS['root'][bank.lang]} ({bank.lang})", label]
    return "$course$/top/" + "/".join(name.replace("/", "//") for name in names)


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _general_feedback(q: Question) -> str:
    return f"<p>{_html(q.explanation)}</p>"


# --- GIFT -----------------------------------------------------------------------------------------

GIFT_SPECIAL = "\\~=#{}:"


def gift_escape(text: str) -> str:
    """Escape as Moodle's exporter does (repchar): \\ first, then ~ = # { } :, newlines as \\n."""
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        out.append("\\n" if char == "\n" else "\\" + char if char in GIFT_SPECIAL else char)
    return "".join(out)


def _gift_text(text: str) -> str:
    return gift_escape(_html(text))


def _gift_question(q: Question) -> list[str]:
    head = f"::{gift_escape(q.id)}::[html]{_gift_text(q.text)}"
    general = f"####{gift_escape(_general_feedback(q))}"
    if q.type == "truefalse":
        options = {o.id: o for o in q.options}
        key = "true" if options["true"].correct else "false"
        wrong = "false" if key == "true" else "true"
        # Moodle reads {KEY#feedback if wrong#feedback if right}: the second part is shown to whoever
        # chose the other answer, the third to whoever chose the key.
        return [f"{head}{{{key.upper()}#{_gift_text(options[wrong].feedback)}"
                f"#{_gift_text(options[key].feedback)}{general}}}"]
    lines = [head + "{"]
    for o in q.options:
        if q.type != "multiple" and o.weight == 100:
            mark = "="
        elif o.weight == 0 and not o.text.startswith("%"):
            mark = "~"
        else:
            mark = f"~%{moodle_percent(o.weight)}%"
        lines.append(f"\t{mark}{_gift_text(o.text)}#{_gift_text(o.feedback)}")
    lines.append(f"\t{general}")
    lines.append("}")
    return lines


def to_gift(bank: Bank) -> str:
    out = [f"// {title(bank)} ({bank.lang})", f"// {TEXTS['version'][bank.lang]} {bank.bank_version}, "
           f"{TEXTS['law'][bank.lang]} {bank.law}, {len(bank.questions)} {TEXTS['questions'][bank.lang]}", ""]
    for _topic, label, questions in bank.by_topic():
        out += [f"$CATEGORY: {category_path(bank, label)}", ""]
        for q in questions:
            out += [f"// {q.id}", *_gift_question(q), ""]
    return "\n".join(out)


# --- Moodle XML -----------------------------------------------------------------------------------

def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _texted(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "text", text)
    return element


def _moodle_question(quiz: ET.Element, q: Question, lang: str) -> None:
    kind = "truefalse" if q.type == "truefalse" else "multichoice"
    question = _sub(quiz, "question", type=kind)
    _texted(question, "name", q.id)
    _texted(question, "questiontext", f"<p>{_html(q.text)}</p>", format="html")
    _texted(question, "generalfeedback", _general_feedback(q), format="html")
    _sub(question, "defaultgrade", "1")
    _sub(question, "penalty", "1" if kind == "truefalse" else "0.3333333")
    _sub(question, "hidden", "0")
    _sub(question, "idnumber", q.id)
    if kind == "multichoice":
        _sub(question, "single", "false" if q.type == "multiple" else "true")
        _sub(question, "shuffleanswers", "true")
        _sub(question, "answernumbering", "abc")
        _sub(question, "showstandardinstruction", "1")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _texted(question, tag, "", format="html")
    options = q.options
    if kind == "truefalse":   # Moodle reads the answers whose text is "true" and "false"
        options = tuple(sorted(q.options, key=lambda o: o.id != "true"))
    for o in options:
        if kind == "truefalse":
            answer = _sub(question, "answer", fraction=moodle_percent(o.weight), format="moodle_auto_format")
            _sub(answer, "text", o.id)
        else:
            answer = _sub(question, "answer", fraction=moodle_percent(o.weight), format="html")
            _sub(answer, "text", f"<p>{_html(o.text)}</p>")
        _texted(answer, "feedback", f"<p>{_html(o.feedback)}</p>", format="html")
    tags = _sub(question, "tags")
    for tag in (f"aigov-topic-{q.topic}", f"aigov-difficulty-{q.difficulty}",
                *(f"aigov-track-{track}" for track in q.tracks)):
        _texted(tags, "tag", tag)


def to_moodle_xml(bank: Bank) -> str:
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" {title(bank)} ({bank.lang}); {bank.bank_version}; {bank.law} "))
    for _topic, label, questions in bank.by_topic():
        category = _sub(quiz, "question", type="category")
        _texted(category, "category", category_path(bank, label))
        for q in questions:
            _moodle_question(quiz, q, bank.lang)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- IMS QTI 2.1 ----------------------------------------------------------------------------------

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def qti_identifier(text: str) -> str:
    """A QTI identifier (an NCName): letters, digits, . - _, not starting with a digit, . or -."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in text)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"_{cleaned}"


def _q(tag: str) -> str:
    return tag   # namespaces are written as plain xmlns attributes on the root


def _set(parent: ET.Element, identifier: str, child: ET.Element) -> None:
    target = ET.SubElement(parent, _q("setOutcomeValue"), identifier=identifier)
    target.append(child)


def qti_item(q: Question) -> str:
    multiple = q.type == "multiple"
    cardinality = "multiple" if multiple else "single"
    item = ET.Element(_q("assessmentItem"), {
        "xmlns": QTI_NS, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}", "identifier": qti_identifier(q.id),
        "title": q.id, "adaptive": "false", "timeDependent": "false", "xml:lang": q.lang})
    response = ET.SubElement(item, _q("responseDeclaration"), identifier="RESPONSE",
                             cardinality=cardinality, baseType="identifier")
    correct = ET.SubElement(response, _q("correctResponse"))
    for o in q.options:
        if o.weight == 100 or (multiple and o.correct):
            ET.SubElement(correct, _q("value")).text = qti_identifier(o.id)
    mapping = ET.SubElement(response, _q("mapping"), lowerBound="0", upperBound="1", defaultValue="0")
    for o in q.options:
        ET.SubElement(mapping, _q("mapEntry"), mapKey=qti_identifier(o.id), mappedValue=_score(o.weight))
    score = ET.SubElement(item, _q("outcomeDeclaration"), identifier="SCORE", cardinality="single",
                          baseType="float")
    ET.SubElement(ET.SubElement(score, _q("defaultValue")), _q("value")).text = "0"
    ET.SubElement(item, _q("outcomeDeclaration"), identifier="MAXSCORE", cardinality="single",
                  baseType="float").append(_default("1"))
    ET.SubElement(item, _q("outcomeDeclaration"), identifier="FEEDBACK", cardinality=cardinality,
                  baseType="identifier")
    ET.SubElement(item, _q("outcomeDeclaration"), identifier="EXPLANATION", cardinality="single",
                  baseType="identifier")
    body = ET.SubElement(item, _q("itemBody"))
    interaction = ET.SubElement(body, _q("choiceInteraction"), responseIdentifier="RESPONSE",
                                shuffle="false", maxChoices="0" if multiple else "1")
    ET.SubElement(interaction, _q("prompt")).text = q.text
    for o in q.options:
        choice = ET.SubElement(interaction, _q("simpleChoice"), identifier=qti_identifier(o.id))
        choice.text = o.text + " "
        ET.SubElement(choice, _q("feedbackInline"), outcomeIdentifier="FEEDBACK",
                      identifier=qti_identifier(o.id), showHide="show").text = o.feedback
    processing = ET.SubElement(item, _q("responseProcessing"))
    condition = ET.SubElement(processing, _q("responseCondition"))
    when_empty = ET.SubElement(condition, _q("responseIf"))
    ET.SubElement(ET.SubElement(when_empty, _q("isNull")), _q("variable"), identifier="RESPONSE")
    zero = ET.Element(_q("baseValue"), baseType="float")
    zero.text = "0"
    _set(when_empty, "SCORE", zero)
    otherwise = ET.SubElement(condition, _q("responseElse"))
    mapped = ET.Element(_q("mapResponse"), identifier="RESPONSE")
    _set(otherwise, "SCORE", mapped)
    _set(otherwise, "FEEDBACK", ET.Element(_q("variable"), identifier="RESPONSE"))
    shown = ET.Element(_q("baseValue"), baseType="identifier")
    shown.text = "EXPLANATION"
    _set(otherwise, "EXPLANATION", shown)
    modal = ET.SubElement(item, _q("modalFeedback"), outcomeIdentifier="EXPLANATION",
                          identifier="EXPLANATION", showHide="show")
    modal.text = q.explanation
    ET.indent(item)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(item, encoding="unicode") + "\n")


def _default(value: str) -> ET.Element:
    default = ET.Element(_q("defaultValue"))
    ET.SubElement(default, _q("value")).text = value
    return default


def _score(weight: int) -> str:
    return f"{weight / 100:.2f}".rstrip("0").rstrip(".")


def qti_manifest(bank: Bank, hrefs: list[tuple[str, str]]) -> str:
    c = lambda tag: tag  # noqa: E731
    manifest = ET.Element(c("manifest"), {
        "xmlns": CP_NS, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{CP_NS} {CP_XSD}",
        "identifier": qti_identifier(f"aigov-quiz-{bank.lang}-{bank.track or 'all'}")})
    metadata = ET.SubElement(manifest, c("metadata"))
    ET.SubElement(metadata, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(metadata, c("schemaversion")).text = "1.0.0"
    ET.SubElement(manifest, c("organizations"))
    resources = ET.SubElement(manifest, c("resources"))
    for identifier, href in hrefs:
        resource = ET.SubElement(resources, c("resource"), identifier=identifier,
                                 type="imsqti_item_xmlv2p1", href=href)
        ET.SubElement(resource, c("file"), href=href)
    ET.indent(manifest)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(manifest, encoding="unicode") + "\n")


def to_qti(bank: Bank) -> bytes:
    files, hrefs = [], []
    for q in bank.questions:
        href = f"items/{qti_identifier(q.id)}.xml"
        hrefs.append((f"RES-{qti_identifier(q.id)}", href))
        files.append((href, qti_item(q)))
    files.insert(0, ("imsmanifest.xml", qti_manifest(bank, hrefs)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# --- Markdown (the printable bank) ------------------------------------------------------------------

def _md(text: str) -> str:
    """Plain text safe in Markdown: the characters that start markup are escaped."""
    out = []
    for char in text.replace("\n", " "):
        out.append("\\" + char if char in "\\`*_[]<>#|{}" else char)
    return "".join(out)


def option_label(q: Question, option_id: str) -> str:
    if q.type == "truefalse":
        return TEXTS[option_id][q.lang]
    return option_id


def to_markdown(bank: Bank, link_prefix: str = "") -> str:
    """The printable bank; links are `link_prefix` + "nl/page.html#anchor" (relative to the site root)."""
    lang = bank.lang
    out = [f"# {_md(title(bank))}", "",
           f"{TEXTS['version'][lang]} {bank.bank_version} · {TEXTS['law'][lang]} {bank.law} · "
           f"{len(bank.questions)} {TEXTS['questions'][lang]}", ""]
    number = 0
    for _topic, label, questions in bank.by_topic():
        out += [f"## {_md(label)}", ""]
        for q in questions:
            number += 1
            out += [f"### {number}. {_md(q.text)}", "",
                    f"`{q.id}` · {TEXTS['difficulty'][lang]} {q.difficulty}", ""]
            for o in q.options:
                verdict = TEXTS["correct" if o.correct else "wrong"][lang]
                percent = f"{o.weight}\u00a0%" if lang == "fr" else f"{o.weight}%"
                out.append(f"- **{option_label(q, o.id)}** ({verdict}, {percent}) {_md(o.text)}  ")
                out.append(f"  *{_md(o.feedback)}*")
            key = ", ".join(option_label(q, option) for option in q.correct_ids)
            colon = "\u00a0:" if lang == "fr" else ":"
            out += ["", f"**{TEXTS['key'][lang]}{colon}** {key}", "",
                    f"**{TEXTS['explanation'][lang]}{colon}** {_md(q.explanation)}", "",
                    f"**{TEXTS['section'][lang]}{colon}** [{q.link}]({link_prefix}{q.link})", ""]
    return "\n".join(out)
