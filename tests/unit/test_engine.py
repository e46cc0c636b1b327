"""Engine API: classify(), obligations(), find_roles(), timeline(), and input checks."""

import pytest

from aigov_widgets.core.law import engine, references, timeline

HIGH_RISK = {"art3.1": True, "annexiii.4.a": True}


def test_result_has_the_contract_keys_and_a_version_stamp():
    result = engine.classify(HIGH_RISK, on_date="2028-01-01", lang="en")
    assert {"tier", "basis", "transparency", "obligations", "provisional", "open_questions",
            "law", "rules_version", "date"} <= set(result)
    assert result["law"] == "2024/1689+2026/1744"
    assert result["rules_version"] == references.rules_version()
    assert result["date"] == "2028-01-01"
    for duty in result["obligations"]:
        assert set(duty) == {"id", "addressee", "applies_from", "in_force", "label", "url"}


def test_labels_and_links_follow_the_language():
    nl = engine.classify(HIGH_RISK, on_date="2028-01-01", lang="nl")
    fria = next(duty for duty in nl["obligations"] if duty["id"] == "art27")
    assert "grondrechten" in fria["label"]
    assert fria["url"].startswith("https://eur-lex.europa.eu/legal-content/NL/")


def test_prohibition_duty_has_its_prefix():
    result = engine.classify({"art3.1": True, "art5.1.c": True}, on_date="2026-01-01", lang="fr")
    assert result["obligations"][0]["label"].startswith("Pratique interdite en matière d’IA : ")


def test_changes_show_what_the_amendment_moved():
    result = engine.classify(HIGH_RISK, on_date="2028-01-01", lang="en")
    moved = {change["id"]: change for change in result["changes"]}
    assert moved["art26.6"] == {"id": "art26.6", "applies_from": "2027-12-02", "before": "2026-08-02"}
    assert "art4" not in moved


def test_obligations_can_be_asked_directly_for_a_tier_and_basis():
    duties = engine.obligations("deployer", "high_risk", ["annexiii.5.b"], on_date="2028-01-01", lang="en",
                                public_body=False)
    assert "art27" in {duty["id"] for duty in duties}
    duties = engine.obligations("provider", "limited_risk", ["art50.1"], transparency=["art50.1"],
                                on_date="2026-08-01", lang="en")
    art50 = next(duty for duty in duties if duty["id"] == "art50.1")
    assert art50["applies_from"] == "2026-08-02" and art50["in_force"] is False
    with pytest.raises(engine.InputError):
        engine.obligations("owner", "high_risk", [], on_date="2028-01-01", lang="en")


@pytest.mark.parametrize("bad, key", [
    ({"annexiii.4.a": True}, "art3.1"),
    ({"art3.1": True, "art99": True}, "art99"),
    ({"art3.1": 1}, "art3.1"),
    ({"art3.1": "yes"}, "art3.1"),
    ({"art3.1": None}, "art3.1"),
])
def test_bad_answers_name_the_key(bad, key):
    with pytest.raises(engine.InputError) as raised:
        engine.classify(bad, on_date="2028-01-01", lang="en")
    assert raised.value.key == key


def test_bad_context_is_rejected():
    with pytest.raises(engine.InputError):
        engine.classify(HIGH_RISK, on_date="2028-02-30", lang="en")
    with pytest.raises(engine.InputError):
        engine.classify(HIGH_RISK, on_date="2028-01-01", lang="de")
    for record in ({"art3.1": True, "role": "owner"}, {"art3.1": True, "public_body": "yes"},
                   {"art3.1": True, "in_service_since": "2025-13-01"}):
        with pytest.raises(engine.InputError):
            engine.split_record(record)


def test_gate_answers_are_accepted_but_do_not_decide():
    result = engine.classify({"art3.1": True, "annexiii.4": True}, on_date="2028-01-01", lang="en")
    assert result["tier"] == "minimal_risk"


# --- role finder ------------------------------------------------------------------------------------

@pytest.mark.parametrize("answers, roles", [
    ({"art3.4": True}, ["deployer"]),
    ({"art3.3": True, "art3.4": True}, ["provider", "deployer"]),
    ({"art3.5": True}, ["authorised_representative"]),
    ({"art3.6": True, "art3.7": True}, ["importer", "distributor"]),
    ({"art3.4": True, "art25.1.a": True, "high_risk": True}, ["provider", "deployer"]),
    ({"art3.4": True, "art25.1.a": True, "high_risk": False}, ["deployer"]),
    ({"art3.7": True, "art25.1.b": True, "high_risk": True}, ["provider", "distributor"]),
    ({"art3.4": True, "art25.1.c": True}, ["provider", "deployer"]),
    ({}, []),
])
def test_find_roles(answers, roles):
    assert engine.find_roles(answers)["roles"] == roles


def test_find_roles_unsure_is_protective_and_provisional():
    result = engine.find_roles({"art3.4": True, "art25.1.a": "unsure", "high_risk": True})
    assert result["roles"] == ["provider", "deployer"] and result["provisional"]
    assert result["open_questions"] == ["art25.1.a"]
    assert not engine.find_roles({"art3.3": True, "art25.1.a": "unsure"})["provisional"]


