"""Exports of a (valid, normalised) register: json, csv, eu-db, algoritmeregister, eurocities.

Pure stdlib, no I/O: each function returns the text (or the object) to write. The standards' field lists
are data (data/register/<standard>.toml, validated on load); this module says only which of our fields
fills which of theirs. `missing` lists a standard's required fields the register does not hold: a value
is never invented. The README ("The register file") documents every mapping choice.
"""

from __future__ import annotations

import json

from aigov_widgets.core import documents, register
from aigov_widgets.core.law import data, references
from aigov_widgets.core.ui import spreadsheet

FORMATS = ("json", "csv", "eu-db", "algoritmeregister", "eurocities")
IN_SCOPE = ("prohibited", "high_risk", "limited_risk", "minimal_risk")


def standard(name: str) -> dict:
    """A standard's field list: {"standard": {id, title, version, sources}, "field": [{key, required, …}]}."""
    return data.load(f"register/{name}.toml")


def field_keys(name: str) -> list[str]:
    return [entry["key"] for entry in standard(name)["field"]]


def value_label(key: str, value: str, lang: str, name: str = "eurocities") -> str:
    """A standard's value as the register tool shows it in `lang` (its `labels`); the export keeps the value."""
    for entry in standard(name)["field"]:
        if entry["key"] == key:
            return entry.get("labels", {}).get(value, {}).get(lang, value)
    raise KeyError(key)


def required_keys(name: str) -> list[str]:
    return [entry["key"] for entry in standard(name)["field"] if entry["required"]]


def _held(value: object) -> bool:
    return value not in (None, "", [], {})


def _finish(name: str, record: dict, keep=None) -> tuple[dict, list[str]]:
    """The standard's fields in its own order, only those held; the required ones not held."""
    keys = field_keys(name) if keep is None else keep
    out = {key: record[key] for key in keys if _held(record.get(key))}
    missing = [key for key in required_keys(name) if key in keys and key not in out]
    return out, missing


def _results(document: dict, on_date: str, lang: str) -> list[dict]:
    return [register.classify(system, on_date=on_date, lang=lang) for system in document["systems"]]


# --- json -----------------------------------------------------------------------------------------------

def to_json(document: dict) -> str:
    return json.dumps(register.normalise(document), ensure_ascii=False, indent=2) + "\n"


# --- csv (Excel with a Belgian locale: UTF-8 with BOM, ";" as separator) ---------------------------------

CSV_COLUMNS = ("aigov_id", "name", "status", "department", "tier", "tier_label", "provisional", "basis",
               "basis_text", "transparency", "open_questions", "public_authority", "art49_3", "art49_4",
               "art49_5", "duties_in_force", "next_due_date", "next_due_duties", "fria_required",
               "approval_decision", "approval_date", "changed_since_approval")
csv_cell = spreadsheet.cell   # the one spreadsheet writer (core/ui/spreadsheet.py)


def _tier_label(tier: str, lang: str) -> str:
    texts = data.load("widget_ui.toml")
    key = f"tier_{tier}"
    return texts[key][lang] if key in texts else tier


def csv_rows(document: dict, *, on_date: str, lang: str) -> list[dict]:
    rows = []
    for system, result in zip(document["systems"], _results(document, on_date, lang)):
        later = [duty for duty in result["obligations"] if duty["applies_from"] and duty["applies_from"] > on_date]
        next_date = min((duty["applies_from"] for duty in later), default=None)
        where = register.registration(system, result)
        rows.append({
            "aigov_id": system["id"], "name": system["name"], "status": system["status"],
            "department": system.get("department"), "tier": result["tier"],
            "tier_label": _tier_label(result["tier"], lang), "provisional": result["provisional"],
            "basis": ", ".join(result["basis"]),
            "basis_text": "; ".join(references.citation(pid, lang) for pid in result["basis"]),
            "transparency": ", ".join(result["transparency"]),
            "open_questions": ", ".join(result["open_questions"]),
            "public_authority": register.public_authority(system),
            "art49_3": where["art49_3"], "art49_4": where["art49_4"], "art49_5": where["art49_5"],
            "duties_in_force": sum(1 for duty in result["obligations"] if duty["in_force"]),
            "next_due_date": next_date,
            "next_due_duties": "; ".join(references.citation(duty["id"], lang)
                                         for duty in later if duty["applies_from"] == next_date),
            "fria_required": documents.fria_required(result),
            "approval_decision": system.get("approval", {}).get("decision"),
            "approval_date": system.get("approval", {}).get("date"),
            # what changed in the use case since its approval ("" nothing; None: no approval on record)
            "changed_since_approval": _changes(system, result),
        })
    return rows


