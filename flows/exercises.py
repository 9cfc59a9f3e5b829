"""Exercises as data: TOML files of ordered steps, validated when loaded."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

BUILTIN_FOLDER = Path(__file__).parent / "exercises"


class Speaker(StrEnum):
    """Who speaks in a step."""

    HOLDER = "holder"
    MEMBERS = "members"
    EVERYONE = "everyone"


class Records(StrEnum):
    """What a step records from what is said in it."""

    TOPIC = "topic"
    QUESTION = "question"
    IDEA = "idea"
    REFRAME = "reframe"
    INSIGHT = "insight"
    ACTION = "action"
    LEARNING = "learning"


class Localized(BaseModel):
    """A text in several languages; English is required and is the fallback."""

    model_config = ConfigDict(frozen=True, extra="allow")

    en: str

    def get(self, language: str) -> str:
        """The text in a language, else English."""
        return (self.model_extra or {}).get(language) or self.en


class LocalizedList(BaseModel):
    """A list of texts per language; English is required and is the fallback."""

    model_config = ConfigDict(frozen=True, extra="allow")

    en: list[str]

    def get(self, language: str) -> list[str]:
        """The texts in a language, else English."""
        return (self.model_extra or {}).get(language) or self.en


class Step(BaseModel):
    """One step of an exercise."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    speaker: Speaker
    records: Records
    minutes: int = Field(ge=1, le=120)
    questions_only: bool = False
    holder_listens: bool = False
    reveal_together: bool = False
    title: Localized
    prompt: Localized
    stems: LocalizedList = LocalizedList(en=[])


class Exercise(BaseModel):
    """An ordered list of steps with a name and a one-line description."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    title: Localized
    description: Localized
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _one_commit_step(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        commits = [s for s in steps if s.records is Records.ACTION]
        if len(commits) != 1:
            raise ValueError("an exercise needs exactly one step that records the action")
        if steps[0].records is not Records.TOPIC:
            raise ValueError("the first step must record the topic")
        return steps

    def step(self, index: int) -> Step:
        """The step at an index."""
        return self.steps[index]

    @property
    def commit_index(self) -> int:
        """The index of the step where the holder commits to an action."""
        return next(i for i, s in enumerate(self.steps) if s.records is Records.ACTION)


class ExerciseError(Exception):
    """An exercise file is invalid; the message names the file and the field."""


def load_exercise(path: Path) -> Exercise:
    """Read and validate one exercise file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Exercise.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ExerciseError(f"{path}: {where}: {first['msg']}") from None


def load_folder(folder: Path) -> dict[str, Exercise]:
    """Every exercise in a folder, by name."""
    exercises: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*.toml")):
        exercise = load_exercise(path)
        if exercise.name in exercises:
            raise ExerciseError(f"{path}: name {exercise.name!r} is used by another file")
        exercises[exercise.name] = exercise
    return exercises


@cache
def builtin_exercises() -> dict[str, Exercise]:
    """The exercises shipped with the bot: classic, consult, reframe."""
    return load_folder(BUILTIN_FOLDER)
