"""Live sessions through their pages: every state, every refusal, the poll, the race."""

from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.domain.live import IDLE_TIMEOUT
from quizapp.extensions import db
from quizapp.models import (
    MODE_TEST,
    Answer,
    Assignment,
    AssignmentOverride,
    Classroom,
    LiveParticipant,
    LiveSession,
    Round,
    RoundItem,
)
from tests.factories import (
    at_once,
    create_assignment,
    create_user,
    enroll,
    logged_in,
    own_class,
    right_form,
    user_named,
    wrong_form,
)

T0 = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
QUESTIONS = ["1990-02-09-baker-one-inch", "1990-02-10-kohl-gorbachev"]


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now

    def move(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(app):
    moving = Clock()
    app.config["QUIZAPP_CLOCK"] = moving
    return moving


def bank_ids(app, count=3):
    from quizapp import current_bank

    with app.app_context():
        return [q.id for q in current_bank().questions[:count]]


def open_session(teacher, class_id, ids, **settings):
    data = {"question_ids": ids, **settings}
    response = teacher.post(f"/teach/classes/{class_id}/live", data=data)
    assert response.status_code == 303, response.text
    return int(response.location.rsplit("/", 1)[1])


def session_row(app, session_id):
    with app.app_context():
        row = db.session.get(LiveSession, session_id)
        db.session.expunge(row)
        return row


def join(client, code):
    return client.post("/live/join", data={"code": code})


def act(teacher, session_id, action, position=0):
    return teacher.post(f"/teach/live/{session_id}/{action}", data={"position": position})


def question_of(app, session_id, position):
    from quizapp.domain.questions import question_from_dict

    return question_from_dict(session_row(app, session_id).questions[position - 1])


def send(client, app, session_id, position, right=True):
    q = question_of(app, session_id, position)
    form = right_form(q) if right else wrong_form(q)
    return client.post(f"/live/{session_id}/questions/{position}", data=form)


@pytest.fixture
def live(app, teacher, clock):
    """Tess's class of ada and bob, a session of three questions open in the lobby."""
    class_id = own_class(app, "ada", "bob")
    session_id = open_session(teacher, class_id, bank_ids(app), seconds_per_question=30)
    row = session_row(app, session_id)
    return type("Live", (), {"id": session_id, "code": row.code, "class_id": class_id})


def test_the_class_page_links_to_the_form_and_the_form_opens_a_projector(app, teacher, clock):
    class_id = own_class(app, "ada")
    page = teacher.get(f"/teach/classes/{class_id}").text
    assert "Start a live session" in page
    form = teacher.get(f"/teach/classes/{class_id}/live").text
    for name in ("Seconds per question", "Speed points", "Show a top five", "Open the session"):
        assert name in form
    session_id = open_session(teacher, class_id, bank_ids(app, 2))
    projector = teacher.get(f"/teach/live/{session_id}").text
    row = session_row(app, session_id)
    assert "<h1>Live session</h1>" in projector and "Join code" in projector
    assert row.code in projector and len(row.code) == 6 and row.code.isdigit()
    with app.app_context():
        from quizapp.models import Classroom

        join_code = db.session.get(Classroom, class_id).join_code
    assert join_code not in projector
    assert "0 joined" in projector


def test_a_student_with_a_question_of_the_session_in_a_test_under_way_cannot_join(
    app, teacher, clock
):
    """A student who joined the class after the session opened was not counted when it
    checked its class's tests: joining, they would see that question's answer revealed."""
    class_id, ids, test_id = class_with_a_test_of_the_first_question(app)
    ada = logged_in(app, "ada")
    assert ada.post(f"/assignments/{test_id}/attempts").status_code == 302
    other_class = own_class(app, "bob", name="Year 13")
    session_id = open_session(teacher, other_class, ids)
    with app.app_context():
        enroll(db.session.get(Classroom, other_class), user_named("ada"))

    refused = join(ada, session_row(app, session_id).code)
    assert refused.status_code == 400
    assert "in a test of yours under way" in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count(LiveParticipant.id))) == 0


def test_a_question_ticked_twice_in_a_forged_post_is_played_once(app, teacher, clock):
    class_id = own_class(app, "ada")
    first, second = bank_ids(app, 2)
    session_id = open_session(teacher, class_id, [first, first, second])
    row = session_row(app, session_id)
    assert row.question_count == 2
    assert [q["id"] for q in row.questions] == [first, second]