def _changes(system: dict, result: dict) -> str | None:
    changes = documents.approval_changes(system, result)
    return None if changes is None else ", ".join(changes)


def to_csv(document: dict, *, on_date: str, lang: str) -> str:
    rows = csv_rows(document, on_date=on_date, lang=lang)
    return spreadsheet.to_csv(list(CSV_COLUMNS), [[row[column] for column in CSV_COLUMNS] for row in rows])


# --- eu-db: Art. 49(3), (4) and (5) ----------------------------------------------------------------------

def _person(system: dict, organisation: dict) -> dict:
    return system.get("submitter") or organisation.get("submitter") or {}


def annex_viii_c(system: dict, organisation: dict) -> dict:
    """Annex VIII Section C items 1 to 5 under our keys (data/register/annex_viii_c.toml), as held."""
    submitter = _person(system, organisation)
    dpia = system.get("dpia", {})
    return {
        "deployer_name": organisation.get("name"),
        "deployer_address": organisation.get("address"),
        "deployer_contact": organisation.get("contact") or organisation.get("contact_email"),
        "submitter_name": submitter.get("name"),
        "submitter_address": submitter.get("address"),
        "submitter_contact": submitter.get("contact"),
        "provider_eu_db_url": system.get("provider_eu_db_url"),
        "fria_summary": documents.fria_summary(system),      # as written, else its elements (a) to (f)
        "dpia_summary": dpia.get("summary"),
    }


def eu_db(document: dict, *, on_date: str, lang: str = "en") -> dict:
    organisation = document["organisation"]
    fields = standard("annex_viii_c")["field"]
    all_keys = [entry["key"] for entry in fields]
    secure_keys = [entry["key"] for entry in fields if entry["item"] <= 3]     # Art. 49(4)(c)
    out = {"art49_3": [], "art49_4": [], "art49_5": []}
    for system, result in zip(document["systems"], _results(document, on_date, lang)):
        where = register.registration(system, result)
        if where["art49_3"] is not False:       # None: a provider that may use the system itself (own_use)
            # Art. 49(4): in the secure non-public section the registration holds Section C points 1 to 3 only.
            keys = secure_keys if where["art49_4"] else all_keys
            items, missing = _finish("annex_viii_c", annex_viii_c(system, organisation), keys)
            if system.get("dpia", {}).get("required") is False:      # "where applicable"
                missing = [key for key in missing if key != "dpia_summary"]
            duty = next((d for d in result["obligations"] if d["id"] == "art49.3"), None)
            entry = {"aigov_id": system["id"], "items": items, "missing": missing,
                     "secure_section": where["art49_4"], "provisional": result["provisional"],
                     "applies_from": duty["applies_from"] if duty else None}
            open_questions = ([] if where["art49_3"] is not None else ["context.own_use"]) + (
                ["law_enforcement_or_migration"] if where["art49_4"] is None and where["art49_3"] is not None else [])
            if open_questions:
                entry["open_questions"] = open_questions
            out["art49_3"].append(entry)
            if where["art49_4"]:
                out["art49_4"].append({key: entry[key] for key in ("aigov_id", "items", "missing", "provisional")})
        if where["art49_5"]:
            out["art49_5"].append({"aigov_id": system["id"], "name": system["name"], "basis": result["basis"],
                                   "provisional": result["provisional"]})
    return out


