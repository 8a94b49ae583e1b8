import pytest

from quizapp import create_app
from quizapp.extensions import db


@pytest.fixture
def csrf_client(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
    return app.test_client()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/register", {"username": "ada", "password": "x" * 10, "confirm": "x" * 10}),
        ("/login", {"username": "ada", "password": "x" * 10}),
        ("/logout", {}),
        ("/rounds", {"scope": "all", "length": "10"}),
        ("/rounds/1/questions/1", {"choice": "c1"}),
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
        data={"username": "ada", "password": "x" * 10, "confirm": "x" * 10, "csrf_token": token},
    )
    assert response.status_code == 302
