"""The register's exports against the standards' field lists (data/register/<standard>.toml): every
required field is present or listed in `missing`, nothing outside the standard, enumerations within the
standard's values, and `missing` is never filled by invention."""

import csv
import io
import json
from pathlib import Path

import pytest

from aigov_widgets.core import register, register_export as rx
from aigov_widgets.core.law import data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "register"
DATE = "2026-12-06"
OURS = {"aigov_id", "missing", "too_long"}


def load(name):
    return register.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def doc(*systems, organisation=None):
    return register.validate({"format": "aigov-register", "version": 1,
                              "organisation": organisation or {"name": "Org"}, "systems": list(systems)})


def system(sid="s", answers=None, **fields):
    out = {"id": sid, "name": sid.upper(), "purpose": "Purpose.", "status": "in_use",
           "answers": {"art3.1": True, **(answers or {})}}
    out.update(fields)
    return out


# --- the field lists, as verified against their sources -----------------------------------------------

def test_field_lists_match_the_verified_sources():
    nl, ec, c = (rx.standard(name) for name in ("algoritmeregister", "eurocities", "annex_viii_c"))
    assert (nl["standard"]["version"], len(nl["field"])) == ("1.0", 31)
    assert (ec["standard"]["version"], len(ec["field"])) == ("0.3.1", 49)
    assert [f["item"] for f in c["field"]] == [1, 1, 1, 2, 2, 2, 3, 4, 5]
    assert rx.required_keys("algoritmeregister") == [
        "name", "description_short", "organization", "status", "contact_email", "publication_category", "lang"]
    assert len(rx.required_keys("eurocities")) == 29
    for name in ("algoritmeregister", "eurocities", "annex_viii_c"):
        assert all(s.startswith("https://") for s in rx.standard(name)["standard"]["sources"])
        keys = rx.field_keys(name)
        assert len(keys) == len(set(keys))


def field(name, key):
    return next(f for f in rx.standard(name)["field"] if f["key"] == key)


def test_enumerations_as_in_the_sources():
    assert field("algoritmeregister", "lang")["values"] == ["nld"]
    assert field("algoritmeregister", "status")["values"] == ["In ontwikkeling", "In gebruik", "Buiten gebruik"]
    assert field("algoritmeregister", "publication_category")["values"] == [
        "Hoog-risico AI-systeem", "Impactvolle algoritmes", "Overige algoritmes"]
    assert field("eurocities", "risk_category")["values"] == ["minimal risk", "limited risk", "high risk", "unacceptable"]
    assert field("eurocities", "standard_version")["const"] == "0.3.1"
    assert set(rx.EUROCITIES_STATUS.values()) <= set(field("eurocities", "status")["values"])
    assert set(rx.NL_STATUS.values()) <= set(field("algoritmeregister", "status")["values"])
    assert set(rx.RISK_CATEGORY.values()) == set(field("eurocities", "risk_category")["values"])


def test_a_broken_field_list_is_refused_on_load():
    good = rx.standard("eurocities")
    broken = {"standard": good["standard"], "field": [{"key": "name", "title": "Name", "type": "text", "required": True}]}
    with pytest.raises(data.DataError) as error:
        data.validate("register/eurocities.toml", broken)
    assert "field[0].type" in str(error.value)
    with pytest.raises(data.DataError):
        data.validate("register/x.toml", {"field": good["field"]})


# --- each export against its standard -------------------------------------------------------------------

def check_against(name, record):
    keys = set(rx.field_keys(name))
    assert set(record) - OURS <= keys, set(record) - OURS - keys
    for key in rx.required_keys(name):
        assert (key in record) != (key in record["missing"]), key
    assert set(record["missing"]) <= set(rx.required_keys(name))
    for entry in rx.standard(name)["field"]:
        value = record.get(entry["key"])
        if value is None:
            continue
        if entry["type"] == "enum":
            values = value if isinstance(value, list) else [value]
            assert set(values) <= set(entry["values"]), (entry["key"], value)
        if entry["type"] == "const":
            assert value == entry["const"]
        assert value not in ("", [], {})


@pytest.mark.parametrize("fixture_name", ["minimal", "full"])
@pytest.mark.parametrize("name", ["algoritmeregister", "eurocities"])
def test_public_exports_follow_their_standard(fixture_name, name):
    records = json.loads(rx.export(load(fixture_name), name, on_date=DATE, lang="nl"))
    assert records
    for record in records:
        check_against(name, record)


def test_only_systems_in_scope_are_published():
    document = load("full")
    ids = [r["aigov_id"] for r in rx.eurocities(document, on_date=DATE)]
    assert ids == [r["aigov_id"] for r in rx.algoritmeregister(document, on_date=DATE)]
    assert "excel-macro" not in ids and "spellcheck" in ids     # not an AI system / minimal risk


def test_missing_is_listed_never_invented():
    document = load("minimal")
    [nl] = rx.algoritmeregister(document, on_date=DATE)
    [ec] = rx.eurocities(document, on_date=DATE, lang="fr")
    assert nl["missing"] == ["contact_email", "publication_category"]      # `contact` is not an e-mail field
    assert "department" in ec["missing"] and "department" not in ec
    assert (nl["lang"], ec["lang"], ec["standard_version"]) == ("nld", "fr", "0.3.1")
    assert (nl["aigov_id"], nl["source_id"], ec["aigov_id"]) == ("chatbot", "chatbot", "chatbot")


