"""A learner's own results (the `review` blueprint): My progress with recaps, mastery and
charts, and Review my mistakes with its Leitner boxes, through the test client.

Histories are mostly written straight into the database (`played`), with the answer times
chosen, since every report is computed from those times; the real answer route is used
where the path itself is the point (the review rounds, a test under way).
"""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for
from markupsafe import escape
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.domain.grading import grade, parse_response, response_to_json
from quizapp.domain.questions import Question, question_to_dict
from quizapp.extensions import db
from quizapp.models import Answer, Round, RoundItem, User, utcnow
from tests.factories import (
    BAKER_QUOTE,
    PASSWORD,
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    make_question,
    right_form,
    start_round_with,
    wrong_form,
)
from tests.test_review import count_queries

# --- building histories ----------------------------------------------------------------------


def ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def played(app, user_id: int, answers, *, at: datetime | None = None, finished=True) -> int:
    """A practice round of the learner holding each `(question, right?)` in `answers`, every
    one answered at `at` (now by default), finished then unless `finished` is False."""
    at = at or utcnow()
    with app.app_context():
        a_round = Round(user_id=user_id, seed=0, created_at=at)
        total = 0.0
        for position, (question, right) in enumerate(answers, start=1):
            response = parse_response(
                question, right_form(question) if right else wrong_form(question)
            )
            verdict = grade(question, response)
            item = RoundItem(
                position=position, question_id=question.id, snapshot=question_to_dict(question)
            )
            item.answer = Answer(
                response=response_to_json(question, response),
                score=verdict.score,
                correct=verdict.correct,
                answered_at=at,
            )
            a_round.items.append(item)
            total += verdict.score
        if finished:
            a_round.finished_at = at
            a_round.score = total
        db.session.add(a_round)
        db.session.commit()
        return a_round.id


def move_answers_back(app, user_id: int, days: float) -> None:
    """As if the learner had given every answer so far `days` earlier."""
    with app.app_context():
        answers = db.session.scalars(
            select(Answer)
            .join(RoundItem, RoundItem.id == Answer.round_item_id)
            .join(Round, Round.id == RoundItem.round_id)
            .where(Round.user_id == user_id)
        )
        for answer in answers:
            answer.answered_at -= timedelta(days=days)
        db.session.commit()


def questions_of(app, round_id: int) -> list[Question]:
    with app.app_context():
        return [item.question for item in db.session.get(Round, round_id).items]


