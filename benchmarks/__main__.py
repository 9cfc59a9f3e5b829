"""`make bench`: run every benchmark and print its figures.

`python -m benchmarks` runs them all; `python -m benchmarks updates economy` runs some
(by the part of the module name after `bench_`).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import pkgutil
import sys
import time
import traceback

import benchmarks

# The headline figures first; any other bench_*.py module runs after these, by name.
ORDER = ["bench_updates", "bench_capacity", "bench_restart", "bench_economy", "bench_anatomy"]


def main(argv: list[str]) -> int:
    """Run each `benchmarks/bench_*.py` module's `main()` coroutine in turn."""
    found = {m.name for m in pkgutil.iter_modules(benchmarks.__path__)}
    names = sorted(
        (name for name in found if name.startswith("bench_")),
        key=lambda name: (ORDER.index(name) if name in ORDER else len(ORDER), name),
    )
    wanted = [f"bench_{arg.removeprefix('bench_')}" for arg in argv]
    unknown = [name for name in wanted if name not in names]
    if unknown:
        print(f"No such benchmark: {', '.join(unknown)}; choose from {', '.join(names)}")
        return 2
    names = wanted or names
    if not names:
        print("No benchmarks yet.")
    started = time.perf_counter()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{os.cpu_count()} CPUs; load average {load} (other work on the machine adds noise)")
    timings = []
    failed = []
    for name in names:
        print(f"\n== {name}", flush=True)
        began = time.perf_counter()
        try:
            asyncio.run(importlib.import_module(f"benchmarks.{name}").main())
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        timings.append((name, time.perf_counter() - began))
        gc.collect()
    total = time.perf_counter() - started
    print("\n== benchmark wall times")
    for name, seconds in timings:
        print(f"  {name:<20} {seconds:6.1f} s")
    print(f"  {'total':<20} {total:6.1f} s")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
