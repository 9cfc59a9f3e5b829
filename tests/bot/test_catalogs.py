"""The message catalogs and the exercises' texts: complete, used, well-formed, in every language.

Keys are found in the source with `ast`, not Babel's Python extractor: the code passes keys
through conditionals (`"a" if x else "b"`, which the extractor glues into one string), dicts
and f-strings (which it skips). Dynamic f-string keys are expanded from the values they are
built from (enums, Literal types, the command table), so a new enum value without its message
fails here, and so does a message whose key the code no longer uses.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import NoneType
from typing import get_args

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.commands import COMMANDS
from bot.i18n import PLURAL_SUFFIX, available_languages, catalog_path
from bot.render import plain, render
from fake_telegram.telegram_html import parse_html
from flows.digest import COUNTED, QUOTED
from flows.exercises import Exercise, Speaker, builtin_exercises
from flows.follow_up import ActionOutcome, Decision
from flows.guard import GuardReason
from flows.quiet import DAY_NAMES
from flows.schedule import MeetingRule, ScheduleError
from flows.text import LocalTime, Mention, msg

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "flows")
LANGUAGES = available_languages()
TRANSLATIONS = [language for language in LANGUAGES if language != "en"]
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
}
KEY = re.compile(r"^[a-z_]+(?:\.[a-z_]+)+$")
COMMAND_TOKEN = re.compile(r"(?<![\w/&])/[a-z_]+\b")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"))
ARABIC_LETTER = r"[\u0600-\u06ff]"
MARKUP = re.compile(r"</?(?:b|i|u|s|a|code|pre)\b[^>]*>|&(?:[a-z]+|#\d+);")
SAMPLE_COUNTS = (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 111)


# --- catalogs ---------------------------------------------------------------------------------


@cache
def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language)


def key_of(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


@cache
def entries(language: str) -> dict[str, tuple[str, ...]]:
    """key -> its text, or its plural forms."""
    found = {}
    for message in catalog(language):
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        found[key_of(message)] = tuple(forms)
    return found


@cache
def plural_keys(language: str) -> frozenset[str]:
    return frozenset(key_of(m) for m in catalog(language) if m.id and m.pluralizable)


def test_every_language_has_a_catalog():
    assert {"en", "fr", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles_with_no_fuzzy_or_empty_entries(language):
    po = catalog(language)
    buffer = io.BytesIO()
    write_mo(buffer, po)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    assert po.plural_forms == PLURAL_FORMS.get(language, po.plural_forms)
    fuzzy = [key_of(m) for m in po if m.id and m.fuzzy]
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy}"
    empty = [key for key, forms in entries(language).items() if not all(f.strip() for f in forms)]
    assert not empty, f"{language}: empty msgstr for {empty}"
    wrong_count = [
        key for key in plural_keys(language) if len(entries(language)[key]) != po.num_plurals
    ]
    assert not wrong_count, f"{language}: need {po.num_plurals} plural forms in {wrong_count}"
    for key, forms in entries(language).items():
        if key in plural_keys(language):
            for n in SAMPLE_COUNTS:
                assert compiled.ngettext(key, key + PLURAL_SUFFIX, n) in forms, (key, n)
        else:
            assert compiled.gettext(key) == forms[0], key


def test_plural_ids_follow_the_plural_suffix():
    for message in catalog("en"):
        if message.id and message.pluralizable:
            assert message.id[1] == message.id[0] + PLURAL_SUFFIX, message.id


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translation_has_exactly_the_english_keys(language):
    english, translated = set(entries("en")), set(entries(language))
    assert not english - translated, f"{language} lacks {sorted(english - translated)}"
    assert not translated - english, (
        f"{language} has keys English lacks: {sorted(translated - english)}"
    )
    assert plural_keys(language) == plural_keys("en"), "plural and singular keys must match"


# --- the keys the code uses -------------------------------------------------------------------


def _literal_values(annotation) -> set[str]:
    """The strings of a Literal[...] (optionally `| None`) annotation."""
    values: set[str] = set()
    for arg in get_args(annotation):
        if isinstance(arg, str):
            values.add(arg)
        elif arg is not NoneType:
            values |= _literal_values(arg)
    return values


def dynamic_prefixes() -> dict[str, set[str]]:
    """Key prefixes the code completes at run time, and the values that complete them."""
    return {
        "nudge.": {r.value for r in GuardReason},
        "log.flag.": {r.value for r in GuardReason},
        "speaker.": {s.value for s in Speaker},
        "follow_up.button.": {o.value for o in ActionOutcome} | {d.value for d in Decision},
        "follow_up.outcome.": {o.value for o in ActionOutcome},
        "follow_up.result.": {d.value for d in Decision},
        "schedule.error.": _literal_values(ScheduleError.model_fields["reason"].annotation),
        "rhythm.": _literal_values(MeetingRule.model_fields["unit"].annotation),
        "command.": {c.name for c in COMMANDS},
        "digest.count.": set(COUNTED),
        "digest.said.": set(QUOTED) | set(COUNTED),
        "weekday.": set(DAY_NAMES),
    }


# name of the function -> (position of the key, position of the count); None: not positional
KEY_FUNCTIONS = {"msg": (0, 1), "Msg": (None, None), "hint": (1, None), "template": (1, 2)}


@dataclass
class Use:
    key: str
    where: str
    counted: bool


@dataclass
class Scan:
    uses: list[Use]
    unresolved: list[str]


class _KeyFinder(ast.NodeVisitor):
    def __init__(self, path: Path, tree: ast.Module, prefixes: dict[str, set[str]]) -> None:
        self.path = path
        self.prefixes = prefixes
        self.scopes: list[ast.AST] = [tree]
        self.uses: list[Use] = []
        self.unresolved: list[str] = []

    def _scoped(self, node) -> None:
        self.scopes.append(node)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scoped

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in KEY_FUNCTIONS:
            key_at, count_at = KEY_FUNCTIONS[name]
            keywords = {k.arg: k.value for k in node.keywords}
            expr = keywords.get("key")
            if expr is None and key_at is not None and len(node.args) > key_at:
                expr = node.args[key_at]
            counted = "count" in keywords or (count_at is not None and len(node.args) > count_at)
            if expr is not None:
                where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
                for key in self._resolve(expr, where):
                    self.uses.append(Use(key, where, counted))
        self.generic_visit(node)

    def _resolve(self, expr: ast.expr, where: str) -> set[str]:
        match expr:
            case ast.Constant(value=str(value)):
                return {value}
            case ast.IfExp(body=body, orelse=orelse):
                return self._resolve(body, where) | self._resolve(orelse, where)
            case ast.BoolOp(values=values):
                return set().union(*(self._resolve(v, where) for v in values))
            case ast.JoinedStr(values=[ast.Constant(value=str(prefix)), ast.FormattedValue()]):
                if prefix in self.prefixes:
                    return {prefix + value for value in self.prefixes[prefix]}
            case ast.Attribute(attr="description_key"):
                return {f"command.{c.name}" for c in COMMANDS}
            case ast.Attribute(attr="key"):
                return set()  # a Msg passed on: its key was found where the Msg was made
            case ast.Name(id=name):
                if self._is_parameter(name):
                    return set()  # passed through: found at the caller
                values = list(self._assigned(name))
                keys = {
                    c.value
                    for value in values
                    for c in ast.walk(value)
                    if isinstance(c, ast.Constant)
                    and isinstance(c.value, str)
                    and KEY.match(c.value)
                }
                if keys:
                    return keys
        self.unresolved.append(f"{where}: {ast.unparse(expr)}")
        return set()

    def _is_parameter(self, name: str) -> bool:
        scope = self.scopes[-1]
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        args = scope.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        return any(a is not None and a.arg == name for a in every)

    def _assigned(self, name: str) -> Iterator[ast.expr]:
        """What `name` is assigned from in the current function, else at module level."""
        for scope in (self.scopes[-1], self.scopes[0]):
            for node in ast.walk(scope):
                targets: list[ast.expr] = []
                value = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                    targets, value = [node.target], node.value
                elif isinstance(node, ast.For | ast.comprehension):
                    targets, value = [node.target], node.iter
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    yield value


@cache
def scan_source() -> Scan:
    prefixes = dynamic_prefixes()
    uses: list[Use] = []
    unresolved: list[str] = []
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            finder = _KeyFinder(path, tree, prefixes)
            finder.visit(tree)
            uses += finder.uses
            unresolved += finder.unresolved
    commands = [Use(c.description_key, "bot/commands.py COMMANDS", False) for c in COMMANDS]
    return Scan(uses + commands, unresolved)


def test_every_message_key_in_the_code_can_be_resolved():
    unresolved = scan_source().unresolved
    assert not unresolved, (
        "message keys built in a way this test cannot follow; use literal keys, or add the "
        f"f-string prefix to dynamic_prefixes(): {unresolved}"
    )


def test_every_key_the_code_uses_is_in_the_english_catalog():
    missing = sorted(
        {f"{u.key} ({u.where})" for u in scan_source().uses if u.key not in entries("en")}
    )
    assert not missing, f"keys used by the code but missing from the catalog: {missing}"


def test_every_english_key_is_used_by_the_code():
    used = {u.key for u in scan_source().uses}
    unused = sorted(set(entries("en")) - used)
    assert not unused, f"keys in the catalog that the code no longer uses: {unused}"


def test_plural_keys_are_used_with_a_count_and_others_without():
    plural = plural_keys("en")
    wrong = sorted(
        {
            f"{u.key} ({u.where})"
            for u in scan_source().uses
            if u.key in entries("en") and u.counted != (u.key in plural)
        }
    )
    assert not wrong, f"plural keys need count=..., singular keys must not have it: {wrong}"


# --- the texts themselves ---------------------------------------------------------------------


def fields(template: str) -> set[str]:
    """The placeholders of a template, with any conversion and format spec."""
    found = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            found.add(f"{name}!{conversion or ''}:{spec or ''}")
    return found


def filled(template: str) -> str:
    """The template with every placeholder replaced by a plain word."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**dict.fromkeys(names, "x"))


