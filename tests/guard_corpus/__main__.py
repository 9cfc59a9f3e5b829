"""`make guard`: the guard's precision and recall per language on both parts of the corpus.

Only the tuning part's errors are listed: the held-aside part is scored, never shown.
"""

import sys

from tests.guard_corpus import LANGUAGES, PARTS, load, score

TARGET_PRECISION, TARGET_RECALL = 0.95, 0.90


def main() -> int:
    """Print the table; exit 1 when the held-aside part misses a target."""
    print(f"{'part':<11} {'lang':<4} {'lines':>5} {'precision':>9} {'recall':>6}")
    failed = False
    errors = []
    for part in PARTS:
        for language in LANGUAGES:
            result = score(load(part, language))
            met = result.precision >= TARGET_PRECISION and result.recall >= TARGET_RECALL
            failed |= part == "held_aside" and not met
            mark = "" if met else "  below target"
            print(
                f"{part:<11} {language:<4} {result.lines:>5} {result.precision:>9.3f}"
                f" {result.recall:>6.3f}{mark}"
            )
            if part == "tuning":
                errors += [(language, "false nudge", line) for line in result.false_nudges]
                errors += [(language, "missed", line) for line in result.missed]
    print(f"targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL} per language")
    for language, kind, line in errors:
        print(f"  tuning {language} {kind:<11} {line.cls:<14} {line.text!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
