"""`make bench`: run every benchmark and print its figures."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import sys

import benchmarks


def main() -> int:
    """Run each `benchmarks/bench_*.py` module's `main()` coroutine in turn."""
    names = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    if not names:
        print("No benchmarks yet.")
    for name in names:
        print(f"== {name}")
        asyncio.run(importlib.import_module(f"benchmarks.{name}").main())
    return 0


if __name__ == "__main__":
    sys.exit(main())
