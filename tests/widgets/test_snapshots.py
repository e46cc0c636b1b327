"""HTML snapshots per tool and language: the static form and the result of a fixed state, byte for byte.

A change to a tool's markup, texts or law data shows up here as a diff to read, never silently. After
reading the diff and agreeing with it, write the new snapshots with

    AIGOV_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/widgets/test_snapshots.py
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from aigov_widgets.core import runtime
from aigov_widgets.core.tools import REGISTRY
from tests.conftest import LANGUAGES

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
RUNTIME = {"pyodide": "../_runtime/pyodide/V/", "wheel": "../_runtime/aigov/W.whl", "worker": "_static/worker.mjs"}
TODAY = "2026-12-06"
CONTEXT = {"role": "deployer", "public_body": True, "in_service_since": "", "date": ""}
# One fixed state per tool whose result is worth keeping an eye on.
STATES = {
    "checklist": {"items": {"identification.inventory": {"done": True, "note": "<b>not bold</b>"}}},
    "classifier": {"answers": {"art3.1": True, "annexiii.4": True, "annexiii.4.a": True}, "context": CONTEXT},
    "roles": {"answers": {"art3.4": True, "art3.3": False}},
    "obligations": {"role": "deployer", "tier": "high_risk", "route": "annexiii.4.a", "transparency": [],
                    "public_body": True, "in_service_since": "", "date": "2028-01-01"},
    # the register of tests/fixtures/register/full.json, one system approved and its use case changed since
    "register": "register",
}
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "register" / "full.json"


def _register_state() -> dict:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    system = document["systems"][0]
    system["approval"] = {"decision": "approved", "date": "2026-10-01", "approved_use": {
        "purpose": "An earlier purpose", "answers": system["answers"], "context": system["context"],
        "tier": "high_risk", "rules": "test"}}
    return {"register": document, "view": {"sort": "tier"}}
UPDATE = os.environ.get("AIGOV_UPDATE_SNAPSHOTS") == "1"


def _static(kind: str, lang: str) -> str:
    spec = REGISTRY[kind]
    module = spec.load()
    return module.render_static("annex4", lang, RUNTIME) if spec.argument else module.render_static(lang, RUNTIME)


def _result(kind: str, lang: str) -> str:
    config = "annex4" if kind == "checklist" else kind
    answer = json.loads(runtime.handle(json.dumps({"widget": kind, "config": config, "lang": lang, "today": TODAY,
                                                   "action": "evaluate",
                                                   "state": _register_state() if kind == "register" else STATES[kind]})))
    return "\n".join(f"<!-- region {key} -->\n{html}" for key, html in sorted(answer["regions"].items()))


def _compare(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    actual = actual.replace("><", ">\n<") + "\n"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {name}: write it with AIGOV_UPDATE_SNAPSHOTS=1")
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 name, "now"))[:60])
        pytest.fail(f"{name} changed (AIGOV_UPDATE_SNAPSHOTS=1 to accept):\n{diff}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(STATES))
def test_static_form(kind, lang):
    _compare(f"{kind}.static.{lang}.html", _static(kind, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(STATES))
def test_result_of_a_fixed_state(kind, lang):
    _compare(f"{kind}.result.{lang}.html", _result(kind, lang))