def all_texts() -> Iterator[tuple[str, str, str]]:
    for language in LANGUAGES:
        for key, forms in entries(language).items():
            for form in forms:
                yield language, key, form


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_placeholders_match_english(language):
    english = entries("en")
    wrong = []
    for key, forms in entries(language).items():
        if key not in english:
            continue
        expected = set().union(*map(fields, english[key]))
        found = [fields(form) for form in forms]
        if key in plural_keys("en"):
            # A plural form may leave the number out ("every week", "سؤالان"); nothing else.
            needed = expected - {"count!:"}
            ok = set().union(*found) == expected and all(needed <= f for f in found)
        else:
            ok = found[0] == expected
        if not ok:
            wrong.append(f"{key}: {sorted(expected)} vs {[sorted(f) for f in found]}")
    assert not wrong, f"{language}: placeholders differ from English: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_valid_telegram_html(language):
    bad = []
    for key, forms in entries(language).items():
        for form in forms:
            if key.startswith("command."):
                continue  # plain text menu entries, checked below
            try:
                parse_html(filled(form))
            except ValueError as exc:  # EntityParseError, or a malformed {placeholder}
                bad.append(f"{key}: {exc}")
    assert not bad, f"{language}: {bad}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_command_descriptions_are_plain_and_fit_the_menu(language):
    texts = entries(language)
    for command in COMMANDS:
        (description,) = texts[command.description_key]
        assert 1 <= len(description) <= 256, (language, command.name, len(description))
        assert not MARKUP.search(description), (language, command.name, "menus show no HTML")
        assert not fields(description), (language, command.name)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_commands_emoji_and_lines_are_kept(language):
    """Command names stay English, emoji stay, and so does the line layout of each message."""

    def commands(forms):
        return {token for form in forms for token in COMMAND_TOKEN.findall(form)}

    def emoji(forms):
        return Counter(c for c in forms[-1] if unicodedata.category(c) == "So")

    english = entries("en")
    for key, forms in entries(language).items():
        if key not in english:
            continue  # reported by test_translation_has_exactly_the_english_keys
        assert commands(forms) == commands(english[key]), (language, key)
        assert emoji(forms) == emoji(english[key]), (language, key)
        lines = {form.count("\n") for form in english[key]}
        assert {form.count("\n") for form in forms} == lines, (language, key, "line breaks")


