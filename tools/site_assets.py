"""What every language of the built site shares: the Python runtime and precompressed copies.

- The Pyodide runtime comes from the pinned npm package (node_modules/pyodide), copied once into
  _runtime/pyodide/<version>/ and used by all languages through relative URLs.
- Our package goes to the browser as a py3-none-any wheel built here with the standard library
  (only the pure core and its data: the Sphinx layer has no business in the browser), named by its
  content hash so the server can cache it for a year.
- Next to the wheel, a Pyodide memory snapshot (pyodide-<version>.snapshot, made in Node: Python booted,
  the wheel unpacked, every tool prepared). The worker boots from it only when the browser has it cached
  (a first visit boots normally, then fetches it for the next visits): see README "Performance".
- Every compressible file gets .gz and .br siblings for nginx's gzip_static / brotli_static.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "aigov_widgets"
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
RUNTIME_DIR = "_runtime"
# The files Pyodide needs to boot without micropip or packages (measured in probe-notes §3).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Parts of our package that run in the browser, less the data only the book build reads.
BROWSER_PARTS = ("__init__.py", "core", "data")
BOOK_ONLY_DATA = ("data/hr_cases.toml", "data/ui.toml")
# (python_stdlib.zip and the wheel are zip files already: compressing them again gains under 2 %.)
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".wasm", ".map"}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def pyodide_version() -> str:
    return json.loads((PYODIDE_NPM / "package.json").read_text(encoding="utf-8"))["version"]


def package_version() -> str:
    """__version__ of aigov_widgets, read from its source (without importing the package)."""
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', source, flags=re.M).group(1)


def _browser_files() -> list[tuple[str, bytes]]:
    files = []
    for part in BROWSER_PARTS:
        path = PACKAGE / part
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in candidates:
            if "__pycache__" in file.parts or file.suffix in {".pyc", ".md"}:
                continue
            if file.relative_to(PACKAGE).as_posix() in BOOK_ONLY_DATA:
                continue
            files.append((f"aigov_widgets/{file.relative_to(PACKAGE).as_posix()}", file.read_bytes()))
    return files


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def build_wheel() -> tuple[str, bytes]:
    """A reproducible py3-none-any wheel of the browser parts: (file name, bytes)."""
    version = package_version()
    dist_info = f"aigov_widgets-{version}.dist-info"
    files = _browser_files()
    files.append((f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: aigov-widgets\nVersion: {version}\n".encode()))
    files.append(
        (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: aigov tools/site_assets.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    )
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return f"aigov_widgets-{version}-py3-none-any.whl", buffer.getvalue()


def runtime_paths(wheel: tuple[str, bytes]) -> dict[str, str]:
    """Where the pages find the runtime, relative to the site root (the wheel's folder is its hash)."""
    name, data = wheel
    digest = hashlib.sha256(data).hexdigest()[:16]
    return {
        "pyodide": f"{RUNTIME_DIR}/pyodide/{pyodide_version()}/",
        "wheel": f"{RUNTIME_DIR}/aigov/{digest}/{name}",
    }


def install_runtime(site: Path, wheel: tuple[str, bytes]) -> dict[str, str]:
    """Copy Pyodide and write the wheel (the one the pages were built with) into the built site."""
    if not PYODIDE_NPM.is_dir():
        raise SystemExit("node_modules/pyodide is missing: run `npm ci` (make does it for you)")
    paths = runtime_paths(wheel)
    target = site / paths["pyodide"]
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE_NPM / name, target / name)
    wheel_path = site / paths["wheel"]
    if wheel_path.parent.parent.is_dir():
        for folder in wheel_path.parent.parent.iterdir():  # wheels of earlier builds (this one's snapshot stays)
            if folder != wheel_path.parent:
                shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
    wheel_path.parent.mkdir(parents=True, exist_ok=True)
    wheel_path.write_bytes(wheel[1])
    write_snapshot(wheel_path)
    return paths


# Made in Node by the pinned Pyodide (its private `_makeSnapshot` option and `makeMemorySnapshot()`): the
# wasm memory of a Python that has our package imported and every tool prepared. Emscripten's file system
# is not in it: the worker unpacks the wheel again after restoring it (about 30 ms).
SNAPSHOT_SCRIPT = """
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { AIGOV_PYODIDE: indexURL, AIGOV_WHEEL: wheel, AIGOV_OUT: out } = process.env;
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, stdout: () => {}, stderr: () => {} });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
pyodide.runPython(`
import json
from aigov_widgets.core import runtime
from aigov_widgets.core.tools import REGISTRY
runtime.prepare(json.dumps(list(REGISTRY)))
`);
writeFileSync(out, pyodide.makeMemorySnapshot());
"""
# Brotli at quality 11 takes over a minute for the 31 MB snapshot on a 2-core machine; 9 is near it in size.
SNAPSHOT_BROTLI_QUALITY = 9


def snapshot_name() -> str:
    return f"pyodide-{pyodide_version()}.snapshot"


