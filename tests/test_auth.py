import pytest
import werkzeug.security
from sqlalchemy import func, select

from quizapp import models
from quizapp.extensions import db
from quizapp.models import ROLE_STUDENT, User
from tests.factories import PASSWORD


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_account_and_logs_in(client, auth, app):
    response = auth.register("Ada")
    assert response.status_code == 302
    home = client.get("/")
    assert b"Hello, ada" in home.data
    with app.app_context():
        stored = db.session.scalar(select(User))
        assert stored.username == "ada"
        assert stored.password_hash != PASSWORD and stored.password_hash.startswith("scrypt:")


def test_passwords_are_hashed_at_werkzeugs_full_scrypt_cost(app, monkeypatch):
    """The suite hashes cheaply (`conftest.TEST_PASSWORD_HASH_METHOD`); the app does not."""
    monkeypatch.setattr(models, "generate_password_hash", werkzeug.security.generate_password_hash)
    user = User(username="ada")
    user.set_password(PASSWORD)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_register_refuses_taken_username_whatever_its_case(client, auth, app):
    auth.register("ada")
    auth.logout()
    response = auth.register("ADA")
    assert response.status_code == 400
    assert b"That username is taken" in response.data
    assert count_users(app) == 1


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("ada", "short", "short", b"Use at least 8 characters"),
        ("ada", PASSWORD, PASSWORD + "x", b"The passwords differ."),
        ("a", PASSWORD, PASSWORD, b"between 3 and 40 characters"),
        ("ada lovelace", PASSWORD, PASSWORD, b"Use 3 to 40 letters"),
        ("", PASSWORD, PASSWORD, b"This field is required."),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(
    client, app, username, password, confirm, message
):
    response = client.post(
        "/register", data={"username": username, "password": password, "confirm": confirm}
    )
    assert response.status_code == 400
    assert message in response.data
    assert count_users(app) == 0


def test_login_with_wrong_password_is_refused(client, auth, user):
    response = auth.login("ada", "not the password")
    assert response.status_code == 400
    assert b"Wrong username or password." in response.data
    assert client.get("/review/scores").status_code == 302


def test_login_then_logout(client, auth, user):
    assert auth.login().status_code == 302
    assert client.get("/review/scores").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/review/scores").status_code == 302


def test_logout_is_not_a_get(client, auth, user):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/review/scores").status_code == 200


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/review/scores", "/review/scores"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_next_only_leads_within_the_app(client, user, next_url, expected):
    response = client.post(
        "/login", query_string={"next": next_url}, data={"username": "ada", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_page_redirects_a_logged_in_user_home(client, auth, user):
    auth.login()
    assert client.get("/login").headers["Location"] == "/"


def test_register_ignores_a_posted_role_and_makes_a_student(client, app):
    response = client.post(
        "/register",
        data={"username": "mallory", "password": PASSWORD, "confirm": PASSWORD, "role": "teacher"},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(User).where(User.username == "mallory"))
        assert stored.role == ROLE_STUDENT
        assert not stored.is_teacher
