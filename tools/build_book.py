"""Build the book in every language into _build/html/<lang>/, plus the site root.

Jupyter Book 1's CLI cannot pass a per-language `language`, so this drives its own Sphinx entry point
(jupyter_book.sphinx.build_sphinx) once per language with the shared _config.yml and _toc.yml, in
parallel processes. Warnings are errors. Then it adds what all languages share: the language chooser at
the root, the Python runtime (Pyodide and our wheel), and precompressed copies for the web server.

Usage: python tools/build_book.py [--lang nl] [--no-compress]
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigov_widgets.sphinx import ui  # noqa: E402
from tools import build_pdf, site_assets  # noqa: E402

BUILD = ROOT / "_build"


def localized_toc(lang: str, build: Path) -> Path:
    """Write the shared _toc.yml with its part captions in `lang`; return its path."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        part["caption"] = ui.toc_caption(part["caption"], lang)
    path = build / "toc" / f"{lang}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_language(lang: str, build: Path, runtime: dict[str, str]) -> int:
    """Run Sphinx for one language tree; return its status (0 = no warning, no error)."""
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    title = ui.strings(lang)["book_title"]
    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml",
        cli_config={
            "language": lang,
            "external_toc_path": str(localized_toc(lang, build)),
            "html_title": title,
            "project": title,
            "aigov_runtime": runtime,
            "latex_individualpages": False,  # read (and removed) by Jupyter Book's config merger
        },
        sourcedir=ROOT / "book" / lang,
        raise_on_invalid=True,
    )
    # Jupyter Book adds these for sphinx-book-theme and its comment extension; we use neither.
    for key in ("comments_config", "use_jupyterbook_latex", "use_multitoc_numbering"):
        config.pop(key, None)
    config["extensions"] = [ext for ext in config["extensions"] if ext != "sphinx_jupyterbook_latex"]
    with patch_docutils(None), docutils_namespace():
        app = Sphinx(
            srcdir=str(ROOT / "book" / lang),
            confdir=None,
            outdir=str(build / "html" / lang),
            doctreedir=str(build / "doctrees" / lang),
            buildername="html",
            confoverrides=config,
            status=None,
            warning=sys.stderr,
            warningiserror=True,
            keep_going=True,
        )
        app.build()
        return app.statuscode


def write_language_chooser(site: Path) -> None:
    """The site root: the three languages as a plain list of links, each in its own language."""
    items = []
    for lang, name in ui.language_names().items():
        s = ui.strings(lang)
        items.append(
            f'    <li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">{html.escape(name)}</a>'
            f" – {html.escape(s['book_title'])}</li>"
        )
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{lang}" href="{lang}/index.html">' for lang in ui.languages()
    )
    titles = " · ".join(html.escape(ui.strings(lang)["book_title"]) for lang in ui.languages())
    prompts = " / ".join(
        f'<span lang="{lang}">{html.escape(ui.strings(lang)["choose_language"])}</span>' for lang in ui.languages()
    )
    page = f"""<!DOCTYPE html>
<html lang="{ui.languages()[0]}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="description" content="{titles}">
  <title>{titles}</title>
  <link rel="stylesheet" href="{ui.languages()[0]}/_static/aigov.css">
  <link rel="icon" href="{ui.languages()[0]}/_static/favicon.svg" type="image/svg+xml">
{alternates}
</head>
<body>
  <main class="language-choice">
    <h1>{prompts}</h1>
    <ul>
{chr(10).join(items)}
    </ul>
  </main>
</body>
</html>
"""
    (site / "index.html").write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=ui.languages(), help="build only these languages")
    parser.add_argument("--no-compress", action="store_true", help="skip the .gz/.br copies")
    parser.add_argument("--out", type=Path, default=BUILD, help="build directory (default: _build)")
    args = parser.parse_args(argv)
    langs = args.lang or ui.languages()

    started = time.monotonic()
    wheel = site_assets.build_wheel()  # once: the pages name exactly the wheel that is installed
    runtime = site_assets.runtime_paths(wheel)
    with ProcessPoolExecutor(max_workers=min(2, len(langs))) as pool:
        statuses = dict(zip(langs, pool.map(build_language, langs, [args.out.resolve()] * len(langs),
                                            [runtime] * len(langs))))
    failed = [lang for lang, status in statuses.items() if status != 0]
    if failed:
        print(f"build failed for: {', '.join(failed)} (warnings are errors; see above)", file=sys.stderr)
        return 1
    site = args.out.resolve() / "html"
    write_language_chooser(site)
    site_assets.write_not_found_page(site)
    site_assets.install_runtime(site, wheel)
    build_pdf.build(langs, site, args.out.resolve() / "pdf")  # the PDF edition, from the pages just built
    if args.no_compress:
        site_assets.remove_compressed(site)
    else:
        site_assets.precompress(site)
    print(f"built {', '.join(langs)} into {site} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
