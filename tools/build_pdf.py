"""Print the book of each language as one PDF: _build/html/<lang>/aigov-<lang>.pdf.

It works on the built site (run after the HTML build; tools/build_book.py calls it): the article of every
page, in _toc.yml order, goes into one print document per language with a cover (title, the source guide's
credit line in the form it asks for) and a table of contents; links between pages become links inside the
PDF; the tools keep their static forms (their script-only parts are dropped). The machine's own Chromium
prints it (Playwright, no network): A4, page numbers in the footer, tagged (structure tree, /Lang) with an
outline of the headings. Then every page of that language gets the PDF's size next to its download link.

Usage: python tools/build_pdf.py [--lang nl] [--site _build/html]
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import posixpath
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigov_widgets import __version__  # noqa: E402
from aigov_widgets.sphinx import ui  # noqa: E402

SITE = ROOT / "_build" / "html"
WORK = ROOT / "_build" / "pdf"
CHROMIUM = os.environ.get("AIGOV_CHROMIUM", "/usr/bin/chromium")
# The same flags as the browser tests (tests/conftest.py): a sandbox without a network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
# The credit the source guide asks for, word for word (its last page), in its own language.
SOURCE_TITLE = ("Aanbevelingen voor een beleid inzake het gebruik van artificiële intelligentie bij de "
                "instellingen van het Brussels Hoofdstedelijk Gewest (2025). talent.brussels")
SOURCE_CREDIT = f"Bron: {SOURCE_TITLE}"
# Filled into every page of the language after printing (the span is in the theme's layout).
SIZE_SPAN = re.compile(r'<span class="pdf-size">[^<]*</span>')

# Styles of the print document only (cover, table of contents, chapter breaks); the book's own print
# rules (hidden navigation, link addresses, tools on paper) are in the theme's aigov.css.
PRINT_CSS = """
@page { size: A4; }
html { font-size: 9.5pt; }
/* A narrower face than the screen's system-ui where the machine has it (Debian's fonts-liberation). */
body { margin: 0; font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; line-height: 1.45; }
.pdf-cover { break-after: page; min-height: 240mm; display: flex; flex-direction: column; }
.pdf-cover .pdf-publisher { font-weight: 700; letter-spacing: 0.04em; margin: 0 0 30mm; }
.pdf-cover .pdf-title { font-size: 2.3rem; font-weight: 700; line-height: 1.2; margin: 0 0 0.6rem; }
.pdf-cover .pdf-subtitle { font-size: 1.35rem; margin: 0 0 6mm; }
.pdf-cover .pdf-credit { max-width: 36rem; margin: 0 0 12mm; padding: 0.4rem 0.8rem; border-left: 4px solid #1f3a60; }
.pdf-cover .pdf-colophon { margin-top: auto; font-size: 0.9rem; border-top: 1px solid #888; padding-top: 0.5rem; }
.pdf-cover .pdf-colophon p { margin: 0.3rem 0; }
.pdf-toc { break-after: page; }
.pdf-toc { line-height: 1.3; }
.pdf-toc h1 { font-size: 1.6rem; margin: 0 0 1rem; }
.pdf-toc ol { list-style: none; padding: 0; margin: 0; }
.pdf-toc > ol { columns: 2; column-gap: 8mm; }
.pdf-toc > ol > li { break-inside: avoid; margin: 0 0 0.45rem; }
.pdf-toc .pdf-part { font-weight: 700; margin: 0; }
.pdf-toc li li { margin: 0.1rem 0 0.1rem 1.2rem; }
.pdf-toc a { text-decoration: none; }
.pdf-toc a::after { content: none; }
.pdf-chapter { break-before: page; }
.pdf-chapter-part { color: #555; font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.05em; margin: 0 0 0.4rem; }
.document { max-width: none; }
/* The tools on paper: the questions to answer by hand, without what only their scripts fill in. */
.aigov-result, .aigov-section-progress { display: none; }
input[type="date"]::-webkit-datetime-edit, input[type="date"]::-webkit-calendar-picker-indicator { visibility: hidden; }
input[type="date"] { min-width: 9rem; }
.pdf-choices { list-style: none; margin: 0.2rem 0 0.4rem; padding-left: 0.4rem; }
.pdf-choices li::before { content: "\\25A1\\00A0"; }
.aigov-question, .aigov-item { break-inside: avoid; }
"""


def chapters() -> list[tuple[str, str | None]]:
    """Every page of the book in reading order: (file name, part caption id of a part's first chapter)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[tuple[str, str | None]] = [(toc["root"], None)]
    for part in toc.get("parts", []):
        for index, chapter in enumerate(part.get("chapters", [])):
            pages.append((chapter["file"], part["caption"] if index == 0 else None))
    return pages


def pdf_name(lang: str) -> str:
    """The PDF's file name, in the language's folder of the site (the theme's layout links to it)."""
    return f"aigov-{lang}.pdf"


_ARTICLE = re.compile(r'<article class="document">(.*)</article>', re.S)
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_DROP = [
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S),  # the "#" permalinks
    re.compile(r"<script\b.*?</script>", re.S),  # the tools' texts for their scripts
    re.compile(r"<noscript>.*?</noscript>", re.S),  # "without JavaScript…": not a thing on paper
    re.compile(r'<div class="toctree-wrapper compound">\s*</div>'),  # the root page's hidden toctrees
]
_ID_ATTRIBUTES = re.compile(r'\s(id|for|aria-labelledby|aria-describedby|aria-controls|headers)="([^"]*)"')
_URL_ATTRIBUTES = re.compile(r'\s(href|src)="([^"]*)"')
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


_SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)
_OPTION = re.compile(r"<option\b[^>]*>(.*?)</option>", re.S)


def _choices(match: re.Match) -> str:
    """A drop-down list on paper: every choice, with a box to tick (a select shows only the chosen one)."""
    options = [text.strip() for text in _OPTION.findall(match.group(1)) if text.strip()]
    return '<ul class="pdf-choices">' + "".join(f"<li>{text}</li>" for text in options) + "</ul>"


def article(page_html: str) -> str:
    """The article of a built page, without what has no meaning on paper."""
    match = _ARTICLE.search(page_html)
    if match is None:
        raise ValueError("no <article class=\"document\"> in the page")
    body = match.group(1)
    for pattern in _DROP:
        body = pattern.sub("", body)
    body = re.sub(r"<details\b(?![^>]*\sopen\b)", "<details open", body)  # folded text is printed open
    return _SELECT.sub(_choices, body)


def title_of(fragment: str) -> str:
    """The text of the page's h1."""
    match = _H1.search(fragment)
    if match is None:
        raise ValueError("a page of the book has no h1")
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def rewrite(fragment: str, page: str, pages: set[str], folder: Path, base_url: str) -> str:
    """Make a page's article live inside the one print document.

    Ids get the page name as a prefix (two pages may use the same id); links to a page of the book become
    links to its chapter in the document; images point to their files; other links into the site point to
    the hosted site when its address is known, and are dropped otherwise (there is nothing to follow on paper).
    """

    def ids(match: re.Match) -> str:
        name, value = match.groups()
        return f' {name}="' + " ".join(f"{page}--{part}" for part in value.split()) + '"'

    def urls(match: re.Match) -> str:
        name, value = match.groups()
        url = html.unescape(value)
        if _EXTERNAL.match(url) or url.startswith("//"):
            return match.group(0)
        if name == "src":
            return f' src="{html.escape((folder / url.split("#")[0]).resolve().as_uri())}"'
        path, _, anchor = url.partition("#")
        if not path:
            return f' href="#{html.escape(page)}--{html.escape(anchor)}"' if anchor else f' href="#{page}"'
        target = posixpath.normpath(path)
        if target.endswith(".html") and target[: -len(".html")] in pages:
            target = target[: -len(".html")]
            return f' href="#{target}--{html.escape(anchor)}"' if anchor else f' href="#{target}"'
        if base_url:
            return f' href="{html.escape(base_url + "/" + folder.name + "/" + url)}"'
        return ""

    return _URL_ATTRIBUTES.sub(urls, _ID_ATTRIBUTES.sub(ids, fragment))


def _edition_date(lang: str) -> str:
    from babel.dates import format_date

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date() if epoch
           else datetime.date.today())
    return format_date(day, format="long", locale=lang)


def print_document(lang: str, site: Path, site_config: dict | None = None) -> str:
    """One HTML document with the whole book of `lang`: cover, table of contents, every chapter."""
    t = ui.strings(lang)
    folder = site / lang
    config = site_config if site_config is not None else _site_config()
    base_url = (config.get("base_url") or "").rstrip("/")
    toc = chapters()
    names = {name for name, _ in toc}
    bodies: list[tuple[str, str | None, str, str]] = []  # name, part caption id, title, html
    for name, part in toc:
        fragment = article((folder / f"{name}.html").read_text(encoding="utf-8"))
        bodies.append((name, part, title_of(fragment), rewrite(fragment, name, names, folder, base_url)))

    # The cover: title, the source's credit, the colophon. The root page (the book's title as its h1, the
    # routes through the book) follows the table of contents as the first chapter.
    colophon = [
        f'<p>{html.escape(t["attribution_lead"])} <cite lang="nl">{html.escape(SOURCE_TITLE)}</cite> – '
        f'{html.escape(t["attribution_note"])}</p>',
        f'<p>{html.escape(t["licence_text"])} {html.escape(t["not_legal_advice"])}</p>',
    ]
    publisher = config.get("publisher")
    contact = (config.get("contact") or "").strip()
    line = f'{html.escape(t["published_by"])} {html.escape(publisher)}.' if publisher else ""
    if contact:
        shown = html.escape(contact.removeprefix("mailto:"))
        line += f' {html.escape(t["contact"])}: <a href="{html.escape(contact)}">{shown}</a>'
    if line:
        colophon.append(f"<p>{line.strip()}</p>")
    online = f' <a href="{html.escape(base_url)}/{lang}/index.html">{html.escape(base_url)}/{lang}/</a>' if base_url else ""
    colophon.append(f'<p>{html.escape(t["pdf_edition"].format(date=_edition_date(lang), version=__version__))}{online}</p>')
    cover = f"""<section class="pdf-cover">
  <p class="pdf-publisher">{html.escape(publisher or "talent.brussels")}</p>
  <p class="pdf-title">{html.escape(t["book_title"])}</p>
  <p class="pdf-subtitle">{html.escape(t["book_subtitle"])}</p>
  <p class="pdf-credit" lang="nl">{html.escape(SOURCE_CREDIT)}</p>
  <div class="pdf-colophon">
    {chr(10).join(colophon)}
  </div>
</section>"""

    # The table of contents, by part (page numbers are left to the PDF's own outline and links).
    parts: list[tuple[str, list[tuple[str, str]]]] = []
    root_name, _, root_title, _ = bodies[0]
    for name, part, title, _ in bodies[1:]:
        if part is not None:
            parts.append((ui.toc_caption(part, lang), []))
        parts[-1][1].append((name, title))
    toc_items = f'<li><p class="pdf-part"><a href="#{root_name}">{html.escape(root_title)}</a></p></li>\n'
    toc_items += "\n".join(
        f'<li><p class="pdf-part">{html.escape(caption)}</p><ol>'
        + "".join(f'<li><a href="#{name}">{html.escape(title)}</a></li>' for name, title in entries)
        + "</ol></li>"
        for caption, entries in parts
    )
    contents = f"""<nav class="pdf-toc" aria-labelledby="pdf-toc-title">
  <h1 id="pdf-toc-title">{html.escape(t["book_nav"])}</h1>
  <ol>
{toc_items}
  </ol>
</nav>"""

    chapters_html = "\n".join(
        f'<div class="pdf-chapter" id="{name}">'
        + (f'<p class="pdf-chapter-part">{html.escape(ui.toc_caption(part, lang))}</p>' if part else "")
        + f"{body}</div>"
        for name, part, _, body in bodies
    )
    css = (folder / "_static" / "aigov.css").resolve().as_uri()
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="color-scheme" content="light">
<title>{html.escape(t["book_title"])}</title>
<meta name="author" content="{html.escape(publisher or "talent.brussels")}">
<link rel="stylesheet" href="{css}">
<style>{PRINT_CSS}</style>
</head>
<body>
<main>
{cover}
{contents}
<article class="document">
{chapters_html}
</article>
</main>
</body>
</html>
"""


def _site_config() -> dict:
    """The `aigov_site` values of _config.yml (publisher, contact, base_url)."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return dict(config.get("sphinx", {}).get("config", {}).get("aigov_site") or {})


# The text width of an A4 page with the margins below (210 mm - 2 x 16 mm), in CSS pixels (96 per inch).
TEXT_WIDTH_PX = round((210 - 2 * 16) / 25.4 * 96)
# Elements that stick out of the text width: Chromium would scale the whole PDF down to fit them.
OVERFLOW_JS = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > limit && !wide.some((outer) => outer.contains(el))) wide.push(el);
  }
  return wide.slice(0, 10).map((el) => `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}` +
    `${el.className && typeof el.className === "string" ? " class=" + el.className : ""}>`);
}"""


def _templates(lang: str) -> tuple[str, str]:
    """Chromium's header and footer (their own small documents: inline styles are theirs, not the site's)."""
    t = ui.strings(lang)
    style = "font: 8px sans-serif; color: #555; width: 100%; margin: 0 14mm;"
    header = f'<div style="{style} text-align: right;">{html.escape(t["book_title"])}</div>'
    footer = (f'<div style="{style} text-align: center;">'
              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    return header, footer


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def heading_texts(document: str) -> dict[str, str]:
    """The text of every heading of the print document, keyed by that text without white space."""
    texts: dict[str, str] = {}
    for _, inner in _HEADING.findall(document):
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", inner))).strip()
        texts.setdefault(re.sub(r"\s+", "", text), text)
    return texts


def finish(path: Path, lang: str, title: str, headings: dict[str, str]) -> None:
    """Complete what Chromium leaves out or gets wrong, in place.

    The catalog names the document's language and the metadata its title (PDF/UA asks both; this Chromium
    already writes them). The outline's titles lose the space where a heading wraps onto a second line
    ("medischevooruitgang"): each gets its heading's text back.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(path))
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(lang)
    writer.add_metadata({"/Title": title})
    stack = []
    outlines = root.get("/Outlines")
    if outlines is not None and "/First" in outlines.get_object():
        stack.append(outlines.get_object()["/First"])
    while stack:
        item = stack.pop().get_object()
        shown = str(item.get("/Title", ""))
        right = headings.get(re.sub(r"\s+", "", shown))
        if right is not None and right != shown:
            item[NameObject("/Title")] = TextStringObject(right)
        if "/First" in item:
            stack.append(item["/First"])
        if "/Next" in item:
            stack.append(item["/Next"])
    with path.open("wb") as handle:
        writer.write(handle)


