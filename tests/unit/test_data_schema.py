"""The rules data (laws.toml, provisions.toml, classifier.toml, roles.toml) against its schema, plus
the cross-file rules a schema cannot say: every milestone resolves, every date lives in one place."""

import re
import tomllib
from pathlib import Path

import pytest

from aigov_widgets.core.law import engine, references
from aigov_widgets.core import selftest
from aigov_widgets.core.law import data, schema
from aigov_widgets.core.law.constants import is_date

import aigov_widgets

PACKAGE = Path(aigov_widgets.__file__).parent
DATA = PACKAGE / "data"
CORE = PACKAGE / "core"
ISO_LIKE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")


def _load(name):
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, file_schema", [
    ("provisions.toml", schema.PROVISIONS_FILE),
    ("laws.toml", schema.LAWS_FILE),
    ("classifier.toml", schema.QUESTIONNAIRE_FILE),
    ("roles.toml", schema.QUESTIONNAIRE_FILE),
])
def test_file_matches_schema(name, file_schema):
    assert schema.check(_load(name), file_schema) == []


def test_schema_checker_reports_errors():
    bad = {"kind": "obligation", "label": {"nl": "x", "fr": "y"}, "addressee": ["Owner"], "colour": 1}
    errors = schema.check(bad, schema.PROVISION_ENTRY)
    assert any("missing 'en'" in error for error in errors)
    assert any("'Owner'" in error for error in errors)
    assert any("unknown key 'colour'" in error for error in errors)


def test_nested_conditions_match_schema():
    errors = []
    for pid, entry in references.provisions().items():
        if "when" in entry:
            errors += schema.walk_conditions(entry["when"], schema.WHEN, f"provision.{pid}.when")
    for name in ("classifier.toml", "roles.toml"):
        data = _load(name)
        for qid, condition in data.get("condition", {}).items():
            errors += schema.walk_conditions(condition, schema.ASK_IF, f"{name}:condition.{qid}")
        for entry in data["question"] + data.get("note", []):
            for key in ("ask_if", "when"):
                if key in entry:
                    errors += schema.walk_conditions(entry[key], schema.ASK_IF, f"{name}:{entry['id']}.{key}")
    assert errors == []


def test_duties_carry_addressee_and_date_and_their_milestones_exist():
    for law in references.laws()["law"]:
        known = references.milestone_dates(law)
        for pid, entry in references.provisions().items():
            if entry["kind"] in ("obligation", "right", "prohibition"):
                assert "addressee" in entry and "applies_from" in entry, pid
                spec = entry["applies_from"]
                for milestone in (spec.values() if isinstance(spec, dict) else [spec]):
                    if law == references.law_id() or milestone in known:
                        assert milestone in known, (pid, milestone)


def test_every_provision_id_follows_the_grammar_and_cites_in_every_language():
    for pid in references.provisions():
        references.parse_id(pid)
        for lang in references.LANGUAGES:
            assert references.citation(pid, lang)
            assert references.provision(pid, lang)["url"].startswith("https://eur-lex.europa.eu/")


def test_transitional_rules_name_existing_milestones():
    for law in references.laws()["law"]:
        dates = references.milestone_dates(law)
        for rule_id in ("art111.2", "art111.4"):
            rule = references.transitional(rule_id, law)
            cutoff = rule.get("cutoff", {})
            for milestone in [*(cutoff.values() if isinstance(cutoff, dict) else [cutoff]),
                              rule.get("public_authorities"), rule.get("until")]:
                assert milestone is None or milestone in dates, (law, rule_id, milestone)


def test_every_milestone_has_labels_and_every_label_a_milestone():
    labelled = set(references.laws()["milestone"])
    used = set()
    for law in references.laws()["law"]:
        used |= set(references.milestone_dates(law))
    assert labelled == used


def test_the_superseded_version_keeps_the_original_dates():
    original = references.laws()["law"]["2024/1689"]
    assert original["status"] == "superseded"
    assert references.milestone_date("annex_iii_high_risk", "2024/1689") == "2026-08-02"
    assert references.milestone_date("annex_i_high_risk", "2024/1689") == "2027-08-02"
    assert references.laws()["law"][references.law_id()]["amends"] == "2024/1689"


# --- each date in one place -----------------------------------------------------------------------

def test_dates_appear_only_in_the_dates_tables_of_laws_toml():
    """No other data file and no module of the core holds a calendar date (identifiers in URLs, such
    as the consolidated version's ELI, and the corpus' default evaluation date are not legal dates)."""
    not_legal_dates = {("selftest.py", selftest.DEFAULT_DATE)}
    offenders = []
    # Quiz scenarios store the day their key was derived for: a record of review, not a legal date.
    data_files = [path for path in DATA.rglob("*.toml") if "quizzes" not in path.parts]
    for path in sorted(data_files) + sorted(CORE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "laws.toml":
            text = re.sub(r"(?ms)^\[law\.\"[^\"]+\"\.dates\]\n.*?(?=^\[)", "", text)
            text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        text = re.sub(r'"[a-z]+://[^"]*"', '""', text)
        offenders += [f"{path.name}: {match.group(0)}" for match in ISO_LIKE.finditer(text)
                      if (path.name, match.group(0)) not in not_legal_dates]
    assert offenders == []


def test_an_amending_version_states_only_what_it_changes():
    """A date repeated unchanged in an amending version would be the same fact in two places."""
    laws = references.laws()["law"]
    for law_id, law in laws.items():
        if "amends" not in law:
            continue
        inherited = references.milestone_dates(law["amends"])
        raw_base = references._merged(law["amends"], "dates")
        for milestone, value in law["dates"].items():
            assert raw_base.get(milestone) != value, (law_id, milestone)
            if milestone in inherited:
                assert references.milestone_date(milestone, law_id) != inherited[milestone], (law_id, milestone)


def test_each_literal_date_is_written_once_per_version():
    """Two milestones on the same day refer to each other rather than repeat the date, unless they
    are independent facts that happen to share a day (listed here so a new repeat fails)."""
    independent = {("2024/1689", "2027-08-02"), ("2024/1689+2026/1744", "2026-12-02")}
    for law_id, law in references.laws()["law"].items():
        literals = [value for value in law["dates"].values() if is_date(value)]
        repeated = {value for value in literals if literals.count(value) > 1}
        assert {(law_id, value) for value in repeated} <= independent, (law_id, repeated)


def test_engine_reads_dates_from_laws_toml(monkeypatch):
    """Changing a date is a data change: patch the parsed laws and the obligations move."""
    answers = {"art3.1": True, "annexiii.4.a": True}
    before = engine.classify(answers, on_date="2028-01-01", lang="en")
    laws = references.laws()
    patched = {**laws, "law": {**laws["law"]}}
    current = references.law_id()
    patched["law"][current] = {**laws["law"][current],
                               "dates": {**laws["law"][current]["dates"], "annex_iii_high_risk": "2029-01-01"}}
    original_load = data.load

    def load(name, package=data.PACKAGE):
        return patched if name == "laws.toml" else original_load(name, package)

    references.milestone_dates.cache_clear()
    monkeypatch.setattr(data, "load", load)
    try:
        after = engine.classify(answers, on_date="2028-01-01", lang="en")
    finally:
        monkeypatch.undo()
        references.milestone_dates.cache_clear()
    start = {duty["id"]: duty["applies_from"] for duty in before["obligations"]}
    moved = {duty["id"]: duty["applies_from"] for duty in after["obligations"]}
    assert start["art26.6"] == "2027-12-02" and moved["art26.6"] == "2029-01-01"
