"""The register core (aigov_widgets/core/register.py): the file's checks, its normal form, the Art. 49
selection rules (both sides of each) and the import preview the browser tool will show."""

import copy
import json
from pathlib import Path

import pytest

from aigov_widgets.core import register
from aigov_widgets.core.law import references

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "register"
DATE = "2026-12-06"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def doc(*systems, organisation=None) -> dict:
    return {"format": "aigov-register", "version": 1,
            "organisation": organisation or {"name": "Org", "address": "Street 1", "contact": "org@example.be"},
            "systems": list(systems)}


def system(sid="s", answers=None, **fields) -> dict:
    out = {"id": sid, "name": sid.upper(), "purpose": "Purpose.", "status": "in_use",
           "answers": answers if answers is not None else {"art3.1": True}}
    out.update(fields)
    return out


def problems(document) -> list[tuple]:
    return [(p["index"], p["id"], p["field"]) for p in register.check(document)]


# --- validation -------------------------------------------------------------------------------------

def test_minimal_file_with_only_the_issue_fields_is_valid():
    document = fixture("minimal")
    assert register.check(document) == []
    assert set(document["systems"][0]) == {"id", "name", "purpose", "status", "in_service_since", "answers", "context"}


def test_full_fixture_is_valid():
    assert register.check(fixture("full")) == []


@pytest.mark.parametrize("change, field", [
    (lambda s: s.update(status="running"), "status"),
    (lambda s: s.pop("purpose"), "purpose"),
    (lambda s: s.update(in_service_since="2025-02-30"), "in_service_since"),
    (lambda s: s.update(colour="blue"), "colour"),
    (lambda s: s.update(contact={"email": "not-an-address"}), "contact.email"),
    (lambda s: s.update(website="javascript:alert(1)"), "website"),
    (lambda s: s.update(domain="space"), "domain"),
    (lambda s: s.update(themes=["Werk", "Sport"]), "themes[1]"),
    (lambda s: s.update(fria={"summary": 3}), "fria.summary"),
    (lambda s: s.update(impactful="yes"), "impactful"),
    (lambda s: s.update(name="  "), "name"),
    (lambda s: s["answers"].update({"art99.1": True}), "answers.art99.1"),
    (lambda s: s["answers"].update({"annexiii.4.a": 1}), "answers.annexiii.4.a"),
    (lambda s: s["answers"].pop("art3.1"), "answers.art3.1"),
    (lambda s: s.update(context={"role": "owner"}), "context.role"),
    (lambda s: s.update(context={"public_body": "yes"}), "context.public_body"),
    (lambda s: s.update(context={"public_authority": "yes"}), "context.public_authority"),
    (lambda s: s.update(context={"colour": "blue"}), "context.colour"),
    (lambda s: s.update(context={"in_service_since": "2025-01-01"}), "context.in_service_since"),
    (lambda s: s.update(context={"art3.1": True}), "context.art3.1"),
    (lambda s: s["answers"].update({"role": "deployer"}), "answers.role"),
    (lambda s: s["answers"].update({"public_authority": True}), "answers.public_authority"),
])
def test_each_problem_names_index_id_and_field(change, field):
    bad = system("bad")
    change(bad)
    found = problems(doc(system("ok"), bad))
    assert (1, "bad", field) in found, found
    assert all(index == 1 for index, _, _ in found)


def test_file_level_problems_have_no_index():
    document = doc(system())
    document.update(format="other", version=2, extra=1)
    del document["organisation"]["name"]
    assert {field for index, _, field in problems(document) if index is None} == {
        "format", "version", "extra", "organisation.name"}


def test_duplicate_ids_and_non_objects():
    found = problems(doc(system("a"), system("a"), "text"))
    assert (1, "a", "id") in found and (2, None, "(system)") in found


def test_extension_fields_are_kept():
    document = doc(system(**{"x-cost-centre": "42"}))
    assert register.check(document) == []
    assert register.normalise(document)["systems"][0]["x-cost-centre"] == "42"


