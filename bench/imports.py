"""How long an import takes to read, per format and size: `python -m bench imports`.

For every format `quizapp.domain.formats` registers (YAML, GIFT, Aiken, and any added
later), a file of 0.25, 0.5 and 1 MB is written by that format's own exporter, from copies
of the shipped bank's questions under new ids, and read back by its parser, with the
article's quote checks and the rulebook, as an import does (no database, no HTTP). The
table gives seconds and seconds per MB: flat seconds per MB is linear growth. A file must
read back without a problem, and 1 MB within `--budget` seconds (3 by default), or the
exit status is 1.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from quizapp.domain import formats
from quizapp.domain.bank import load_bank
from quizapp.domain.questions import Bank, Question

SIZES_MB = (0.25, 0.5, 1.0)
ROOT = Path(__file__).resolve().parent.parent / "questions"


def copies(bank: Bank, count: int) -> list[Question]:
    """`count` questions: the bank's, again and again, each copy under ids of its own."""
    questions = list(bank.questions)
    return [
        replace(questions[i % len(questions)], id=f"{questions[i % len(questions)].id}-{i}")
        for i in range(count)
    ]


def file_of(format_name: str, bank: Bank, size: int) -> str:
    """The format's export of as many questions as fit in `size` bytes of UTF-8."""
    probe = formats.export(format_name, copies(bank, len(bank.questions)))
    per_question = len(probe.text.encode()) / max(probe.exported + len(probe.skipped), 1)
    count = int(size / per_question)
    while True:
        text = formats.export(format_name, copies(bank, count)).text
        if len(text.encode()) <= size:
            return text
        count = int(count * 0.98)


def measure(format_name: str, bank: Bank, size: int, runs: int) -> tuple[float, int, int]:
    """(best seconds of `runs` reads, bytes, questions read) of a file of about `size`."""
    text = file_of(format_name, bank, size)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = formats.parse(format_name, text, f"bench.{format_name}", bank)
        best = min(best, time.perf_counter() - started)
        if result.problems:
            raise SystemExit(
                f"{format_name}: the exported file reads back with problems: {result.problems[:3]}"
            )
    return best, len(text.encode()), len(result.questions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench imports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--runs", type=int, default=2, help="reads of each file; the best counts")
    parser.add_argument("--budget", type=float, default=3.0, help="most seconds for 1 MB")
    settings = parser.parse_args(argv)
    bank = load_bank(ROOT)
    print("| format | size | questions | seconds | seconds per MB |")
    print("|---|---:|---:|---:|---:|")
    ok = True
    for name in formats.FORMAT_NAMES:
        for megabytes in SIZES_MB:
            seconds, size, read = measure(name, bank, int(megabytes * 1_000_000), settings.runs)
            per_mb = seconds / (size / 1_000_000)
            print(
                f"| {name} | {size / 1_000_000:.2f} MB | {read:,} | {seconds:.2f} | {per_mb:.2f} |"
            )
            if megabytes == 1.0 and seconds > settings.budget:
                ok = False
                print(f"MISS {name}: 1 MB read in {seconds:.2f} s, over {settings.budget:g} s")
    return 0 if ok else 1