def test_the_qr_code_is_an_svg_made_here(app, teacher, live):
    response = teacher.get(f"/teach/live/{live.id}/qr.svg")
    assert response.content_type == "image/svg+xml"
    assert response.text.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')
    assert "<path" in response.text
    assert "style=" not in response.text
    assert response.headers["Cache-Control"] == "no-store"  # it spells the session's code


def test_the_form_refuses_no_questions_and_speed_points_without_a_timer(app, teacher, clock):
    class_id = own_class(app, "ada")
    response = teacher.post(f"/teach/classes/{class_id}/live", data={"speed_points": "y"})
    assert response.status_code == 400
    assert "Tick at least one question." in response.text
    assert "Speed points need a number of seconds per question." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(LiveSession.id))) == 0


def test_one_session_runs_per_class(app, teacher, live):
    response = teacher.post(
        f"/teach/classes/{live.class_id}/live", data={"question_ids": bank_ids(app, 1)}
    )
    assert response.status_code == 400
    assert "is running already: end it first" in response.text
    act(teacher, live.id, "end")
    open_session(teacher, live.class_id, bank_ids(app, 1))


def test_a_student_of_the_class_joins_with_the_code_and_waits_in_the_lobby(app, live):
    ada = logged_in(app, "ada")
    assert "Join a live session" in ada.get("/").text
    page = ada.get(f"/live/join?code={live.code}").text
    assert f'value="{live.code}"' in page and "Session code" in page
    response = join(ada, live.code)
    assert response.status_code == 303
    lobby = ada.get(response.location).text
    assert "You are in" in lobby and 'http-equiv="refresh"' in lobby


def test_joining_twice_keeps_one_place(app, live):
    ada = logged_in(app, "ada")
    assert join(ada, live.code).location == join(ada, f" {live.code[:3]}-{live.code[3:]} ").location
    with app.app_context():
        assert db.session.scalar(select(func.count(Round.id)).where(Round.user_id != 0)) == 1


@pytest.mark.parametrize("code", ["12345", "abcdef", "000000"])
def test_a_wrong_code_is_refused_with_a_message(app, live, code):
    if code == live.code:
        pytest.skip("the drawn code")
    response = join(logged_in(app, "ada"), code)
    assert response.status_code == 400
    assert "6 digits" in response.text or "No live session of your classes" in response.text


def test_a_student_of_another_class_cannot_join(app, live):
    with app.app_context():
        create_user("mallory")
    response = join(logged_in(app, "mallory"), live.code)
    assert response.status_code == 400 and "No live session of your classes" in response.text


def test_the_code_is_valid_only_while_the_session_runs(app, teacher, live, clock):
    act(teacher, live.id, "end")
    assert join(logged_in(app, "ada"), live.code).status_code == 400


def test_an_idle_session_ends_itself_and_its_code_with_it(app, live, clock):
    clock.move(IDLE_TIMEOUT.total_seconds())
    assert join(logged_in(app, "ada"), live.code).status_code == 400


def test_a_whole_session_lands_in_the_gradebook(app, teacher, live, clock):
    ada, bob = logged_in(app, "ada"), logged_in(app, "bob")
    join(ada, live.code)
    act(teacher, live.id, "start")
    assert "Question 1 of 3" in teacher.get(f"/teach/live/{live.id}").text
    page = ada.get(f"/live/{live.id}").text
    assert "Send answer" in page and 'http-equiv="refresh"' not in page
    assert send(ada, app, live.id, 1).status_code == 303
    assert "1 of 1 answered" in teacher.get(f"/teach/live/{live.id}").text
    waiting = ada.get(f"/live/{live.id}").text
    assert "Your answer is in" in waiting and 'http-equiv="refresh"' in waiting
    act(teacher, live.id, "close", 1)
    reveal = teacher.get(f"/teach/live/{live.id}").text
    assert "<svg" in reveal and "(right answer)" in reveal and "Next question" in reveal
    assert "From the article, section" in reveal
    assert "Right" in ada.get(f"/live/{live.id}").text
    join(bob, live.code)  # late: question 1 counts as not answered
    act(teacher, live.id, "next", 1)
    send(ada, app, live.id, 2, right=False)
    send(bob, app, live.id, 2)
    clock.move(30)  # the timer closes question 2
    assert "Wrong" in ada.get(f"/live/{live.id}").text
    act(teacher, live.id, "next", 2)
    send(ada, app, live.id, 3)
    act(teacher, live.id, "close", 3)
    act(teacher, live.id, "results", 3)
    assert "You scored 2 out of 3" in ada.get(f"/live/{live.id}").text
    assert "You scored 1 out of 3" in bob.get(f"/live/{live.id}").text
    assert "Results" in teacher.get(f"/teach/live/{live.id}").text
    book = teacher.get(f"/teach/classes/{live.class_id}/gradebook").text
    assert "Live session" in book
    with app.app_context():
        live_assignment = db.session.get(LiveSession, live.id).assignment
        assert live_assignment.mode == "live"
        scores = dict(
            db.session.execute(
                select(Round.user_id, func.sum(Answer.score))
                .join(RoundItem, RoundItem.round_id == Round.id)
                .join(Answer, Answer.round_item_id == RoundItem.id)
                .where(Round.assignment_id == live_assignment.id)
                .group_by(Round.user_id)
            ).all()
        )
        assert sorted(scores.values()) == [1.0, 2.0]


