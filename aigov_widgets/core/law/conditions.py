"""The one evaluator of the structured conditions in the data: `when` of provisions.toml (over the facts
of a classification) and `ask_if`/notes' `when` of the questionnaires (over the answers given so far).

Combinators are the same everywhere: {all = [...]}, {any = [...]}, {none = [...]}, {not = {...}} and
{ref = "name"} (a named condition of the file). What a leaf means is given by the caller: a fact test
({fact}, {basis}, {transparency}) or an answer test ({id, is | not | in}); {id, not = v} is a leaf, not
the combinator. Conditions are data, never evaluated strings.
"""

from __future__ import annotations

from collections.abc import Callable


def holds(condition: dict, leaf: Callable[[dict], bool], named: dict | None = None) -> bool:
    if "all" in condition:
        return all(holds(part, leaf, named) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, leaf, named) for part in condition["any"])
    if "none" in condition:
        return not any(holds(part, leaf, named) for part in condition["none"])
    if "not" in condition and "id" not in condition:
        return not holds(condition["not"], leaf, named)
    if "ref" in condition:
        if named is None or condition["ref"] not in named:
            raise ValueError(f"unknown named condition: {condition['ref']!r}")
        return holds(named[condition["ref"]], leaf, named)
    return leaf(condition)