def answer_through_the_page(client, round_id: int, position: int, question: Question, right):
    form = right_form(question) if right else wrong_form(question)
    response = client.post(f"/rounds/{round_id}/questions/{position}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def round_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Round))


def new_round_id(response) -> int:
    """The round a redirect to /rounds/<id>/questions/1 leads to."""
    match = re.fullmatch(r"/rounds/(\d+)/questions/1", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def log_in(client, username: str) -> None:
    client.post("/login", data={"username": username, "password": PASSWORD})


# --- reading pages ---------------------------------------------------------------------------


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(page: str, opening: str) -> list[str]:
    """The body rows (as HTML) of the first table after `opening` (its id or caption)."""
    start = page.index(opening)
    table = page[start : page.index("</table>", start)]
    return re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)


def cells(row: str) -> list[str]:
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def table(page: str, opening: str) -> list[list[str]]:
    return [cells(row) for row in table_rows(page, opening)]


def section_row(page: str, number: str) -> list[str]:
    """The row of the progress page's section table for section `number`."""
    rows = [r for r in table(page, 'id="sections-table"') if r[0].split(" ")[0] == number]
    assert len(rows) == 1, rows
    return rows[0]


def review_queue(page: str) -> dict[str, tuple[str, str]]:
    """Questions waiting on the mistakes page: prompt -> (box, times missed)."""
    return {
        prompt: (box, misses)
        for prompt, box, _due, misses in table(page, '<table class="review-queue">')
    }


def svg(page: str, chart_id: str) -> str:
    match = re.search(
        rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc"[^>]*>.*?</svg>',
        page,
        re.S,
    )
    assert match, f"no chart {chart_id}"
    return match.group(0)


def figcaption_after(page: str, chart_id: str) -> str:
    rest = page[page.index(svg(page, chart_id)) :]
    return text_of(re.search(r"<figcaption>(.*?)</figcaption>", rest, re.S).group(1))


def recap_blocks(page: str) -> dict[str, str]:
    """The recap's questions: prompt -> the HTML shown under it."""
    listing = page[page.index('<ol class="recap">') :]
    blocks = listing.split("<h3>")[1:]
    return {text_of(b[: b.index("</h3>")]): b for b in blocks}


def home(client) -> str:
    return text_of(client.get("/").get_data(as_text=True))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def ada(client, auth, user) -> int:
    """The learner `ada`, logged in on `client`; her id."""
    auth.login()
    return user.id


@pytest.fixture
def grace(app, other_client) -> int:
    """A second learner, `grace`, logged in on `other_client`; her id."""
    with app.app_context():
        grace_id = create_user("grace").id
    log_in(other_client, "grace")
    return grace_id


def single(qid: str, prompt: str, **fields) -> Question:
    return make_question("single", id=qid, prompt=prompt, **fields)


# --- My progress: every round, with its recap ------------------------------------------------


@pytest.fixture
def round_and_attempt(app, client, ada):
    """A practice round played through the pages (one wrong, one right), and a practice
    assignment attempt answered right; with known start times. Returns their ids and
    questions."""
    missed = single("q-inch", "Who spoke of “not one inch” in Moscow?")
    known = make_question(
        "year",
        id="q-year",
        prompt="In which year did Baker go to Moscow?",
        section="2.1",
        quote=BAKER_QUOTE,
        explanation="Baker was in Moscow in February 1990.",
    )
    with app.app_context():
        practice_id = start_round_with(db.session.get(User, ada), [missed, known]).id
    answer_through_the_page(client, practice_id, 1, missed, right=False)
    answer_through_the_page(client, practice_id, 2, known, right=True)

    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, db.session.get(User, ada))
        bank_id = current_bank().questions[0].id
        assignment_id = create_assignment(
            classroom, title="Genscher at Tutzing", question_ids=[bank_id], length=1
        ).id
    attempt_id = int(
        client.post(f"/assignments/{assignment_id}/attempts").headers["Location"].split("/")[-1]
    )
    [asked] = questions_of(app, attempt_id)
    answer_through_the_page(client, attempt_id, 1, asked, right=True)

    with app.app_context():
        db.session.get(Round, practice_id).created_at = datetime(2025, 3, 4, 10, 15, tzinfo=UTC)
        db.session.get(Round, attempt_id).created_at = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
        db.session.commit()
    return practice_id, attempt_id, missed, known


def test_progress_lists_every_round_and_attempt_with_date_score_and_recap_link(
    client, round_and_attempt
):
    practice_id, attempt_id, _, _ = round_and_attempt
    page = client.get("/review/scores").get_data(as_text=True)
    assert "<h1>My progress</h1>" in page
    rows = table_rows(page, 'id="rounds-table"')
    assert [cells(row)[:3] for row in rows] == [
        ["5 Mar 2025, 09:00 UTC", "Assignment: Genscher at Tutzing", "1 / 1 (100%)"],
        ["4 Mar 2025, 10:15 UTC", "All topics", "1 / 2 (50%)"],
    ]
    links = [re.findall(r'href="(/review/rounds/\d+)"', row) for row in rows]
    assert links == [[f"/review/rounds/{attempt_id}"], [f"/review/rounds/{practice_id}"]]
    assert client.get(f"/review/rounds/{attempt_id}").status_code == 200


