"""The AI Act rules engine: tier, basis and transparency of an AI system, and the obligations of a role.

Answers are True, False or "unsure" per provision id (a missing key means False). "unsure" is read
with three-valued logic (None = unknown); the result takes the most protective tier that is still
plausible and lists the unsure answers it depended on. The legal structure comes from
data/provisions.toml, the dates from data/laws.toml (via references): no rule is written here twice.
Pure stdlib: runs unchanged in CPython and in bare Pyodide.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from aigov_widgets.core.law import conditions, questionnaire, references

TIERS = ("not_ai_system", "out_of_scope", "prohibited", "high_risk", "limited_risk", "minimal_risk")
ROLES = ("provider", "deployer", "authorised_representative", "importer", "distributor")
UNSURE = "unsure"
IN_SCOPE_TIERS = ("prohibited", "high_risk", "limited_risk", "minimal_risk")

# Answer keys that select a duty or qualify a derogation rather than name a provision (questionnaire
# ids; their `provisions` say which article they test). Their default when missing is not always false.
NO_SIGNIFICANT_RISK = "art6.3.no_significant_risk"   # Art. 6(3), first subparagraph; default true
POST_REMOTE = "art26.10.post_remote"                 # Art. 26(10); default false
DECISIONS = "art26.11.decisions"                     # Art. 26(11); default true except Annex III point 2
MAX_SHOWN = 80                                       # a bad value is echoed in at most this many characters


def shown(value: object) -> str:
    """A value as echoed in an error message: its repr, cut to MAX_SHOWN characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


class InputError(ValueError):
    """Bad input: `key` names the offending key (or None for the whole input)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


# --- three-valued logic ---------------------------------------------------------------------------

def _truth(value: object) -> bool | None:
    """An answer as Kleene truth value: True, False or None (unsure)."""
    return None if value == UNSURE else bool(value)


def _any(values) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return None if None in values else False


def _all(values) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


# --- the legal structure, from provisions.toml ---------------------------------------------------

@dataclass(frozen=True)
class Structure:
    ai_system: str
    exclusions: tuple[str, ...]
    open_source: str
    annex_i: tuple[str, ...]
    annex_i_section_b: str
    profiling: str
    critical_infrastructure: tuple[str, ...]
    transparency: tuple[str, ...]
    prohibitions: tuple[str, ...]
    exceptions: dict          # prohibition id -> exception id
    derived_points: dict      # prohibition id -> Annex III point when its exception lifts it
    implied_transparency: dict
    annex_iii: tuple[str, ...]
    derogations: tuple[str, ...]
    public_authority_points: tuple[str, ...] = ()
    presumed_public_points: tuple[str, ...] = ()
    order: dict = field(default_factory=dict)   # id -> position in provisions.toml


@lru_cache(maxsize=None)
def structure(law: str | None = None) -> Structure:
    """The legal structure; with `law`, only the provisions that exist in that version's text."""
    data = references.load_toml("provisions.toml")
    table = data["classification"]
    entries = data["provision"]
    present = {pid for pid, entry in entries.items()
               if law is None or "versions" not in entry or law in entry["versions"]}
    kinds = {kind: tuple(pid for pid, entry in entries.items() if entry["kind"] == kind and pid in present)
             for kind in ("prohibition", "exception", "derogation", "classification")}
    return Structure(
        ai_system=table["ai_system"],
        exclusions=tuple(table["exclusions"]),
        open_source=table["open_source"],
        annex_i=tuple(table["annex_i"]),
        annex_i_section_b=table["annex_i_section_b"],
        profiling=table["profiling"],
        critical_infrastructure=tuple(table["critical_infrastructure"]),
        transparency=tuple(table["transparency"]),
        prohibitions=kinds["prohibition"],
        exceptions={pid.removesuffix(".exception"): pid for pid in kinds["exception"]},
        derived_points=dict(table["derived_points"]),
        implied_transparency={k: tuple(v) for k, v in table["implied_transparency"].items()},
        annex_iii=tuple(pid for pid in kinds["classification"] if pid.startswith("annexiii.")),
        derogations=kinds["derogation"],
        public_authority_points=tuple(table.get("public_authority_points", ())),
        presumed_public_points=tuple(table.get("presumed_public_points", ())),
        order={pid: index for index, pid in enumerate(entries)},
    )