def test_an_answer_after_the_close_is_refused_with_a_message(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    act(teacher, live.id, "close", 1)
    response = send(ada, app, live.id, 1)
    page = ada.get(response.location).text
    assert "Answers to question 1 are closed" in page
    assert "Not answered" in page


def test_an_answer_after_the_timer_is_refused(app, teacher, live, clock):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    clock.move(30)
    send(ada, app, live.id, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_double_tap_counts_once(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    send(ada, app, live.id, 1, right=False)
    response = send(ada, app, live.id, 1, right=True)
    assert "your first answer counts" in ada.get(response.location).text
    with app.app_context():
        assert db.session.scalars(select(Answer.correct)).all() == [False]


def test_a_question_not_yet_open_cannot_be_answered(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    send(ada, app, live.id, 2)
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_two_teacher_tabs_cannot_skip_a_question(app, teacher, live):
    act(teacher, live.id, "start")
    act(teacher, live.id, "close", 1)
    act(teacher, live.id, "next", 1)
    response = act(teacher, live.id, "next", 1)  # the second tab
    assert "no longer current" in teacher.get(response.location).text
    assert session_row(app, live.id).position == 2


def test_only_the_owning_teacher_controls_the_session(app, live):
    with app.app_context():
        create_user("trudy", role="teacher")
    trudy = logged_in(app, "trudy")
    assert trudy.get(f"/teach/live/{live.id}").status_code == 404
    assert trudy.post(f"/teach/live/{live.id}/start", data={"position": 0}).status_code == 404
    assert trudy.get(f"/teach/live/{live.id}/state").status_code == 404
    ada = logged_in(app, "ada")
    assert ada.post(f"/teach/live/{live.id}/start").status_code == 403
    assert session_row(app, live.id).position == 0


def test_only_participants_see_or_poll_the_session(app, live):
    ada = logged_in(app, "ada")
    assert ada.get(f"/live/{live.id}").status_code == 404
    assert ada.get(f"/live/{live.id}/state").status_code == 404
    assert app.test_client().get(f"/live/{live.id}/state").status_code == 404


def test_a_live_attempt_cannot_be_started_as_an_assignment(app, live):
    ada = logged_in(app, "ada")
    with app.app_context():
        assignment_id = db.session.get(LiveSession, live.id).assignment_id
    ada.post(f"/assignments/{assignment_id}/attempts")
    with app.app_context():
        assert db.session.scalar(select(func.count(Round.id))) == 0


def test_the_poll_answers_304_until_the_session_moves_on(app, teacher, live, clock):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    first = ada.get(f"/live/{live.id}/state")
    assert first.status_code == 200 and first.json["phase"] == "lobby"
    assert first.headers["Cache-Control"] == "no-cache, private"
    etag = first.headers["ETag"]
    again = ada.get(f"/live/{live.id}/state", headers={"If-None-Match": etag})
    assert again.status_code == 304
    act(teacher, live.id, "start")
    moved = ada.get(f"/live/{live.id}/state", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.json["phase"] == "question"
    clock.move(30)  # the timer: a new state, and nothing written
    timed = ada.get(f"/live/{live.id}/state", headers={"If-None-Match": moved.headers["ETag"]})
    assert timed.status_code == 200 and timed.json["phase"] == "reveal"


def test_a_session_ended_by_logging_out_polls_nothing(app, live):
    """The poll loads no user, yet a copy of the cookie taken before logging out is refused,
    as on every other page: the participant row is joined to the account's generation."""
    ada = logged_in(app, "ada")
    join(ada, live.code)
    copy = app.test_client()
    copy.set_cookie("session", ada.get_cookie("session").value)
    assert copy.get(f"/live/{live.id}/state").status_code == 200
    ada.post("/logout")
    assert copy.get(f"/live/{live.id}/state").status_code == 404


def test_the_projector_poll_counts_answers(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    before = teacher.get(f"/teach/live/{live.id}/state")
    send(ada, app, live.id, 1)
    after = teacher.get(
        f"/teach/live/{live.id}/state", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200 and after.json["answered"] == 1


def test_speed_points_and_the_top_five_show_on_the_results(app, teacher, clock):
    class_id = own_class(app, "ada")
    session_id = open_session(
        teacher,
        class_id,
        bank_ids(app, 1),
        seconds_per_question=20,
        speed_points="y",
        show_top_five="y",
    )
    ada = logged_in(app, "ada")
    join(ada, session_row(app, session_id).code)
    act(teacher, session_id, "start")
    clock.move(10)
    send(ada, app, session_id, 1)
    act(teacher, session_id, "close", 1)
    act(teacher, session_id, "results", 1)
    assert "1.25 points with speed points" in ada.get(f"/live/{session_id}").text
    projector = teacher.get(f"/teach/live/{session_id}").text
    assert "Top five" in projector and "ada: 1.25 points" in projector
    assert "100%, 1 student<" in projector and "1 students" not in projector


def test_the_charts_summaries_name_the_largest_share_not_a_strongest_row(app, teacher, live):
    """Both live charts split one whole (the answers by option, the students by score): their
    text alternative says which part is largest, not which row is "strongest"."""
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    send(ada, app, live.id, 1, right=False)
    act(teacher, live.id, "close", 1)
    reveal = teacher.get(f"/teach/live/{live.id}").text
    assert "Strongest" not in reveal and "Weakest" not in reveal
    assert "<figcaption>Most chosen: " in reveal and "% (1 answer).</figcaption>" in reveal
    for position in (2, 3):
        act(teacher, live.id, "next", position - 1)
        act(teacher, live.id, "close", position)
    act(teacher, live.id, "results", 3)
    results = teacher.get(f"/teach/live/{live.id}").text
    assert "Strongest" not in results and "1 students" not in results
    assert "Most common: 0 of 3 right, 100% (1 student)." in results


def test_a_multiple_answer_question_shows_each_option_as_a_share_of_the_students(
    app, teacher, clock
):
    """Two students both tick the two right options: each was chosen by all who answered
    (100%), not by half the ticks (50%)."""
    from quizapp import current_bank
    from quizapp.domain.questions import QuestionType

    with app.app_context():
        multiple = next(
            q.id
            for q in current_bank().questions
            if q.type is QuestionType.MULTIPLE and len(q.answer) == 2
        )
    class_id = own_class(app, "ada", "bob")
    session_id = open_session(teacher, class_id, [multiple])
    code = session_row(app, session_id).code
    students = [logged_in(app, "ada"), logged_in(app, "bob")]
    for student in students:
        join(student, code)
    act(teacher, session_id, "start")
    for student in students:
        assert send(student, app, session_id, 1).status_code == 303
    act(teacher, session_id, "close", 1)
    reveal = teacher.get(f"/teach/live/{session_id}").text
    assert reveal.count("100%, 2 answers") == 2
    assert "50%, 2 answers" not in reveal


def test_answers_arriving_as_the_teacher_closes_are_stored_only_before_the_close(
    app, teacher, clock
):
    """The race: every answer is either stored before the close or refused after it, and
    the reveal counts exactly the stored ones."""
    names = [f"s{i}" for i in range(8)]
    class_id = own_class(app, *names)
    session_id = open_session(teacher, class_id, bank_ids(app, 1))
    code = session_row(app, session_id).code
    students = [logged_in(app, name) for name in names]
    for student in students:
        join(student, code)
    act(teacher, session_id, "start")
    q = question_of(app, session_id, 1)
    calls = [
        (lambda s=s: s.post(f"/live/{session_id}/questions/1", data=right_form(q)))
        for s in students
    ] + [lambda: act(teacher, session_id, "close", 1)]
    responses = at_once(calls)
    told = {
        name: "Your answer is in." in student.get(response.location).text
        for name, student, response in zip(names, students, responses, strict=False)
    }
    with app.app_context():
        stored = set(
            db.session.scalars(
                select(Round.user_id)
                .join(RoundItem, RoundItem.round_id == Round.id)
                .join(Answer, Answer.round_item_id == RoundItem.id)
            )
        )
        ids = {name: user_named(name).id for name in names}
    assert {name for name, yes in told.items() if yes} == {n for n in names if ids[n] in stored}
    page = teacher.get(f"/teach/live/{session_id}").text
    assert f"{len(stored)} of 8 answered" in page
    assert "Not answered" in students[0].get(f"/live/{session_id}").text or ids["s0"] in stored


def test_a_live_round_is_never_played_through_the_round_pages(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    q = question_of(app, live.id, 2)
    for response in (
        ada.get(f"/rounds/{round_id}"),
        ada.post(f"/rounds/{round_id}/questions/2", data=right_form(q)),
        ada.post(f"/rounds/{round_id}/submit"),
    ):
        assert response.status_code == 303
        assert response.location.endswith(f"/live/{live.id}")
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        assert a_round.finished_at is None
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_running_session_withholds_its_verdicts_from_the_other_pages(app, teacher, live):
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    send(ada, app, live.id, 1, right=False)
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    assert "Wrong" not in ada.get(f"/review/rounds/{round_id}").text
    act(teacher, live.id, "end")
    assert "Wrong" in ada.get(f"/review/rounds/{round_id}").text


def test_a_session_is_listed_as_a_live_session_with_no_overrides(app, teacher, live):
    """The class page lists a session under "Live sessions", not among the assignments;
    its column's page offers no overrides, and a forged one is refused."""
    with app.app_context():
        column = db.session.get(LiveSession, live.id).assignment
        column_id, title = column.id, column.title
        ada_id = user_named("ada").id
    page = teacher.get(f"/teach/classes/{live.class_id}").text
    assignments, _, sessions = page.partition('id="live-sessions-heading"')
    assert title not in assignments and "No assignment yet." in assignments
    assert f'/teach/assignments/{column_id}"' in sessions
    column_page = teacher.get(f"/teach/assignments/{column_id}").text
    assert "Live session: answered in class" in column_page
    assert "Overrides" not in column_page and "Add an override" not in column_page
    forged = teacher.post(
        f"/teach/assignments/{column_id}/overrides",
        data={"student": ada_id, "extra_attempts": 2},
    )
    assert forged.status_code == 404 and "has no overrides" in forged.text
    with app.app_context():
        assert db.session.scalar(select(func.count(AssignmentOverride.id))) == 0


def class_with_a_test_of_the_first_question(app):
    """Tess's class of ada and bob, three questions, and an open test of the first one."""
    class_id = own_class(app, "ada", "bob")
    ids = bank_ids(app, 3)
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        test_id = create_assignment(
            classroom,
            mode=MODE_TEST,
            question_ids=ids[:1],
            length=1,
            section=None,
            opens_at=T0 - timedelta(hours=1),
        ).id
    return class_id, ids, test_id


def test_a_question_in_a_test_under_way_in_the_class_is_not_played_live(app, teacher, clock):
    """The reveal shows the right answer to the room: a question that a student of the class
    has in a test under way is refused, with the reason, until the test is over."""
    class_id, ids, test_id = class_with_a_test_of_the_first_question(app)
    ada = logged_in(app, "ada")
    assert ada.post(f"/assignments/{test_id}/attempts").status_code == 302

    refused = teacher.post(f"/teach/classes/{class_id}/live", data={"question_ids": ids})
    assert refused.status_code == 400
    assert "1 student of this class has “" in refused.text
    assert "in a test under way: the reveal would show its answer" in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count(LiveSession.id))) == 0

    # The other questions may be played; the first one once ada's test is over.
    act(teacher, open_session(teacher, class_id, ids[1:]), "end")
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).where(Round.assignment_id == test_id))
    assert ada.post(f"/rounds/{round_id}/submit").status_code == 302
    assert open_session(teacher, class_id, ids)


def test_answering_the_last_question_shows_no_verdict_before_its_reveal(app, teacher, live):
    """The last answer leaves the attempt open until the session closes: a submitted
    attempt would show the last question's verdict on the recap and My progress while the
    class is still answering it."""
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    for position in (1, 2):
        send(ada, app, live.id, position, right=False)
        act(teacher, live.id, "close", position)
        act(teacher, live.id, "next", position)
    send(ada, app, live.id, 3, right=False)
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    recap = ada.get(f"/review/rounds/{round_id}").text
    assert "Wrong" not in recap and "Correct answer" not in recap
    assert "0 out of 3" not in ada.get("/review/scores").text
    act(teacher, live.id, "close", 3)
    act(teacher, live.id, "results", 3)
    assert "Wrong" in ada.get(f"/review/rounds/{round_id}").text
    assert "You scored 0 out of 3" in ada.get(f"/live/{live.id}").text


def test_the_split_of_a_multiple_answer_question_is_a_share_of_the_students(app, teacher, clock):
    """Two students tick the same three options: each option's bar reads 100%, not a third
    (the share of all ticks)."""
    with app.app_context():
        from quizapp import current_bank

        multiple = next(q.id for q in current_bank().questions if q.type.value == "multiple")
    class_id = own_class(app, "ada", "bob")
    session_id = open_session(teacher, class_id, [multiple])
    code = session_row(app, session_id).code
    ada, bob = logged_in(app, "ada"), logged_in(app, "bob")
    for student in (ada, bob):
        join(student, code)
    act(teacher, session_id, "start")
    for student in (ada, bob):
        send(student, app, session_id, 1)
    act(teacher, session_id, "close", 1)
    projector = teacher.get(f"/teach/live/{session_id}").text
    right = len(question_of(app, session_id, 1).answer)
    assert projector.count("100%, 2 answers") == right
    assert "50%, 2 answers" not in projector and "33%, 2 answers" not in projector


@pytest.mark.parametrize("qtype", ["year", "short", "numeric", "ordering", "matching"])
def test_the_reveal_of_a_question_without_options_shows_its_right_answer(
    app, teacher, clock, qtype
):
    """The split of these types is right, partly right and wrong: the projector states the
    right answer itself, where a phone that did not answer tells its student to look."""
    from quizapp import current_bank
    from quizapp.templating import right_answer

    with app.app_context():
        q = next(q for q in current_bank().questions if q.type.value == qtype)
    class_id = own_class(app, "ada")
    session_id = open_session(teacher, class_id, [q.id])
    ada = logged_in(app, "ada")
    join(ada, session_row(app, session_id).code)
    act(teacher, session_id, "start")
    act(teacher, session_id, "close", 1)
    assert "Look at the projector for the right answer" in ada.get(f"/live/{session_id}").text
    projector = teacher.get(f"/teach/live/{session_id}").text
    assert "<dt>Right answer</dt>" in projector
    with app.app_context():
        for line in right_answer(question_of(app, session_id, 1)):
            assert str(escape(line)) in projector


def test_an_answer_that_gets_the_lock_after_the_timer_ran_out_is_refused(
    app, teacher, live, clock, monkeypatch
):
    """An answer sent half a second before the end of the time that waits a second for the
    session's lock (other answers, "Close answers") finds the question closed, as the
    reveal on the projector and the phones already shows it: it is not stored."""
    from quizapp import live_store

    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    clock.move(29.5)
    real_lock = live_store._lock

    def slow_lock(session_id, *, shared=False):
        clock.move(1)  # the time spent waiting for the lock
        return real_lock(session_id, shared=shared)

    monkeypatch.setattr(live_store, "_lock", slow_lock)
    response = send(ada, app, live.id, 1)
    monkeypatch.undo()
    assert "Answers to question 1 are closed" in ada.get(response.location).text
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_move_or_an_incomplete_answer_after_the_close_says_the_question_closed(
    app, teacher, clock
):
    """A phone without JavaScript still shows question 1 (an ordering question) after the
    teacher moved on to question 2 (another one): its Move down, or a Send answer with
    nothing chosen, is told that question 1 closed, and question 2 shows as it is."""
    from quizapp import current_bank

    with app.app_context():
        ids = [q.id for q in current_bank().questions if q.type.value == "ordering"][:2]
    class_id = own_class(app, "ada")
    session_id = open_session(teacher, class_id, ids)
    ada = logged_in(app, "ada")
    join(ada, session_row(app, session_id).code)
    act(teacher, session_id, "start")
    act(teacher, session_id, "close", 1)
    act(teacher, session_id, "next", 1)
    first = [c.id for c in question_of(app, session_id, 1).choices]
    second = question_of(app, session_id, 2)
    moved = ada.post(
        f"/live/{session_id}/questions/1", data={"order": first, "move": f"down:{first[0]}"}
    )
    assert moved.status_code == 303
    page = ada.get(moved.location).text
    assert "Answers to question 1 are closed" in page and "Question 2 of 2" in page
    shown = [page.index(f'data-id="{c.id}"') for c in second.choices]
    assert shown == sorted(shown)  # question 2 in its own order, not moved by question 1's
    empty = ada.post(f"/live/{session_id}/questions/1", data={"order": first[:1]})
    assert empty.status_code == 303
    assert "Answers to question 1 are closed" in ada.get(empty.location).text


def test_a_newcomer_cannot_join_once_the_results_show(app, teacher, live):
    """A student joining after "Show results" would add a score of nothing to the results;
    one who joined before comes back to them."""
    ada = logged_in(app, "ada")
    join(ada, live.code)
    act(teacher, live.id, "start")
    for position in (1, 2):
        act(teacher, live.id, "close", position)
        act(teacher, live.id, "next", position)
    act(teacher, live.id, "close", 3)
    act(teacher, live.id, "results", 3)
    bob = logged_in(app, "bob")
    refused = join(bob, live.code)
    assert refused.status_code == 400
    assert "This session has shown its results: it takes no one new." in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count(LiveParticipant.id))) == 1
    assert join(ada, live.code).status_code in (302, 303)


def test_two_sessions_in_one_minute_are_two_columns_in_the_teachers_zone(app, teacher, clock):
    class_id = own_class(app, "ada")
    with app.app_context():
        user_named("tess").time_zone = "Europe/Paris"
        db.session.commit()
    for _ in range(2):
        act(teacher, open_session(teacher, class_id, bank_ids(app, 1)), "end")
    with app.app_context():
        titles = sorted(db.session.scalars(select(Assignment.title)))
    assert titles == [
        "Live session 3 Dec 2026, 15:00 Europe/Paris",
        "Live session 3 Dec 2026, 15:00 Europe/Paris (2)",
    ]


@pytest.mark.parametrize("qtype", ["ordering", "matching"])
def test_the_projector_shows_what_to_order_or_match_while_the_question_is_open(
    app, teacher, clock, qtype
):
    with app.app_context():
        from quizapp import current_bank

        q_id = next(q.id for q in current_bank().questions if q.type.value == qtype)
    class_id = own_class(app, "ada")
    session_id = open_session(teacher, class_id, [q_id])
    act(teacher, session_id, "start")
    shown = question_of(app, session_id, 1)
    projector = teacher.get(f"/teach/live/{session_id}").text
    items = [*shown.pairs, *shown.choices]
    assert items and all(str(escape(c.text)) in projector for c in items)
    positions = [projector.index(str(escape(c.text))) for c in shown.choices]
    assert positions == sorted(positions)  # as the phones show them
    label = "To put in order:" if qtype == "ordering" else "Match each of these"
    assert label in projector


def test_a_test_holding_a_question_of_a_running_session_waits_for_its_end(app, teacher, clock):
    """The other way round: a test started once the session is open would be under way
    when the reveal shows its question's answer on the projector and the phone."""
    class_id, ids, test_id = class_with_a_test_of_the_first_question(app)
    session_id = open_session(teacher, class_id, ids)
    ada = logged_in(app, "ada")
    join(ada, session_row(app, session_id).code)

    attempts = select(func.count(Round.id)).where(Round.assignment_id == test_id)
    refused = ada.post(f"/assignments/{test_id}/attempts", follow_redirects=True)
    assert "is being played in a live session of your class" in refused.text
    with app.app_context():
        assert db.session.scalar(attempts) == 0

    act(teacher, session_id, "end")
    assert ada.post(f"/assignments/{test_id}/attempts").status_code == 302
    with app.app_context():
        assert db.session.scalar(attempts) == 1