def test_recap_shows_each_question_with_my_answer_the_key_why_and_the_passage(
    app, client, round_and_attempt
):
    practice_id, _, missed, known = round_and_attempt
    page = client.get(f"/review/rounds/{practice_id}").get_data(as_text=True)
    assert "Round complete" in page and "1 out of 2" in page
    blocks = recap_blocks(page)
    assert list(blocks) == [missed.prompt, known.prompt]
    with app.test_request_context():
        passage = str(escape(url_for("source.article", quote=BAKER_QUOTE, _anchor="passage")))

    wrong = text_of(blocks[missed.prompt])
    assert "Wrong" in wrong
    assert "Your answer Helmut Kohl Correct answer James Baker" in wrong
    assert missed.explanation in wrong and BAKER_QUOTE in wrong
    assert f'href="{passage}"' in blocks[missed.prompt]

    right = text_of(blocks[known.prompt])
    assert "Right" in right and "Wrong" not in right
    assert "Your answer 1990 Correct answer 1990" in right
    assert known.explanation in right and "From the article, section 2.1" in right
    assert f'href="{passage}"' in blocks[known.prompt]
    assert client.get(passage.replace("&amp;", "&")).status_code == 200


# --- My progress: mastery --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rights_since", "mastery", "detail"),
    [
        (0, "0%", "0 of 1 recent answers right"),
        (2, "67%", "2 of 3 recent answers right"),
        (3, "100%", "3 of 3 recent answers right"),
    ],
)
def test_a_mistake_fades_from_section_mastery_once_answered_right_three_times(
    app, client, ada, rights_since, mastery, detail
):
    question = single("q-genscher", "What did Genscher propose?", section="2.1")
    played(app, ada, [(question, False)], at=ago(10))
    for days in range(rights_since):
        played(app, ada, [(question, True)], at=ago(9 - days))
    page = client.get("/review/scores").get_data(as_text=True)
    assert section_row(page, "2.1") == ["2.1 The Russian/Alternative Narrative", mastery, detail]


def test_sections_with_no_answers_say_so(app, client, ada):
    played(app, ada, [(single("q-genscher", "What did Genscher propose?", section="2.1"), True)])
    page = client.get("/review/scores").get_data(as_text=True)
    rows = table(page, 'id="sections-table"')
    with app.app_context():
        cited = {q.section for q in current_bank().questions}
    assert len(rows) == len(cited)
    assert [r[1] for r in rows if not r[0].startswith("2.1 ")] == ["No answers yet"] * (
        len(cited) - 1
    )
    assert section_row(page, "2.1")[1] == "100%"


def test_mastery_by_topic_and_by_type_pool_the_recent_answers(app, client, ada):
    both = single("q-both", "Which leaders met at Camp David?", topics=("baker", "germany"))
    missed = make_question(
        "true_false", id="q-tf", prompt="Kohl promised neutrality?", topics=("germany",)
    )
    put_right = single("q-later", "Who chaired the Two plus Four?", topics=("germany",))
    played(app, ada, [(both, True), (missed, False), (put_right, False)], at=ago(3))
    played(app, ada, [(put_right, True)], at=ago(2))

    page = client.get("/review/scores").get_data(as_text=True)
    assert table(page, "<caption>Mastery by topic</caption>") == [
        ["baker", "100%", "1 / 1", "1"],
        ["germany", "50%", "2 / 4", "3"],
    ]
    assert table(page, "<caption>Mastery by type of question</caption>") == [
        ["Multiple choice, one answer", "67%", "2 / 3", "2"],
        ["True or false", "0%", "0 / 1", "1"],
    ]


# --- My progress: charts ---------------------------------------------------------------------


@pytest.fixture
def scored_rounds(app, ada):
    """Three finished rounds of four questions, scoring 100%, 25% then 50% on 1, 2 and
    3 March 2025, and one round under way."""
    questions = [single(f"q-{n}", f"Question {n}?") for n in range(4)]
    for day, rights in ((1, 4), (2, 1), (3, 2)):
        answers = [(q, n < rights) for n, q in enumerate(questions)]
        played(app, ada, answers, at=datetime(2025, 3, day, 12, tzinfo=UTC))
    played(app, ada, [(questions[0], True)], finished=False)
    with app.app_context():
        unfinished = db.session.scalar(select(Round).where(Round.finished_at.is_(None)))
        unfinished.items.append(
            RoundItem(position=2, question_id="q-1", snapshot=question_to_dict(questions[1]))
        )
        db.session.commit()


