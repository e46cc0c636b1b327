"""The trainer's kit: printable quiz banks per track and the quiz exports, generated at build time.

- Printable banks: one page per track, `trainers-bank-<track>.html` in each language, with the key, the
  weights, the feedback per option, the explanation and a link to the book section. They are added at
  `html-collect-pages` (like Sphinx's own search page), so they are not documents: they are not in the
  search index (Sphinx indexes documents only, in `write_doc`), not in the table of contents, and only
  the trainer's kit links to them (the learner's quiz page does not).
- Exports: `quiz-exports/aigov-quiz-<lang>.<ext>` (json, GIFT, Moodle XML, QTI 2.1 zip, Markdown), written
  into the language's output folder when the build finishes. Deterministic: same banks, same bytes.
- The `aigov-trainer-downloads` directive lists both on the kit page.

Everything comes from the banks through aigov_widgets.core.quiz_bank and quiz_export.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from aigov_widgets.core import quiz_bank, quiz_export
from aigov_widgets.core.law.data import DataError
from aigov_widgets.core.quiz_export import TEXTS

EXPORT_DIR = "quiz-exports"
PAGE_PREFIX = "trainers-bank-"
KIT_PAGE = "trainers-kit"

LABELS = {
    "downloads_intro": {
        "nl": "Alle vragen van de banken, om in te lezen in een leerplatform:",
        "fr": "Toutes les questions des banques, à importer dans une plateforme d’apprentissage\u00a0:",
        "en": "Every question of the banks, to import into a learning platform:"},
    "formats": {
        "json": {"nl": "JSON (eigen formaat, met gewichten en links)",
                 "fr": "JSON (format propre, avec pondérations et liens)",
                 "en": "JSON (own format, with weights and links)"},
        "gift": {"nl": "GIFT voor Moodle (.txt)", "fr": "GIFT pour Moodle (.txt)", "en": "GIFT for Moodle (.txt)"},
        "moodle-xml": {"nl": "Moodle XML", "fr": "Moodle XML", "en": "Moodle XML"},
        "qti": {"nl": "IMS QTI 2.1-pakket (.zip)", "fr": "Paquet IMS QTI 2.1 (.zip)",
                "en": "IMS QTI 2.1 package (.zip)"},
        "md": {"nl": "Markdown (afdrukbaar)", "fr": "Markdown (imprimable)", "en": "Markdown (printable)"},
    },
    "banks_intro": {
        "nl": "Afdrukbare vragenbank per doelgroep, met sleutel en uitleg (alleen voor de opleider):",
        "fr": "Banque de questions imprimable par public, avec corrigé et explications (pour le formateur uniquement)\u00a0:",
        "en": "Printable question bank per audience, with key and explanations (for the trainer only):"},
    "questions": {"nl": "{n} vragen", "fr": "{n} questions", "en": "{n} questions"},
    "for_trainer": {
        "nl": "Voor de opleider: deze pagina bevat de antwoorden. Ze staat niet in de zoekfunctie en de quizpagina linkt er niet naar.",
        "fr": "Pour le formateur\u00a0: cette page contient les réponses. Elle n’est pas reprise dans la recherche et la page des quiz n’y renvoie pas.",
        "en": "For the trainer: this page contains the answers. It is left out of the search and the quiz page does not link to it."},
    "back": {"nl": "Terug naar de opleiderskit", "fr": "Retour à la trousse du formateur", "en": "Back to the trainer’s kit"},
}


def _t(key: str, lang: str, **values) -> str:
    return LABELS[key][lang].format(**values)


def bank_page(track: str) -> str:
    return f"{PAGE_PREFIX}{track.replace('_', '-')}"


def export_files(lang: str) -> list[tuple[str, str]]:
    """[(format, file name)] of the exports of the whole bank in `lang`."""
    bank = _bank(lang)
    return [(fmt, quiz_export.file_name(bank, fmt)) for fmt in quiz_export.FORMATS]


class TrainerDownloads(SphinxDirective):
    """The exports and the printable banks of this language, as two lists of links."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        lang = self.config.language
        downloads = nodes.bullet_list(classes=["trainer-downloads"])
        for fmt, name in export_files(lang):
            reference = nodes.reference("", LABELS["formats"][fmt][lang], refuri=f"{EXPORT_DIR}/{name}")
            downloads += nodes.list_item("", nodes.paragraph("", "", reference, nodes.Text(f" – {name}")))
        banks = nodes.bullet_list(classes=["trainer-banks"])
        for track in quiz_bank.tracks():
            count = len(_bank(lang, track).questions)
            reference = nodes.reference("", quiz_bank.track_label(track, lang), refuri=f"{bank_page(track)}.html")
            banks += nodes.list_item("", nodes.paragraph(
                "", "", reference, nodes.Text(f" ({_t('questions', lang, n=count)})")))
        bank = _bank(lang)
        version = nodes.paragraph("", f"{TEXTS['version'][lang]} {bank.bank_version} · {TEXTS['law'][lang]} {bank.law} · "
                                      f"{_t('questions', lang, n=len(bank.questions))}")
        return [nodes.paragraph("", _t("downloads_intro", lang)), downloads, version,
                nodes.paragraph("", _t("banks_intro", lang)), banks]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def bank_html(app: Sphinx, bank: quiz_bank.Bank) -> str:
    """The printable bank as the page body: semantic HTML, escaped, links relative to the page."""
    lang = bank.lang
    colon = "\u00a0:" if lang == "fr" else ":"
    titles = app.env.titles
    parts = [f'<h1 id="bank-top">{_e(quiz_export.title(bank))}</h1>',
             f'<p class="notice">{_e(_t("for_trainer", lang))} '
             f'<a href="{KIT_PAGE}.html">{_e(_t("back", lang))}</a></p>',
             f'<p>{_e(TEXTS["version"][lang])} {_e(bank.bank_version)} · {_e(TEXTS["law"][lang])} {_e(bank.law)} · '
             f'{_e(_t("questions", lang, n=len(bank.questions)))}</p>']
    number = 0
    for topic, label, questions in bank.by_topic():
        parts.append(f'<section class="quiz-bank-topic" aria-labelledby="topic-{_e(topic)}">'
                     f'<h2 id="topic-{_e(topic)}">{_e(label)}</h2>')
        for q in questions:
            number += 1
            if q.page not in titles:
                raise ExtensionError(f"aigov: quiz question {q.id!r} links to {q.page!r}, not a page of the book")
            page_title = titles[q.page].astext()
            href = f"{q.page}.html" + (f"#{q.anchor}" if q.anchor else "")
            items = []
            for o in q.options:
                verdict = TEXTS["correct" if o.correct else "wrong"][lang]
                percent = f"{o.weight}\u00a0%" if lang == "fr" else f"{o.weight}%"
                items.append(f'<li><strong>{_e(quiz_export.option_label(q, o.id))}</strong> '
                             f'({_e(verdict)}, {_e(percent)}) {_e(o.text)}<br>'
                             f'<span class="quiz-bank-feedback">{_e(o.feedback)}</span></li>')
            key = ", ".join(quiz_export.option_label(q, option) for option in q.correct_ids)
            parts.append(
                f'<article class="quiz-bank-question" id="q-{_e(q.id)}">'
                f'<h3>{number}. {_e(q.text)}</h3>'
                f'<p class="quiz-bank-id"><code>{_e(q.id)}</code> · {_e(TEXTS["difficulty"][lang])} {q.difficulty}</p>'
                f'<ul>{"".join(items)}</ul>'
                f'<p><strong>{_e(TEXTS["key"][lang])}{colon}</strong> {_e(key)}</p>'
                f'<p><strong>{_e(TEXTS["explanation"][lang])}{colon}</strong> {_e(q.explanation)}</p>'
                f'<p><strong>{_e(TEXTS["section"][lang])}{colon}</strong> <a href="{_e(href)}">{_e(page_title)}</a></p>'
                f'</article>')
        parts.append("</section>")
    return "\n".join(parts)


def _bank(lang: str, track: str | None = None) -> quiz_bank.Bank:
    """The bank, a broken bank file as a one-line build error naming file and question."""
    try:
        return quiz_bank.load(lang, track)
    except DataError as error:
        raise ExtensionError(f"aigov quiz banks: {error}") from None


def _collect_pages(app: Sphinx):
    if app.builder.format != "html" or KIT_PAGE not in app.env.found_docs:
        return
    lang = app.config.language
    for track in quiz_bank.tracks():
        bank = _bank(lang, track)
        yield bank_page(track), {"title": quiz_export.title(bank), "body": bank_html(app, bank)}, "layout.html"


def _write_exports(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or KIT_PAGE not in app.env.found_docs:
        return
    lang = app.config.language
    folder = Path(app.outdir) / EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    bank = _bank(lang)
    for fmt, name in export_files(lang):
        output = quiz_export.export(bank, fmt)
        (folder / name).write_bytes(output if isinstance(output, bytes) else output.encode("utf-8"))


def setup(app: Sphinx) -> dict:
    app.add_directive("aigov-trainer-downloads", TrainerDownloads)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("build-finished", _write_exports)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
