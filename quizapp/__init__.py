"""The quiz app: `create_app()` binds configuration, extensions, blueprints and commands."""

from pathlib import Path

from flask import Flask, current_app

from quizapp import config
from quizapp.domain.bank import load_bank
from quizapp.domain.questions import Bank
from quizapp.domain.rounds import prepare as prepare_rounds
from quizapp.extensions import csrf, db, login_manager, migrate
from quizapp.query_count import count_queries

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. The bank is loaded and validated here: a broken bank stops the start."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.settle(app.config, Path(app.instance_path))
    register_extensions(app)
    register_bank(app)
    register_templating(app)
    register_blueprints(app)
    register_security(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    if app.config.get("QUIZAPP_COUNT_QUERIES"):
        # Before the other extensions: its after_request then runs last and counts all.
        count_queries(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)
    from quizapp import models  # noqa: F401  (the models must be known to Alembic)


def register_bank(app: Flask) -> None:
    app.extensions["quizapp.bank"] = _load_bank_once(Path(app.config["QUIZAPP_BANK_DIR"]))


_loaded_banks: dict[tuple, Bank] = {}


def _load_bank_once(root: Path) -> Bank:
    """The bank under `root`, validated once per version of its files.

    A bank is immutable, so apps built from the same files (test apps, workers of one
    process) share it; a changed file changes the key and is validated afresh.
    """
    files = sorted(p for p in root.rglob("*") if p.is_file())
    key = (
        str(root.resolve()),
        tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files),
    )
    if key not in _loaded_banks:
        if len(_loaded_banks) >= 8:
            _loaded_banks.clear()
        bank = load_bank(root)
        prepare_rounds(bank)  # the generated questions, built once here, not per round
        _loaded_banks[key] = bank
    return _loaded_banks[key]


def register_templating(app: Flask) -> None:
    """App-wide template filters and globals, and the `id` URL converter the routes use."""
    from quizapp import routing, templating

    templating.register(app)
    routing.register(app)


def register_blueprints(app: Flask) -> None:
    from quizapp.account import bp as account_bp
    from quizapp.auth import bp as auth_bp
    from quizapp.play import bp as play_bp
    from quizapp.review import bp as review_bp
    from quizapp.source import bp as source_bp
    from quizapp.teach import bp as teach_bp

    app.register_blueprint(play_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(review_bp, url_prefix="/review")
    app.register_blueprint(source_bp, url_prefix="/source")
    app.register_blueprint(teach_bp, url_prefix="/teach")


def register_security(app: Flask) -> None:
    """Security headers, the client's address behind proxies, and rate limits on log-in."""
    from quizapp import security

    security.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from quizapp.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from quizapp.cli import attempts_cli, backup_command, bank_cli, questions_cli, users_cli

    app.cli.add_command(attempts_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(questions_cli)
    # `flask db backup`: Flask-Migrate's `db` group (added by migrate.init_app) gets one more.
    app.cli.commands["db"].add_command(backup_command)


def current_bank() -> Bank:
    """The validated bank of the running app."""
    return current_app.extensions["quizapp.bank"]
