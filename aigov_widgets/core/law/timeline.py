"""The application timeline of the AI Act, generated from laws.toml and provisions.toml.

The book's timeline tables call timeline() at build time, so a date changed in laws.toml changes the
book too. "What changed" compares a law version with the version it amends.
"""

from __future__ import annotations

from aigov_widgets.core.law import references


def _milestones_of(provision_entry: dict) -> set[str]:
    spec = provision_entry.get("applies_from")
    if spec is None:
        return set()
    return set(spec.values()) if isinstance(spec, dict) else {spec}


def provisions_applying_from(milestone: str) -> list[str]:
    """Ids of the provisions whose applies_from names the milestone (in provisions.toml order)."""
    return [pid for pid, entry in references.provisions().items() if milestone in _milestones_of(entry)]


def _change(milestone: str, law: str) -> dict | None:
    """How the milestone's date differs from the amended version: None if unchanged or no base."""
    previous = references.laws()["law"][law].get("amends")
    if not previous:
        return None
    before = references.milestone_dates(previous).get(milestone)
    after = references.milestone_date(milestone, law)
    if before == after:
        return None
    return {"law": previous, "before": before}


def timeline(law: str | None = None, lang: str = "en") -> list[dict]:
    """Every dated milestone of a law version, by date: {milestone, date, date_text, label, source,
    provisions, changed} where changed is None or {"law", "before", "before_text"} (before None: new)."""
    law = references.law_id(law)
    labels = references.laws()["milestone"]
    out = []
    for milestone, date in references.milestone_dates(law).items():
        change = _change(milestone, law)
        if change:
            change["before_text"] = references.date_text(change["before"], lang) if change["before"] else None
        out.append({
            "milestone": milestone,
            "date": date,
            "date_text": references.date_text(date, lang),
            "label": labels[milestone]["label"][lang],
            "source": labels[milestone]["source"],
            "provisions": provisions_applying_from(milestone),
            "changed": change,
        })
    return sorted(out, key=lambda entry: (entry["date"], entry["milestone"]))


def timeline_changes(lang: str = "en", law: str | None = None) -> list[dict]:
    """Only the milestones that the law version moved or added, compared with the version it amends."""
    return [entry for entry in timeline(law, lang) if entry["changed"]]