def input_keys() -> tuple[str, ...]:
    """Every provision id classify() reads as an answer, in provisions.toml order."""
    s = structure()
    keys = {s.ai_system, *s.exclusions, s.open_source, *s.prohibitions, *s.exceptions.values(),
            *s.annex_i, s.annex_i_section_b, *s.annex_iii, *s.derogations, s.profiling, *s.transparency}
    return tuple(sorted(keys, key=lambda pid: s.order[pid])) + (NO_SIGNIFICANT_RISK, POST_REMOTE, DECISIONS)


def _ordered(ids) -> list[str]:
    order = structure().order
    return sorted(dict.fromkeys(ids), key=lambda pid: order.get(pid, len(order)))


# --- classification -------------------------------------------------------------------------------

@dataclass
class Decision:
    """What the answers decide: the tier and the ids behind it, before any date is considered."""
    tier: str
    basis: list[str]
    transparency: list[str] = field(default_factory=list)
    relevant: list[str] = field(default_factory=list)     # answer ids the decision depended on
    derived: dict = field(default_factory=dict)           # derived Annex III point -> its source ids
    flags: list = field(default_factory=list)             # engine notes the decision itself calls for


def decide(answers: dict, law: str | None = None) -> Decision:
    """The tier under a law version's text (default: every provision; precedence: AI system, scope,
    Art. 5, Art. 6, Art. 50). Provisions that the version does not have are not read."""
    s = structure(law)
    relevant: list[str] = []

    def read(pid: str) -> bool | None:
        relevant.append(pid)
        return _truth(answers.get(pid, False))

    if read(s.ai_system) is False:
        return Decision("not_ai_system", [s.ai_system], relevant=relevant)

    excluded = {pid: read(pid) for pid in s.exclusions}
    if True in excluded.values():
        hard = [pid for pid, value in excluded.items() if value is True]
        return Decision("out_of_scope", hard, relevant=[s.ai_system, *hard])

    # Art. 5: a practice is prohibited unless its exception (if any) applies.
    prohibited, derived = [], {}
    for pid in s.prohibitions:
        practice = read(pid)
        if practice is False:
            continue
        exception = read(s.exceptions[pid]) if pid in s.exceptions else False
        if _all([practice, _not(exception)]) is not False:
            prohibited.append(pid)
        if pid in s.derived_points and _all([practice, exception]) is not False:
            derived[s.derived_points[pid]] = [pid, s.exceptions[pid]]

    # Annex III points, asked or derived from a lifted prohibition (derived ones are at most as sure
    # as the answers they come from).
    points, lifted = {}, []
    for pid in s.annex_iii:
        asked = read(pid)
        source = derived.get(pid)
        from_exception = _all([_truth(answers.get(x, False)) for x in source]) if source else False
        value = _any([asked, from_exception])
        if value is not False:
            points[pid] = value
        lifted.append(from_exception)
    # Implied transparency also follows from a practice the answers establish, even where the
    # version's text has no such prohibition (a "nudify" system makes deep fakes either way).
    practices = [pid for pid in structure().prohibitions if _truth(answers.get(pid, False)) is not False]
    transparency = _transparency(read, [*points, *practices])

    if prohibited:
        return Decision("prohibited", prohibited, transparency, relevant, derived)

    # Art. 6(1): Annex I products needing third-party conformity assessment.
    annex_i_first = read(s.annex_i[0])
    annex_i = _all([annex_i_first, *(read(pid) for pid in s.annex_i[1:])]) if annex_i_first is not False else False
    section_b = read(s.annex_i_section_b) if annex_i is not False else False

    # Art. 6(2) and (3): an Annex III point makes it high-risk unless a derogation applies and the
    # system does not profile natural persons (profiling overrides the derogation).
    # Art. 6(3), first subparagraph: a derogation (a)-(d) holds only if the system also poses no
    # significant risk of harm (answered, default true). A point derived from an Art. 5 exception
    # cannot be derogated (see core/README.md, notes on the digest).
    exempt, derogation_ids, profiling, flags = False, [], False, []
    if points:
        profiling = read(s.profiling)
        if profiling is not True:
            derogation_values = {pid: read(pid) for pid in s.derogations}
            derogation_ids = [pid for pid, value in derogation_values.items() if value is True]
            claimed = _any(derogation_values.values())
            no_risk = False
            if claimed is not False:
                relevant.append(NO_SIGNIFICANT_RISK)
                no_risk = _truth(answers.get(NO_SIGNIFICANT_RISK, True))
            exempt = _all([claimed, no_risk, _not(profiling)])
    from_exceptions = _any(lifted)
    annex_iii = _any([_all([_any(points.values()), _not(exempt)]), from_exceptions]) if points else False
    if from_exceptions is not False and exempt is not False:
        flags.append("derogation_not_for_exception")

    if _any([annex_i, annex_iii]) is not False:
        basis = []
        if annex_i is not False:
            basis += list(s.annex_i) + ([s.annex_i_section_b] if section_b is True else [])
        if annex_iii is not False:
            basis += list(points) + ([s.profiling] if profiling is not False else [])
        return Decision("high_risk", _ordered(basis), transparency, relevant, derived, flags)

    derogation_basis = list(points) + derogation_ids if exempt is True else []
    if transparency:
        return Decision("limited_risk", _ordered(transparency + derogation_basis), transparency, relevant, derived)
    if read(s.open_source) is True:
        return Decision("out_of_scope", [s.open_source], transparency, relevant, derived)
    return Decision("minimal_risk", _ordered(derogation_basis), transparency, relevant, derived)


