"""Property tests (hypothesis) for the precedence rules of the classification."""

from hypothesis import given, settings
from hypothesis import strategies as st

from aigov_widgets.core.law import engine

KEYS = [key for key in engine.input_keys() if key != "art3.1"]
S = engine.structure()
ANSWER = st.sampled_from([True, False, "unsure"])
DEFINITE = st.booleans()


@st.composite
def answers(draw, ai=ANSWER):
    chosen = draw(st.dictionaries(st.sampled_from(KEYS), ANSWER, max_size=20))
    return {"art3.1": draw(ai), **chosen}


def classify(values, **context):
    return engine.classify(values, on_date="2028-06-01", lang="en", **context)


def points_in(result):
    return [pid for pid in result["basis"] if pid in S.annex_iii]


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.just(False)))
def test_not_an_ai_system_comes_first(values):
    result = classify(values)
    assert result["tier"] == "not_ai_system" and result["obligations"] == [] and not result["provisional"]


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.sampled_from([True, "unsure"])), st.sampled_from(S.exclusions))
def test_scope_exclusions_come_before_everything_else(values, exclusion):
    result = classify({**values, exclusion: True})
    assert result["tier"] == "out_of_scope" and exclusion in result["basis"]
    assert result["obligations"] == []


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.just(True)), st.sampled_from(S.prohibitions))
def test_a_prohibition_prevails_over_high_risk(values, practice):
    values = {key: value for key, value in values.items() if key not in S.exclusions}
    values[practice] = True
    if practice in S.exceptions:
        values[S.exceptions[practice]] = False
    result = classify(values)
    assert result["tier"] == "prohibited" and practice in result["basis"]
    assert all(duty["id"] in S.prohibitions for duty in result["obligations"])


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.just(True)), st.sampled_from(S.annex_iii), st.lists(st.sampled_from(S.derogations)))
def test_profiling_overrides_every_derogation(values, point, derogations):
    values = {key: value for key, value in values.items()
              if key not in S.exclusions and key not in S.prohibitions}
    values |= {point: True, S.profiling: True} | {pid: True for pid in derogations}
    result = classify(values)
    assert result["tier"] == "high_risk" and S.profiling in result["basis"] and point in result["basis"]


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.just(True)), st.sampled_from(S.annex_iii), st.sampled_from(S.derogations))
def test_a_derogation_without_profiling_lifts_annex_iii(values, point, derogation):
    values = {key: value for key, value in values.items() if key not in S.exclusions
              and key not in S.prohibitions and key not in S.annex_i and key not in S.annex_iii}
    values |= {point: True, S.profiling: False, derogation: True, engine.NO_SIGNIFICANT_RISK: True}
    result = classify(values)
    if values.get(S.open_source) is True and result["tier"] == "out_of_scope":
        assert result["basis"] == [S.open_source] and not result["transparency"]   # Art. 2(12)
        return
    assert result["tier"] in ("limited_risk", "minimal_risk")
    assert point in result["basis"] and derogation in result["basis"]


@settings(max_examples=200, deadline=None)
@given(answers(), DEFINITE)
def test_fria_only_for_public_bodies_and_5b_5c_and_never_point_2(values, public_body):
    result = classify(values, public_body=public_body)
    duties = {duty["id"] for duty in result["obligations"]}
    points = points_in(result)
    if "art27" in duties:
        assert result["tier"] == "high_risk"
        assert any(pid not in S.critical_infrastructure for pid in points)
        assert public_body or {"annexiii.5.b", "annexiii.5.c"} & set(points)
    if result["tier"] == "high_risk" and points and set(points) <= set(S.critical_infrastructure):
        assert "art27" not in duties
    if result["tier"] == "high_risk" and (public_body or {"annexiii.5.b", "annexiii.5.c"} & set(points)) \
            and any(pid not in S.critical_infrastructure for pid in points):
        assert "art27" in duties


@settings(max_examples=200, deadline=None)
@given(answers())
def test_art86_never_for_point_2_alone(values):
    result = classify(values)
    duties = {duty["id"] for duty in result["obligations"]}
    points = points_in(result)
    if "art86" in duties:
        assert any(pid not in S.critical_infrastructure for pid in points)
    if result["tier"] == "high_risk" and points == ["annexiii.2"]:
        assert "art86" not in duties and "art26.8" not in duties and "art49.3" not in duties


@settings(max_examples=200, deadline=None)
@given(answers())
def test_transparency_is_reported_whatever_the_tier(values):
    result = classify(values)
    if result["tier"] in engine.IN_SCOPE_TIERS:
        answered = {pid for pid in S.transparency if values.get(pid, False) is not False}
        assert answered <= set(result["transparency"])


@settings(max_examples=200, deadline=None)
@given(answers())
def test_unsure_is_never_less_protective(values):
    """Replacing an "unsure" by either definite answer never yields a higher tier than the result."""
    order = {tier: rank for rank, tier in enumerate(
        ["prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system"])}
    result = classify(values)
    for key, value in values.items():
        if value == "unsure":
            for definite in (True, False):
                resolved = classify({**values, key: definite})
                assert order[result["tier"]] <= order[resolved["tier"]], (key, definite)
    assert result["provisional"] == bool(result["open_questions"])


@settings(max_examples=150, deadline=None)
@given(answers(ai=st.just(True)), st.sampled_from(S.annex_iii), st.sampled_from(S.derogations),
       st.sampled_from([False, "unsure"]))
def test_a_derogation_needs_no_significant_risk(values, point, derogation, risk):
    """Art. 6(3), first subparagraph: without "no significant risk of harm" no derogation holds."""
    values = {key: value for key, value in values.items() if key not in S.exclusions and key not in S.prohibitions}
    values |= {point: True, S.profiling: False, derogation: True, engine.NO_SIGNIFICANT_RISK: risk}
    result = classify(values)
    assert result["tier"] == "high_risk" and point in result["basis"]
    assert (engine.NO_SIGNIFICANT_RISK in result["open_questions"]) == (risk == "unsure")


@settings(max_examples=100, deadline=None)
@given(answers(ai=st.just(True)), st.sampled_from(sorted(S.derived_points)), st.sampled_from(S.derogations))
def test_a_derogation_never_lifts_a_point_derived_from_an_art5_exception(values, practice, derogation):
    values = {key: value for key, value in values.items() if key not in S.exclusions and key not in S.prohibitions}
    values |= {practice: True, S.exceptions[practice]: True, S.profiling: False, derogation: True,
               engine.NO_SIGNIFICANT_RISK: True}
    result = classify(values)
    assert result["tier"] == "high_risk" and S.derived_points[practice] in result["basis"]
    assert "derogation_not_for_exception" in {note["id"] for note in result["notes"]}


@settings(max_examples=200, deadline=None)
@given(answers(), DEFINITE, st.sampled_from([None, True, False]))
def test_eu_registration_follows_public_authority_not_public_body(values, public_body, public_authority):
    """Art. 26(8) and 49(3) bind public authorities (default: public_body); Art. 27 follows public_body."""
    result = classify(values, public_body=public_body, public_authority=public_authority)
    duties = {duty["id"] for duty in result["obligations"]}
    authority = public_body if public_authority is None else public_authority
    if not authority:
        assert not {"art26.8", "art49.3"} & duties
    if result["tier"] == "high_risk" and any(pid not in S.critical_infrastructure for pid in points_in(result)):
        assert ({"art26.8", "art49.3"} <= duties) == authority
