"""AI-literacy quizzes (Art. 4): a seeded draw from the banks for one track, scored in the worker.

The page holds the drawn questions and their options (shuffled by the seed) as a form, never the weights,
the feedback or the explanations: those stay here and reach the page only as the core's answer to "check"
or "finish". A draw depends only on (track, number of questions, seed) and `random.Random(seed)`, which
gives the same sequence in CPython and Pyodide; the attempt stores the seed and the ids it drew, so an
export reproduces the attempt even after the banks grew.

Configuration (the directive's options) travels in the widget's config id, language-independent:
`quiz-<track>-<questions>-<feedback>-<pass>` (e.g. `quiz-all_staff-10-end-70`); it is also the storage id.

State: {"seed": int, "ids": [question ids], "answers": {id: [option ids]}, "finished": bool,
"name": str, "checked": [ids whose feedback was asked for, in immediate mode]}.

Scoring (as Moodle): a question is worth 1 point; its score is the sum of the weights (percent) of the
options chosen, floored at 0 and capped at 100; single, true/false and scenario questions have one option
of weight 100. The pass mark is a percentage of the points.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from aigov_widgets.core import quiz_bank
from aigov_widgets.core.quiz_bank import bank_files, bank_version, track_label  # noqa: F401 - also the quiz's names
from aigov_widgets.core.ui import frame
from aigov_widgets.core.ui.html import Markup, element, fragment
from aigov_widgets.core.ui.texts import colon, widget_text

KIND = "quiz"
FORMAT = "aigov-quiz-record"
VERSION = 1
FILE_STEM = "quiz-record"
FEEDBACK_MODES = ("immediate", "end")
MAX_NAME_CHARS = 200
MAX_QUESTIONS = 40
MAX_SEED = 2**53
DEFAULTS = {"questions": "10", "feedback": "end", "pass": "70", "seed": "1"}
SINGLE = ("single", "truefalse", "scenario")
CONFIG = re.compile(r"^quiz-([a-z_]+)-(\d{1,3})-(immediate|end)-(\d{1,3})$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Option:
    id: str
    weight: int
    text: dict
    feedback: dict


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    tracks: tuple[str, ...]
    page: str
    anchor: dict
    text: dict
    explanation: dict
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        return next(option for option in self.options if option.id == option_id)


@lru_cache(maxsize=None)
def bank() -> dict[str, Question]:
    """Every question of every bank by id (core/quiz_bank.py reads and checks them)."""
    return {entry["id"]: Question(
        entry["id"], entry["type"], tuple(entry["tracks"]), entry["page"], entry["anchor"], entry["text"],
        entry["explanation"], tuple(Option(o["id"], o["weight"], o["text"], o["feedback"]) for o in entry["option"]))
        for _, entry in quiz_bank.checked_questions()}


def pool(track: str) -> list[str]:
    """The ids of the questions of a track, sorted (the draw does not depend on the banks' file order)."""
    return sorted(qid for qid, question in bank().items() if track in question.tracks)


# --- settings ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    track: str
    questions: int
    feedback: str
    pass_mark: int

    @property
    def config(self) -> str:
        return f"quiz-{self.track}-{self.questions}-{self.feedback}-{self.pass_mark}"


def settings(track: str, questions: int, feedback: str, pass_mark: int) -> Settings:
    """Checked settings (ValueError naming the option that is wrong)."""
    if track not in quiz_bank.tracks():
        raise ValueError(f":track: {track!r} is not an audience of audiences.toml")
    if feedback not in FEEDBACK_MODES:
        raise ValueError(f":feedback: {feedback!r} is not immediate or end")
    available = len(pool(track))
    if not 1 <= questions <= min(MAX_QUESTIONS, available):
        raise ValueError(f":questions: {questions} is not between 1 and {min(MAX_QUESTIONS, available)} "
                         f"(track {track} has {available} questions)")
    if not 0 < pass_mark <= 100:
        raise ValueError(f":pass: {pass_mark} is not a percentage above 0")
    return Settings(track, questions, feedback, pass_mark)


def parse_config(config: str) -> Settings:
    match = CONFIG.match(config)
    if not match:
        raise ValueError(f"not a quiz configuration: {config!r}")
    return settings(match[1], int(match[2]), match[3], int(match[4]))


def _integer(name: str, value: str) -> int:
    if not re.fullmatch(r"\d{1,16}", str(value).strip()):
        raise ValueError(f":{name}: {value!r} is not a whole number")
    return int(value)


def from_options(options: dict) -> tuple[Settings, int]:
    """(settings, seed) from the directive's options (strings), with the defaults."""
    unknown = set(options) - {"track", *DEFAULTS}
    if unknown:
        raise ValueError(f"unknown option(s) {sorted(unknown)}")
    if "track" not in options:
        raise ValueError(":track: is required")
    values = {**DEFAULTS, **options}
    seed = _integer("seed", values["seed"])
    if seed >= MAX_SEED:
        raise ValueError(f":seed: {seed} is too large")
    return settings(values["track"].strip(), _integer("questions", values["questions"]),
                    values["feedback"].strip(), _integer("pass", values["pass"])), seed


# --- the draw -----------------------------------------------------------------------------------------

def draw(track: str, count: int, seed: int) -> list[str]:
    """`count` question ids of the track, in the order asked: random.Random(seed).sample of the pool."""
    return random.Random(seed).sample(pool(track), count)


def option_order(question: Question, seed: int) -> list[str]:
    """The options as shown: shuffled by the seed for single and multiple choice; true/false and the tiers of
    a scenario keep their order (it means something)."""
    ids = [option.id for option in question.options]
    if question.type in ("single", "multiple"):
        random.Random(f"{seed}/{question.id}").shuffle(ids)
    return ids


def shown_options(question_id: str, seed: int) -> list[str]:
    """option_order by question id (for tests and the differential run under Pyodide)."""
    return option_order(bank()[question_id], seed)


def new_seed() -> int:
    """A fresh seed for a retake (the runtime's entropy: os.urandom in CPython, crypto in Pyodide)."""
    return random.SystemRandom().randrange(1, 2**31)


def new_state(track: str, count: int, seed: int, name: str = "") -> dict:
    return {"seed": seed, "ids": draw(track, count, seed), "answers": {}, "finished": False, "name": name,
            "checked": []}


def normalise_state(config: Settings, raw: object) -> dict | None:
    """A clean copy of a stored, imported or collected attempt, or None when anything is wrong."""
    keys = {"seed", "ids", "answers", "finished", "name", "checked"}
    if not isinstance(raw, dict) or set(raw) - keys or not {"seed", "ids"} <= set(raw):
        return None
    seed, ids = raw["seed"], raw["ids"]
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < MAX_SEED:
        return None
    questions = bank()
    if (not isinstance(ids, list) or len(ids) != config.questions or len(set(map(str, ids))) != len(ids)
            or any(not isinstance(qid, str) or qid not in questions or config.track not in questions[qid].tracks
                   for qid in ids)):
        return None
    answers_raw, finished = raw.get("answers", {}), raw.get("finished", False)
    name, checked = raw.get("name", ""), raw.get("checked", [])
    if not isinstance(answers_raw, dict) or not isinstance(finished, bool) or not isinstance(name, str):
        return None
    if len(name) > MAX_NAME_CHARS or not isinstance(checked, list):
        return None
    answers = {}
    for qid, chosen in answers_raw.items():
        if qid not in ids or not isinstance(chosen, list):
            return None
        known = {option.id for option in questions[qid].options}
        if any(not isinstance(o, str) or o not in known for o in chosen) or len(set(chosen)) != len(chosen):
            return None
        if questions[qid].type in SINGLE and len(chosen) > 1:
            return None
        if chosen:
            answers[qid] = [o for o in option_order(questions[qid], seed) if o in chosen]
    if any(qid not in ids for qid in checked) or len(set(checked)) != len(checked):
        return None
    return {"seed": seed, "ids": list(ids), "answers": answers, "finished": finished,
            "name": CONTROL.sub(" ", name), "checked": [qid for qid in ids if qid in checked]}


# --- scoring ------------------------------------------------------------------------------------------

def question_points(question: Question, chosen: list[str]) -> int:
    """The question's score in percent: the chosen options' weights added, floored at 0, at most 100."""
    return max(0, min(100, sum(question.option(option_id).weight for option_id in chosen)))


def score(config: Settings, state: dict) -> dict:
    """{"points": sum of percents, "max": 100 × questions, "percent" (floored), "passed", "per_question"}."""
    questions = bank()
    per = {qid: question_points(questions[qid], state["answers"].get(qid, [])) for qid in state["ids"]}
    points, maximum = sum(per.values()), 100 * len(state["ids"])
    return {"points": points, "max": maximum, "percent": 100 * points // maximum,
            "passed": points * 100 >= config.pass_mark * maximum, "per_question": per}


def verdict(question: Question, chosen: list[str]) -> str:
    if not chosen:
        return "unanswered"
    points = question_points(question, chosen)
    return "correct" if points == 100 else "incorrect" if points == 0 else "partial"


def _number(points: int, lang: str) -> str:
    """Points given in percent of a question, as a number of questions: 750 -> "7.5" ("7,5" in nl/fr)."""
    whole, rest = divmod(points, 100)
    text = str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")
    return text.replace(".", ",") if lang in ("nl", "fr") else text


# --- HTML ---------------------------------------------------------------------------------------------

def _base(config: Settings) -> str:
    return f"aigov-{config.config}"



def title(config: Settings, lang: str) -> str:
    return widget_text("quiz_title", lang).format(track=track_label(config.track, lang))


def book_link(question: Question, lang: str, number: int) -> Markup:
    anchor = question.anchor[lang]
    href = f"{question.page}.html" + (f"#{anchor}" if anchor else "")
    return element("a", {"href": href}, widget_text("quiz_read_more", lang).format(number=number))


def _shows_feedback(config: Settings, state: dict, qid: str) -> bool:
    return state["finished"] or (config.feedback == "immediate" and qid in state["checked"])


def render_draw(config: Settings, state: dict, lang: str) -> Markup:
    """The drawn questions as fieldsets (options in the seed's order, the answers checked), without weights,
    feedback or explanations unless this state shows them."""
    base, questions = _base(config), bank()
    total = len(state["ids"])
    items = []
    for number, qid in enumerate(state["ids"], start=1):
        question = questions[qid]
        chosen = state["answers"].get(qid, [])
        ident = f"{base}-q{number}"
        kind = "checkbox" if question.type == "multiple" else "radio"
        options = [element(
            "div", {"class": "aigov-option"},
            element("input", {"type": kind, "id": f"{ident}-{option_id}", "name": f"q:{qid}", "value": option_id,
                              "checked": option_id in chosen}),
            " ", element("label", {"for": f"{ident}-{option_id}"}, question.option(option_id).text[lang]))
            for option_id in option_order(question, state["seed"])]
        locked = _shows_feedback(config, state, qid)
        items.append(element(
            "li", {"class": "aigov-quiz-question", "data-aigov-question-id": qid},
            element("fieldset", {"id": ident, "aria-describedby": f"{ident}-hint", "disabled": locked},
                    element("legend", {},
                            element("span", {"class": "aigov-number"},
                                    widget_text("quiz_question_of", lang).format(number=number, total=total)),
                            " ", question.text[lang]),
                    element("p", {"class": "aigov-help", "id": f"{ident}-hint"},
                            widget_text("quiz_choose_all" if kind == "checkbox" else "quiz_choose_one", lang)),
                    element("div", {"class": "aigov-options"}, options)),
            element("div", {"class": "aigov-quiz-feedback", "id": f"{base}-f{number}"},
                    render_feedback(question, chosen, lang, number) if locked else None),
        ))
    return element("ol", {"class": "aigov-quiz-questions", "data-aigov-seed": state["seed"],
                          "data-aigov-ids": " ".join(state["ids"])}, items)


def render_feedback(question: Question, chosen: list[str], lang: str, number: int) -> Markup:
    """One question's feedback: the verdict in words (with a sign, never colour alone), the feedback of the
    options chosen, the right answer, the explanation and the link into the book."""
    result = verdict(question, chosen)
    points = question_points(question, chosen)
    signs = {"correct": "✓", "partial": "◐", "incorrect": "✗", "unanswered": "–"}
    right = [option for option in question.options if option.weight > 0]
    return element(
        "div", {"class": "aigov-quiz-review", "data-aigov-verdict": result},
        element("p", {"class": "aigov-verdict"},
                element("span", {"aria-hidden": "true"}, signs[result]), " ",
                element("strong", {}, widget_text(f"quiz_verdict_{result}", lang)), " ",
                widget_text("quiz_points", lang).format(points=_number(points, lang))),
        element("ul", {}, [element("li", {}, widget_text("quiz_your_answer", lang), colon(lang),
                                   question.option(o).text[lang], " – ", question.option(o).feedback[lang])
                           for o in chosen]) if chosen else None,
        element("p", {}, widget_text("quiz_right_answer", lang), colon(lang),
                "; ".join(option.text[lang] for option in right)) if result != "correct" else None,
        element("p", {}, question.explanation[lang]),
        element("p", {}, book_link(question, lang, number)),
    )


def render_progress(config: Settings, state: dict, lang: str) -> Markup:
    """The count of answers, and the two facts the page must keep with the form (finished, checked)."""
    answered = len(state["answers"])
    return fragment(
        element("span", {}, widget_text("quiz_progress", lang).format(answered=answered, total=len(state["ids"]))),
        element("input", {"type": "hidden", "name": "quiz:finished", "value": "1" if state["finished"] else ""}),
        element("input", {"type": "hidden", "name": "quiz:checked", "value": " ".join(state["checked"])}),
    )


def render_result(config: Settings, state: dict, lang: str, today: str) -> Markup:
    if not state["finished"]:
        return fragment(element("h3", {}, widget_text("result_heading", lang)),
                        element("p", {}, widget_text("quiz_result_static", lang)))
    base, questions = _base(config), bank()
    counted = score(config, state)
    score_text = score_sentence(config, counted, lang)
    mistakes = [(number, qid) for number, qid in enumerate(state["ids"], start=1) if counted["per_question"][qid] < 100]
    review = element("ol", {}, [element(
        "li", {},
        element("a", {"href": f"#{base}-q{number}"},
                widget_text("quiz_question_of", lang).format(number=number, total=len(state["ids"]))),
        colon(lang), questions[qid].text[lang], " (",
        widget_text(f"quiz_verdict_{verdict(questions[qid], state['answers'].get(qid, []))}", lang).rstrip("."),
        "). ",
        book_link(questions[qid], lang, number)) for number, qid in mistakes]) if mistakes \
        else element("p", {}, widget_text("quiz_no_mistakes", lang))
    return fragment(
        element("h3", {}, widget_text("quiz_score_heading", lang)),
        element("p", {"class": "aigov-quiz-score", "data-aigov-passed": counted["passed"]},
                element("span", {"aria-hidden": "true"}, "✓ " if counted["passed"] else "✗ "), score_text),
        element("h4", {}, widget_text("quiz_review_heading", lang)),
        review,
        render_certificate(config, state, counted, lang, today),
    )


def score_sentence(config: Settings, counted: dict, lang: str) -> str:
    return widget_text("quiz_score_passed" if counted["passed"] else "quiz_score_failed", lang).format(
        points=_number(counted["points"], lang), total=counted["max"] // 100, percent=counted["percent"],
        pass_mark=config.pass_mark)


def render_certificate(config: Settings, state: dict, counted: dict, lang: str, today: str) -> Markup:
    """The certificate to print. The name is the learner's own text: escaped like every text here."""
    from aigov_widgets.core.law import references

    ident = f"{_base(config)}-certificate"
    rows = [
        ("quiz_cert_name", state["name"].strip() or widget_text("quiz_no_name", lang)),
        ("quiz_cert_quiz", title(config, lang)),
        ("quiz_cert_date", references.date_text(today, lang)),
        ("quiz_cert_score", score_sentence(config, counted, lang)),
        ("quiz_cert_version", f"{VERSION} / {bank_version()}"),
    ]
    return element(
        "section", {"class": "aigov-certificate", "aria-labelledby": ident},
        element("h4", {"id": ident}, widget_text("quiz_cert_heading", lang)),
        element("dl", {}, [[element("dt", {}, widget_text(key, lang)), element("dd", {}, value)] for key, value in rows]),
        element("p", {"class": "aigov-help"}, widget_text("quiz_self_declared", lang)),
    )


def regions(config: Settings, state: dict, lang: str, today: str) -> dict[str, str]:
    base, questions = _base(config), bank()
    out = {f"{base}-progress": render_progress(config, state, lang),
           f"{base}-result": render_result(config, state, lang, today)}
    for number, qid in enumerate(state["ids"], start=1):
        shown = _shows_feedback(config, state, qid)
        out[f"{base}-f{number}"] = render_feedback(questions[qid], state["answers"].get(qid, []), lang, number) \
            if shown else Markup("")
    return out


def render_static(lang: str, runtime: dict[str, str], **options: str) -> str:
    """The quiz as static HTML: the seed's draw as a form that reads without JavaScript (no answer key)."""
    config, seed = from_options(options)
    state = new_state(config.track, config.questions, seed)
    base = _base(config)
    buttons = [frame.button("check", widget_text("quiz_check", lang))] if config.feedback == "immediate" else []
    return frame.root(
        KIND, config.config, lang, runtime, title(config, lang),
        element("p", {}, widget_text(f"quiz_intro_{config.feedback}", lang).format(
            total=config.questions, pass_mark=config.pass_mark)),
        element("form", {"class": "aigov-form", "data-aigov-form": True},
                element("div", {"class": "aigov-quiz-draw", "id": f"{base}-draw", "data-aigov-static-seed": seed},
                        render_draw(config, state, lang)),
                element("p", {"class": "aigov-quiz-progress", "id": f"{base}-progress"},
                        render_progress(config, state, lang)),
                element("p", {"class": "aigov-field"},
                        element("label", {"for": f"{base}-name"}, widget_text("quiz_name", lang)), " ",
                        element("input", {"type": "text", "id": f"{base}-name", "name": "quiz:name",
                                          "maxlength": MAX_NAME_CHARS, "autocomplete": "name"}))),
        element("p", {"class": "aigov-buttons", "data-aigov-actions": True, "hidden": True}, *buttons,
                frame.button("finish", widget_text("quiz_finish", lang)),
                frame.button("retake", widget_text("quiz_retake", lang), secondary=True)),
        element("div", {"class": "aigov-result", "data-aigov-result": "empty", "id": f"{base}-result"},
                render_result(config, state, lang, "")),
        frame.actions(config.config, lang, frame.button("print", widget_text("quiz_print", lang))),
    )


# --- exports ------------------------------------------------------------------------------------------

def export_markdown(config: Settings, state: dict, lang: str, today: str) -> str:
    questions, counted = bank(), score(config, state)
    lines = [*frame.markdown_header(title(config, lang), lang, today)]
    lines.append(f"- {widget_text('quiz_cert_name', lang)}{colon(lang)}"
                 f"{frame.markdown_inert(state['name'].strip()) or widget_text('quiz_no_name', lang)}")
    if state["finished"]:
        lines.append(f"- {widget_text('quiz_cert_score', lang)}{colon(lang)}{score_sentence(config, counted, lang)}")
    lines += [f"- {widget_text('quiz_cert_version', lang)}{colon(lang)}{VERSION} / {bank_version()}", "",
              widget_text("quiz_self_declared", lang), ""]
    for number, qid in enumerate(state["ids"], start=1):
        question, chosen = questions[qid], state["answers"].get(qid, [])
        lines += [f"## {widget_text('quiz_question_of', lang).format(number=number, total=len(state['ids']))}", "",
                  question.text[lang], ""]
        for option_id in option_order(question, state["seed"]):
            lines.append(f"- [{'x' if option_id in chosen else ' '}] {question.option(option_id).text[lang]}")
        if state["finished"]:
            lines += ["", f"{widget_text(f'quiz_verdict_{verdict(question, chosen)}', lang)} – {question.explanation[lang]}"]
        lines.append("")
    return "\n".join(lines)


def result_data(config: Settings, state: dict, lang: str, today: str) -> dict:
    """The completion record's facts (self-declared: the learner's browser computed them)."""
    counted = score(config, state)
    return {"quiz": config.config, "quiz_version": VERSION, "bank_version": bank_version(), "track": config.track,
            "questions": config.questions, "pass_mark": config.pass_mark, "feedback": config.feedback,
            "language": lang, "date": today, "name": state["name"].strip(), "finished": state["finished"],
            "points": counted["points"], "max_points": counted["max"], "percent": counted["percent"],
            "passed": state["finished"] and counted["passed"]}


class Tool:
    """A quiz as a tool of frame.handle (evaluate, import, exports) with its own actions."""

    KIND = KIND
    FORMAT = FORMAT
    VERSION = VERSION
    FILE_STEM = FILE_STEM

    def __init__(self, config: Settings) -> None:
        self.config = config
        self.ACTIONS = {"check": self.check, "finish": self.finish, "retake": self.retake, "render": self.render}

    def normalise_state(self, raw: object) -> dict | None:
        return normalise_state(self.config, raw)

    def evaluate(self, state: dict, lang: str, today: str) -> dict:
        answered, total = len(state["answers"]), len(state["ids"])
        announce = widget_text("quiz_progress", lang).format(answered=answered, total=total)
        if state["finished"]:
            announce = score_sentence(self.config, score(self.config, state), lang)
        return {"regions": regions(self.config, state, lang, today),
                "status": "complete" if state["finished"] or answered == total else
                          "incomplete" if answered else "empty",
                "announce": announce}

    def check(self, state: dict, lang: str, today: str) -> dict:
        if self.config.feedback == "immediate":
            state = {**state, "checked": [qid for qid in state["ids"] if qid in state["answers"] or qid in state["checked"]]}
        answer = self.evaluate(state, lang, today)
        shown = len(state["checked"]) if self.config.feedback == "immediate" else 0
        return {**answer, "state": state,
                "announce": widget_text("quiz_checked", lang).format(count=shown) if shown else
                            widget_text("quiz_check_none", lang)}

    def finish(self, state: dict, lang: str, today: str) -> dict:
        state = {**state, "finished": True}
        return {**self.evaluate(state, lang, today), "state": state}

    def retake(self, state: dict, lang: str, today: str) -> dict:
        state = new_state(self.config.track, self.config.questions, new_seed(), state["name"])
        return self.render(state, lang, today, widget_text("quiz_new_attempt", lang).format(total=len(state["ids"])))

    def render(self, state: dict, lang: str, today: str, announce: str | None = None) -> dict:
        answer = self.evaluate(state, lang, today)
        answer["regions"][f"{_base(self.config)}-draw"] = render_draw(self.config, state, lang)
        return {**answer, "state": state, **({"announce": announce} if announce else {})}

    def export_markdown(self, state: dict, lang: str, today: str) -> str:
        return export_markdown(self.config, state, lang, today)

    def result_data(self, state: dict, lang: str, today: str) -> dict:
        return result_data(self.config, state, lang, today)


def handle(request: dict) -> dict:
    """Answer one request of the page: evaluate, check, finish, retake, render, import, export-*."""
    return frame.handle(request, Tool(parse_config(request["config"])))

