"""Every report page runs as many SQL queries for a class of 200 students with 50 finished
attempts each as for a class of 2 with 2: none runs a query per student, attempt or answer.

Both classes are built once for the module, in one database, by the benchmark's builder
(`bench.reports.build_class`, bulk inserts: about 10 s on SQLite, 20 s on PostgreSQL), and
each page is read once per class; the query count is the app's own `X-Query-Count`.
"""

import csv
import io
import re
from dataclasses import dataclass

import pytest

from bench.reports import (
    ITEMS,
    PAGES,
    TEACHER,
    ClassData,
    Page,
    app_config,
    build_class,
    logged_in,
    query_count,
)
from quizapp import create_app
from quizapp.domain.csv_export import BOM
from quizapp.extensions import db
from tests.conftest import empty_database
from tests.factories import create_teacher

SMALL = (2, 2)  # students, finished attempts each
LARGE = (200, 50)
ASSIGNMENTS = 5  # as build_class sets them


@dataclass(frozen=True)
class Visit:
    status: int
    queries: int
    text: str


class Classes:
    """The two classes, and each page as read by its teacher or by a student of the class
    (read once, then remembered: the large class's pages take seconds)."""

    def __init__(self, app, data: dict[str, ClassData]):
        self.app = app
        self.data = data
        self._clients = {}
        self._visits = {}

    def _client(self, size: str, reader: str):
        username = "tess" if reader == TEACHER else self.data[size].student_name
        if username not in self._clients:
            self._clients[username] = logged_in(self.app, username)
        return self._clients[username]

    def visit(self, size: str, page: Page) -> Visit:
        if (size, page) not in self._visits:
            response = self._client(size, page.reader).get(page.url(self.data[size]))
            self._visits[size, page] = Visit(
                response.status_code,
                query_count(response),
                response.get_data(as_text=True),
            )
        return self._visits[size, page]

    def large(self, name: str) -> Visit:
        return self.visit("large", next(p for p in PAGES if p.name == name))


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    with empty_database(tmp_path_factory.mktemp("reports")) as url:
        app = create_app(app_config(url))
        with app.app_context():
            db.create_all()
            teacher = create_teacher("tess")
            data = {
                "small": build_class(teacher, *SMALL, prefix="small"),
                "large": build_class(teacher, *LARGE, prefix="large"),
            }
        yield Classes(app, data)
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_report_page_runs_as_many_queries_for_200_students_as_for_2(classes, page):
    small = classes.visit("small", page)
    large = classes.visit("large", page)

    assert (small.status, large.status) == (200, 200)
    assert large.queries == small.queries, f"{page.name}: {small.queries} -> {large.queries}"


@pytest.mark.parametrize("policy", ["best", "last", "average"])
def test_gradebook_shows_every_student_at_every_assignment(classes, policy):
    page = classes.large(f"gradebook show={policy}").text
    data = classes.data["large"]

    linked = re.findall(r'/students/\d+">([^<]+)</a></th>', page)
    assert linked == sorted(data.student_names)
    assert len(data.student_names) == LARGE[0]
    assert page.count('<td class="cell-') == LARGE[0] * ASSIGNMENTS


def test_gradebook_csv_has_a_row_per_student(classes):
    rows = list(csv.reader(io.StringIO(classes.large("gradebook.csv").text.removeprefix(BOM))))

    assert [row[0] for row in rows[1:]] == sorted(classes.data["large"].student_names)


def test_responses_csv_has_a_row_per_question_of_every_attempt(classes):
    rows = list(csv.reader(io.StringIO(classes.large("responses.csv").text.removeprefix(BOM))))

    attempts = LARGE[0] * LARGE[1] + 1  # and the first student's test under way
    assert rows[0][:2] == ["student", "assignment"]
    assert len(rows) - 1 == attempts * ITEMS
    assert {row[0] for row in rows[1:]} == set(classes.data["large"].student_names)


def test_class_overview_counts_every_student(classes):
    page = classes.large("class overview").text

    assert f"Mastery of the class's {LARGE[0]} students" in page
    assert "Least understood:" in page
    assert 'class="mastery"' in page


@pytest.mark.parametrize("which", ["first", "best", "last"])
def test_item_statistics_analyse_one_attempt_per_student(classes, which):
    page = classes.large(f"statistics attempts={which}").text

    assert f"{LARGE[0]} submitted attempts analysed" in page
    assert len(re.findall(r'<section id="item-\d+"', page)) == ITEMS


def test_item_statistics_of_all_attempts_analyse_every_submitted_one(classes):
    page = classes.large("statistics attempts=all").text
    submitted = classes.data["large"].submitted_at_assignment

    assert submitted > LARGE[0]
    assert f"{submitted} submitted attempts analysed" in page


def test_item_statistics_flag_the_easy_the_hard_and_the_misleading_question(classes):
    page = classes.large("statistics attempts=all").text

    assert "Too easy (facility above 95%)" in page
    assert "Too hard (facility below 20%)" in page
    assert "Discriminates negatively" in page


def test_attempt_page_shows_every_question_with_its_verdict(classes):
    page = classes.large("attempt").text

    assert page.count('<p class="verdict-small">') == ITEMS


def test_student_page_lists_every_attempt_of_the_student(classes):
    page = classes.large("student's attempts").text

    assert page.count('href="/teach/attempts/') == LARGE[1] + 1  # and the test under way


def test_my_progress_lists_every_round_of_the_student(classes):
    page = classes.large("my progress").text

    assert page.count('href="/review/rounds/') == classes.data["large"].rounds_of_student
    assert 'id="sections-table"' in page


def test_mistakes_and_home_agree_on_how_many_questions_are_due(classes):
    mistakes = re.search(
        r"(\d+) questions? due for review", classes.large("review my mistakes").text
    )
    home = re.search(r"(\d+) questions? you missed", classes.large("home").text)

    assert mistakes and home
    assert int(mistakes.group(1)) == int(home.group(1)) > 0
