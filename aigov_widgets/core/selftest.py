"""Run the legal regression corpus (tests/golden/*.toml) against the engine, in CPython or Pyodide.

A case, as loaded from the TOML (`[[case]]` tables):

    id, justification      a stable name and a one-line legal reason citing the provision
    answers                {provision id: true | false | "unsure"}
    date, lang             evaluation date (default 2026-09-01) and language (default "en")
    role, public_body, public_authority, intended_for_public_authorities, in_service_since, law
                           context, as for classify()
    expect                 what the Act says, derived by hand (every key optional):
      tier, basis, transparency, open_questions, provisional, law   compared exactly (lists as sets)
      obligations          {id: "YYYY-MM-DD" or "" for no date}: listed, with that first day
      absent               ids that must not be listed as obligations
      in_force / not_in_force   ids listed and (not) applying on the date
      notes, derived       note ids / derived Annex III points that must be present

run_corpus() is pure: the same cases give the same report in CPython and in Pyodide, which is how
the platform's differential test checks the browser engine against this one.
"""

from __future__ import annotations

import tomllib

from aigov_widgets.core.law import engine

DEFAULT_DATE = "2026-09-01"


def evaluate(case: dict) -> dict:
    """classify() on a case's answers and context."""
    context = {key: case[key] for key in (*engine.CONTEXT_KEYS, "law") if key in case}
    return engine.classify(case["answers"], on_date=case.get("date", DEFAULT_DATE),
                           lang=case.get("lang", "en"), **context)


def differences(case: dict, result: dict) -> list[str]:
    """What the result gets wrong compared with the case's expectations (empty: all right)."""
    expect = case.get("expect", {})
    found = []
    for key in ("tier", "provisional", "law"):
        if key in expect and result[key] != expect[key]:
            found.append(f"{key}: expected {expect[key]!r}, got {result[key]!r}")
    for key in ("basis", "transparency", "open_questions"):
        if key in expect and set(result[key]) != set(expect[key]):
            found.append(f"{key}: expected {sorted(expect[key])}, got {sorted(result[key])}")
    listed = {duty["id"]: duty for duty in result["obligations"]}
    for pid, start in expect.get("obligations", {}).items():
        if pid not in listed:
            found.append(f"obligation {pid}: expected, not listed")
        elif listed[pid]["applies_from"] != (start or None):
            found.append(f"obligation {pid}: applies from {listed[pid]['applies_from']}, expected {start or None}")
    for pid in expect.get("absent", []):
        if pid in listed:
            found.append(f"obligation {pid}: listed, expected absent")
    for key, wanted in (("in_force", True), ("not_in_force", False)):
        for pid in expect.get(key, []):
            if pid not in listed:
                found.append(f"obligation {pid}: expected ({key}), not listed")
            elif listed[pid]["in_force"] is not wanted:
                found.append(f"obligation {pid}: in_force is {listed[pid]['in_force']}, expected {wanted}")
    notes = {note["id"] for note in result["notes"]}
    for note_id in expect.get("notes", []):
        if note_id not in notes:
            found.append(f"note {note_id}: expected, missing")
    for point in expect.get("derived", []):
        if point not in result["derived"]:
            found.append(f"derived {point}: expected, missing")
    return found


def run_corpus(cases: list[dict]) -> list[dict]:
    """[{id, ok, differences}] per case; an exception in the engine is a difference, not a crash."""
    report = []
    for case in cases:
        try:
            found = differences(case, evaluate(case))
        except Exception as error:  # noqa: BLE001 - reported per case
            found = [f"error: {type(error).__name__}: {error}"]
        report.append({"id": case["id"], "ok": not found, "differences": found})
    return report


def run_corpus_file_text(text: str) -> list[dict]:
    """run_corpus() on the `[[case]]` tables of one golden TOML file, given as text (the Pyodide
    differential test passes each file of tests/golden/ this way)."""
    return run_corpus(tomllib.loads(text).get("case", []))
