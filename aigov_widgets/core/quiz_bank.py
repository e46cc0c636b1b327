"""The AI-literacy quiz banks (data/quizzes/bank-*.toml) as a model, per language and track.

One reader for every consumer (the exports of `aigov quiz export`, the trainer's printable banks, and the
quiz tool if it wants it): `load(lang, track=None)` returns a Bank whose questions carry the texts of one
language, in the order of topics.toml and, within a topic, of the bank file. Stdlib only (runs in Pyodide).

Besides the schema check of `data.load`, the model checks what every consumer relies on and raises
DataError naming the file and the question: known type, topic, tracks; option ids unique; the positive
weights of a question add up to 100; a true/false question has exactly the options `true` and `false`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from aigov_widgets.core.law import data
from aigov_widgets.core.law.constants import LANGUAGES

TYPES = ("single", "multiple", "truefalse", "scenario")
FOLDER = "quizzes"


@dataclass(frozen=True)
class Option:
    id: str
    weight: int            # percent of the question's score; <= 0 for a wrong option
    text: str
    feedback: str

    @property
    def correct(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class Question:
    lang: str
    id: str
    topic: str
    type: str
    difficulty: int
    tracks: tuple[str, ...]
    provisions: tuple[str, ...]
    law: str
    page: str
    anchor: str
    text: str
    explanation: str
    options: tuple[Option, ...]

    @property
    def link(self) -> str:
        """The book section, relative to the site root: "nl/ai-literacy.html#anchor"."""
        return link(self.lang, self.page, self.anchor)

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options if option.correct)


@dataclass(frozen=True)
class Bank:
    lang: str
    track: str | None
    bank_version: str       # "sha256:" + 12 hex digits of the bank files: changes whenever a question does
    law: str                # the current law version (laws.toml)
    topics: tuple[tuple[str, str], ...]   # (topic id, label in lang), in topics.toml order
    questions: tuple[Question, ...]

    def by_topic(self) -> list[tuple[str, str, list[Question]]]:
        """[(topic id, label, questions)] for the topics that have questions."""
        groups = [(topic, label, [q for q in self.questions if q.topic == topic]) for topic, label in self.topics]
        return [group for group in groups if group[2]]


def link(lang: str, page: str, anchor: str) -> str:
    return f"{lang}/{page}.html" + (f"#{anchor}" if anchor else "")


def tracks() -> list[str]:
    """The audience ids (data/audiences.toml), in file order: the tracks."""
    return list(data.load("audiences.toml")["audience"])


def track_label(track: str, lang: str) -> str:
    return data.load("audiences.toml")["audience"][track]["label"][lang]


def bank_files() -> list[str]:
    folder = resources.files(data.PACKAGE).joinpath(FOLDER)
    return sorted(f"{FOLDER}/{entry.name}" for entry in folder.iterdir()
                  if entry.name.startswith("bank-") and entry.name.endswith(".toml"))


@lru_cache(maxsize=None)
def bank_version() -> str:
    digest = hashlib.sha256()
    for name in [f"{FOLDER}/topics.toml", *bank_files()]:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(resources.files(data.PACKAGE).joinpath(name).read_bytes())
    return "sha256:" + digest.hexdigest()[:12]


def _problems(name: str, raw: dict, topics: dict, known_tracks: set[str]) -> list[str]:
    where = f"question {raw.get('id', '?')!r}"
    problems = []
    if raw.get("type") not in TYPES:
        problems.append(f"{where}: type {raw.get('type')!r} is not one of {', '.join(TYPES)}")
    unknown = [track for track in raw.get("tracks", []) if track not in known_tracks]
    if unknown or not raw.get("tracks"):
        problems.append(f"{where}: tracks {raw.get('tracks')!r} must be audience ids of audiences.toml")
    options = raw.get("option", [])
    ids = [option.get("id") for option in options]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        problems.append(f"{where}: option ids {ids!r} must be at least two and unique")
    weights = [option.get("weight") for option in options]
    if not all(isinstance(weight, int) and -100 <= weight <= 100 for weight in weights):
        problems.append(f"{where}: every option weight must be an integer from -100 to 100")
    elif sum(weight for weight in weights if weight > 0) != 100:
        problems.append(f"{where}: the positive weights add up to {sum(w for w in weights if w > 0)}, not 100")
    if raw.get("type") == "truefalse" and sorted(ids) != ["false", "true"]:
        problems.append(f"{where}: a truefalse question has the options 'true' and 'false', not {ids!r}")
    if raw.get("type") in ("single", "truefalse", "scenario") and sum(1 for w in weights if w == 100) != 1:
        problems.append(f"{where}: a {raw.get('type')} question has exactly one option of weight 100")
    return problems


@lru_cache(maxsize=None)
def _raw() -> tuple[tuple[str, dict], ...]:
    """((topic, question table)) of every bank, topics in topics.toml order, checked."""
    topics = data.load(f"{FOLDER}/topics.toml")["topic"]
    known_tracks = set(tracks())
    by_topic: dict[str, list[dict]] = {topic: [] for topic in topics}
    seen: dict[str, str] = {}
    for name in bank_files():
        bank = data.load(name)
        topic = bank.get("meta", {}).get("topic")
        if topic not in topics:
            raise data.DataError(name, [f"meta.topic: {topic!r} is not a topic of topics.toml"])
        problems = []
        for raw in bank.get("question", []):
            problems += _problems(name, raw, topics, known_tracks)
            if raw.get("id") in seen:
                problems.append(f"question {raw.get('id')!r}: id already used in {seen[raw['id']]}")
            seen[raw.get("id")] = name
        if problems:
            raise data.DataError(name, problems)
        by_topic[topic] += bank.get("question", [])
    return tuple((topic, raw) for topic, questions in by_topic.items() for raw in questions)


def _question(topic: str, raw: dict, lang: str) -> Question:
    return Question(
        lang=lang, id=raw["id"], topic=topic, type=raw["type"], difficulty=raw["difficulty"],
        tracks=tuple(raw["tracks"]), provisions=tuple(raw.get("provisions", [])), law=raw["law"],
        page=raw["page"], anchor=raw["anchor"][lang], text=raw["text"][lang],
        explanation=raw["explanation"][lang],
        options=tuple(Option(id=option["id"], weight=option["weight"], text=option["text"][lang],
                             feedback=option["feedback"][lang]) for option in raw["option"]),
    )


@lru_cache(maxsize=None)
def load(lang: str, track: str | None = None) -> Bank:
    """Every question of the banks in `lang` (only those of `track` if given). ValueError for an unknown
    language or track; DataError for a broken bank."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    if track is not None and track not in tracks():
        raise ValueError(f"unknown track {track!r} (one of {', '.join(tracks())})")
    topics = data.load(f"{FOLDER}/topics.toml")["topic"]
    questions = tuple(_question(topic, raw, lang) for topic, raw in _raw()
                      if track is None or track in raw["tracks"])
    return Bank(lang=lang, track=track, bank_version=bank_version(), law=data.load("laws.toml")["current"],
                topics=tuple((topic, entry["label"][lang]) for topic, entry in topics.items()),
                questions=questions)