# --- the Dutch Algoritmeregister, publication standard 1.0 ----------------------------------------------

NL_STATUS = {"planned": "In ontwikkeling", "pilot": "In gebruik", "in_use": "In gebruik", "retired": "Buiten gebruik"}
NL_CATEGORY_HIGH_RISK = "Hoog-risico AI-systeem"
NL_CATEGORY_IMPACTFUL = {True: "Impactvolle algoritmes", False: "Overige algoritmes"}


def publication_category(tier: str, impactful: bool | None) -> str | None:
    """Hoog-risico AI-systeem for high-risk; for limited and minimal risk the organisation's own answer
    (`impactful`: the standard's category B or C, which the AI Act tier does not decide); none for a
    prohibited system (the standard has no category for it) or when `impactful` is not given."""
    if tier == "high_risk":
        return NL_CATEGORY_HIGH_RISK
    if tier in ("limited_risk", "minimal_risk") and impactful is not None:
        return NL_CATEGORY_IMPACTFUL[impactful]
    return None


def _short(system: dict, limit: int) -> str | None:
    if system.get("summary"):
        return system["summary"]
    purpose = system.get("purpose", "")
    return purpose if len(purpose) <= limit else None


def _paragraphs(*texts) -> str | None:
    held = [text for text in texts if text]
    return "\n\n".join(held) if held else None


def _links(items) -> list[dict] | None:
    return [{"title": item.get("title", ""), "link": item.get("link", "")} for item in items] if items else None


def algoritmeregister_record(system: dict, organisation: dict, result: dict) -> dict:
    limits = {entry["key"]: entry.get("max_length") for entry in standard("algoritmeregister")["field"]}
    assessments = []
    if system.get("fria", {}).get("url"):
        assessments.append({"title": "Beoordeling van de gevolgen voor de grondrechten (AI-verordening, art. 27)",
                            "link": system["fria"]["url"]})
    if system.get("dpia", {}).get("url"):
        assessments.append({"title": "Data Protection Impact Assessment (DPIA)", "link": system["dpia"]["url"]})
    values = {
        "name": system["name"],
        "description_short": _short(system, limits["description_short"]),
        "organization": organisation.get("name"),
        "category": system.get("themes"),
        "status": NL_STATUS[system["status"]],
        "begin_date": (system.get("in_service_since") or "")[:7] or None,
        "end_date": (system.get("retired_on") or "")[:7] or None,
        "contact_email": system.get("contact", {}).get("email") or organisation.get("contact_email"),
        "website": system.get("website"),
        "publication_category": publication_category(result["tier"], system.get("impactful")),
        "goal": _paragraphs(system.get("purpose"), system.get("impact")),
        "proportionality": system.get("proportionality"),
        "human_intervention": system.get("human_oversight"),
        "risks": system.get("risks"),
        "lawful_basis": system.get("lawful_basis"),
        "lawful_basis_grouping": _links(system.get("lawful_basis_links")),
        "process_index_url": system.get("process_register_url"),
        "impacttoetsen_grouping": assessments or None,
        "source_data": system.get("data_used"),
        "source_data_grouping": _links(system.get("data_links")),
        "methods_and_models": system.get("methods_and_models") or system.get("description"),
        "provider": system.get("provider"),
        "publiccode": system.get("codebase_url"),
        "lang": "nld",
        "standard_version": "1.0",
        "source_id": system["id"],
        "tags": ", ".join(system["keywords"]) if system.get("keywords") else None,
    }
    record, missing = _finish("algoritmeregister", values)
    too_long = [key for key, value in record.items()
                if isinstance(value, str) and limits.get(key) and len(value) > limits[key]]
    record.update({"aigov_id": system["id"], "missing": missing})
    if too_long:
        record["too_long"] = too_long
    return record


def algoritmeregister(document: dict, *, on_date: str, lang: str = "nl") -> list[dict]:
    organisation = document["organisation"]
    return [algoritmeregister_record(system, organisation, result)
            for system, result in zip(document["systems"], _results(document, on_date, lang))
            if result["tier"] in IN_SCOPE]


