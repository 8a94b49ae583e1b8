"""`flask bank ...` over the question bank (thin shells over `quizapp.domain.bank`),
`flask users ...` over accounts, `flask questions ...` over teachers' questions,
`flask attempts settle` over attempts, and `flask db backup` beside Flask-Migrate's `db`."""

import os
import sqlite3
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from quizapp import attempt_store, clock, current_bank, question_store
from quizapp.auth.rules import (
    PASSWORD_RULE,
    normalise_username,
    password_problem,
    username_problem,
)
from quizapp.config import DEFAULT_BANK_DIR
from quizapp.domain import cues, formats, suggestions
from quizapp.domain.bank import BankError, BankSummary, load_bank, summary
from quizapp.domain.rulebook import check_warnings
from quizapp.extensions import db
from quizapp.models import ROLE_TEACHER, User

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
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (answers given away by their form, figures over the thresholds) "
    "as errors.",
)
def check_command(root: Path, strict: bool) -> None:
    """Validate the question bank and print its counts and cue figures.

    A broken bank prints every problem as `path:line: what is wrong` and exits with status 1.
    A cue that gives an answer away (see README, "Fair questions") and is not acknowledged
    in the question prints `warning: <question id>: [cue] what to do`, as does a cue figure
    over its threshold; with --strict these are errors and the exit status is 1.
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
    figures = cues.bank_figures(bank.questions)
    for line in cues.figure_lines(figures):
        click.echo(line)
    warnings = [
        f"{question.id}: {problem.message}"
        for question in bank.questions
        for problem in check_warnings(question)
    ] + cues.figure_problems(figures)
    for warning in warnings:
        click.echo(f"{'error' if strict else 'warning'}: {warning}", err=True)
    if strict and warnings:
        click.echo(f"bank refused under --strict: {len(warnings)} warning(s)", err=True)
        raise SystemExit(1)
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


users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create-teacher")
@click.argument("username")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it.",
)
@click.option(
    "--promote",
    is_flag=True,
    help="If USERNAME is an existing student, make them a teacher.",
)
def create_teacher_command(username: str, password_stdin: bool, promote: bool) -> None:
    """Create a teacher account (or promote a student with --promote).

    The web only ever creates students; teachers are made here. The password is
    asked twice on the terminal, or read from the first line of standard input
    with --password-stdin, and must meet the rules of registration. USERNAME is
    stored lower-case, like every username.

    An existing student is refused unless --promote is given; then they become a
    teacher and keep their password, or get the one from --password-stdin. An
    existing teacher is refused. On any error nothing is written and the exit
    status is 1.
    """
    problem = username_problem(username)
    if problem:
        raise click.ClickException(f"Username {username!r} refused. {problem}")
    name = normalise_username(username)

    user = db.session.scalar(select(User).where(User.username == name))
    if user is not None and user.is_teacher:
        raise click.ClickException(f"{name} is already a teacher.")
    if user is not None and not promote:
        raise click.ClickException(f"{name} is a student; add --promote to make them a teacher.")

    password = None
    if password_stdin:
        password = _password_from_stdin()
    elif user is None:
        password = click.prompt(
            f"Password for {name} ({PASSWORD_RULE.lower().rstrip('.')})",
            hide_input=True,
            confirmation_prompt=True,
        )
    if password is not None and (problem := password_problem(password, name)):
        raise click.ClickException(f"Password refused. {problem}")

    if user is None:
        user = User(username=name, role=ROLE_TEACHER)
        db.session.add(user)
        done = f"Created teacher {name}."
    else:
        user.role = ROLE_TEACHER
        kept = "password unchanged" if password is None else "password replaced"
        done = f"Promoted {name} to teacher ({kept})."
    if password is not None:
        user.set_password(password)
    try:
        db.session.commit()
    except IntegrityError:  # the same username created meanwhile, by someone else
        db.session.rollback()
        raise click.ClickException(f"{name} was created meanwhile; run again.") from None
    click.echo(done)


def _password_from_stdin() -> str:
    """The first line of standard input, without its line ending; spaces are kept."""
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("--password-stdin: nothing on standard input.")
    return line.rstrip("\r\n")


questions_cli = AppGroup("questions", help="Import and export teachers' questions.")


@questions_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(formats.FORMAT_NAMES),
    help="yaml, gift, aiken or xml (Moodle XML); by default told from the file name.",
)
@click.option("--dry-run", is_flag=True, help="Check and count, but import nothing.")
@click.option(
    "--owner",
    help="The teacher who will own the questions; needed when there is more than one.",
)
@click.option(
    "--skip-unsupported",
    is_flag=True,
    help="Leave out questions of types this app does not have (essays, cloze...), "
    "list them, and import the rest.",
)
@click.option(
    "--cite-suggested",
    is_flag=True,
    help="Let each question that cites no passage cite the passage the app suggests for it "
    "(see README, 'Suggested passages'); those with no suggestion still need one.",
)
def import_command(
    path: Path,
    format_name: str | None,
    dry_run: bool,
    owner: str | None,
    skip_unsupported: bool,
    cite_suggested: bool,
) -> None:
    """Import the questions of PATH, all or nothing.

    Any problem is printed as `file:line: what is wrong`, nothing is imported and the
    exit status is 1. A question of a type this app does not have is such a problem,
    unless --skip-unsupported leaves it out. Questions that cite no passage of the article
    are imported but stay out of rounds until a teacher cites one.
    """
    format_name = format_name or formats.guess_format(path.name)
    if format_name is None:
        raise click.ClickException(
            f"Cannot tell the format of {path.name}: add --format yaml, gift, aiken or xml."
        )
    if path.stat().st_size > formats.MAX_IMPORT_BYTES + 3:  # a BOM is not text
        raise click.ClickException(f"{path} is larger than 1 MB; split it into smaller files.")
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    teacher = _owner(owner)
    result = formats.parse(
        format_name, text, str(path), current_bank(), skip_unsupported=skip_unsupported
    )
    if not result.ok:
        for problem in result.problems:
            click.echo(problem, err=True)
        message = f"nothing imported: {len(result.problems)} problem(s)"
        if result.unsupported:
            message += (
                f"; {result.unsupported} of them are questions of types this app does not "
                "have: --skip-unsupported imports the rest"
            )
        raise click.ClickException(message)
    for skipped in result.skipped:
        click.echo(f"skipped: {skipped}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if cite_suggested:
        article = current_bank().article
        found = suggestions.suggestions_for(article, result.questions)
        for index, suggestion in found.items():
            click.echo(f"question {index + 1}: cites section {suggestion.section} (suggested)")
        result = replace(result, questions=suggestions.cite_chosen(result.questions, found, found))
    by_type = ", ".join(f"{t} {n}" for t, n in result.counts_by_type().items())
    if dry_run:
        click.echo(f"would import {len(result.questions)} questions ({by_type}); dry run")
    else:
        question_store.import_questions(teacher, result.questions)
        db.session.commit()
        click.echo(f"imported {len(result.questions)} questions ({by_type}) for {teacher.username}")
    if result.skipped:
        click.echo(f"{len(result.skipped)} questions of types this app does not have were skipped")
    if result.without_source:
        click.echo(f"{result.without_source} cite no passage yet: out of rounds until one is cited")


@questions_cli.command("check")
@click.option("--owner", help="Only this teacher's questions.")
def questions_check_command(owner: str | None) -> None:
    """List the teachers' questions that break a rule of the rulebook.

    Questions stored before a rule was tightened stay playable; each one that breaks a
    rule now is printed as `t-<id> (teacher): what is wrong`, one line a problem, and
    the exit status is 1 when there is any. A cue that gives an answer away is printed
    as `t-<id> (teacher): warning: [cue] what to do` and does not fail. Nothing is changed.
    """
    teacher = _owner(owner) if owner else None
    rows = question_store.all_rows(teacher)
    broken = question_store.broken_rules(rows, current_bank())
    for row in rows:
        for problem in broken.get(row.id, []):
            click.echo(f"{row.public_id} ({row.owner.username}): {problem.message}")
        for warning in check_warnings(row.current.as_question):
            click.echo(f"{row.public_id} ({row.owner.username}): warning: {warning.message}")
    if broken:
        raise click.ClickException(
            f"{len(broken)} of {len(rows)} questions break a rule: edit them in the editor"
        )
    plural = "" if len(rows) == 1 else "s"
    click.echo(f"{len(rows)} question{plural} checked: every one keeps every rule")


@questions_cli.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(formats.FORMAT_NAMES),
    required=True,
    help="yaml, gift, aiken or xml (Moodle XML).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write; standard output by default.",
)
@click.option("--owner", help="Only this teacher's questions.")
@click.option(
    "--library/--no-library",
    default=True,
    show_default=True,
    help="Include the shipped bank's questions.",
)
def export_command(format_name: str, output: Path | None, owner: str | None, library: bool) -> None:
    """Export questions: the shipped bank's and the teachers' (or one teacher's).

    Questions the format cannot express (ordering in GIFT, everything but single
    choice in Aiken) are left out, and their number is printed on standard error.
    """
    teacher = _owner(owner) if owner else None
    chosen = list(current_bank().questions) if library else []
    chosen += question_store.all_questions(teacher)
    result = formats.export(format_name, chosen)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        output.write_text(result.text, encoding="utf-8")
    skipped = ", ".join(f"{t} {n}" for t, n in result.skipped_by_type().items())
    message = f"exported {result.exported} questions"
    if result.skipped:
        message += (
            f"; {len(result.skipped)} left out, {format_name} cannot express them ({skipped})"
        )
    click.echo(message, err=True)


def _owner(username: str | None) -> User:
    """The named teacher, or the only teacher there is."""
    if username is not None:
        user = db.session.scalar(select(User).where(User.username == normalise_username(username)))
        if user is None or not user.is_teacher:
            raise click.ClickException(f"{username} is not a teacher.")
        return user
    teachers = db.session.scalars(select(User).where(User.role == ROLE_TEACHER).limit(2)).all()
    if not teachers:
        raise click.ClickException(
            "There is no teacher yet: create one with `flask users create-teacher NAME`."
        )
    if len(teachers) > 1:
        raise click.ClickException("There are several teachers: say which with --owner NAME.")
    return teachers[0]


attempts_cli = AppGroup("attempts", help="Keep attempts in the state their rules give them.")


@attempts_cli.command("settle")
def settle_command() -> None:
    """Write as submitted every attempt left open past its deadline, and rescore every
    finished attempt whose stored score is not the sum of its answers.

    Pages already read such attempts as they should be; this writes it down. Idempotent:
    run it as often as you like, from cron.
    """
    # A commit per round: each lock is held for one round only, and learners answering
    # meanwhile wait for no more than that.
    now = clock.now()
    settled = 0
    for round_id in attempt_store.rounds_to_settle(now):
        settled += attempt_store.settle(round_id, now)
        db.session.commit()
    rescored = 0
    for round_id in attempt_store.misscored_rounds():
        rescored += attempt_store.rescore(round_id)
        db.session.commit()
    attempts = "attempt" if settled == 1 else "attempts"
    click.echo(f"{settled} {attempts} settled at their deadline, {rescored} rescored.")


# Added to Flask-Migrate's `db` group in `register_commands`: that group is a plain click
# group, so the app context is asked for here.
@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the live SQLite database to PATH, consistent even while the app writes.

    SQLite's online backup API copies the database as one snapshot, without stopping
    the app; the copy is written beside PATH and renamed into place, so PATH is either
    the old file or a complete new one. On PostgreSQL it refuses and names pg_dump.
    """
    url = make_url(db.engine.url)
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "db backup copies SQLite databases only. On PostgreSQL use pg_dump, e.g.\n"
            f"  pg_dump -Fc -d '{_libpq_url(url)}' -f {path}\n"
            f"and restore with: pg_restore --clean --if-exists -d DATABASE_URL {path}"
        )
    if not url.database or url.database == ":memory:":
        raise click.ClickException("The database is in memory: there is no file to back up.")
    source_path = Path(url.database)
    if not source_path.is_file():
        raise click.ClickException(f"No SQLite database at {source_path}.")
    if path.resolve() == source_path.resolve():
        raise click.ClickException("PATH is the live database itself; choose another file.")
    pages = copy_sqlite_database(source_path, path)
    click.echo(f"Backed up {source_path} to {path} ({pages} pages).")


def copy_sqlite_database(source_path: Path, target: Path) -> int:
    """Copy the SQLite database at `source_path` to `target` with the online backup API.

    The copy is one read transaction on the source (in WAL mode writers go on meanwhile),
    checked with `PRAGMA quick_check`, then renamed over `target`. Returns its page count.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(descriptor)
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)  # every page in one step: one consistent snapshot
            # A single self-contained file, whatever the live database's journal mode.
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
            (pages,) = copy.execute("PRAGMA page_count").fetchone()
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            raise click.ClickException(f"The copy failed its integrity check: {verdict}")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return pages


def _libpq_url(url) -> str:
    """The URL as pg_dump spells it: no SQLAlchemy driver, no password."""
    plain = url.set(drivername=url.get_backend_name())
    return plain.render_as_string(hide_password=True).replace(":***@", "@")
