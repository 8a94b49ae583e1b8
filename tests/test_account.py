"""The account settings page and the life of a session: logging out and changing a password
end the account's sessions on the server side, whichever host or copy of a cookie holds them."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, User
from tests.factories import (
    PASSWORD,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    logged_in,
    user_named,
)

NEW_PASSWORD = "a brand new passphrase"


def stored(app, username: str = "ada") -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def is_logged_in(client) -> bool:
    response = client.get("/review/scores")
    return response.status_code == 200


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


# --- ending sessions ------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_no_longer_logs_in(app, user):
    client = logged_in(app, "ada")
    thief = copy_of(app, client)
    assert is_logged_in(thief)

    client.post("/logout")

    assert not is_logged_in(thief)
    assert not is_logged_in(client)


def test_logging_out_ends_the_account_sessions_on_other_devices_too(app, user):
    phone, desktop = logged_in(app, "ada"), logged_in(app, "ada")

    phone.post("/logout")

    assert not is_logged_in(desktop)


def test_logging_out_leaves_other_accounts_logged_in(app, user):
    with app.app_context():
        create_user("bob")
    ada, bob = logged_in(app, "ada"), logged_in(app, "bob")

    ada.post("/logout")

    assert is_logged_in(bob)


def test_a_session_from_before_generations_no_longer_logs_in(app, client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # a cookie of the old form: the id alone
        session["_fresh"] = True
    assert not is_logged_in(client)


def test_logging_in_again_after_logout_works(app, user):
    client = logged_in(app, "ada")
    client.post("/logout")
    client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert is_logged_in(client)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, user):
    client = logged_in(app, "ada")
    other = logged_in(app, "ada")
    thief = copy_of(app, client)

    response = change_password(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert is_logged_in(client)
    assert not is_logged_in(other)
    assert not is_logged_in(thief)
    assert stored(app).check_password(NEW_PASSWORD)


def test_a_password_set_on_the_command_line_ends_the_sessions(app, user):
    client = logged_in(app, "ada")
    result = app.test_cli_runner().invoke(
        args=["users", "create-teacher", "ada", "--promote", "--password-stdin"],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output

    assert not is_logged_in(client)


def test_a_promotion_keeping_the_password_keeps_the_sessions(app, user):
    client = logged_in(app, "ada")
    result = app.test_cli_runner().invoke(
        args=["users", "create-teacher", "ada", "--promote"], input=""
    )
    assert result.exit_code == 0, result.output

    assert is_logged_in(client)


# --- the account settings page --------------------------------------------------------------


def test_the_navigation_links_to_account_settings_when_logged_in(app, client, user):
    assert b">Account settings</a>" not in client.get("/").data
    client = logged_in(app, "ada")
    assert b'<a href="/account"' in client.get("/").data


def test_the_account_settings_page_offers_to_change_the_password(app, user):
    page = logged_in(app, "ada").get("/account")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Account settings</h1>" in html
    assert ">Change password</h2>" in html
    for label in ("Current password", "New password", "Repeat the new password"):
        assert f">{label}" in html
    assert 'value="Change password"' in html


def test_the_account_settings_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW_PASSWORD, None, "That is not your current password."),
        ("", NEW_PASSWORD, None, "This field is required."),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "The new passwords differ."),
        (PASSWORD, "password", None, "too easy to guess"),
        (PASSWORD, "short", None, "Use at least 8 characters"),
    ],
    ids=["wrong current", "no current", "differ", "weak", "short"],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    app, user, current, new, confirm, message
):
    client = logged_in(app, "ada")
    other = logged_in(app, "ada")

    response = change_password(client, current, new, confirm)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "<h1>Account settings</h1>" in response.get_data(as_text=True)
    assert stored(app).check_password(PASSWORD)
    assert is_logged_in(client) and is_logged_in(other)


# --- time zone ------------------------------------------------------------------------------


def test_the_account_page_offers_the_time_zone_and_saves_it(app, client, auth, user):
    auth.login()
    page = client.get("/account").get_data(as_text=True)
    assert "<h1>Account settings</h1>" in page and ">Account settings</a>" in page
    assert '<option selected value="UTC">UTC</option>' in page
    response = client.post("/account/time-zone", data={"time_zone": "Europe/Paris"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).time_zone == "Europe/Paris"


def test_an_unknown_zone_is_refused_and_nothing_changes(app, client, auth, user):
    auth.login()
    response = client.post("/account/time-zone", data={"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).time_zone == "UTC"


def test_times_are_shown_in_the_users_zone_with_the_zone_named(app, teacher):
    with app.app_context():
        tess = user_named("tess")
        classroom = create_classroom(tess)
        create_assignment(classroom, opens_at=datetime(2026, 7, 1, 7, 30, tzinfo=UTC))
        class_id = classroom.id
    assert "1 Jul 2026, 07:30 UTC" in teacher.get(f"/teach/classes/{class_id}").get_data(
        as_text=True
    )
    teacher.post("/account/time-zone", data={"time_zone": "Europe/Berlin"})
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "1 Jul 2026, 09:30 Europe/Berlin" in page and "07:30 UTC" not in page


def test_the_rules_sentences_name_their_moment_in_the_students_zone(app, client, auth, user):
    """ "Opens …" on the home page and in the refusal to start are the rules' sentences, not a
    page's own text: they too read in the student's zone."""
    with app.app_context():
        classroom = create_classroom(create_user("tess", role="teacher"))
        enroll(classroom, user_named("ada"))
        opens = datetime(2031, 7, 1, 7, 30, tzinfo=UTC)
        assignment_id = create_assignment(classroom, opens_at=opens).id
    auth.login()
    client.post("/account/time-zone", data={"time_zone": "Europe/Berlin"})
    home = client.get("/").get_data(as_text=True)
    assert "Opens 1 Jul 2031, 09:30 Europe/Berlin." in home and "07:30 UTC" not in home
    refused = client.post(f"/assignments/{assignment_id}/attempts", follow_redirects=True)
    assert "Opens 1 Jul 2031, 09:30 Europe/Berlin." in refused.get_data(as_text=True)


def assignment_form(**times) -> dict:
    return {
        "title": "Timed",
        "mode": "practice",
        "attempts_allowed": "1",
        "source": "scope",
        "scope": "all",
        "length": "5",
    } | times


def test_the_assignment_form_reads_times_in_the_teachers_zone(app, teacher):
    teacher.post("/account/time-zone", data={"time_zone": "Europe/Berlin"})
    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    form = teacher.get(f"/teach/classes/{class_id}/assignments/new").get_data(as_text=True)
    assert "Opens (Europe/Berlin)" in form and "Closes (Europe/Berlin)" in form
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data=assignment_form(opens_at="2030-07-01T09:30", closes_at="2030-07-08T09:30"),
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert assignment.opens_at == datetime(2030, 7, 1, 7, 30, tzinfo=UTC)
        assert assignment.closes_at == datetime(2030, 7, 8, 7, 30, tzinfo=UTC)


def test_a_time_in_a_daylight_saving_gap_or_overlap_is_refused_with_a_form_error(app, teacher):
    teacher.post("/account/time-zone", data={"time_zone": "Europe/Berlin"})
    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    url = f"/teach/classes/{class_id}/assignments/new"
    gap = teacher.post(url, data=assignment_form(opens_at="2030-03-31T02:30"))
    overlap = teacher.post(url, data=assignment_form(closes_at="2030-10-27T02:30"))
    assert gap.status_code == overlap.status_code == 400
    assert "does not exist in Europe/Berlin: the clocks go forward" in gap.get_data(as_text=True)
    assert "happens twice in Europe/Berlin: the clocks go back" in overlap.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None