# --- the Algorithmic Transparency Standard 0.3.1 (Eurocities) --------------------------------------------

EUROCITIES_STATUS = {"planned": "planned", "pilot": "pilot", "in_use": "operational", "retired": "retired"}
RISK_CATEGORY = {"minimal_risk": "minimal risk", "limited_risk": "limited risk", "high_risk": "high risk",
                 "prohibited": "unacceptable"}


def eurocities_record(system: dict, organisation: dict, result: dict, lang: str) -> dict:
    contact = system.get("contact", {})
    values = {
        "name": system["name"],
        "description_short": _short(system, 150),
        "organization": organisation.get("name"),
        "department": system.get("department"),
        "contact_email": contact.get("email") or organisation.get("contact_email"),
        "contact_phone": contact.get("phone"),
        "contact_name": contact.get("name"),
        "area": system.get("area") or organisation.get("area"),
        "domain": system.get("domain"),
        "website": system.get("website"),
        "status": EUROCITIES_STATUS[system["status"]],
        "remark": system.get("remark"),
        "decision_making_process": system.get("decision_making_process"),
        "goal": system.get("purpose"),
        "impact": system.get("impact"),
        "risks": system.get("risks"),
        "risk_category": RISK_CATEGORY[result["tier"]],
        "proportionality": system.get("proportionality"),
        "lawful_basis": system.get("lawful_basis"),
        "documentation": system.get("documentation_url"),
        "training_data": system.get("training_data"),
        "source_data": system.get("data_used"),
        "data_bias": system.get("data_bias"),
        "connected_data_sources": system.get("connected_data_sources"),
        "DPIA_description": system.get("dpia", {}).get("summary"),
        "DPIA_url": system.get("dpia", {}).get("url"),
        "algorithm_type": system.get("algorithm_type"),
        "description": system.get("description"),
        "methods_and_models": system.get("methods_and_models"),
        "performance": system.get("performance"),
        "alternatives_considered": system.get("alternatives_considered"),
        "codebase_url": system.get("codebase_url"),
        "AIA_description": documents.fria_summary(system),
        "AIA_url": system.get("fria", {}).get("url"),
        "monitoring": system.get("monitoring"),
        "type": system.get("analytics_type"),
        "human_intervention": system.get("human_oversight"),
        "objection_procedure": system.get("objection_procedure"),
        "rollback": system.get("rollback"),
        "standard_version": standard("eurocities")["standard"]["version"],
        "uuid": system.get("uuid"),
        "lang": lang,
        "publication_date": system.get("published_on"),
        "last_change_date": system.get("last_changed_on"),
        "revision_date": system.get("next_review_on"),
        "revision_note": system.get("revision_note"),
        "keywords": ", ".join(system["keywords"]) if system.get("keywords") else None,
    }
    record, missing = _finish("eurocities", values)
    record.update({"aigov_id": system["id"], "missing": missing})
    return record


def eurocities(document: dict, *, on_date: str, lang: str = "en") -> list[dict]:
    organisation = document["organisation"]
    return [eurocities_record(system, organisation, result, lang)
            for system, result in zip(document["systems"], _results(document, on_date, lang))
            if result["tier"] in IN_SCOPE]


# --- one entry point ---------------------------------------------------------------------------------------

def export(document: dict, fmt: str, *, on_date: str, lang: str) -> str:
    """The text to write for `fmt` (one of FORMATS) of a valid, normalised register."""
    if fmt == "json":
        return to_json(document)
    if fmt == "csv":
        return to_csv(document, on_date=on_date, lang=lang)
    if fmt == "eu-db":
        value = eu_db(document, on_date=on_date, lang=lang)
    elif fmt == "algoritmeregister":
        value = algoritmeregister(document, on_date=on_date, lang=lang)
    elif fmt == "eurocities":
        value = eurocities(document, on_date=on_date, lang=lang)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
