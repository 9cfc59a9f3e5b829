"""Tests for flows.exercises: the built-in exercises as data, and validation of exercise files."""

from pathlib import Path

import pytest

from flows.exercises import (
    BUILTIN_FOLDER,
    Exercise,
    ExerciseError,
    Records,
    Speaker,
    builtin_exercises,
    load_exercise,
    load_folder,
)

HOLDER, MEMBERS, EVERYONE = Speaker.HOLDER, Speaker.MEMBERS, Speaker.EVERYONE
TOPIC, QUESTION, IDEA = Records.TOPIC, Records.QUESTION, Records.IDEA
REFRAME, INSIGHT, ACTION, LEARNING = (
    Records.REFRAME,
    Records.INSIGHT,
    Records.ACTION,
    Records.LEARNING,
)

# (id, speaker, records, minutes) per step, as PRODUCT.md describes each exercise.
EXPECTED_STEPS = {
    "classic": [
        ("present", HOLDER, TOPIC, 5),
        ("clarify", MEMBERS, QUESTION, 10),
        ("probe", MEMBERS, QUESTION, 15),
        ("problem_now", HOLDER, REFRAME, 3),
        ("commit", HOLDER, ACTION, 3),
        ("learning", EVERYONE, LEARNING, 5),
    ],
    "consult": [
        ("present", HOLDER, TOPIC, 3),
        ("clarify", MEMBERS, QUESTION, 4),
        ("ideas", MEMBERS, IDEA, 8),
        ("valuable", HOLDER, INSIGHT, 3),
        ("commit", HOLDER, ACTION, 2),
        ("learning", EVERYONE, LEARNING, 2),
    ],
    "reframe": [
        ("present", HOLDER, TOPIC, 5),
        ("questions", MEMBERS, QUESTION, 10),
        ("reframing", MEMBERS, REFRAME, 7),
        ("forward", MEMBERS, QUESTION, 10),
        ("commit", HOLDER, ACTION, 3),
        ("review", EVERYONE, LEARNING, 5),
    ],
}

VALID_STEP_LINES = {
    "present": [
        'id = "present"',
        'speaker = "holder"',
        'records = "topic"',
        "minutes = 5",
        'title.en = "Present"',
        'prompt.en = "The holder presents."',
    ],
    "commit": [
        'id = "commit"',
        'speaker = "holder"',
        'records = "action"',
        "minutes = 3",
        'title.en = "Commit"',
        'prompt.en = "The holder commits."',
    ],
}


def exercise_toml(
    name: str = "mine",
    steps: tuple[str, ...] = ("present", "commit"),
    drop: str | None = None,
    extra: str | None = None,
    replace: tuple[str, str] | None = None,
) -> str:
    """A small exercise file; `drop`, `extra` and `replace` change its first step's lines."""
    lines = [
        f'name = "{name}"',
        'title.en = "Mine"',
        'description.en = "A test exercise."',
    ]
    for position, step in enumerate(steps):
        step_lines = list(VALID_STEP_LINES[step])
        if position == 0:
            step_lines = [line for line in step_lines if not (drop and line.startswith(drop))]
            if replace:
                step_lines = [line.replace(*replace) for line in step_lines]
            if extra:
                step_lines.append(extra)
        lines += ["", "[[steps]]", *step_lines]
    return "\n".join(lines) + "\n"


def write(folder: Path, filename: str, text: str) -> Path:
    """Write an exercise file into a folder and return its path."""
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    """The ExerciseError message for a file that must not load."""
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    return str(caught.value)


# Built-in exercises --------------------------------------------------------------------------


def test_the_three_builtins_load_by_name():
    exercises = builtin_exercises()
    assert sorted(exercises) == ["classic", "consult", "reframe"]
    for name, exercise in exercises.items():
        assert exercise.name == name
        assert exercise.title.en and exercise.description.en


@pytest.mark.parametrize("name", sorted(EXPECTED_STEPS))
def test_builtin_steps_speakers_records_and_timeboxes(name):
    steps = builtin_exercises()[name].steps
    found = [(s.id, s.speaker, s.records, s.minutes) for s in steps]
    assert found == EXPECTED_STEPS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_STEPS))
def test_builtins_have_exactly_one_commit_step_and_open_with_the_topic(name):
    exercise = builtin_exercises()[name]
    commits = [i for i, s in enumerate(exercise.steps) if s.records is ACTION]
    assert commits == [exercise.commit_index]
    assert exercise.step(exercise.commit_index).speaker is HOLDER
    assert exercise.steps[0].records is TOPIC


@pytest.mark.parametrize("name", sorted(EXPECTED_STEPS))
def test_builtin_question_steps_are_questions_only(name):
    for step in builtin_exercises()[name].steps:
        assert step.questions_only == (step.records is QUESTION), step.id


