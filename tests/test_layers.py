"""The layering rule: `flows/` is pure; it imports neither Telegram, SQLite, `bot` nor `storage`;
`storage/` does not import `bot` or `telegram`. What the wheel ships (`bot`, `flows`, `storage`)
imports no development aid, and no development aid imports the tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_AIDS = ("fake_telegram", "demo", "benchmarks", "tests")
FORBIDDEN = {
    "flows": ("telegram", "aiosqlite", "sqlite3", "bot", "storage", *DEV_AIDS),
    "storage": ("telegram", "bot", *DEV_AIDS),
    "bot": DEV_AIDS,
    "fake_telegram": ("tests",),
    "demo": ("tests",),
    "benchmarks": ("tests",),
}


def imported(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files
    broken = {
        str(path.relative_to(ROOT)): sorted(imported(path) & set(FORBIDDEN[layer]))
        for path in files
        if imported(path) & set(FORBIDDEN[layer])
    }
    assert not broken, broken