def test_find_roles_rejects_unknown_keys():
    with pytest.raises(engine.InputError):
        engine.find_roles({"art3.8": True})


# --- timeline ---------------------------------------------------------------------------------------

def test_timeline_is_sorted_and_complete():
    entries = timeline.timeline(lang="nl")
    dates = [entry["date"] for entry in entries]
    assert dates == sorted(dates)
    by_id = {entry["milestone"]: entry for entry in entries}
    assert by_id["annex_iii_high_risk"]["date_text"] == "2 december 2027"
    assert "art27" in by_id["annex_iii_high_risk"]["provisions"]
    assert "art4" in by_id["chapters_i_ii"]["provisions"]
    assert by_id["annex_iii_high_risk"]["changed"] == {"law": "2024/1689", "before": "2026-08-02",
                                                       "before_text": "2 augustus 2026"}
    assert by_id["chapters_i_ii"]["changed"] is None


def test_timeline_changes_list_what_the_omnibus_moved_or_added():
    changed = {entry["milestone"]: entry["changed"]["before"] for entry in timeline.timeline_changes("en")}
    assert changed["annex_iii_high_risk"] == "2026-08-02"
    assert changed["annex_i_high_risk"] == "2027-08-02"
    assert changed["art5_new_prohibitions"] is None
    assert "general_application" not in changed


def test_superseded_timeline_has_no_changes():
    entries = timeline.timeline("2024/1689", "fr")
    assert all(entry["changed"] is None for entry in entries)
    assert "art5_new_prohibitions" not in {entry["milestone"] for entry in entries}
    assert entries[0]["date_text"] == "1er août 2024"


def test_duty_added_by_the_amendment_does_not_exist_under_the_original_text():
    answers = {"art3.1": True, "art5.1.ba": True}
    original = engine.classify(answers, on_date="2027-01-01", lang="en", law="2024/1689")
    # the 2024 text has no Art. 5(1)(ba): not prohibited, but its deep fakes must be disclosed (Art. 50(4))
    assert original["tier"] == "limited_risk" and original["law"] == "2024/1689"
    assert [duty["id"] for duty in original["obligations"]] == ["art4", "art50.4"]
    assert "not_in_this_text" in {note["id"] for note in original["notes"]}
    current = engine.classify(answers, on_date="2027-01-01", lang="en")
    assert [duty["id"] for duty in current["obligations"]] == ["art5.1.ba"]
    assert current["changes"] == [{"id": "art5.1.ba", "applies_from": "2026-12-02", "before": None}]


def test_entry_into_force_of_the_amendment_cites_its_own_final_article():
    from aigov_widgets.core.law import timeline as tl
    entry = {row["milestone"]: row for row in tl.timeline(lang="en")}["amendment_in_force"]
    assert entry["source"] == "art4.amending"
    assert references.citation("art4.amending", "en") == "Art. 4 of Regulation (EU) 2026/1744"
    assert references.citation("art4.amending", "nl") == "art. 4 van Verordening (EU) 2026/1744"
    assert references.eurlex_url("art4.amending", "fr").endswith("CELEX:32026R1744#art_4")


def test_law_for_date_and_choose_law():
    assert references.law_for_date("2024-07-31") is None
    assert references.law_for_date("2024-08-01") == "2024/1689"
    assert references.law_for_date("2026-07-26") == "2024/1689"
    assert references.law_for_date("2026-07-27") == "2024/1689+2026/1744"
    with pytest.raises(engine.InputError) as error:
        engine.classify({"art3.1": True}, on_date="2024-07-31", lang="en")
    assert error.value.key == "date"
    with pytest.raises(engine.InputError) as error:
        engine.classify({"art3.1": True}, on_date="2026-12-06", lang="en", law="2099/1")
    assert error.value.key == "law"


def test_provisions_carry_their_versions():
    assert not references.in_law("art5.1.ba", "2024/1689") and references.in_law("art5.1.ba")
    assert "art5.1.ba" not in engine.structure("2024/1689").prohibitions
    assert "art5.1.ba" in engine.structure().prohibitions


def test_interim_duties_say_until_when():
    result = engine.classify({"art3.1": True, "art5.1.ba": True}, on_date="2026-11-30", lang="nl")
    interim = [duty for duty in result["obligations"] if "until" in duty]
    assert {duty["id"] for duty in interim} == {"art4", "art50.4"}
    assert all(duty["until"] == "2026-12-02" for duty in interim)
    note = {entry["id"]: entry["text"] for entry in result["notes"]}["prohibition_pending"]
    assert "2 december 2026" in note and "{" not in note


def test_error_messages_echo_at_most_80_characters_of_a_value():
    with pytest.raises(engine.InputError) as error:
        engine.classify({"art3.1": "x" * 10_000}, on_date="2026-12-06", lang="en")
    assert len(str(error.value)) < 140 and "x" * 81 not in str(error.value)
