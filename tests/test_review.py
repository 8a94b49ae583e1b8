import re

from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import User
from tests.factories import make_question, start_round_with


def test_my_scores_says_when_there_is_nothing_yet(client, auth, user):
    auth.login()
    page = client.get("/review/scores").get_data(as_text=True)
    assert "No rounds yet." in page


def test_my_scores_lists_only_my_rounds_newest_first(client, auth, app, user):
    with app.app_context():
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        older = start_round_with(ada, [make_question("single")]).id
        newer = start_round_with(ada, [make_question("year")]).id
        grace = User(username="grace", password_hash="x")
        db.session.add(grace)
        db.session.commit()
        theirs = start_round_with(grace, [make_question("single")]).id
    auth.login()
    page = client.get("/review/scores").get_data(as_text=True)
    links = re.findall(r'href="/review/rounds/(\d+)"', page)
    assert links == [str(newer), str(older)]
    assert str(theirs) not in links


def test_recap_of_an_unfinished_round_offers_to_carry_on(client, auth, app, user):
    with app.app_context():
        ada = db.session.get(User, 1)
        round_id = start_round_with(ada, [make_question("single"), make_question("year")]).id
    auth.login()
    client.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"})
    page = client.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert "Round in progress" in page
    assert "1 of 2 answered" in page
    assert "Not answered yet." in page
    assert page.count("From the article, section") == 1


def test_a_short_section_gives_a_shorter_round_and_says_so(client, auth, app, user):
    auth.login()
    response = client.post("/rounds", data={"scope": "section:4.2", "length": "20"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = re.search(
        r"Section 4.2 holds (\d+) questions that do not repeat each other, "
        r"so this round has \1.",
        page,
    )
    assert match and int(match.group(1)) < 20
    assert f"Question 1 of {match.group(1)}" in page


def test_a_topic_of_one_question_says_so_in_the_singular(client, auth, app, user):
    auth.login()
    response = client.post("/rounds", data={"scope": "topic:bush", "length": "5"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Topic: bush holds 1 question that does not repeat another, so this round has 1." in (
        page
    )


def test_pages_load_nothing_from_another_host(client, auth, app, user):
    """The app runs offline: every script, style and image is ours."""
    pages = [client.get("/register").get_data(as_text=True)]
    auth.login()
    response = client.post("/rounds", data={"scope": "all", "length": "5"})
    for path in ("/", "/source/", response.headers["Location"], "/review/scores"):
        pages.append(client.get(path).get_data(as_text=True))
    for path, page in enumerate(pages):
        assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page)
        assert assets, path
        assert all(a.startswith("/") and not a.startswith("//") for a in assets), (path, assets)


def count_queries(app, fetch) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        fetch()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_my_scores_costs_the_same_queries_for_two_rounds_or_forty(client, auth, app, user):
    auth.login()
    questions = [make_question(t) for t in ("single", "year", "ordering")]

    def add_rounds(n):
        with app.app_context():
            ada = db.session.get(User, 1)
            for _ in range(n):
                start_round_with(ada, questions)

    add_rounds(2)
    few = count_queries(app, lambda: client.get("/review/scores"))
    add_rounds(38)
    many = count_queries(app, lambda: client.get("/review/scores"))
    assert few == many
    assert client.get("/review/scores").get_data(as_text=True).count("/review/rounds/") == 40


def test_feedback_and_recap_mark_each_choice_of_a_multiple_choice_answer(client, auth, app, user):
    with app.app_context():
        ada = db.session.get(User, 1)
        round_id = start_round_with(ada, [make_question("multiple")]).id
    auth.login()
    response = client.post(f"/rounds/{round_id}/questions/1", data={"choice": ["c1", "c2"]})
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    recap = client.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    for page in (feedback, recap):
        assert 'class="mark">Right:</strong> James Baker' in page
        assert (
            'class="mark">Wrong:</strong> Helmut Kohl <span class="mark-note">(not correct' in page
        )
        assert 'Hans-Dietrich Genscher <span class="mark-note">(correct, you did not tick' in page
