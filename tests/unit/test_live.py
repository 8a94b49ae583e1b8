"""The rules of a live session (quizapp/domain/live.py), with the clock set by each test."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import live
from quizapp.domain.live import IDLE_TIMEOUT, LiveError, Phase, Session
from tests.factories import make_question

T0 = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def session(**fields) -> Session:
    return Session(**{"question_count": 3, "last_action_at": T0, **fields})


def started(seconds=None, speed=False) -> Session:
    return session(seconds_per_question=seconds, speed_points=speed).start(T0)


def test_a_new_session_waits_in_the_lobby():
    assert session().phase(T0) is Phase.LOBBY


def test_start_opens_the_first_question():
    s = session().start(T0 + S)
    assert (s.phase(T0 + S), s.position, s.opened_at, s.last_action_at) == (
        Phase.QUESTION,
        1,
        T0 + S,
        T0 + S,
    )


def test_start_twice_is_refused():
    with pytest.raises(LiveError, match="already started"):
        started().start(T0 + S)


def test_a_session_without_questions_cannot_start():
    with pytest.raises(LiveError, match="no question"):
        session(question_count=0).start(T0)


def test_close_answers_reveals_the_question():
    s = started().close(1, T0 + 5 * S)
    assert s.phase(T0 + 5 * S) is Phase.REVEAL
    assert s.closed_at == T0 + 5 * S


def test_closing_a_closed_question_changes_nothing():
    s = started().close(1, T0 + 5 * S)
    assert s.close(1, T0 + 9 * S) is s


def test_the_timer_closes_the_question_on_read():
    s = started(seconds=20)
    assert s.phase(T0 + 19 * S) is Phase.QUESTION
    assert s.phase(T0 + 20 * S) is Phase.REVEAL
    assert s.closed_at is None  # nothing was written


def test_seconds_left_count_down_and_stop_at_the_close():
    s = started(seconds=20)
    assert s.seconds_left(T0) == 20
    assert s.seconds_left(T0 + timedelta(seconds=12.4)) == 8
    assert s.seconds_left(T0 + 20 * S) is None
    assert started().seconds_left(T0) is None


def test_next_question_opens_the_one_after_the_named_one():
    s = started().close(1, T0 + S).next_question(1, T0 + 2 * S)
    assert (s.position, s.phase(T0 + 2 * S), s.opened_at, s.closed_at) == (
        2,
        Phase.QUESTION,
        T0 + 2 * S,
        None,
    )


def test_two_tabs_pressing_next_cannot_skip_a_question():
    s = started().close(1, T0 + S).next_question(1, T0 + 2 * S)
    with pytest.raises(LiveError, match="no longer current"):
        s.next_question(1, T0 + 3 * S)  # the second tab still shows question 1
    assert s.position == 2


def test_close_naming_an_old_question_does_not_close_the_current_one():
    s = started().close(1, T0 + S).next_question(1, T0 + 2 * S)
    with pytest.raises(LiveError, match="no longer current"):
        s.close(1, T0 + 3 * S)
    assert s.phase(T0 + 3 * S) is Phase.QUESTION


def test_next_question_needs_the_answers_closed_first():
    with pytest.raises(LiveError, match="Close answers to question 1 first"):
        started().next_question(1, T0 + S)


def test_the_last_question_leads_to_the_results_not_a_next_one():
    s = session(question_count=1).start(T0).close(1, T0 + S)
    with pytest.raises(LiveError, match="last question"):
        s.next_question(1, T0 + 2 * S)
    shown = s.show_results(1, T0 + 2 * S)
    assert shown.phase(T0 + 2 * S) is Phase.RESULTS
    assert shown.answers_close_at == T0 + 2 * S


def test_results_before_the_last_reveal_are_refused():
    with pytest.raises(LiveError, match="after the last question"):
        started().close(1, T0 + S).show_results(1, T0 + 2 * S)


def test_end_session_ends_it_in_any_phase():
    for s in (session(), started(), started().close(1, T0 + S)):
        ended = s.end(T0 + 2 * S)
        assert ended.phase(T0 + 2 * S) is Phase.ENDED
        assert not ended.is_running(T0 + 2 * S)


def test_nothing_can_be_done_to_an_ended_session():
    ended = started().end(T0 + S)
    for action in (
        lambda: ended.end(T0 + 2 * S),
        lambda: ended.close(1, T0 + 2 * S),
        lambda: ended.start(T0 + 2 * S),
    ):
        with pytest.raises(LiveError, match="ended"):
            action()


def test_an_idle_session_ends_itself_on_read():
    s = started()
    assert s.phase(T0 + IDLE_TIMEOUT - S) is Phase.QUESTION
    assert s.phase(T0 + IDLE_TIMEOUT) is Phase.ENDED
    assert s.ended_at is None
    assert s.answers_close_at == T0 + IDLE_TIMEOUT


def test_each_action_pushes_the_idle_end_back():
    s = started().close(1, T0 + IDLE_TIMEOUT - S)
    assert s.is_running(T0 + IDLE_TIMEOUT + S)


def test_the_current_open_question_can_be_answered():
    assert started().answer_refusal(1, T0 + S) is None


def test_an_answer_at_the_close_or_after_is_refused():
    s = started(seconds=10)
    assert s.answer_refusal(1, T0 + 10 * S) == (
        "Answers to question 1 are closed: your answer was not counted."
    )
    closed = started().close(1, T0 + S)
    assert "closed" in closed.answer_refusal(1, T0 + S)


def test_an_earlier_question_cannot_be_answered_after_a_late_join():
    s = started().close(1, T0 + S).next_question(1, T0 + 2 * S)
    assert "closed" in s.answer_refusal(1, T0 + 3 * S)
    assert s.answer_refusal(2, T0 + 3 * S) is None


def test_a_later_question_cannot_be_answered_before_it_opens():
    assert started().answer_refusal(2, T0) == "Question 2 is not open yet."
    assert session().answer_refusal(1, T0) == "Question 1 is not open yet."


def test_nothing_is_answered_once_the_session_has_ended():
    assert "ended" in started().end(T0 + S).answer_refusal(1, T0 + S)


def test_speed_points_give_up_to_half_as_much_again_in_proportion_to_the_time_left():
    s = started(seconds=20, speed=True)
    assert s.points(1.0, T0, T0) == 1.5
    assert s.points(1.0, T0 + 10 * S, T0) == 1.25
    assert s.points(1.0, T0 + 20 * S, T0) == 1.0
    assert s.points(0.5, T0 + 10 * S, T0) == 0.625
    assert s.points(0.0, T0, T0) == 0.0


def test_without_speed_points_an_answer_earns_its_score():
    assert started(seconds=20).points(1.0, T0, T0) == 1.0
    assert started(speed=True).points(1.0, T0, T0) == 1.0  # no timer: no time left to count


def test_a_code_is_six_digits_and_none_a_running_session_holds():
    rng = random.Random(1)
    first = live.new_code(random.Random(1), [])
    assert len(first) == 6 and first.isdigit()
    assert live.new_code(rng, [first]) != first


def test_when_every_code_is_taken_the_teacher_is_told():
    class Stuck(random.Random):
        def randrange(self, *_):
            return 42

    with pytest.raises(LiveError, match="No session code is free"):
        live.new_code(Stuck(), ["000042"])


def test_a_typed_code_keeps_its_digits_only():
    assert live.normal_code(" 042-917 ") == "042917"


def test_options_are_named_by_letter_and_shape():
    assert [live.option_label(i) for i in range(3)] == ["A ▲", "B ◆", "C ●"]


def test_the_split_counts_each_option_and_marks_the_right_one():
    q = make_question("single")
    right = q.answer
    wrong = next(c.id for c in q.choices if c.id != right)
    bars = live.split(q, [(right, 1.0), (right, 1.0), (wrong, 0.0)])
    by_right = {b.right: b for b in bars if b.count}
    assert by_right[True].count == 2 and by_right[False].count == 1
    assert sum(b.count for b in bars) == 3
    assert (bars[0].name, bars[0].text) == ("A ▲", q.choices[0].text)


def test_the_split_of_a_typed_answer_is_by_verdict():
    bars = live.split(make_question("year"), [(1990, 1.0), (1989, 0.0), (1991, 0.0)])
    assert [(b.name, b.count, b.right) for b in bars] == [
        ("Right", 1, True),
        ("Partly right", 0, False),
        ("Wrong", 2, False),
    ]


def test_the_top_five_are_the_most_points_ties_by_name():
    standings = [live.Standing(n, p, 3) for n, p in [("eve", 2), ("bob", 3), ("al", 3)]]
    assert [s.name for s in live.top(standings, 2)] == ["al", "bob"]


def test_score_bands_count_students_per_whole_score():
    assert live.score_bands([0, 2.5, 3, 3], 3) == [
        ("0 of 3", 1),
        ("1 of 3", 0),
        ("2 of 3", 1),
        ("3 of 3", 2),
    ]


def test_questions_in_a_test_under_way_are_named_with_the_students_who_have_them():
    one, two, three, four, five = (
        make_question("single", id=f"q{n}", prompt=f"Question {n}?") for n in range(1, 6)
    )
    assert live.tests_under_way_problem([one, two], {"q3": 4}) is None
    assert live.tests_under_way_problem([one, two], {"q1": 1}) == (
        "1 student of this class has “Question 1?” in a test under way: the reveal would show "
        "its answer on the projector before they submit. Untick it, or open the session once "
        "the test is over."
    )
    several = live.tests_under_way_problem(
        [one, two, three, four, five], {"q1": 2, "q2": 1, "q3": 1, "q4": 3, "q5": 1}
    )
    assert several.startswith(
        "Students of this class have 5 of these questions in a test under way "
        "(“Question 1?”, “Question 2?”, “Question 3?” and 2 more): "
    )


def test_a_sessions_column_is_numbered_when_its_title_is_taken():
    moment = "4 Dec 2026, 17:34 Europe/Paris"
    assert live.column_title(moment, {"Baker in Moscow"}) == f"Live session {moment}"
    taken = {f"Live session {moment}", f"Live session {moment} (2)"}
    assert live.column_title(moment, taken) == f"Live session {moment} (3)"
