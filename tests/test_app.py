"""The factory: configuration from the environment, the error pages, repeatable upgrades."""

from flask_migrate import upgrade
from sqlalchemy import func, select

from quizapp import config, create_app
from quizapp.extensions import db
from quizapp.models import User
from tests.factories import create_user


def test_database_url_and_secret_come_from_the_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'from-env.sqlite'}"
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_without_a_secret_key_one_is_made_once_and_kept(tmp_path):
    first = config.instance_secret(tmp_path)
    assert len(first) >= 32
    assert config.instance_secret(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_app_uses_the_kept_key_when_none_is_given(monkeypatch, app_config):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "instance_secret", lambda instance: "kept-" + instance.name)
    app = create_app({**app_config, "SECRET_KEY": None})
    assert app.config["SECRET_KEY"] == "kept-instance"


def test_upgrading_again_keeps_the_learners(database_url):
    """`make run` runs `flask db upgrade` every time: a second run changes nothing."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        create_user("ada")
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        db.engine.dispose()


def test_an_unexpected_error_gets_a_page_and_its_writes_rolled_back(app, client, monkeypatch):
    rolled_back = []
    rollback = db.session.rollback

    def spy():
        rolled_back.append(db.session.new.copy())
        rollback()

    monkeypatch.setattr(db.session, "rollback", spy)

    @app.route("/boom")
    def boom():
        db.session.add(User(username="half-written", password_hash="x"))
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Nothing was saved from this request." in response.data
    assert [u.username for u in rolled_back[0]] == ["half-written"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_unknown_page_gets_a_clear_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"<h1>Not found</h1>" in response.data


def test_the_migrated_database_holds_no_account(database_url):
    """No default accounts anywhere: the schema as `make run` makes it is empty of users."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.engine.dispose()