def implied_transparency(ids) -> list[str]:
    """The Art. 50 ids that follow by definition from these ids (Annex III 1(b)/(c) -> Art. 50(3),
    Art. 5(1)(ba) -> Art. 50(4)): the one place that decides it, for classify() and obligations()."""
    table = structure().implied_transparency
    return _ordered(pid for source in ids for pid in table.get(source, ()))


def _transparency(read, sources) -> list[str]:
    """Art. 50 ids triggered, whatever the tier: answered, or implied (see implied_transparency)."""
    s = structure()
    triggered = [pid for pid in s.transparency if read(pid) is not False]
    return _ordered(triggered + implied_transparency(sources))


# --- obligations ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """Who assesses and the system's use: the engine's keyword arguments, defaults resolved later.

    public_body      Art. 27(1): a body governed by public law or a private entity providing public
                     services (FRIA). Default true.
    public_authority Art. 26(8), 49(3), 49(5): a public authority, Union body or person acting on
                     their behalf (registration). None: the value of public_body.
    intended_for_public_authorities  Art. 111(2), for Annex III points whose wording does not settle
                     it (None: public_authority for a deployer, false otherwise).
    post_remote      Art. 26(10): post-remote biometric identification in a criminal investigation.
    decisions        Art. 26(11): makes or assists decisions about natural persons (None: true,
                     except for a system of Annex III point 2 only).
    """
    role: str = "deployer"
    public_body: bool = True
    public_authority: bool | None = None
    intended_for_public_authorities: bool | None = None
    post_remote: bool = False
    decisions: bool | None = None


def _facts(tier: str, basis: list[str], transparency: list[str], context: Context,
           derived: dict | None = None) -> dict:
    s = structure()
    high = tier == "high_risk"
    annex_iii_points = [pid for pid in basis if pid in s.annex_iii]
    route_annex_iii = high and bool(annex_iii_points)
    route_annex_i = high and s.annex_i[0] in basis
    section_b_only = route_annex_i and s.annex_i_section_b in basis and not route_annex_iii
    beyond_point_2 = route_annex_iii and any(pid not in s.critical_infrastructure for pid in annex_iii_points)
    public_authority = context.public_body if context.public_authority is None else context.public_authority
    rbi_exception = high and any(source[0] == "art5.1.h" for source in (derived or {}).values())
    by_definition = rbi_exception or any(pid in s.public_authority_points for pid in annex_iii_points)
    presumed = any(pid in s.presumed_public_points for pid in annex_iii_points) \
        and context.intended_for_public_authorities is not False
    if by_definition or presumed:
        intended = True
    elif context.intended_for_public_authorities is not None:
        intended = context.intended_for_public_authorities
    else:
        intended = public_authority and context.role == "deployer"
    return {
        "general_duties": tier in IN_SCOPE_TIERS and not section_b_only,
        "route_annex_iii": route_annex_iii,
        "route_annex_i": route_annex_i,
        "chapter_iii": high and not section_b_only,
        "annex_iii_beyond_point_2": beyond_point_2,
        "derogated": not high and any(pid in s.derogations for pid in basis),
        "public_body": bool(context.public_body),
        "public_authority": bool(public_authority),
        "intended_for_public_authorities": bool(intended),
        "intended_by_definition": by_definition or presumed,
        "post_remote": bool(context.post_remote),
        "decisions": beyond_point_2 if context.decisions is None else bool(context.decisions),
        "rbi_exception": rbi_exception,
        "role": context.role,
        "basis": set(basis),
        "transparency": set(transparency) | set(implied_transparency(basis)),
    }


def holds(condition: dict, facts: dict) -> bool:
    """A `when` condition of provisions.toml over the facts (conditions.holds, fact leaves)."""
    def fact_test(leaf: dict) -> bool:
        if "fact" in leaf:
            return facts[leaf["fact"]]
        if "role" in leaf:
            return facts["role"] == leaf["role"]
        if "basis" in leaf:
            return leaf["basis"] in facts["basis"]
        if "transparency" in leaf:
            return leaf["transparency"] in facts["transparency"]
        raise ValueError(f"unknown condition: {leaf!r}")

    return conditions.holds(condition, fact_test)


def _routes(facts: dict) -> list[str]:
    return [route for route in ("annex_iii", "annex_i") if facts[f"route_{route}"]]


def applies_from(provision_id: str, facts: dict, *, in_service_since: str | None = None,
                 law: str | None = None) -> tuple[str | None, str | None]:
    """(first day the duty applies to this system, the Art. 111 rule that moved it or None).

    None as date: an already-running system is caught only after a significant change (Art. 111(2)).
    Where the date depends on the high-risk route (Art. 113(c)), the earliest route that holds counts.
    """
    entry = references.provisions()[provision_id]
    spec = entry["applies_from"]
    routes = _routes(facts) or ["annex_iii"]
    rule_id = entry.get("transitional")
    rule = references.transitional(rule_id, law) if rule_id else {}
    candidates = []
    for route in routes:
        milestone = spec[route] if isinstance(spec, dict) else spec
        if milestone is None:
            continue
        start = references.milestone_date(milestone, law)
        moved = None
        if rule and in_service_since:
            cutoff = rule["cutoff"][route] if isinstance(rule["cutoff"], dict) else rule["cutoff"]
            if in_service_since < references.milestone_date(cutoff, law):
                moved = rule_id
                if "until" in rule:
                    start = references.milestone_date(rule["until"], law)
                elif "public_authorities" in rule and facts["intended_for_public_authorities"]:
                    start = max(start, references.milestone_date(rule["public_authorities"], law))
                else:
                    start = None
        candidates.append((start, moved))
    dated = [c for c in candidates if c[0] is not None]
    return min(dated, key=lambda c: c[0]) if dated else candidates[0]


def obligations(role: str, tier: str, basis: list[str], *, on_date: str, lang: str,
                transparency: list[str] = (), public_body: bool = True,
                public_authority: bool | None = None, intended_for_public_authorities: bool | None = None,
                post_remote: bool = False, decisions: bool | None = None, derived: dict | None = None,
                in_service_since: str | None = None, law: str | None = None) -> list[dict]:
    """The duties of `role` for a system of this tier and basis, each with its first day and whether
    it applies on `on_date`. For a prohibited system: the prohibitions themselves. Art. 50 duties
    implied by the basis (Annex III 1(b)/(c) -> Art. 50(3)) are added here, whoever calls."""
    if role not in ROLES:
        raise InputError(f"role: expected one of {', '.join(ROLES)}, got {shown(role)}", "role")
    context = Context(role, public_body, public_authority, intended_for_public_authorities, post_remote, decisions)
    return _duties(tier, basis, list(transparency), context, derived, on_date, lang, in_service_since,
                   references.law_id(law))


def _duties(tier, basis, transparency, context: Context, derived, on_date, lang, in_service_since, law) -> list[dict]:
    facts = _facts(tier, basis, transparency, context, derived)
    entries = references.provisions()
    prefix = references.load_toml("provisions.toml")["kind"]["prohibition"]["duty_prefix"][lang]
    out = []
    if tier == "prohibited":
        chosen = [pid for pid in basis if entries[pid]["kind"] == "prohibition"]
    else:
        chosen = [pid for pid, entry in entries.items()
                  if entry["kind"] in ("obligation", "right") and "when" in entry
                  and context.role in entry["addressee"] and holds(entry["when"], facts)]
    for pid in chosen:
        entry = entries[pid]
        if not references.in_law(pid, law):      # not in this version's text
            continue
        try:
            start, _ = applies_from(pid, facts, in_service_since=in_service_since, law=law)
        except KeyError:      # the duty's milestone does not exist in this law version: no such duty then
            continue
        ref = references.provision(pid, lang)
        label = (prefix if entry["kind"] == "prohibition" else "") + ref["label"]
        out.append({
            "id": pid,
            "addressee": list(entry["addressee"]),
            "applies_from": start,
            "in_force": start is not None and on_date >= start,
            "label": label,
            "url": references.eurlex_url(pid, lang, law),
        })
    return out


# --- input checks -----------------------------------------------------------------------------------

CONTEXT_KEYS = ("role", "public_body", "public_authority", "intended_for_public_authorities", "in_service_since")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(value: object, key: str) -> str:
    """An ISO date string (YYYY-MM-DD) that is a real day, else InputError naming `key`."""
    if not isinstance(value, str) or not _ISO.match(value):
        raise InputError(f"{key}: expected a date YYYY-MM-DD, got {shown(value)}", key)
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{key}: not a calendar date: {shown(value)}", key) from None
    return value


def check_answers(answers: object, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    """Answers keyed by known ids with values true, false or "unsure"; InputError names the key."""
    if not isinstance(answers, dict):
        raise InputError(f"expected an object of answers, got {type(answers).__name__}")
    for key, value in answers.items():
        if key not in allowed:
            raise InputError(f"unknown key {shown(key)}", key)
        if not (isinstance(value, bool) or value == UNSURE):
            raise InputError(f"{key}: expected true, false or \"unsure\", got {shown(value)}", key)
    for key in required:
        if key not in answers:
            raise InputError(f"missing required key {key!r}", key)
    return dict(answers)


def classifier_keys() -> tuple[str, ...]:
    """The answer keys classify() accepts: the provisions it reads and the questionnaire's ids."""
    return tuple(dict.fromkeys(input_keys() + questionnaire.question_ids("classifier")))


