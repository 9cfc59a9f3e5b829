"""Each store owns its data and its cache: it touches only the private names it defines, and
reaches another store's cache only through the repository's `_changed`."""

from __future__ import annotations

import ast
from itertools import combinations
from pathlib import Path

STORAGE = Path(__file__).resolve().parents[2] / "storage"
COORDINATOR = "_changed"  # Repository._changed: the one place caches learn of other writes


def stores() -> dict[str, ast.ClassDef]:
    """The store classes the Repository is made of, by name."""
    found = {}
    for path in sorted(STORAGE.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Store"):
                found[node.name] = node
    return found


def defined(store: ast.ClassDef) -> set[str]:
    """The methods a store defines and the attributes it assigns on self (dunders aside)."""
    names = {
        node.name for node in store.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for node in ast.walk(store):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {
            target.attr
            for target in targets
            if isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        }
    return {name for name in names if not name.startswith("__")}


def private_uses(store: ast.ClassDef) -> set[str]:
    """The private names a store reads, writes or calls on self."""
    return {
        node.attr
        for node in ast.walk(store)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    }


def test_the_stores_are_found():
    assert {"SetStore", "SessionStore", "MeetingStore", "LogStore", "OutboxStore"} <= set(stores())


def test_a_store_touches_only_its_own_private_names():
    borrowed = {
        name: sorted(private_uses(store) - defined(store) - {COORDINATOR})
        for name, store in stores().items()
    }
    assert not any(borrowed.values()), borrowed


def test_no_two_stores_define_the_same_name():
    # Mixed into one Repository, the second definition would silently win.
    clashes = {
        (a, b): sorted(defined(stores()[a]) & defined(stores()[b]))
        for a, b in combinations(sorted(stores()), 2)
        if defined(stores()[a]) & defined(stores()[b])
    }
    assert not clashes, clashes
