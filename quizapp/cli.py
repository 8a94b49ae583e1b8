"""`flask bank ...`: commands over the question bank, thin shells over `quizapp.domain.bank`."""

from collections.abc import Mapping
from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.config import DEFAULT_BANK_DIR
from quizapp.domain.bank import BankError, BankSummary, load_bank, summary

bank_cli = AppGroup("bank", help="Work with the question bank under QUIZAPP_BANK_DIR.")


# No app context: the app refuses to start on a broken bank, and this command must still
# run to say what is broken. It is also registered as a `flask.commands` entry point, so
# `flask --app quizapp bank check` finds it without building the app.
@bank_cli.command("check", with_appcontext=False)
@click.option(
    "--dir",
    "root",
    envvar="QUIZAPP_BANK_DIR",
    default=str(DEFAULT_BANK_DIR),
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The bank's folder (or set QUIZAPP_BANK_DIR).",
)
def check_command(root: Path) -> None:
    """Validate the question bank and print its counts.

    A broken bank prints every problem as `path:line: what is wrong` and exits with status 1.
    """
    try:
        bank = load_bank(root)
    except BankError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"bank broken: {len(error.problems)} problem(s) in {root}", err=True)
        raise SystemExit(1) from None
    counts = summary(bank)
    for line in _summary_lines(counts):
        click.echo(line)
    if counts.uncited_sections:
        sections = ", ".join(counts.uncited_sections)
        click.echo(f"warning: no question cites section {sections}", err=True)
    click.echo("bank OK")


def _summary_lines(counts: BankSummary) -> list[str]:
    """The counts as a compact table, one line per row."""

    def spread(numbers: Mapping[str, int], sep: str = " ") -> str:
        return ", ".join(f"{name}{sep}{number}" for name, number in numbers.items())

    return [
        f"{'events':<14}{counts.events:>4}",
        f"{'perspectives':<14}{counts.perspectives:>4}   ({counts.claims} claims)",
        f"{'questions':<14}{counts.questions:>4}",
        f"  {'by type':<12}{spread(counts.by_type)}",
        f"  {'by kind':<12}{spread(counts.by_kind)}",
        f"  {'by section':<12}{spread(counts.by_section, ': ')}",
    ]
