"""The AI-literacy quiz banks (data/quizzes/bank-*.toml) as a model, per language and track.

One reader for every consumer (the exports of `aigov quiz export`, the trainer's printable banks, and the
quiz tool if it wants it): `load(lang, track=None)` returns a Bank whose questions carry the texts of one
language, in the order of topics.toml and, within a topic, of the bank file. Stdlib only (runs in Pyodide).

Each bank is checked by `data.load` (schema and contents: topic, tracks, option ids, weights, true/false
options); the model adds the one check across banks: a question id is used once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from aigov_widgets.core.law import data
from aigov_widgets.core.law.constants import LANGUAGES

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


@lru_cache(maxsize=None)
def bank_files() -> tuple[str, ...]:
    """The bank files, one per topic, in the order of quizzes/topics.toml."""
    return tuple(f"{FOLDER}/bank-{topic}.toml" for topic in data.load(f"{FOLDER}/topics.toml")["topic"])


@lru_cache(maxsize=None)
def bank_version() -> str:
    digest = hashlib.sha256()
    for name in [f"{FOLDER}/topics.toml", *bank_files()]:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(resources.files(data.PACKAGE).joinpath(name).read_bytes())
    return "sha256:" + digest.hexdigest()[:12]


@lru_cache(maxsize=None)
def checked_questions() -> tuple[tuple[str, dict], ...]:
    """((topic, question table)) of every bank, in topics.toml order; an id used in two banks is a DataError."""
    seen: dict[str, str] = {}
    out = []
    for name in bank_files():
        bank = data.load(name)
        problems = [f"question {raw['id']!r}: id already used in {seen[raw['id']]}"
                    for raw in bank["question"] if raw["id"] in seen]
        if problems:
            raise data.DataError(name, problems)
        seen.update((raw["id"], name) for raw in bank["question"])
        out += [(bank["meta"]["topic"], raw) for raw in bank["question"]]
    return tuple(out)


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
    questions = tuple(_question(topic, raw, lang) for topic, raw in checked_questions()
                      if track is None or track in raw["tracks"])
    return Bank(lang=lang, track=track, bank_version=bank_version(), law=data.load("laws.toml")["current"],
                topics=tuple((topic, entry["label"][lang]) for topic, entry in topics.items()),
                questions=questions)
