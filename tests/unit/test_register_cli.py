"""`aigov register validate|export`: the command's contract, run as a separate process. Exit 0 with output
on stdout; exit 2 with every problem on stderr (index, id and field) and nothing on stdout."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from aigov_widgets.core import register

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "register"
FULL = str(FIXTURES / "full.json")


def run(*args, stdin=b""):
    done = subprocess.run([sys.executable, "-m", "aigov_widgets.cli", "register", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120)
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


def bad(*args, stdin=b""):
    code, out, err = run(*args, stdin=stdin)
    assert code == 2, err
    assert out == b""
    return err


def write(tmp_path, content, name="register.json"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def full():
    return json.loads(Path(FULL).read_text(encoding="utf-8"))


def test_validate_ok():
    code, out, err = run("validate", FULL)
    assert code == 0 and err == ""
    assert out.decode().strip().endswith("valid register, 5 systems")
    assert run("validate", str(FIXTURES / "minimal.json"))[0] == 0


def test_validate_names_index_id_and_field(tmp_path):
    document = full()
    document["systems"][2]["answers"]["art99.9"] = True
    document["systems"][4]["status"] = "running"
    err = bad("validate", write(tmp_path, json.dumps(document)))
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "systems[2] (id 'police-faces'): answers.art99.9: unknown key" in lines[0]
    assert "systems[4] (id 'excel-macro'): status: expected one of planned, pilot, in_use, retired" in lines[1]


def test_export_refuses_what_validate_refuses(tmp_path):
    document = full()
    del document["systems"][1]["purpose"]
    err = bad("export", "--format", "csv", write(tmp_path, json.dumps(document)))
    assert "systems[1] (id 'traffic-lights'): purpose: missing" in err


def test_stdin_and_a_missing_file():
    code, out, _ = run("validate", "-", stdin=Path(FULL).read_bytes())
    assert code == 0 and b"<stdin>" in out
    assert "cannot read" in bad("validate", str(FIXTURES / "no-such-file.json"))


@pytest.mark.parametrize("content, words", [
    (b'{"format": "aigov-register", "format": "aigov-register"}', "duplicate key"),
    (b"[" * 5000 + b"]" * 5000, "nested more than"),
    (b'{"format": "aigov-register", "version": 1, "organisation": {"name": "Caf\xe9"}, "systems": []}', "not UTF-8"),
    (b'{"format": ', "malformed JSON"),
    (b"[]", "(file): expected an object"),
    (b'{"version": 1, "n": ' + b"9" * 200 + b"}", "number"),
])
def test_hostile_files(tmp_path, content, words):
    assert words in bad("validate", write(tmp_path, content))


def test_huge_file(tmp_path):
    document = {"format": "aigov-register", "version": 1, "organisation": {"name": "Org"},
                "systems": [], "x-padding": "a" * (register.MAX_CHARS + 10)}
    assert "more than" in bad("validate", write(tmp_path, json.dumps(document)))


def test_utf8_bom_is_accepted(tmp_path):
    assert run("validate", write(tmp_path, b"\xef\xbb\xbf" + Path(FULL).read_bytes()))[0] == 0


@pytest.mark.parametrize("args, words", [
    (["export", "--format", "xml", FULL], "invalid choice"),
    (["export", "--format", "csv", "--date", "2026-13-01", FULL], "--date"),
    (["export", "--format", "csv", "--lang", "de", FULL], "invalid choice"),
    (["export", FULL], "--format"),
    (["check", FULL], "invalid choice"),
])
def test_bad_arguments(args, words):
    assert words in bad(*args)


def test_round_trip_json_validate_json(tmp_path):
    code, first, err = run("export", "--format", "json", FULL)
    assert code == 0, err
    path = write(tmp_path, first, "exported.json")
    assert run("validate", path)[0] == 0
    code, second, _ = run("export", "--format", "json", path)
    assert code == 0 and second == first


def test_csv_bytes():
    code, out, err = run("export", "--format", "csv", "--lang", "fr", "--date", "2026-12-06", FULL)
    assert code == 0, err
    assert out.startswith(b"\xef\xbb\xbf") and b"\r\n" in out and b"\r\r" not in out
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 6 and rows[0][0] == "aigov_id"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("fmt", ["eu-db", "algoritmeregister", "eurocities"])
def test_json_exports(fmt):
    code, out, err = run("export", "--format", fmt, "--lang", "nl", "--date", "2026-12-06", FULL)
    assert code == 0, err
    value = json.loads(out)
    if fmt == "eu-db":
        assert set(value) == {"art49_3", "art49_4", "art49_5"}
    else:
        assert all("aigov_id" in r and "missing" in r for r in value)


def test_date_defaults_to_today():
    code, out, _ = run("export", "--format", "csv", FULL)
    assert code == 0 and out.count(b"\r\n") == 6


def test_closed_standard_input_is_bad_input_not_a_crash():
    import os
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-m", "aigov_widgets.cli", "register", "validate", "-"],
                         capture_output=True, text=True, preexec_fn=lambda: os.close(0))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == ["aigov: error: standard input is closed"]
