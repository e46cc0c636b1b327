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


# --- hostile input and output (round 2): one line on stderr, exit 2 (input) or 1 (output) ----------

def run_bytes(args, stdin: bytes, **kwargs):
    return subprocess.run([sys.executable, "-m", "aigov_widgets.cli", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120, **kwargs)


def one_line_error(done) -> str:
    err = done.stderr.decode("utf-8") if isinstance(done.stderr, bytes) else done.stderr
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("aigov: "), err
    return err


@pytest.mark.parametrize("stdin, named", [
    (b"\xff", "not UTF-8"),
    (b"[" * 100_000, "nested"),
    (b'{"art3.1": ' + b"9" * 5000 + b"}", "number"),
    (b'{"art3.1": true, "annexiii.4.a": true, "annexiii.4.a": false}', "duplicate key 'annexiii.4.a'"),
    (b'[{"art3.1": true}, {"art3.1": true, "art3.1": false}]', "duplicate key 'art3.1'"),
    (b'{"art3.1": "' + b"x" * 5000 + b'"}', "art3.1"),
    (b'{"art3.1": true, "public_authority": "yes"}', "public_authority"),
    (b'{"art3.1": true, "intended_for_public_authorities": 1}', "intended_for_public_authorities"),
])
def test_hostile_input_exits_2_with_one_line(stdin, named):
    done = run_bytes(["classify", "-"], stdin)
    assert done.returncode == 2 and done.stdout == b""
    err = one_line_error(done)
    assert named in err
    assert len(err) < 200      # a bad value is echoed in at most 80 characters


def test_closed_standard_input_exits_2():
    done = subprocess.run(f"{sys.executable} -m aigov_widgets.cli classify - <&-", shell=True,
                          capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
    assert "standard input is closed" in one_line_error(done)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["classify", "-"], ["classify", "--jsonl", "-"], ["role", "-"]])
def test_full_output_device_exits_1(args):
    with open("/dev/full", "wb") as full:
        record = b'{"art3.4": true}' if args[0] == "role" else b'{"art3.1": true}'
        done = subprocess.run([sys.executable, "-m", "aigov_widgets.cli", *args], input=record,
                              stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert "cannot write the output" in one_line_error(done)


def test_jsonl_streams_and_reports_bad_lines_then_exits_2():
    lines = b'{"art3.1": true}\n\n{"art3.1": 5}\n\xff\n{"art3.1": true, "art3.1": false}\n[[[[\n{"art3.1": false}\n'
    done = run_bytes(["classify", "--jsonl", "--date", "2027-01-01", "-"], lines)
    assert done.returncode == 2
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert out[0]["tier"] == "minimal_risk" and out[-1]["tier"] == "not_ai_system"
    errors = {entry["index"]: entry["error"] for entry in out if "error" in entry}
    assert set(errors) == {2, 3, 4, 5}
    assert "art3.1" in errors[2] and "UTF-8" in errors[3] and "duplicate key" in errors[4]
    assert len(out) == 6    # the blank line is skipped


def test_jsonl_good_input_exits_0_and_role_works_too():
    done = run_bytes(["role", "--jsonl", "-"], b'{"art3.4": true}\n{"art3.6": true}\n')
    assert done.returncode == 0
    assert [json.loads(line)["roles"] for line in done.stdout.decode().splitlines()] == [["deployer"], ["importer"]]


def test_without_jsonl_all_or_nothing():
    done = run_bytes(["classify", "-"], b'[{"art3.1": true}, {"art3.1": 5}]')
    assert done.returncode == 2 and done.stdout == b""


def test_the_law_follows_the_date_and_can_be_forced():
    nudify = '{"art3.1": true, "art5.1.ba": true}'
    before = json.loads(run(["classify", "--date", "2026-07-01"], nudify).stdout)
    after = json.loads(run(["classify", "--date", "2026-12-06"], nudify).stdout)
    forced = json.loads(run(["classify", "--date", "2026-12-06", "--law", "2024/1689"], nudify).stdout)
    assert (before["law"], before["tier"]) == ("2024/1689", "limited_risk")
    assert (after["law"], after["tier"]) == ("2024/1689+2026/1744", "prohibited")
    assert (forced["law"], forced["tier"]) == ("2024/1689", "limited_risk")
    too_early = run(["classify", "--date", "2024-07-31"], '{"art3.1": true}')
    assert too_early.returncode == 2 and "--date" in too_early.stderr and too_early.stdout == ""
    unknown = run(["classify", "--law", "2099/1"], '{"art3.1": true}')
    assert unknown.returncode == 2 and "--law" in unknown.stderr


def test_context_keys_public_authority_and_intended_for_public_authorities():
    record = {"art3.1": True, "annexiii.5.a": True, "role": "provider", "public_body": False,
              "in_service_since": "2025-01-01"}
    result = json.loads(run(["classify", "--date", "2026-12-06"], json.dumps(record)).stdout)
    assert {duty["id"]: duty["applies_from"] for duty in result["obligations"]}["art9"] == "2030-08-02"
    record = {"art3.1": True, "annexiii.4.a": True, "public_body": True, "public_authority": False,
              "intended_for_public_authorities": None}
    done = run(["classify", "--date", "2028-01-01"], json.dumps(record))
    assert done.returncode == 0, done.stderr
    duties = {duty["id"] for duty in json.loads(done.stdout)["obligations"]}
    assert "art27" in duties and "art26.8" not in duties and "art49.3" not in duties