def test_loads_uses_the_strict_reader():
    with pytest.raises(register.RegisterError) as error:
        register.loads('{"format": "aigov-register", "format": "x"}')
    assert error.value.problems[0]["field"] == "(file)" and "duplicate" in error.value.problems[0]["message"]
    with pytest.raises(register.RegisterError):
        register.loads("[" * 100 + "]" * 100)


# --- the normal form ------------------------------------------------------------------------------------

def test_normal_form_orders_but_neither_adds_nor_drops():
    raw = doc(system("b", answers={"annexiii.4.a": True, "art3.1": True}, department="HR"))
    raw["systems"][0] = dict(reversed(list(raw["systems"][0].items())))
    normal = register.validate(raw)
    first = normal["systems"][0]
    assert list(first)[:4] == ["id", "name", "purpose", "status"]
    assert list(first["answers"]) == ["art3.1", "annexiii.4.a"]
    assert first == {**raw["systems"][0]} and set(first) == set(raw["systems"][0])
    assert register.validate(normal) == normal
    assert "context" not in first      # no default is written into the file


def test_round_trip_is_identical():
    normal = register.validate(fixture("full"))
    text = json.dumps(normal, ensure_ascii=False, indent=2)
    assert register.loads(text) == normal
    assert json.dumps(register.loads(text), ensure_ascii=False, indent=2) == text


# --- context and the engine ----------------------------------------------------------------------------

def test_public_authority_defaults_to_public_body_then_true():
    assert register.public_authority(system()) is True
    assert register.public_authority(system(context={"public_body": False})) is False
    assert register.public_authority(system(context={"public_body": False, "public_authority": True})) is True
    assert register.public_authority(system(context={"public_body": True, "public_authority": False})) is False


def test_engine_record_passes_context_and_in_service_since():
    record = register.engine_record(system(in_service_since="2025-01-01", context={"role": "provider"}))
    assert record["role"] == "provider" and record["in_service_since"] == "2025-01-01" and record["art3.1"] is True


def test_classify_uses_the_engine():
    result = register.classify(system(answers={"art3.1": True, "annexiii.4.a": True}), on_date=DATE, lang="en")
    assert result["tier"] == "high_risk" and result["basis"] == ["annexiii.4.a"]


# --- Art. 49(3), (4), (5): both sides of each rule ------------------------------------------------------

def where(answers, **fields):
    item = system(answers={"art3.1": True, **answers}, **fields)
    assert register.check(doc(item)) == [], register.check(doc(item))
    return register.registration(item, register.classify(item, on_date=DATE, lang="en"))


HR = {"annexiii.4.a": True}


def test_art49_3_public_authority_deployer_of_annex_iii_system():
    assert where(HR) == {"art49_3": True, "art49_4": False, "art49_5": False}


@pytest.mark.parametrize("answers, fields", [
    (HR, {"context": {"public_authority": False}}),                      # not a public authority
    (HR, {"context": {"public_body": False}}),                           # default follows public_body
    (HR, {"context": {"role": "provider", "own_use": False}}),           # provider only (Art. 49(1) instead)
    (HR, {"status": "retired"}),                                         # no longer used
    ({"annexiii.2": True}, {}),                                          # point 2 only: Art. 49(5)
    ({**HR, "art6.3.a": True}, {}),                                      # Art. 6(3): not high-risk
    ({"art50.1": True}, {}),                                             # limited risk
    ({"art5.1.a": True}, {}),                                            # prohibited: no registration
])
def test_art49_3_other_side(answers, fields):
    assert where(answers, **fields)["art49_3"] is False


def test_art49_3_a_provider_that_uses_its_own_system_deploys_it_too():
    # Art. 3(4): whoever uses a system under its authority is its deployer, also when it built it.
    assert where(HR, context={"role": "provider", "own_use": True})["art49_3"] is True
    open_question = where(HR, context={"role": "provider"})
    assert open_question["art49_3"] is None and open_question["art49_4"] is None, "not said: asked, never guessed"
    assert where({"annexiii.6.a": True}, context={"role": "provider", "own_use": True})["art49_4"] is True