@pytest.mark.parametrize("answers, impactful, expected", [
    ({"annexiii.4.a": True}, None, "Hoog-risico AI-systeem"),
    ({"art50.1": True}, True, "Impactvolle algoritmes"),
    ({"art50.1": True}, False, "Overige algoritmes"),
    ({}, False, "Overige algoritmes"),
    ({}, None, None),                                  # the tier does not say whether it is impactful
    ({"art5.1.a": True}, True, None),                   # the standard has no category for a prohibited system
])
def test_publication_category_from_the_tier(answers, impactful, expected):
    fields = {} if impactful is None else {"impactful": impactful}
    [record] = rx.algoritmeregister(doc(system(answers=answers, **fields)), on_date=DATE)
    assert record.get("publication_category") == expected
    assert ("publication_category" in record["missing"]) == (expected is None)


@pytest.mark.parametrize("answers, expected", [
    ({"annexiii.4.a": True}, "high risk"), ({"art50.1": True}, "limited risk"), ({}, "minimal risk"),
    ({"art5.1.a": True}, "unacceptable"),
])
def test_risk_category_from_the_tier(answers, expected):
    [record] = rx.eurocities(doc(system(answers=answers)), on_date=DATE)
    assert record["risk_category"] == expected


def test_status_mappings():
    statuses = {s: (rx.algoritmeregister(doc(system(status=s)), on_date=DATE)[0]["status"],
                    rx.eurocities(doc(system(status=s)), on_date=DATE)[0]["status"]) for s in register.STATUSES}
    assert statuses == {"planned": ("In ontwikkeling", "planned"), "pilot": ("In gebruik", "pilot"),
                        "in_use": ("In gebruik", "operational"), "retired": ("Buiten gebruik", "retired")}


def test_short_description_is_never_cut():
    long = "x" * 200
    [ec] = rx.eurocities(doc(system(purpose=long)), on_date=DATE)
    [nl] = rx.algoritmeregister(doc(system(purpose=long)), on_date=DATE)
    assert "description_short" in ec["missing"] and nl["description_short"] == long
    [ec] = rx.eurocities(doc(system(purpose=long, summary="Short.")), on_date=DATE)
    assert ec["description_short"] == "Short."


def test_too_long_values_are_kept_and_flagged():
    [nl] = rx.algoritmeregister(doc(system(name="n" * 101)), on_date=DATE)
    assert nl["name"] == "n" * 101 and nl["too_long"] == ["name"]


# --- eu-db ---------------------------------------------------------------------------------------------

def test_eu_db_lists_and_items():
    out = rx.eu_db(load("full"), on_date=DATE)
    assert [e["aigov_id"] for e in out["art49_3"]] == ["cv-screening", "police-faces"]
    assert [e["aigov_id"] for e in out["art49_4"]] == ["police-faces"]
    assert [e["aigov_id"] for e in out["art49_5"]] == ["traffic-lights"]
    cv, police = out["art49_3"]
    assert set(cv["items"]) == set(rx.field_keys("annex_viii_c")) and cv["missing"] == []
    assert cv["secure_section"] is False and cv["applies_from"]
    # Art. 49(4)(c): Section C points 1 to 3 only
    assert police["secure_section"] is True
    assert set(police["items"]) | set(police["missing"]) == {
        f["key"] for f in rx.standard("annex_viii_c")["field"] if f["item"] <= 3}
    assert out["art49_4"][0]["missing"] == ["provider_eu_db_url"]


def test_eu_db_missing_items_and_dpia_where_applicable():
    out = rx.eu_db(doc(system(answers={"annexiii.4.a": True})), on_date=DATE)
    [entry] = out["art49_3"]
    assert entry["items"] == {"deployer_name": "Org"}
    assert entry["missing"] == [k for k in rx.field_keys("annex_viii_c") if k != "deployer_name"]
    out = rx.eu_db(doc(system(answers={"annexiii.4.a": True}, dpia={"required": False})), on_date=DATE)
    assert "dpia_summary" not in out["art49_3"][0]["missing"]


def test_eu_db_open_question_for_point_1():
    [entry] = rx.eu_db(doc(system(answers={"annexiii.1.a": True})), on_date=DATE)["art49_3"]
    assert entry["secure_section"] is None and entry["open_questions"] == ["law_enforcement_or_migration"]


# --- csv ---------------------------------------------------------------------------------------------------

def test_csv_for_excel_with_a_belgian_locale():
    text = rx.to_csv(load("full"), on_date=DATE, lang="nl")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert rows[0] == list(rx.CSV_COLUMNS) and len(rows) == 6
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert by_id["cv-screening"]["tier"] == "high_risk" and by_id["cv-screening"]["basis"] == "annexiii.4.a"
    assert by_id["police-faces"]["name"] == "'=HYPERLINK(\"http://evil\")"
    assert by_id["traffic-lights"]["next_due_date"] == "2027-12-02"
    assert by_id["excel-macro"]["next_due_date"] == ""


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_neutralised(value):
    assert rx.csv_cell(value) == "'" + value


def test_next_due_date_follows_the_date():
    item = system(answers={"annexiii.4.a": True}, status="planned")
    early = rx.csv_rows(doc(item), on_date="2026-12-06", lang="en")[0]
    late = rx.csv_rows(doc(item), on_date="2027-12-02", lang="en")[0]
    assert early["next_due_date"] == "2027-12-02" and late["next_due_date"] != "2027-12-02"
    assert late["duties_in_force"] > early["duties_in_force"]


def test_json_export_is_the_normal_form():
    document = load("full")
    assert json.loads(rx.export(document, "json", on_date=DATE, lang="en")) == document
