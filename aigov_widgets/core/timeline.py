"""The AI Act's application dates as a timeline, and what changed since the original text.

Everything comes from laws.toml through `references`: the book's timeline tables and every widget read
the same dates, so a date is changed in one place.
"""

from __future__ import annotations

from aigov_widgets.core import references


def timeline(lang: str, law: str | None = None) -> list[dict]:
    """Every dated milestone of a law version (default: current), in date order, with the date it had
    in the version it amends: status "unchanged", "moved" (with `previous_date`) or "new"."""
    chain = references.law_chain(law)
    current = references.milestone_dates(chain[-1])
    original = references.milestone_dates(chain[0]) if len(chain) > 1 else current
    labels = references.laws()["milestone"]
    rows = []
    for milestone, iso in current.items():
        previous = original.get(milestone)
        source = labels[milestone]["source"]
        rows.append({
            "milestone": milestone,
            "date": iso,
            "date_text": references.date_text(iso, lang),
            "label": labels[milestone]["label"][lang],
            "source": source,
            "citation": references.citation(source, lang),
            "url": references.eurlex_url(source, lang),
            "status": "new" if previous is None else ("unchanged" if previous == iso else "moved"),
            "previous_date": previous,
            "previous_date_text": references.date_text(previous, lang) if previous else None,
        })
    return sorted(rows, key=lambda row: (row["date"], row["milestone"]))
