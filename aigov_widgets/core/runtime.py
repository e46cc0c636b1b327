"""The browser's single entry point: the worker passes each request of the page here as JSON.

Requests name a widget kind; the answer is JSON too. An unexpected failure becomes an answer with
`error`, so the page can say so in its language and keep the static content usable.
"""

from __future__ import annotations

import json

from aigov_widgets.core import checklist, classifier_widget, obligations_widget, roles_widget

HANDLERS = {
    "checklist": checklist.handle,
    "classifier": classifier_widget.handle,
    "roles": roles_widget.handle,
    "obligations": obligations_widget.handle,
}


def handle(request_json: str) -> str:
    try:
        request = json.loads(request_json)
        response = HANDLERS[request["widget"]](request)
    except Exception as error:  # noqa: BLE001 - reported to the page, which shows it
        response = {"error": "internal", "detail": f"{type(error).__name__}: {error}"}
    return json.dumps(response, ensure_ascii=False)
