"""The cyclic garbage collector, tuned for a long-running bot (measured by bench_updates).

Almost everything an update allocates (PTB's objects, rows, rendered messages) is freed by
reference counting the moment it is done with. The cyclic collector's young pass, every 700
allocations by default, then mostly walks objects that are alive anyway, and its older passes
walk every cache of every set: a fifth of the cost of an update under load. So, once the bot is
ready, what is alive then (modules, PTB, APScheduler, the caches filled at start) is frozen out
of collection, and the young generation is collected every 20,000 allocations instead of 700:
reference cycles are still collected, a little later.
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 10, 10)
_untuned: tuple[int, int, int] | None = None  # the thresholds before `tune`, while tuned


def tune() -> None:
    """Freeze what is alive now and collect the young generation less often."""
    global _untuned
    if _untuned is None:
        _untuned = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def restore() -> None:
    """Undo `tune` (at shutdown, so a process that builds another application starts clean)."""
    global _untuned
    if _untuned is not None:
        gc.set_threshold(*_untuned)
        _untuned = None
    gc.unfreeze()