def test_arabic_uses_arabic_punctuation():
    texts = [(key, form) for language, key, form in all_texts() if language == "ar"]
    for exercise in builtin_exercises().values():
        texts += [(exercise.name, text) for text in exercise_texts(exercise, "ar")]
    latin_after_arabic = re.compile(ARABIC_LETTER + r"[,?;]")
    bad = [key for key, text in texts if latin_after_arabic.search(text)]
    assert not bad, f"use ، ؟ ؛ after Arabic words: {bad}"


# --- exercises --------------------------------------------------------------------------------


def exercise_texts(exercise: Exercise, language: str) -> list[str]:
    """Every translatable text of an exercise in one language (no English fallback)."""

    def own(localized) -> list[str]:
        value = localized.en if language == "en" else (localized.model_extra or {}).get(language)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    texts = own(exercise.title) + own(exercise.description)
    for step in exercise.steps:
        texts += own(step.title) + own(step.prompt) + own(step.stems)
    return texts


@pytest.mark.parametrize("name", sorted(builtin_exercises()))
@pytest.mark.parametrize("language", LANGUAGES)
def test_builtin_exercise_is_translated(name, language):
    exercise = builtin_exercises()[name]

    def own(localized):
        if language == "en":
            return localized.en
        return (localized.model_extra or {}).get(language)

    where = f"{name} ({language})"
    assert own(exercise.title), f"{where}: title"
    assert own(exercise.description), f"{where}: description"
    for step in exercise.steps:
        assert own(step.title), f"{where}: step {step.id} title"
        assert own(step.prompt), f"{where}: step {step.id} prompt"
        stems = own(step.stems)
        assert stems is not None, f"{where}: step {step.id} stems"
        assert len(stems) == len(step.stems.en), f"{where}: step {step.id} has a stem missing"
        assert all(s.strip() for s in stems), f"{where}: step {step.id} has an empty stem"
        english_commands = {t for s in step.stems.en for t in COMMAND_TOKEN.findall(s)}
        assert {t for s in stems for t in COMMAND_TOKEN.findall(s)} == english_commands, where


