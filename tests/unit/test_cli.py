"""The `aigov` command's contract, run as a separate process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aigov_widgets import cli

ROOT = Path(__file__).resolve().parent.parent.parent


def run(args, stdin):
    return subprocess.run([sys.executable, "-m", "aigov_widgets.cli", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=60)


def test_classify_object_in_object_out():
    done = run(["classify", "--date", "2028-01-01", "--lang", "fr"], '{"art3.1": true, "annexiii.4.a": true}')
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tier"] == "high_risk" and result["basis"] == ["annexiii.4.a"]
    assert {"tier", "basis", "transparency", "obligations", "provisional", "open_questions", "law",
            "rules_version"} <= set(result)
    assert any(duty["id"] == "art27" and duty["in_force"] for duty in result["obligations"])


def test_classify_array_in_array_out_with_context_and_file(tmp_path):
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps([
        {"art3.1": False},
        {"art3.1": True, "annexiii.4.a": True, "role": "provider", "public_body": False,
         "in_service_since": "2025-01-01"},
        {"art3.1": "unsure", "art50.1": True},
    ]))
    done = run(["classify", "--date", "2026-09-01", str(inventory)], "")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [result["tier"] for result in results] == ["not_ai_system", "high_risk", "limited_risk"]
    assert results[1]["obligations"][1]["applies_from"] is None   # Art. 111(2), private
    assert results[2]["provisional"] and results[2]["open_questions"] == ["art3.1"]


@pytest.mark.parametrize("args, stdin, named", [
    (["classify"], '{"art3.1": true, "art5.1.z": true}', "art5.1.z"),
    (["classify"], '{"art3.1": "maybe"}', "art3.1"),
    (["classify"], '{"annexiii.4.a": true}', "art3.1"),
    (["classify"], '{"art3.1": true, "role": "owner"}', "role"),
    (["classify"], '{"art3.1": true, "in_service_since": "yesterday"}', "in_service_since"),
    (["classify"], '[{"art3.1": true}, {"art3.1": true, "bogus": true}]', "[1]"),
    (["classify"], '[{"art3.1": true}, 7]', "[1]"),
    (["classify"], '{"art3.1": true,', "line 1"),
    (["classify"], '"just a string"', "object"),
    (["classify", "--date", "2027-02-30"], '{"art3.1": true}', "--date"),
    (["classify", "--date", "tomorrow"], '{"art3.1": true}', "--date"),
    (["classify", "--lang", "de"], '{"art3.1": true}', "--lang"),
    (["role"], '{"art3.4": true, "art3.9": true}', "art3.9"),
    (["role"], '{"high_risk": 1}', "high_risk"),
    (["frobnicate"], '{}', "frobnicate"),
])
def test_bad_input_exits_2_names_the_problem_and_writes_nothing(args, stdin, named):
    done = run(args, stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in done.stderr


def test_role():
    done = run(["role", "--lang", "nl"], '[{"art3.4": true, "art25.1.c": true}, {"art3.6": true}]')
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results[0]["roles"] == ["provider", "deployer"]
    assert results[0]["labels"]["deployer"] == "gebruiksverantwoordelijke"
    assert results[1]["roles"] == ["importer"]


def test_main_in_process(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO('{"art3.1": true}'))
    assert cli.main(["classify", "--date", "2026-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["tier"] == "minimal_risk"
