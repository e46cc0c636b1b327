"""Shared fixtures: the built site, nginx serving it with deploy/nginx.conf, and Debian's Chromium."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigov_widgets.sphinx import ui  # noqa: E402
from tools import nginx_conf  # noqa: E402

SITE = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
# Flags for a sandbox without a network (see the machine notes): no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
LANGUAGES = ui.languages()


def site_pages(site: Path = SITE) -> list[Path]:
    """Every HTML page of the built site (the runtime and static folders hold none)."""
    return sorted(
        path for path in site.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(site).parts)
    )


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("_build/html is missing: run `make test` (it builds the site first)")
    return SITE


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NginxServer:
    """nginx running deploy/nginx.conf over a site directory, on a free loopback port."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        command = nginx_conf.prepare(root, self.port, workdir)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(self.base, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # nginx answered (a site without index.html says 404)
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()}")
                time.sleep(0.05)

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    if not shutil.which("nginx") and not Path(nginx_conf.NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs it")
    nginx = NginxServer(site, tmp_path_factory.mktemp("nginx"))
    yield nginx
    nginx.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """List axe-core's best-practice findings (not gates, but worth fixing) after every run."""
    module = sys.modules.get("tests.browser.test_page_gates")
    if module is None:
        return
    findings = module.BEST_PRACTICE
    terminalreporter.section("axe-core best-practice findings")
    if not findings:
        terminalreporter.write_line("none on the pages checked")
    for path, items in sorted(findings.items()):
        terminalreporter.write_line(f"{path}: " + "; ".join(f"{item['id']} ({item['impact']})" for item in items))
