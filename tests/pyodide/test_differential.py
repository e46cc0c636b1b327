"""The core gives the same results under Pyodide (in Node, from the pinned npm package) as under
CPython, over every checklist case and every engine test corpus."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from pathlib import Path


from tests.conftest import ROOT
from aigov_widgets.core.ui.frame import MAX_IMPORT_CHARS
from tools import site_assets

RUNNER = Path(__file__).with_name("run_calls.mjs")


def run_in_pyodide(calls: list[dict], tmp_path: Path) -> dict:
    name, wheel = site_assets.build_wheel()
    (tmp_path / name).write_bytes(wheel)
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    node = shutil.which("node")
    assert node, "node is missing"
    completed = subprocess.run([node, str(RUNNER), str(tmp_path / name), str(tmp_path / "calls.json")],
                               capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def run_in_cpython(calls: list[dict]) -> list:
    results = []
    for call in calls:
        function = getattr(importlib.import_module(call["module"]), call["function"])
        results.append(function(*call["args"]))
    return json.loads(json.dumps(results, sort_keys=True, ensure_ascii=False))


def checklist_calls() -> list[dict]:
    from aigov_widgets.core.tools import checklist

    annex4 = checklist.load("annex4")
    ids = [item.id for item in annex4.items]
    states = [
        {"items": {}},
        {"items": {item_id: {"done": True, "note": ""} for item_id in ids}},
        {"items": {ids[0]: {"done": True, "note": "<script>alert(1)</script> & [link](x)"},
                   ids[-1]: {"done": False, "note": "Nota\nop twee regels"}}},
    ]
    exported = json.dumps({"format": "aigov-checklist-annex4", "version": 1, "state": states[2]})
    imports = [
        exported, "{not json", "[]", json.dumps({"format": "other"}),
        json.dumps({"format": "aigov-checklist-annex4", "version": 1, "state": {"items": {"x": {}}}}),
        "x" * (MAX_IMPORT_CHARS + 1),
    ]
    calls = []
    for lang in ("nl", "fr", "en"):
        for state in states:
            for action in ("evaluate", "export-markdown", "export-json"):
                request = {"widget": "checklist", "config": "annex4", "lang": lang, "action": action,
                           "state": state, "today": "2026-11-28"}
                calls.append({"module": "aigov_widgets.core.runtime", "function": "handle",
                              "args": [json.dumps(request)]})
        for text in imports:
            request = {"widget": "checklist", "config": "annex4", "lang": lang, "action": "import", "text": text}
            calls.append({"module": "aigov_widgets.core.runtime", "function": "handle", "args": [json.dumps(request)]})
        calls.append({"module": "aigov_widgets.core.tools.checklist", "function": "render_static",
                      "args": ["annex4", lang, {"pyodide": "p/", "wheel": "w.whl", "worker": "k.mjs"}]})
    return calls


def engine_calls() -> list[dict]:
    """Every golden case of the rules engine (tests/golden), through the engine's corpus runner."""
    golden = sorted((ROOT / "tests" / "golden").glob("*.toml"))
    assert golden, "the legal regression corpus is missing"
    return [{"module": "aigov_widgets.core.selftest", "function": "run_corpus_file_text",
             "args": [path.read_text(encoding="utf-8")]} for path in golden]


def widget_calls() -> list[dict]:
    """The classifier, role finder and obligations widgets on a few states, in every language."""
    requests = []
    for lang in ("nl", "fr", "en"):
        classifier = {"answers": {"art3.1": True, "annexiii.4": True, "annexiii.4.a": True, "art50.1": "unsure"},
                      "context": {"role": "deployer", "public_body": True, "in_service_since": "2025-03-01",
                                  "date": "2027-12-02"}}
        for action in ("evaluate", "export-markdown", "export-json", "link"):
            requests.append({"widget": "classifier", "action": action, "state": classifier})
        requests.append({"widget": "roles", "action": "evaluate",
                         "state": {"answers": {"art3.4": True, "art25.1.c": "unsure", "high_risk": True}}})
        for tier in ("high_risk", "limited_risk", "minimal_risk"):
            requests.append({"widget": "obligations", "action": "evaluate",
                             "state": {"tier": tier, "route": "annexiii.5.b", "transparency": ["art50.4"],
                                       "in_service_since": "2026-01-01"}})
        for request in requests[-8:]:
            request.update(lang=lang, today="2026-11-28")
    return [{"module": "aigov_widgets.core.runtime", "function": "handle", "args": [json.dumps(r)]} for r in requests]


def quiz_calls() -> list[dict]:
    """Seeded draws and option orders, check/finish/exports of an attempt and the trainer's merge: the same
    questions, options, scores and CSV under Pyodide (random.Random(seed) gives one sequence in both)."""
    from aigov_widgets.core.tools import quiz

    calls = [{"module": "aigov_widgets.core.tools.quiz", "function": "draw", "args": [track, 10, seed]}
             for track in ("all_staff", "hr", "managers", "legal_dpo") for seed in (0, 1, 2026, 2**40 + 7)]
    config = "quiz-all_staff-8-immediate-70"
    state = quiz.new_state("all_staff", 8, 1744)
    calls += [{"module": "aigov_widgets.core.tools.quiz", "function": "shown_options", "args": [qid, 1744]}
              for qid in state["ids"]]
    state["answers"] = {qid: [quiz.shown_options(qid, 1744)[0]] for qid in state["ids"][:6]}
    state["name"] = "<b>Anna</b> =1+1"
    requests = []
    for lang in ("nl", "fr", "en"):
        for action in ("evaluate", "check", "finish", "export-markdown", "render"):
            requests.append({"widget": "quiz", "config": config, "lang": lang, "action": action, "state": state,
                             "today": "2026-12-06"})
    finished = {"widget": "quiz", "config": config, "lang": "fr", "action": "export-json",
                "state": {**state, "finished": True}, "today": "2026-12-06"}
    record = quiz.handle(finished)["download"]["content"]
    requests.append(finished)
    requests.append({"widget": "quiz-records", "config": "quiz-records", "lang": "fr", "action": "merge",
                     "today": "2026-12-06", "files": [{"name": "a.json", "text": record}, {"name": "b", "text": "{"}]})
    return calls + [{"module": "aigov_widgets.core.runtime", "function": "handle", "args": [json.dumps(r)]}
                    for r in requests]


def test_core_gives_identical_results_in_pyodide_and_cpython(tmp_path):
    calls = checklist_calls() + engine_calls() + widget_calls() + quiz_calls()
    pyodide = run_in_pyodide(calls, tmp_path)
    assert pyodide["python"].startswith("3.14"), "the runner must really run Pyodide's Python"
    expected = run_in_cpython(calls)
    assert len(pyodide["results"]) == len(expected)
    for call, got, want in zip(calls, pyodide["results"], expected):
        assert got == want, f"{call['module']}.{call['function']} differs under Pyodide"
