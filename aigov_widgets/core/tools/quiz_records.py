"""The trainer's page: many quiz completion records (JSON exports of the quiz, format "aigov-quiz-record")
merged into one CSV for the institution's training register, in the browser.

Every file is read by the strict JSON reader; a foreign, broken, altered or unfinished record is refused
with a message naming the file, the others are taken. The CSV opens correctly in Excel with a Belgian
locale: UTF-8 with a byte-order mark, `;` between fields, CRLF line ends, every field quoted, and a field
that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe so that no spreadsheet
reads it as a formula. The records are self-declared: the learner's browser computed them.
"""

from __future__ import annotations


from aigov_widgets.core import jsonio
from aigov_widgets.core.law.constants import LANGUAGES, is_date
from aigov_widgets.core.tools import quiz
from aigov_widgets.core.ui import frame, spreadsheet
from aigov_widgets.core.ui.html import element, fragment
from aigov_widgets.core.ui.texts import widget_text

KIND = "quiz-records"
CONFIG = "quiz-records"
MAX_FILES = 500
RESULT_ID = f"aigov-{CONFIG}-result"
COLUMNS = ("name", "quiz", "track", "language", "date", "percent", "passed", "questions", "version", "file")
MAX_FILE_NAME = 255


def read_record(text: str | None) -> tuple[dict | None, str | None]:
    """(the record's facts, None) or (None, the id of the reason it is refused)."""
    if text is None:
        return None, "records_error_too_large"
    try:
        document = jsonio.loads(text, max_chars=frame.MAX_IMPORT_CHARS)
    except jsonio.JSONError as error:
        return None, "records_error_too_large" if error.reason == "too_large" else "records_error_not_json"
    if not isinstance(document, dict) or document.get("format") != quiz.FORMAT:
        return None, "records_error_foreign"
    version, result = document.get("version"), document.get("result")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= quiz.VERSION \
            or not isinstance(result, dict):
        return None, "records_error_invalid"
    try:
        config = quiz.parse_config(result.get("quiz", ""))
    except (ValueError, TypeError):
        return None, "records_error_invalid"
    state = quiz.normalise_state(config, document.get("state"))
    if state is None or result.get("language") not in LANGUAGES or not is_date(result.get("date")) \
            or not isinstance(result.get("bank_version"), str) or len(result["bank_version"]) > 64:
        return None, "records_error_invalid"
    if not state["finished"]:
        return None, "records_error_unfinished"
    counted = quiz.score(config, state)
    # The same banks must give the same score from the stored answers; an edited score is refused.
    if result["bank_version"] == quiz.bank_version() and (
            result.get("percent") != counted["percent"] or result.get("passed") is not counted["passed"]
            or result.get("name") != state["name"].strip()):
        return None, "records_error_invalid"
    percent, passed = (counted["percent"], counted["passed"]) if result["bank_version"] == quiz.bank_version() \
        else (result.get("percent"), result.get("passed"))
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100 \
            or not isinstance(passed, bool):
        return None, "records_error_invalid"
    return {"name": state["name"].strip(), "quiz": config.config, "track": config.track,
            "language": result["language"], "date": result["date"], "percent": percent, "passed": passed,
            "questions": config.questions, "version": f"{quiz.VERSION if version == quiz.VERSION else version}/"
            f"{result['bank_version']}"}, None


inert = spreadsheet.cell   # the one spreadsheet writer (core/ui/spreadsheet.py)


def to_csv(rows: list[dict], lang: str) -> str:
    """UTF-8 BOM, `;`, CRLF, every field quoted, formulas neutralised; headers in `lang`."""
    header = [widget_text(f"records_csv_{column}", lang) for column in COLUMNS]
    values = [{**row, "passed": widget_text("records_yes" if row["passed"] else "records_no", lang)} for row in rows]
    return spreadsheet.to_csv(header, [[value[column] for column in COLUMNS] for value in values], quote_all=True)


def merge(files: object, lang: str, today: str) -> dict:
    """The page's files ([{name, text}] with text None when too large) -> summary regions and the CSV."""
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) and (f.get("text") is None or isinstance(f["text"], str))
            for f in files):
        return {"error": "import_invalid", "message": widget_text("import_invalid", lang)}
    if len(files) > MAX_FILES:
        message = widget_text("records_error_too_many", lang).format(max=MAX_FILES)
        return {"regions": {RESULT_ID: element("p", {}, message)}, "status": "incomplete", "announce": message}
    rows, refused = [], []
    for entry in files:
        name = entry["name"][:MAX_FILE_NAME]
        record, error = read_record(entry.get("text"))
        if record:
            rows.append({**record, "file": name})
        else:
            refused.append((name, widget_text(error, lang)))
    rows.sort(key=lambda row: (row["name"].casefold(), row["date"], row["quiz"]))
    summary = widget_text("records_summary", lang).format(accepted=len(rows), rejected=len(refused))
    parts = [element("h3", {}, widget_text("result_heading", lang)), element("p", {}, summary)]
    if rows:
        parts += [element("h4", {}, widget_text("records_accepted_heading", lang)),
                  element("table", {},
                          element("thead", {}, element("tr", {}, [element("th", {"scope": "col"},
                                  widget_text(f"records_csv_{column}", lang)) for column in COLUMNS])),
                          element("tbody", {}, [element("tr", {}, [element("td", {}, _cell(row, column, lang))
                                                                   for column in COLUMNS]) for row in rows]))]
    if refused:
        parts += [element("h4", {}, widget_text("records_rejected_heading", lang)),
                  element("ul", {}, [element("li", {}, widget_text("records_rejected_item", lang).format(
                      file=name, reason=reason)) for name, reason in refused])]
    parts.append(element("p", {"class": "aigov-help"}, widget_text("quiz_self_declared", lang)))
    answer = {"regions": {RESULT_ID: fragment(parts)}, "status": "complete" if rows else "incomplete",
              "announce": summary}
    if rows:
        answer["download"] = {"filename": f"training-records-{today}.csv", "type": "text/csv;charset=utf-8",
                              "content": to_csv(rows, lang)}
    return answer


def _cell(row: dict, column: str, lang: str) -> str:
    if column == "passed":
        return widget_text("records_yes" if row["passed"] else "records_no", lang)
    return str(row[column])


def render_static(lang: str, runtime: dict[str, str]) -> str:
    base = f"aigov-{CONFIG}"
    return frame.root(
        KIND, CONFIG, lang, runtime, widget_text("records_title", lang),
        element("p", {}, widget_text("records_intro", lang)),
        element("form", {"class": "aigov-form", "data-aigov-form": True},
                element("p", {"class": "aigov-field"},
                        element("label", {"for": f"{base}-files"}, widget_text("records_files", lang)), " ",
                        element("input", {"type": "file", "id": f"{base}-files", "multiple": True,
                                          "accept": ".json,application/json", "data-aigov-records": True}))),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": RESULT_ID},
                element("h3", {}, widget_text("result_heading", lang)),
                element("p", {}, widget_text("records_result_static", lang))),
        element("p", {"class": "aigov-help"}, widget_text("quiz_self_declared", lang)),
    )


def handle(request: dict) -> dict:
    """evaluate (nothing to compute before files are chosen) and merge."""
    lang, action = request["lang"], request["action"]
    if action == "evaluate":
        return {}
    if action == "merge":
        return merge(request.get("files"), lang, request["today"])
    raise ValueError(f"unknown {KIND} action {action!r}")