# --- rendering --------------------------------------------------------------------------------


def shown(message, language: str) -> str:
    """Rendered, checked as Telegram HTML, and returned as visible text without bidi marks."""
    text, _ = parse_html(render(message, language))
    return text.translate(BIDI_CONTROLS)


ARABIC_QUESTIONS = {
    0: "لم يُطرح أي سؤال",
    1: "طُرح سؤال واحد",
    2: "طُرح سؤالان",
    3: "طُرحت 3 أسئلة",
    11: "طُرح 11 سؤالًا",
    100: "طُرح 100 سؤال",
}


def test_arabic_question_count_uses_all_six_plural_forms():
    rendered = {n: shown(msg("summary.questions", count=n), "ar") for n in ARABIC_QUESTIONS}
    assert rendered == ARABIC_QUESTIONS
    assert len(set(rendered.values())) == 6
    assert shown(msg("summary.questions", count=103), "ar") == "طُرحت 103 أسئلة"
    assert shown(msg("summary.questions", count=111), "ar") == "طُرح 111 سؤالًا"


def test_french_question_count_treats_zero_and_one_as_singular():
    assert shown(msg("summary.questions", count=0), "fr") == "0 question posée"
    assert shown(msg("summary.questions", count=1), "fr") == "1 question posée"
    assert shown(msg("summary.questions", count=2), "fr") == "2 questions posées"


