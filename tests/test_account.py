"""Account settings: the time zone a user reads and types times in."""

from datetime import UTC, datetime

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, User
from tests.factories import create_assignment, create_classroom, user_named


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