def write_snapshot(wheel_path: Path) -> Path | None:
    """The snapshot next to the wheel (its folder is the wheel's hash, its name carries Pyodide's version),
    with .gz and .br copies; kept when this build's wheel had one already. Without it (no Node, or Node
    fails) the site still works: the worker boots normally."""
    out = wheel_path.with_name(snapshot_name())
    if out.exists() and out.with_name(out.name + ".br").exists():
        return out
    node = shutil.which("node")
    if node is None:
        print("no node: the site gets no Pyodide snapshot (the tools boot normally)", file=sys.stderr)
        return None
    env = {"PATH": "/usr/bin:/bin", "AIGOV_PYODIDE": f"{PYODIDE_NPM}/", "AIGOV_WHEEL": str(wheel_path),
           "AIGOV_OUT": str(out)}
    made = subprocess.run([node, "--input-type=module", "-e", SNAPSHOT_SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    if made.returncode != 0 or not out.exists():
        print(f"no Pyodide snapshot (the tools boot normally): {made.stderr[-500:]}", file=sys.stderr)
        out.unlink(missing_ok=True)
        return None
    data = out.read_bytes()
    out.with_name(out.name + ".gz").write_bytes(gzip.compress(data, 6, mtime=0))
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is in requirements.txt
        return out
    out.with_name(out.name + ".br").write_bytes(brotli.compress(data, quality=SNAPSHOT_BROTLI_QUALITY))
    return out


def remove_compressed(site: Path) -> None:
    """Delete every .gz/.br copy: a stale one would be served in place of its newer original."""
    for path in site.rglob("*"):
        if path.suffix in {".gz", ".br"} and path.with_suffix("").suffix in COMPRESSIBLE:
            path.unlink()


def precompress(site: Path) -> int:
    """Write .gz (and .br when the brotli module is present) next to each compressible file."""
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is in requirements.txt
        brotli = None
    count = 0
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        mtime = path.stat().st_mtime
        for suffix, compress in ((".gz", lambda d: gzip.compress(d, 9, mtime=0)),
                                 (".br", (lambda d: brotli.compress(d, quality=11)) if brotli else None)):
            if compress is None:
                continue
            out = path.with_name(path.name + suffix)
            if out.exists() and out.stat().st_mtime >= mtime:
                continue
            out.write_bytes(compress(data))
            count += 1
    return count


# The 404 page: one page for every language, at the site's root.
NOT_FOUND_PAGE = "404.html"
NOT_FOUND_TEXTS = {
    "nl": ("Pagina niet gevonden",
           "Op dit adres staat geen pagina van de gids: misschien is ze verplaatst, of is het adres onvolledig.",
           "Naar de startpagina:"),
    "fr": ("Page introuvable",
           "Aucune page du guide ne se trouve à cette adresse\u00a0: elle a peut-être été déplacée, ou l’adresse "
           "est incomplète.",
           "Vers la page d’accueil\u00a0:"),
    "en": ("Page not found",
           "There is no page of the guide at this address: it may have moved, or the address may be incomplete.",
           "To the home page:"),
}


def not_found_base(config: Path = ROOT / "_config.yml") -> str:
    """The <base href> of the 404 page: the path of `aigov_site.base_url` when it is set (for any web
    server), else "./", which deploy/nginx.conf replaces with the page's own URL (sub_filter)."""
    import yaml
    from urllib.parse import urlsplit

    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    site = ((settings.get("sphinx") or {}).get("config") or {}).get("aigov_site") or {}
    path = urlsplit((site.get("base_url") or "").strip()).path
    if not path:
        return "./"
    return path if path.endswith("/") else path + "/"


def write_not_found_page(site: Path) -> Path:
    """404.html at the site's root: the book's style, a short message in every language, and links to the
    home pages. Its links are relative to the site's root, which <base href> names (see not_found_base)."""
    import html

    from aigov_widgets.sphinx import ui

    langs = ui.languages()
    missing = [lang for lang in langs if lang not in NOT_FOUND_TEXTS]
    if missing:
        raise ValueError(f"no 404 text for {missing}: add it to NOT_FOUND_TEXTS in tools/site_assets.py")
    heading = " / ".join(f'<span lang="{lang}">{html.escape(NOT_FOUND_TEXTS[lang][0])}</span>' for lang in langs)
    blocks = []
    for lang in langs:
        _, message, lead = NOT_FOUND_TEXTS[lang]
        title = html.escape(ui.strings(lang)["book_title"])
        blocks.append(
            f'    <div lang="{lang}">\n'
            f"      <p>{html.escape(message)}</p>\n"
            f'      <p>{html.escape(lead)} <a href="{lang}/index.html" hreflang="{lang}">{title}</a></p>\n'
            f"    </div>"
        )
    first = langs[0]
    page = f"""<!DOCTYPE html>
<html lang="{first}">
<head>
  <meta charset="utf-8">
  <base href="{html.escape(not_found_base())}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="robots" content="noindex">
  <title>{" · ".join(html.escape(NOT_FOUND_TEXTS[lang][0]) for lang in langs)}</title>
  <link rel="stylesheet" href="{first}/_static/aigov.css">
  <link rel="icon" href="{first}/_static/favicon.svg" type="image/svg+xml">
</head>
<body>
  <main class="language-choice">
    <h1>{heading}</h1>
{chr(10).join(blocks)}
  </main>
</body>
</html>
"""
    path = site / NOT_FOUND_PAGE
    path.write_text(page, encoding="utf-8")
    return path