def test_the_score_chart_has_a_point_per_finished_round(client, scored_rounds):
    page = client.get("/review/scores").get_data(as_text=True)
    assert "in progress, 1 of 2 answered" in page
    assert svg(page, "score-chart").count("<circle") == 3


def test_both_charts_are_named_images_without_inline_style(client, scored_rounds):
    page = client.get("/review/scores").get_data(as_text=True)
    for chart_id in ("score-chart", "section-chart"):
        drawing = svg(page, chart_id)
        assert 'role="img"' in drawing
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', drawing)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', drawing)
    drawings = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(drawings) == 2
    assert not any("style=" in drawing for drawing in drawings)


def test_the_score_chart_summary_states_latest_average_and_best(client, scored_rounds):
    page = client.get("/review/scores").get_data(as_text=True)
    summary = "3 rounds from 1 Mar 2025 to 3 Mar 2025. Latest score 50%, average 58%, best 100%."
    assert figcaption_after(page, "score-chart").startswith(summary)
    assert summary in svg(page, "score-chart")


# --- a test under way stays out of the reports -----------------------------------------------


@pytest.fixture
def test_under_way(app, client, ada):
    """A test-mode attempt of three questions of section 2.2: the first answered wrong and
    the second right, through the pages, two days ago; the third open, so not submitted."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, db.session.get(User, ada))
        ids = [q.id for q in current_bank().questions if q.section == "2.2"][:3]
        assignment_id = create_assignment(
            classroom, title="Tutzing test", mode="test", question_ids=ids, length=3
        ).id
    round_id = int(
        client.post(f"/assignments/{assignment_id}/attempts").headers["Location"].split("/")[-1]
    )
    questions = questions_of(app, round_id)
    answer_through_the_page(client, round_id, 1, questions[0], right=False)
    answer_through_the_page(client, round_id, 2, questions[1], right=True)
    move_answers_back(app, ada, days=2)
    with app.app_context():
        assert db.session.get(Round, round_id).finished_at is None
    return round_id, questions


def test_answers_of_a_test_under_way_count_in_no_report(app, client, test_under_way):
    _, questions = test_under_way
    progress = client.get("/review/scores").get_data(as_text=True)
    assert section_row(progress, "2.2")[1] == "No answers yet"
    assert "Mastery by topic" not in progress and "Mastery by type" not in progress
    assert "in progress, 2 of 3 answered" in progress
    assert "<circle" not in progress

    mistakes = client.get("/review/mistakes").get_data(as_text=True)
    assert "No mistakes to review yet." in mistakes
    assert str(escape(questions[0].prompt)) not in mistakes
    assert "No question is due for review." in home(client)
    assert client.post("/review/mistakes", data={"early": "1"}).status_code == 303
    assert round_count(app) == 1


def test_answers_of_a_test_count_once_it_is_submitted(app, client, test_under_way):
    round_id, questions = test_under_way
    client.post(f"/rounds/{round_id}/submit")

    progress = client.get("/review/scores").get_data(as_text=True)
    assert section_row(progress, "2.2")[1:] == ["50%", "1 of 2 recent answers right"]
    assert "1 / 3 (33%)" in text_of(progress)
    mistakes = client.get("/review/mistakes").get_data(as_text=True)
    assert "1 question due for review." in text_of(mistakes)
    assert list(review_queue(mistakes)) == [text_of(str(escape(questions[0].prompt)))]
    assert "1 question you missed is due for review." in home(client)


def close_assignment_of(app, round_id: int) -> None:
    with app.app_context():
        db.session.get(Round, round_id).assignment.closes_at = ago(1)
        db.session.commit()


def test_a_test_left_open_at_its_close_counts_in_my_reports(app, client, test_under_way):
    round_id, questions = test_under_way
    close_assignment_of(app, round_id)

    progress = client.get("/review/scores").get_data(as_text=True)
    assert "1 / 3 (33%)" in text_of(progress)
    assert section_row(progress, "2.2")[1] == "50%"
    mistakes = client.get("/review/mistakes").get_data(as_text=True)
    assert list(review_queue(mistakes)) == [text_of(str(escape(questions[0].prompt)))]


def test_submitting_a_test_from_its_recap_after_the_close_submits_it(app, client, test_under_way):
    round_id, _ = test_under_way
    close_assignment_of(app, round_id)
    client.post(f"/rounds/{round_id}/submit")
    recap = client.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert "Round complete" in recap and "Submit the test now" not in recap


# --- Review my mistakes ----------------------------------------------------------------------


@pytest.fixture
def missed_two(app, client, ada):
    """A practice round of section 2.1 started and played through the pages: the first two
    questions missed, the others answered right. Returns the missed questions."""
    round_id = new_round_id(client.post("/rounds", data={"scope": "section:2.1", "length": "5"}))
    questions = questions_of(app, round_id)
    assert len(questions) >= 3
    for position, question in enumerate(questions, start=1):
        answer_through_the_page(client, round_id, position, question, right=position > 2)
    return questions[:2]


def test_practise_early_is_described_by_its_caveat(client, missed_two):
    """A screen reader reaching "Practise them early" hears that it moves nothing up a box."""
    page = client.get("/review/mistakes").get_data(as_text=True)
    button = re.search(r"<button[^>]*>Practise them early</button>", page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', button).group(1)
    hint = re.search(rf'<p[^>]*id="{described}"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert hint.startswith("Practising early does not move a question up a box")


def prompts(questions) -> set[str]:
    return {text_of(str(escape(q.prompt))) for q in questions}


def test_missed_questions_wait_a_day_and_can_be_practised_early(client, missed_two):
    assert "No question is due for review." in home(client)
    page = client.get("/review/mistakes").get_data(as_text=True)
    assert "Nothing is due." in page and "Practise them early" in page
    assert 'name="early" value="1"' in page
    assert review_queue(page) == {prompt: ("1", "1") for prompt in prompts(missed_two)}


def test_missed_questions_are_due_the_next_day(app, client, ada, missed_two):
    move_answers_back(app, ada, days=2)
    assert "2 questions you missed are due for review." in home(client)
    page = text_of(client.get("/review/mistakes").get_data(as_text=True))
    assert "2 questions due for review." in page and "Review 2 due questions now" in page


def test_reviewing_starts_a_round_of_exactly_the_due_questions(app, client, ada, missed_two):
    move_answers_back(app, ada, days=2)
    response = client.post("/review/mistakes")
    assert response.status_code == 302
    round_id = new_round_id(response)
    with app.app_context():
        review = db.session.get(Round, round_id)
        assert review.is_review is True
        assert review.scope == "Review of my mistakes"
        assert review.user_id == ada
        assert sorted(item.question_id for item in review.items) == sorted(q.id for q in missed_two)
    assert "Review of my mistakes" in client.get("/review/scores").get_data(as_text=True)


def test_right_answers_in_a_review_move_the_questions_to_box_2(app, client, ada, missed_two):
    move_answers_back(app, ada, days=2)
    round_id = new_round_id(client.post("/review/mistakes"))
    for position, question in enumerate(questions_of(app, round_id), start=1):
        answer_through_the_page(client, round_id, position, question, right=True)

    assert "No question is due for review." in home(client)
    page = client.get("/review/mistakes").get_data(as_text=True)
    assert "Nothing is due." in page
    assert review_queue(page) == {prompt: ("2", "1") for prompt in prompts(missed_two)}


def test_a_wrong_answer_in_a_review_sends_the_question_back_to_box_1(app, client, ada, missed_two):
    move_answers_back(app, ada, days=2)
    round_id = new_round_id(client.post("/review/mistakes"))
    again, known = questions_of(app, round_id)
    answer_through_the_page(client, round_id, 1, again, right=False)
    answer_through_the_page(client, round_id, 2, known, right=True)

    page = client.get("/review/mistakes").get_data(as_text=True)
    assert review_queue(page) == {
        text_of(str(escape(again.prompt))): ("1", "2"),
        text_of(str(escape(known.prompt))): ("2", "1"),
    }
    assert "No question is due for review." in home(client)


def test_practising_early_moves_no_question_up_a_box(app, client, missed_two):
    response = client.post("/review/mistakes", data={"early": "1"})
    round_id = new_round_id(response)
    questions = questions_of(app, round_id)
    assert {q.id for q in questions} == {q.id for q in missed_two}
    for position, question in enumerate(questions, start=1):
        answer_through_the_page(client, round_id, position, question, right=True)

    page = client.get("/review/mistakes").get_data(as_text=True)
    assert review_queue(page) == {prompt: ("1", "1") for prompt in prompts(missed_two)}


def test_a_review_round_takes_the_ten_longest_overdue_of_twelve(app, client, ada):
    questions = [single(f"q-{n:02d}", f"Question number {n}?") for n in range(12)]
    for n, question in enumerate(questions):
        played(app, ada, [(question, False)], at=ago(20 - n))  # q-00 is the most overdue

    page = text_of(client.get("/review/mistakes").get_data(as_text=True))
    assert "12 questions due for review. A review round takes the first 10." in page
    assert "Review 10 due questions now" in page
    round_id = new_round_id(client.post("/review/mistakes"))
    with app.app_context():
        chosen = [item.question_id for item in db.session.get(Round, round_id).items]
    assert sorted(chosen) == [f"q-{n:02d}" for n in range(10)]


@pytest.mark.parametrize("form", [{}, {"early": "1"}], ids=["due", "early"])
def test_reviewing_with_nothing_waiting_says_so_and_starts_no_round(app, client, ada, form):
    played(app, ada, [(single("q-known", "Known?"), True)], at=ago(5))
    before = round_count(app)
    response = client.post("/review/mistakes", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/review/mistakes"
    page = client.get("/review/mistakes").get_data(as_text=True)
    assert "Nothing to review: no question you missed is waiting." in page
    assert round_count(app) == before


# --- privacy ---------------------------------------------------------------------------------


@pytest.fixture
def two_histories(app, ada, grace):
    """Ada missed two questions and Grace one, each their own, two days ago."""
    ada_round = played(
        app,
        ada,
        [
            (single("q-ada-1", "Ada asks about Genscher?"), False),
            (single("q-ada-2", "Ada asks about Kohl?"), False),
        ],
        at=ago(2),
    )
    grace_round = played(
        app,
        grace,
        [
            (single("q-grace-1", "Grace asks about Shevardnadze?"), False),
            (single("q-grace-2", "Grace asks about Gorbachev?"), True),
        ],
        at=ago(2),
    )
    return ada_round, grace_round


def test_another_learners_recap_is_not_found(client, other_client, two_histories):
    ada_round, grace_round = two_histories
    response = other_client.get(f"/review/rounds/{ada_round}")
    assert response.status_code == 404
    assert "Ada asks" not in response.get_data(as_text=True)
    assert client.get(f"/review/rounds/{grace_round}").status_code == 404
    assert client.get(f"/review/rounds/{ada_round}").status_code == 200


@pytest.mark.parametrize("path", ["/review/scores", "/review/mistakes"])
def test_my_pages_show_only_my_own_questions_and_rounds(client, other_client, two_histories, path):
    ada_round, grace_round = two_histories
    ada_page = client.get(path).get_data(as_text=True)
    grace_page = other_client.get(path).get_data(as_text=True)
    assert "Grace asks" not in ada_page and "Ada asks" not in grace_page
    assert "q-grace" not in ada_page and "q-ada" not in grace_page
    assert f"/review/rounds/{grace_round}" not in ada_page
    assert f"/review/rounds/{ada_round}" not in grace_page
    if path == "/review/scores":
        assert f"/review/rounds/{ada_round}" in ada_page
        assert f"/review/rounds/{grace_round}" in grace_page
    else:
        assert "Ada asks about Genscher?" in ada_page
        assert "Grace asks about Shevardnadze?" in grace_page


def test_the_home_page_counts_only_my_own_due_questions(client, other_client, two_histories):
    assert "2 questions you missed are due for review." in home(client)
    assert "1 question you missed is due for review." in home(other_client)


def test_a_review_round_holds_only_my_own_mistakes(app, other_client, two_histories):
    round_id = new_round_id(other_client.post("/review/mistakes"))
    assert [q.id for q in questions_of(app, round_id)] == ["q-grace-1"]


# --- queries ---------------------------------------------------------------------------------


SECTIONS = ("1", "2.1", "2.3", "3.2", "4.1", "5", "6.3", "8")
TYPES = ("single", "true_false", "year")


def varied_question(n: int) -> Question:
    return make_question(
        TYPES[n % len(TYPES)],
        id=f"q-varied-{n}",
        prompt=f"Varied question {n}?",
        section=SECTIONS[n % len(SECTIONS)],
        topics=(f"topic-{n % 5}",),
    )


def varied_round(app, user_id: int, number: int, at: datetime) -> None:
    """Ten answers to varied questions of varied sections and types, a third of them wrong."""
    answers = [(varied_question((number * 7 + i) % 40), (number + i) % 3 != 0) for i in range(10)]
    played(app, user_id, answers, at=at)


@pytest.mark.parametrize("path", ["/review/scores", "/review/mistakes", "/"])
def test_a_learners_pages_cost_the_same_queries_after_one_round_or_fifty(
    app, client, other_client, ada, path
):
    with app.app_context():
        bo = create_user("bo").id
    log_in(other_client, "bo")
    varied_round(app, ada, 0, at=ago(2))
    for number in range(50):
        varied_round(app, bo, number, at=ago(60 - number))

    for browser in (client, other_client):  # both with questions due, through the same branches
        response = browser.get(path)
        assert response.status_code == 200
        if path != "/review/scores":
            assert "due for review." in response.get_data(as_text=True)
    one = count_queries(app, lambda: client.get(path))
    fifty = count_queries(app, lambda: other_client.get(path))
    assert one == fifty
    if path == "/review/scores":
        assert other_client.get(path).get_data(as_text=True).count("/review/rounds/") == 50


def test_the_recap_sends_the_missed_questions_to_review(app, client, missed_two):
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).order_by(Round.id.desc()))
    recap = text_of(client.get(f"/review/rounds/{round_id}").get_data(as_text=True))
    assert "2 questions you did not get fully right wait in Review my mistakes" in recap


def test_the_recap_of_a_test_under_way_says_nothing_of_mistakes(app, client, test_under_way):
    round_id, _ = test_under_way
    recap = text_of(client.get(f"/review/rounds/{round_id}").get_data(as_text=True))
    assert "Review my mistakes:" not in recap and "did not get fully right" not in recap


# --- one rounding for every percentage -----------------------------------------------------


def test_a_score_reads_the_same_percentage_on_the_recap_and_on_my_progress(app, client, ada):
    """5.7 out of 20 is 28.5 %: 29 % everywhere (float noise once made the recap say 28 %)."""
    with app.app_context():
        questions = [make_question("single", id=f"q-{n}") for n in range(20)]
        a_round = start_round_with(db.session.get(User, ada), questions)
        for item, score in zip(a_round.items, [1.0] * 5 + [0.7] + [0.0] * 14, strict=True):
            item.answer = Answer(response="c1" if score else "c2", score=score, correct=score == 1)
        a_round.finished_at, a_round.score = utcnow(), 5.7
        db.session.commit()
        round_id = a_round.id
    recap = html.unescape(client.get(f"/review/rounds/{round_id}").get_data(as_text=True))
    progress = client.get("/review/scores").get_data(as_text=True)
    assert "5.7 out of 20</strong> (29%)" in recap
    assert "Score 29%." in figcaption_after(progress, "score-chart")