def check_context(context: dict) -> dict:
    """The context keys of a record (role, public_body, public_authority,
    intended_for_public_authorities, in_service_since), each checked; InputError names the key."""
    if "role" in context and context["role"] not in ROLES:
        raise InputError(f"role: expected one of {', '.join(ROLES)}, got {shown(context['role'])}", "role")
    for key in ("public_body", "public_authority", "intended_for_public_authorities"):
        if key in context and not isinstance(context[key], bool) \
                and not (key != "public_body" and context[key] is None):
            raise InputError(f"{key}: expected true or false, got {shown(context[key])}", key)
    if "in_service_since" in context and context["in_service_since"] is not None:
        check_date(context["in_service_since"], "in_service_since")
    return context


def split_record(record: object) -> tuple[dict, dict]:
    """A CLI/worker record -> (answers, context), each checked; InputError names the bad key."""
    if not isinstance(record, dict):
        raise InputError(f"expected an object, got {type(record).__name__}")
    context = check_context({key: record[key] for key in CONTEXT_KEYS if key in record})
    answers = {key: value for key, value in record.items() if key not in CONTEXT_KEYS}
    check_answers(answers, classifier_keys(), (structure().ai_system,))
    return answers, context


def choose_law(on_date: str, law: str | None = None) -> str:
    """The law version to apply: `law` if given (an id of laws.toml), else the text in force on
    `on_date`. A date before the AI Act entered into force is an InputError."""
    first = references.law_in_force_from(references.law_chain()[0])
    if on_date < first:
        raise InputError(f"date: {on_date} is before the AI Act entered into force ({first})", "date")
    if law is not None:
        if law not in references.laws()["law"]:
            known = ", ".join(references.laws()["law"])
            raise InputError(f"law: expected one of {known}, got {shown(law)}", "law")
        return law
    return references.law_for_date(on_date)