def test_art49_3_public_authority_overrides_public_body_and_planned_counts():
    assert where(HR, context={"public_body": False, "public_authority": True})["art49_3"] is True
    assert where(HR, status="planned")["art49_3"] is True           # register before putting into service


def test_art49_3_provisional_high_risk_is_selected():
    item = system(answers={"art3.1": True, "annexiii.4.a": "unsure"})
    result = register.classify(item, on_date=DATE, lang="en")
    assert result["provisional"] and register.registration(item, result)["art49_3"] is True


@pytest.mark.parametrize("answers, fields, expected", [
    ({"annexiii.6.a": True}, {}, True),                                  # law enforcement
    ({"annexiii.7.b": True}, {}, True),                                  # migration, asylum, border control
    ({"annexiii.1.a": True}, {"law_enforcement_or_migration": True}, True),
    ({"annexiii.1.a": True}, {"law_enforcement_or_migration": False}, False),   # point 1 elsewhere: public
    ({"annexiii.1.a": True}, {}, None),                                  # point 1, area not said: open
    (HR, {"law_enforcement_or_migration": True}, False),                 # only points 1, 6 and 7
    ({"annexiii.6.a": True}, {"context": {"public_authority": False}}, False),   # only what 49(3) selects
])
def test_art49_4_secure_section(answers, fields, expected):
    assert where(answers, **fields)["art49_4"] is expected


ENGINE_49_5 = "art49.5" in references.provisions()    # the engine's reading of who registers nationally


@pytest.mark.parametrize("answers, fields, expected", [
    ({"annexiii.2": True}, {}, True),
    ({"annexiii.2": True}, {"context": {"public_authority": False}}, not ENGINE_49_5),
    ({"annexiii.2": True}, {"context": {"public_authority": False, "role": "provider"}}, True),
    ({"annexiii.2": True, "annexiii.5.a": True}, {}, True),
    ({"annexiii.2": True}, {"status": "retired"}, False),
    ({"annexiii.2": True, "art6.3.a": True}, {}, False),
    (HR, {}, False),
])
def test_art49_5_national_registration(answers, fields, expected):
    assert where(answers, **fields)["art49_5"] is expected


def test_point_2_with_another_point_is_also_art49_3():
    assert where({"annexiii.2": True, "annexiii.5.a": True})["art49_3"] is True


# --- the import preview -----------------------------------------------------------------------------------

def test_merge_preview_sorts_every_system():
    current = doc(system("kept"), system("edited"), system("dropped"))
    imported = doc(system("kept"), system("edited", department="HR", status="pilot"), system("new"),
                   organisation={"name": "Org renamed", "address": "Street 1", "contact": "org@example.be"})
    before = copy.deepcopy((current, imported))
    preview = register.merge_preview(current, imported)
    assert [s["id"] for s in preview["added"]] == ["new"]
    assert [s["id"] for s in preview["removed"]] == ["dropped"]
    assert preview["unchanged"] == ["kept"]
    [change] = preview["changed"]
    assert change["id"] == "edited" and change["fields"] == ["status", "department"]
    assert change["current"]["status"] == "in_use" and change["imported"]["status"] == "pilot"
    assert preview["organisation"] == {"changed": True, "fields": ["name"]}
    assert (current, imported) == before        # nothing is changed in place


def test_merge_preview_on_nothing_stored_and_on_same_content_in_another_order():
    assert [s["id"] for s in register.merge_preview(None, doc(system("a")))["added"]] == ["a"]
    item = system("a", answers={"art3.1": True, "annexiii.4.a": True})
    shuffled = dict(reversed(list(item.items())))
    shuffled["answers"] = dict(reversed(list(item["answers"].items())))
    preview = register.merge_preview(doc(item), doc(shuffled))
    assert preview["unchanged"] == ["a"] and not preview["changed"] and not preview["organisation"]["changed"]


def test_merge_preview_refuses_an_invalid_import():
    with pytest.raises(register.RegisterError) as error:
        register.merge_preview(doc(system("a")), doc(system("a", status="gone")))
    assert error.value.problems[0]["field"] == "status"