def _human_size(size: int, lang: str) -> str:
    megabytes = f"{size / 1_000_000:.1f}"
    if lang != "en":
        megabytes = megabytes.replace(".", ",")
    return ui.strings(lang)["pdf_size"].format(size=megabytes)


def stamp_size(site: Path, lang: str) -> None:
    """Write the PDF's size into the download link of every page of `lang`."""
    size = html.escape(_human_size((site / lang / pdf_name(lang)).stat().st_size, lang))
    for page in (site / lang).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        stamped = SIZE_SPAN.sub(f'<span class="pdf-size">{size}</span>', text)
        if stamped != text:
            page.write_text(stamped, encoding="utf-8")


def build(langs: list[str], site: Path = SITE, work: Path = WORK) -> dict[str, float]:
    """Print the PDF of every language in `langs`; return the seconds each took."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"the PDF edition needs Chromium at {CHROMIUM} (`make setup` installs Debian's)")
    work.mkdir(parents=True, exist_ok=True)
    timings = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for lang in langs:
                started = time.monotonic()
                document = work / f"{lang}.html"
                source = print_document(lang, site)
                document.write_text(source, encoding="utf-8")
                # The document carries no script (the articles' are dropped); JavaScript only measures it.
                page = browser.new_page(color_scheme="light", viewport={"width": TEXT_WIDTH_PX, "height": 1000})
                # Only this machine's files: the document, the book's CSS and images.
                page.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
                page.goto(document.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                for wide in page.evaluate(OVERFLOW_JS):
                    print(f"warning: {lang}: {wide} is wider than the page: Chromium shrinks every page to fit",
                          file=sys.stderr)
                header, footer = _templates(lang)
                target = site / lang / pdf_name(lang)
                page.pdf(path=str(target), format="A4", print_background=True,
                         margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                         display_header_footer=True, header_template=header, footer_template=footer,
                         tagged=True, outline=True)
                page.close()
                finish(target, lang, ui.strings(lang)["book_title"], heading_texts(source))
                stamp_size(site, lang)
                timings[lang] = time.monotonic() - started
                print(f"printed {target.relative_to(site)} ({target.stat().st_size / 1_000_000:.1f} MB, "
                      f"{len(source) // 1000} kB of HTML) in {timings[lang]:.1f} s")
        finally:
            browser.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=ui.languages(), help="only these languages")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: _build/html)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    langs = args.lang or [lang for lang in ui.languages() if (site / lang / "index.html").is_file()]
    build(langs, site, site.parent / "pdf")
    # Pages changed (their link now shows the size): refresh the precompressed copies that exist.
    from tools import site_assets

    for lang in langs:
        if any((site / lang).glob("*.html.gz")):
            site_assets.precompress(site / lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