# --- the result -------------------------------------------------------------------------------------

def _duty_inputs(answers: dict) -> tuple[bool, bool | None, list[str]]:
    """(post_remote, decisions, the unsure ones): Art. 26(10)/(11) inputs; "unsure" lists the duty."""
    unsure = [key for key in (POST_REMOTE, DECISIONS) if answers.get(key) == UNSURE]
    post_remote = answers.get(POST_REMOTE, False) is not False
    decisions = None if DECISIONS not in answers else answers[DECISIONS] is not False
    return post_remote, decisions, unsure


def classify(answers: dict, *, on_date: str, lang: str, role: str = "deployer", public_body: bool = True,
             public_authority: bool | None = None, intended_for_public_authorities: bool | None = None,
             in_service_since: str | None = None, law: str | None = None) -> dict:
    """Classify one AI system and list the duties of `role` on `on_date` (see core/README.md)."""
    check_answers(answers, classifier_keys(), (structure().ai_system,))
    check_date(on_date, "date")
    check_context({"role": role, "public_body": public_body, "public_authority": public_authority,
                   "intended_for_public_authorities": intended_for_public_authorities,
                   "in_service_since": in_service_since})
    if lang not in references.LANGUAGES:
        raise InputError(f"lang: expected one of {', '.join(references.LANGUAGES)}, got {shown(lang)}", "lang")
    law = choose_law(on_date, law)
    decision = decide(answers, law)
    post_remote, decisions, unsure_duties = _duty_inputs(answers)
    context = Context(role, public_body, public_authority, intended_for_public_authorities, post_remote, decisions)
    duties = _duties(decision.tier, decision.basis, decision.transparency, context, decision.derived,
                     on_date, lang, in_service_since, law)
    interim, until = _interim(answers, decision, duties, context, on_date, lang, in_service_since, law)
    facts = _facts(decision.tier, decision.basis, decision.transparency, context, decision.derived)
    relevant = list(decision.relevant)
    if facts["route_annex_iii"]:
        relevant += [key for key in unsure_duties if key == DECISIONS or "annexiii.1.a" in decision.basis]
    open_questions = [pid for pid in dict.fromkeys(relevant) if answers.get(pid) == UNSURE]
    return {
        "tier": decision.tier,
        "basis": decision.basis,
        "transparency": decision.transparency,
        "obligations": duties + interim,
        "provisional": bool(open_questions),
        "open_questions": open_questions,
        "derived": decision.derived,
        "changes": _changes(decision, duties, context, in_service_since, law),
        "notes": _notes(answers, decision, duties, context, in_service_since, lang, law, until),
        "law": law,
        "rules_version": references.rules_version(),
        "date": on_date,
    }


