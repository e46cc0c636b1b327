"""The browser's single entry point: the worker passes each request of the page here as JSON.

Requests name a widget kind; the answer is JSON too. An unexpected failure becomes an answer with
`error`, so the page can say so in its language and keep the static content usable.
"""

from __future__ import annotations

import importlib
import json

# Widget kind -> the module that answers it, imported on its first request: a page with a checklist
# never loads the rules engine, which keeps the widget's start close to Python's own.
HANDLERS = {
    "checklist": "aigov_widgets.core.tools.checklist",
    "classifier": "aigov_widgets.core.tools.classifier",
    "roles": "aigov_widgets.core.tools.roles",
    "obligations": "aigov_widgets.core.tools.obligations",
}


def handle(request_json: str) -> str:
    try:
        request = json.loads(request_json)
        response = importlib.import_module(HANDLERS[request["widget"]]).handle(request)
    except Exception as error:  # noqa: BLE001 - reported to the page, which shows it
        response = {"error": "internal", "detail": f"{type(error).__name__}: {error}"}
    return json.dumps(response, ensure_ascii=False)


def prepare(kinds_json: str) -> None:
    """Import the modules of the page's widgets (a JSON list of kinds) before the worker says ready."""
    for kind in json.loads(kinds_json):
        importlib.import_module(HANDLERS[kind])
