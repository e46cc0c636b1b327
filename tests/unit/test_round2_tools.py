"""Round 2 keys in the tools: saved work and share links from before still load; the new context keys
(public_authority, intended_for_public_authorities) reach the engine; the date picks the law's text."""

from aigov_widgets.core.tools import classifier, obligations


def test_a_state_saved_before_round_2_loads_with_defaults():
    old = {"answers": {"art3.1": True, "annexiii.4": True, "annexiii.4.a": True},
           "context": {"role": "deployer", "public_body": False, "in_service_since": "", "date": ""}}
    state = classifier.normalise_state(old)
    assert state["context"]["public_authority"] is False            # default: the value of public_body
    assert state["context"]["intended_for_public_authorities"] == ""
    assert classifier.normalise_state({"answers": {}, "context": {"public_authority": "yes"}}) is None
    assert classifier.normalise_state({"answers": {}, "context": {"intended_for_public_authorities": "x"}}) is None


def test_link_carries_both_new_keys():
    state = classifier.normalise_state({"answers": {"art3.1": True},
                                        "context": {"public_body": True, "public_authority": False,
                                                    "intended_for_public_authorities": "y"}})
    link = classifier.link(state)
    assert "public_authority=n" in link and "intended_for_public_authorities=y" in link


def test_classifier_passes_the_new_keys_and_follows_the_date():
    answers = classifier.fill_open({"art3.1": True, "annexiii.4": True, "annexiii.4.a": True,
                                    "art26.11.decisions": True}, value=False)
    state = classifier.normalise_state({
        "answers": answers,
        "context": {"public_body": True, "public_authority": False, "date": "2028-01-01"}})
    result = classifier.assess(state, "2026-12-06", "en")["result"]
    duties = {duty["id"] for duty in result["obligations"]}
    assert "art27" in duties and "art26.8" not in duties and "art26.11" in duties
    early = classifier.normalise_state({"answers": classifier.fill_open({"art3.1": True, "art5.1.ba": True},
                                                                        value=False),
                                        "context": {"date": "2026-03-01"}})
    result = classifier.assess(early, "2026-12-06", "en")["result"]
    assert result["law"] == "2024/1689" and result["tier"] != "prohibited"


def test_obligations_tool_adds_art50_3_for_1b_and_1c_and_reads_public_authority():
    for point in ("annexiii.1.b", "annexiii.1.c"):
        state = obligations.normalise_state({"role": "deployer", "tier": "high_risk", "route": point,
                                             "date": "2028-01-01"})
        _, found = obligations.duties(state, "en", "2026-12-06")
        assert "art50.3" in {duty["id"] for duty in found}
    state = obligations.normalise_state({"role": "deployer", "tier": "high_risk", "route": "annexiii.4.a",
                                         "public_body": True, "public_authority": False})
    _, found = obligations.duties(state, "en", "2028-01-01")
    assert {"art27"} <= {duty["id"] for duty in found} and "art26.8" not in {duty["id"] for duty in found}
    assert obligations.normalise_state({"public_body": False})["public_authority"] is False