@pytest.mark.parametrize(
    ("language", "count", "rhythm", "duration"),
    [
        ("fr", 1, "toutes les semaines", "1 heure"),
        ("fr", 2, "toutes les 2 semaines", "2 heures"),
        ("ar", 1, "كل أسبوع", "ساعة واحدة"),
        ("ar", 2, "كل أسبوعين", "ساعتين"),
        ("ar", 3, "كل 3 أسابيع", "3 ساعات"),
        ("ar", 24, "كل 24 أسبوعًا", "24 ساعة"),
    ],
)
def test_rhythms_and_durations(language, count, rhythm, duration):
    assert shown(msg("rhythm.week", count=count), language) == rhythm
    assert shown(msg("duration.hours", count=count), language) == duration


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_step_message_renders_with_escaped_names(language):
    exercise = builtin_exercises()["classic"]
    step = exercise.step(0)
    holder = Mention(name="Aïcha <b>&", user_id=42)
    text = shown(
        msg(
            "session.step_topic_needed",
            number=1,
            total=len(exercise.steps),
            title=step.title,
            speaker=msg("speaker.holder", holder=holder),
            timebox=msg("session.timebox", minutes=step.minutes),
            prompt=step.prompt,
            stems=step.stems,
            holder=holder,
        ),
        language,
    )
    assert "Aïcha <b>&" in text
    assert step.title.get(language) in text
    assert step.prompt.get(language) in text
    assert all(stem in text for stem in step.stems.get(language))
    assert "/topic" in text


@pytest.mark.parametrize(("language", "month"), [("en", "December"), ("fr", "décembre")])
def test_dates_are_in_the_set_language(language, month):
    since = LocalTime(moment=datetime(2026, 12, 1, 9, 0, tzinfo=UTC), timezone="Africa/Bamako")
    text = shown(
        msg(
            "follow_up.ask",
            holder=Mention(name="Ben"),
            action="Call <the> officer",
            since=since,
            details="",
        ),
        language,
    )
    assert month in text and "Call <the> officer" in text


def test_arabic_follow_up_renders_outcome_and_buttons():
    since = LocalTime(moment=datetime(2026, 12, 1, 9, 0, tzinfo=UTC), timezone="Asia/Amman")
    ask = shown(
        msg("follow_up.ask", holder=Mention(name="سارة"), action="اتصال", since=since, details=""),
        "ar",
    )
    assert "سارة" in ask and "ماذا حدث؟" in ask
    result = shown(
        msg(
            "follow_up.result.close",
            holder=Mention(name="سارة"),
            action="اتصال",
            outcome=msg("follow_up.outcome.partly"),
            learning=msg("follow_up.learned", learning="درس"),
        ),
        "ar",
    )
    assert "أُنجز جزئيًا" in result and "درس" in result
    labels = {plain(msg(f"follow_up.button.{o.value}"), "ar") for o in ActionOutcome}
    assert len(labels) == len(ActionOutcome)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_renders_with_sample_values(language):
    for key, forms in entries(language).items():
        names = {name for form in forms for _, name, _, _ in string.Formatter().parse(form)}
        sample = dict.fromkeys(names - {None, "count"}, "x")
        counts = SAMPLE_COUNTS if key in plural_keys(language) else (None,)
        for count in counts:
            text = render(msg(key, count=count, **sample), language)
            assert text.strip() and key not in text, (language, key, count)
            if not key.startswith("command."):
                parse_html(text)
