"""The HR use-case catalogue shows, for each example and in every language, the classification the
engine computes from the example's answers (data/hr_cases.toml), with a link carrying those answers."""

from __future__ import annotations

import html
import re

import pytest

from aigov_widgets.core.law import references
from aigov_widgets.core.ui.texts import widget_text
from tests.conftest import LANGUAGES, SITE

CASES = references.load_toml("hr_cases.toml")["case"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_example_shows_its_computed_tier_and_a_prefilled_link(lang):
    page = (SITE / lang / "hr-use-cases.html").read_text(encoding="utf-8")
    shown = re.findall(r'<p class="aigov-classification(?: [^"]*)?">(.*?)</p>', page, flags=re.S)
    assert len(shown) == len(CASES)
    # Each example keeps its MyST target, and its assessment is folded (<details>) under it, before the
    # next example.
    starts = [page.find(f'id="{case["id"]}"') for case in CASES]
    assert all(start >= 0 for start in starts), [c["id"] for c, s in zip(CASES, starts) if s < 0]
    assert starts == sorted(starts)
    article_end = page.find("</article>", starts[-1])
    for case, start, end in zip(CASES, starts, starts[1:] + [article_end if article_end > 0 else len(page)]):
        example = page[start:end]
        assert example.count("<details") == 1 and "aigov-classification" in example.split("<details", 1)[1], case["id"]
    for case, paragraph in zip(CASES, shown):
        assert widget_text(f"tier_{case['expect']}", lang) in html.unescape(paragraph), case["id"]
        link = html.unescape(re.search(r'href="(classifier\.html#aigov-classifier:[^"]+)"', paragraph).group(1))
        for key, value in case["answers"].items():
            code = {True: "y", False: "n", "unsure": "u"}[value]
            assert f"{key}={code}" in link, (case["id"], key)
