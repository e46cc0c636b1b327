"""The data loader refuses broken data: deliberately broken copies of the real files each give one error
naming the file, the table and the key, in the library, at build time and in the `aigov` command."""

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import aigov_widgets
from aigov_widgets.core.law import data

PACKAGE = Path(aigov_widgets.__file__).parent
CURRENT = "2024/1689+2026/1744"


def broken(name, change):
    """A deep copy of a data file with `change` applied, and the error that validating it raises."""
    content = copy.deepcopy(data.load(name))
    change(content)
    with pytest.raises(data.DataError) as raised:
        data.validate(name, content)
    return str(raised.value)


def test_the_real_files_are_valid():
    names = data.validate_all()
    assert {"laws.toml", "provisions.toml", "classifier.toml", "roles.toml", "widget_ui.toml",
            "audiences.toml", "checklist_annex4.toml"} <= set(names)


def test_a_date_that_is_not_a_calendar_day():
    message = broken("laws.toml", lambda d: d["law"][CURRENT]["dates"].update(annex_iii_high_risk="2027-13-02"))
    assert message.startswith("laws.toml: ") and f"law.{CURRENT}.dates.annex_iii_high_risk" in message
    assert "2027-13-02" in message


def test_a_date_referring_to_an_unknown_milestone():
    message = broken("laws.toml", lambda d: d["law"][CURRENT]["dates"].update(annex_i_high_risk="someday"))
    assert "annex_i_high_risk" in message and "someday" in message


def test_a_duty_naming_an_unknown_milestone():
    message = broken("provisions.toml",
                     lambda d: d["provision"]["art26.6"].update(applies_from="the_day_after"))
    assert message.startswith("provisions.toml: provision.art26.6.applies_from") and "the_day_after" in message


def test_a_label_missing_in_a_language():
    message = broken("provisions.toml", lambda d: d["provision"]["art26.6"]["label"].pop("fr"))
    assert "provision.art26.6.label" in message and "missing 'fr'" in message


def test_an_unknown_key():
    message = broken("provisions.toml", lambda d: d["provision"]["art26.6"].update(colour="red"))
    assert "provision.art26.6" in message and "unknown key 'colour'" in message


def test_a_duty_addressed_to_an_unknown_role():
    message = broken("provisions.toml", lambda d: d["provision"]["art26.6"].update(addressee=["owner"]))
    assert "art26.6.addressee" in message and "'owner'" in message


def test_a_condition_on_a_later_question():
    def change(d):
        d["question"][1]["ask_if"] = {"id": d["question"][-1]["id"], "is": True}
    message = broken("classifier.toml", change)
    assert message.startswith("classifier.toml: question[1]") and "not an earlier question" in message


def test_a_question_citing_an_unknown_provision():
    message = broken("classifier.toml", lambda d: d["question"][0].update(provisions=["art999"]))
    assert "question[0]" in message and "art999" in message


def test_a_date_placeholder_naming_an_unknown_milestone():
    def change(d):
        d["section"][0]["item"][0]["text"]["nl"] += " {date:never}"
    message = broken("checklist_annex4.toml", change)
    assert "section[0].item[0]" in message and "{date:never}" in message


def test_an_interface_text_missing_in_a_language():
    message = broken("widget_ui.toml", lambda d: d["reset"].pop("en"))
    assert message.startswith("widget_ui.toml: reset")


def test_toml_syntax_error():
    with pytest.raises(data.DataError, match=r"^laws\.toml: not valid TOML"):
        data.parse("laws.toml", "current = ")


def test_several_problems_are_counted_in_the_one_line():
    def change(d):
        d["provision"]["art26.6"]["label"].pop("fr")
        d["provision"]["art26.5"]["label"].pop("nl")
    message = broken("provisions.toml", change)
    assert "\n" not in message and "(and 1 more)" in message


def test_the_command_stops_with_one_line_on_broken_data(tmp_path):
    """A broken laws.toml in an installed copy: `aigov classify` exits 3 with one line, no traceback."""
    copy_root = tmp_path / "site"
    shutil.copytree(PACKAGE, copy_root / "aigov_widgets", ignore=shutil.ignore_patterns("__pycache__"))
    laws = copy_root / "aigov_widgets" / "data" / "laws.toml"
    laws.write_text(laws.read_text(encoding="utf-8").replace(
        'chapters_i_ii = "2025-02-02"', 'chapters_i_ii = "2025-02-30"'), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "aigov_widgets.cli", "classify", "--date", "2026-12-01", "-"],
                         input='{"art3.1": true}', capture_output=True, text=True, cwd=copy_root,
                         env={"PYTHONPATH": str(copy_root), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 3
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert "laws.toml" in lines[0] and "chapters_i_ii" in lines[0] and "2025-02-30" in lines[0]
