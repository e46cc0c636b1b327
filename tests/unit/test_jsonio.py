"""The strict JSON reader: what it refuses, with which reason, and that it never lets Python's own limits
(recursion, huge integers) escape as a crash."""

import pytest

from aigov_widgets.core import jsonio


def test_ordinary_json():
    assert jsonio.loads('{"a": [1, 2.5, "x", true, null]}') == {"a": [1, 2.5, "x", True, None]}


@pytest.mark.parametrize("text, reason", [
    ('{"art3.1": true, "art3.1": false}', "duplicate_key"),
    ('[{"a": 1, "b": {"c": 1, "c": 2}}]', "duplicate_key"),
    ("[" * 100_000 + "]" * 100_000, "too_deep"),
    ("1" * 5000, "number_too_long"),
    ('{"a": NaN}', "not_json"),
    ("{'a': 1}", "not_json"),
    ("", "not_json"),
])
def test_refused_with_a_reason(text, reason):
    with pytest.raises(jsonio.JSONError) as raised:
        jsonio.loads(text)
    assert raised.value.reason == reason


def test_size_bound():
    with pytest.raises(jsonio.JSONError) as raised:
        jsonio.loads('"' + "x" * 20 + '"', max_chars=10)
    assert raised.value.reason == "too_large"


def test_brackets_inside_strings_do_not_count_as_depth():
    assert jsonio.loads('{"note": "' + "[" * 500 + '"}') == {"note": "[" * 500}


def test_the_duplicate_key_is_named_and_shortened():
    with pytest.raises(jsonio.JSONError, match="duplicate key 'k+'"):
        jsonio.loads('{"' + "k" * 500 + '": 1, "' + "k" * 500 + '": 2}')