def test_consult_ideas_step_has_the_holder_listen_and_allows_suggestions():
    exercise = builtin_exercises()["consult"]
    flagged = [s.id for s in exercise.steps if s.holder_listens]
    assert flagged == ["ideas"]
    assert not exercise.step(2).questions_only


def test_reframe_reframing_step_reveals_statements_together():
    builtins = builtin_exercises()
    assert [s.id for s in builtins["reframe"].steps if s.reveal_together] == ["reframing"]
    for name in ("classic", "consult"):
        assert not any(s.reveal_together for s in builtins[name].steps)
    for name in ("classic", "reframe"):
        assert not any(s.holder_listens for s in builtins[name].steps)


@pytest.mark.parametrize("name", sorted(EXPECTED_STEPS))
def test_builtin_steps_have_prompts_and_stems_in_english(name):
    for step in builtin_exercises()[name].steps:
        assert step.title.en.strip() and step.prompt.en.strip()
        assert step.stems.en, f"{name}.{step.id} has no stems"


def test_builtins_load_from_their_files_one_by_one():
    for path in sorted(BUILTIN_FOLDER.glob("*.toml")):
        exercise = load_exercise(path)
        assert exercise.name == path.stem
        assert exercise == builtin_exercises()[path.stem]


def test_localized_text_falls_back_to_english():
    title = builtin_exercises()["classic"].step(0).title
    assert title.get("en") == "Present the issue"
    assert title.get("xx") == "Present the issue"


# Invalid exercise files ----------------------------------------------------------------------


def test_a_valid_file_loads(tmp_path):
    exercise = load_exercise(write(tmp_path, "mine.toml", exercise_toml()))
    assert isinstance(exercise, Exercise)
    assert [s.id for s in exercise.steps] == ["present", "commit"]
    assert exercise.commit_index == 1


def test_bad_toml_names_the_file(tmp_path):
    path = write(tmp_path, "broken.toml", exercise_toml() + "minutes = = 3\n")
    message = load_error(path)
    assert str(path) in message
    assert "TOML" in message


INVALID = [
    # (what is wrong, file text, the field the message must name)
    ("missing field", exercise_toml(drop="minutes"), "steps.0.minutes"),
    ("missing top-level field", exercise_toml().replace('title.en = "Mine"\n', ""), "title"),
    ("unknown field", exercise_toml(extra="colour = 'red'"), "steps.0.colour"),
    ("unknown top-level field", "colour = 'red'\n" + exercise_toml(), "colour"),
    ("no commit step", exercise_toml(steps=("present",)), "steps"),
    ("two commit steps", exercise_toml(steps=("present", "commit", "commit")), "steps"),
    ("first step not topic", exercise_toml(steps=("commit", "present")), "steps"),
    ("minutes 0", exercise_toml(replace=("minutes = 5", "minutes = 0")), "steps.0.minutes"),
    ("unknown speaker", exercise_toml(replace=('"holder"', '"coach"')), "steps.0.speaker"),
    ("bad name", exercise_toml(name="Not Valid"), "name"),
]


@pytest.mark.parametrize(("problem", "text", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_files_name_the_file_and_the_field(tmp_path, problem, text, field):
    path = write(tmp_path, "bad.toml", text)
    message = load_error(path)
    assert message.startswith(f"{path}: {field}:"), message


def test_no_commit_step_message_says_why(tmp_path):
    message = load_error(write(tmp_path, "bad.toml", exercise_toml(steps=("present",))))
    assert "exactly one step that records the action" in message


def test_first_step_not_topic_message_says_why(tmp_path):
    message = load_error(write(tmp_path, "bad.toml", exercise_toml(steps=("commit", "present"))))
    assert "first step must record the topic" in message


def test_duplicate_names_in_a_folder_name_the_second_file(tmp_path):
    write(tmp_path, "a.toml", exercise_toml(name="twin"))
    second = write(tmp_path, "b.toml", exercise_toml(name="twin"))
    with pytest.raises(ExerciseError) as caught:
        load_folder(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{second}: name")
    assert "'twin'" in message


def test_a_folder_loads_every_file_by_name(tmp_path):
    write(tmp_path, "a.toml", exercise_toml(name="first"))
    write(tmp_path, "b.toml", exercise_toml(name="second"))
    write(tmp_path, "notes.txt", "not an exercise")
    assert sorted(load_folder(tmp_path)) == ["first", "second"]


def test_an_invalid_file_in_a_folder_stops_the_load(tmp_path):
    write(tmp_path, "a.toml", exercise_toml(name="first"))
    bad = write(tmp_path, "b.toml", exercise_toml(drop="records"))
    with pytest.raises(ExerciseError, match="steps.0.records") as caught:
        load_folder(tmp_path)
    assert str(bad) in str(caught.value)
