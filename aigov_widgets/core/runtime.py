"""The browser's single entry point: the worker passes each request of the page here as JSON.

Requests name a tool kind of the registry (core/tools); the answer is JSON too. A failure becomes an
answer with `error` (the page shows its own message, in the page's language; the detail goes to the
console), so the static content stays usable and the tool keeps working for the next request.
"""

from __future__ import annotations

import json

from aigov_widgets.core.tools import REGISTRY


def handle(request_json: str) -> str:
    try:
        request = json.loads(request_json)
        response = REGISTRY[request["widget"]].load().handle(request)
    except Exception as error:  # noqa: BLE001 - reported to the page, which shows it
        response = {"error": "evaluation", "detail": f"{type(error).__name__}: {error}"[:300]}
    return json.dumps(response, ensure_ascii=False)


def prepare(kinds_json: str) -> None:
    """Import the modules of the page's tools (a JSON list of kinds) before the worker says ready: a page
    with a checklist never loads the rules engine, which keeps the start close to Python's own."""
    for kind in json.loads(kinds_json):
        REGISTRY[kind].load()
