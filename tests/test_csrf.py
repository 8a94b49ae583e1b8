import time

import pytest

from quizapp import create_app
from quizapp.extensions import db
from tests.factories import PASSWORD


@pytest.fixture
def csrf_client(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
    return app.test_client()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/register", {"username": "ada", "password": PASSWORD, "confirm": PASSWORD}),
        ("/login", {"username": "ada", "password": PASSWORD}),
        ("/logout", {}),
        ("/rounds", {"scope": "all", "length": "10"}),
        ("/rounds/1/questions/1", {"choice": "c1"}),
        ("/teach/questions/1/regrade", {"version": "2"}),
    ],
)
def test_post_without_csrf_token_is_refused_with_a_message(csrf_client, path, data):
    response = csrf_client.post(path, data=data)
    assert response.status_code == 400
    assert b"Reload the page and try again" in response.data


def test_register_with_csrf_token_from_the_form_works(csrf_client):
    page = csrf_client.get("/register").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post(
        "/register",
        data={"username": "ada", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_a_form_left_open_for_hours_is_still_accepted(csrf_client, monkeypatch):
    """A teacher who writes a question or a mark's comment for two hours does not lose it:
    the token lives as long as the session, whose secret it is checked against."""
    page = csrf_client.get("/register").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    later = time.time() + 3 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    response = csrf_client.post(
        "/register",
        data={"username": "ada", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_a_token_of_another_session_is_refused(csrf_client, app_config):
    """Without a time limit the token is still bound to its session."""
    page = csrf_client.get("/register").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    other = create_app({**app_config, "WTF_CSRF_ENABLED": True}).test_client()
    response = other.post(
        "/register",
        data={"username": "ada", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 400


def post_rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            url = rule.rule
            for argument in rule.arguments:
                url = (
                    url.replace(f"<int:{argument}>", "1")
                    .replace(f"<id:{argument}>", "1")
                    .replace(f"<{argument}>", "x")
                )
            yield url


@pytest.mark.parametrize("path", sorted(post_rules()))
def test_every_post_route_of_the_url_map_refuses_a_request_without_a_token(csrf_client, path):
    response = csrf_client.post(path, data={"name": "x"})
    assert response.status_code == 400
    assert b"Reload the page and try again" in response.data


def test_the_url_map_walk_covers_the_teacher_routes():
    paths = set(post_rules())
    assert "/teach/classes" in paths and "/teach/import" in paths
    assert "/classes/join" in paths and "/assignments/1/attempts" in paths