def _interim(answers, decision, duties, context, on_date, lang, in_service_since, law) -> tuple[list[dict], str | None]:
    """While the prohibition that decides the tier does not yet apply on `on_date`, the duties that
    apply meanwhile: those of the system classified without the pending prohibition(s), each with
    `until` (the day the first of them applies). ([], None) when a deciding prohibition applies."""
    if decision.tier != "prohibited":
        return [], None
    pending = [duty for duty in duties if not duty["in_force"]]
    if len(pending) != len(duties) or not pending:
        return [], None
    until = min(duty["applies_from"] for duty in pending if duty["applies_from"])
    meanwhile = dict(answers)
    for duty in pending:
        meanwhile[duty["id"]] = False
        for implied in implied_transparency([duty["id"]]):
            if meanwhile.get(implied) is not True:
                meanwhile[implied] = answers[duty["id"]]
    interim = decide(meanwhile, law)
    found = _duties(interim.tier, interim.basis, interim.transparency, context, interim.derived,
                    on_date, lang, in_service_since, law)
    return [{**duty, "until": until} for duty in found
            if duty["applies_from"] is not None and duty["applies_from"] < until], until


def _changes(decision, duties, context, in_service_since, law) -> list[dict]:
    """Duties whose first day differs from the version this law amends (what the amendment moved)."""
    previous = references.laws()["law"][law].get("amends")
    if not previous:
        return []
    facts = _facts(decision.tier, decision.basis, decision.transparency, context, decision.derived)
    out = []
    for duty in duties:
        try:
            before, _ = applies_from(duty["id"], facts, in_service_since=in_service_since, law=previous)
        except KeyError:      # a milestone the amended version did not have: a new duty
            before = None
        if before != duty["applies_from"]:
            out.append({"id": duty["id"], "applies_from": duty["applies_from"], "before": before})
    return out


