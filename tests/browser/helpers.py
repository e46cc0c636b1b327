"""Loading pages in Chromium and collecting what the gates look at: CSP violations, console errors,
requests to other origins, and axe-core's findings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs before any page script (injected by the browser, so the page's CSP does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""


@dataclass
class Visit:
    page: object
    console_errors: list[str] = field(default_factory=list)
    console_error_urls: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("() => window.__cspViolations || []")

    def foreign_requests(self, base: str) -> list[str]:
        origin = urlsplit(base).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != origin]

    def axe(self, tags: list[str] = WCAG_TAGS) -> list[dict]:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            tags,
        )
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [node["target"] for node in v["nodes"]][:5]}
            for v in result["violations"]
        ]


def new_context(browser, **options):
    context = browser.new_context(**options)
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def visit(context, url: str, wait_until: str = "load") -> Visit:
    page = context.new_page()
    record = Visit(page)
    def on_console(message) -> None:
        if message.type == "error":
            record.console_errors.append(message.text)
            record.console_error_urls.append(message.location.get("url", ""))

    page.on("console", on_console)
    page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: record.requests.append(request.url))
    response = page.goto(url, wait_until=wait_until)
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"
    return record


def tab_to(page, field_name: str, limit: int = 300) -> None:
    """Press Tab until the form field named `field_name` has the focus (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == field_name:
            return
    raise AssertionError(f"Tab never reached the field {field_name!r}")


def wait_until(check, timeout: float = 60, what: str = "") -> None:
    """Poll from Python (Playwright's wait_for_function needs eval, which the policy forbids)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def ready(page) -> None:
    """The page's tools have started (or failed: then say why)."""
    wait_until(lambda: page.get_attribute("[data-aigov-widget]", "data-aigov-state") in ("ready", "error"),
               what="the widget")
    assert page.get_attribute("[data-aigov-widget]", "data-aigov-state") == "ready", \
        page.text_content("[data-aigov-status]")


def gates(record, label: str) -> None:
    """No CSP violation, no console error, no axe WCAG A/AA finding in light and dark mode."""
    assert record.csp_violations() == [], label
    assert record.console_errors == [], label
    for scheme in ("light", "dark"):
        record.page.emulate_media(color_scheme=scheme)
        assert record.axe() == [], f"axe findings ({label}, {scheme})"