def _notes(answers, decision, duties, context, in_service_since, lang, law, until) -> list[dict]:
    """Notes for this result only: the questionnaire's notes whose condition holds on the answers
    (e.g. a genuinely open legal question, with what to ask a lawyer), plus notes on derived points,
    Annex I Section B, Art. 111 transitional dates, a prohibition that does not apply yet, a
    derogation refused to an Art. 5 exception, and answers the version's text has no provision for."""
    s = structure()
    notes = [{"id": note_id, "text": questionnaire.note_text("classifier", note_id, lang, law)}
             for note_id in questionnaire.notes_for("classifier", answers)
             if note_id not in questionnaire.result_notes()]
    reasons = []
    if decision.derived and decision.tier != "prohibited":
        reasons.append("derived_point")
    reasons += decision.flags
    if decision.tier == "high_risk" and s.annex_i_section_b in decision.basis:
        reasons.append("annex_i_section_b")
    facts = _facts(decision.tier, decision.basis, decision.transparency, context, decision.derived)
    moved = {applies_from(d["id"], facts, in_service_since=in_service_since, law=law)[1]: d
             for d in duties}
    if "art111.2" in moved:
        reasons.append("art111_2_public" if moved["art111.2"]["applies_from"] else "art111_2_private")
    if "art111.4" in moved:
        reasons.append("art111_4")
    if until:
        reasons.append("prohibition_pending")
    if any(answers.get(pid, False) is not False for pid in set(structure().prohibitions) - set(structure(law).prohibitions)):
        reasons.append("not_in_this_text")
    for note_id in reasons:
        text = questionnaire.note_text("classifier", note_id, lang, law)
        if until:
            text = text.replace("{until}", references.date_text(until, lang))
        notes.append({"id": note_id, "text": text})
    return notes


# --- role finder ------------------------------------------------------------------------------------

def role_keys() -> tuple[str, ...]:
    return questionnaire.question_ids("roles")


def find_roles(answers: dict) -> dict:
    """Roles of an organisation towards one AI system (Art. 3(3) to (7), Art. 25(1)).

    Art. 25(1)(a) and (b) make a third party the provider of a system that is high-risk; (c) of one
    that becomes high-risk through the new intended purpose. "unsure" counts as yes (a role brings
    duties) and makes the result provisional. The structure is data: roles.toml [finding].
    """
    check_answers(answers, role_keys(), ())
    value = {key: _truth(answers.get(key, False)) for key in role_keys()}
    finding = questionnaire.load("roles")["finding"]
    basis: dict[str, list[str]] = {}
    relevant = list(finding["direct"])
    for key, role in finding["direct"].items():
        if value[key] is not False:
            basis.setdefault(role, []).append(key)
    for rule in finding["become"]:
        if "unless" in rule and value[rule["unless"]] is True:
            continue
        relevant += [rule["answer"], *rule["requires"]]
        if _all([value[rule["answer"]], *(value[key] for key in rule["requires"])]) is not False:
            basis.setdefault(rule["role"], []).append(rule["answer"])
    roles = [role for role in ROLES if role in basis]
    open_questions = [key for key in dict.fromkeys(relevant) if answers.get(key) == UNSURE]
    return {"roles": roles, "basis": {role: basis[role] for role in roles},
            "provisional": bool(open_questions), "open_questions": open_questions,
            "rules_version": references.rules_version()}
