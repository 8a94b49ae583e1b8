"""The teacher's workspace: classes, assignments, the bank browser, history, retire and
restore, import and export; and who may reach each page."""

import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import current_bank, question_store
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Classroom,
    QuestionVersion,
    TeacherQuestion,
    User,
    utcnow,
)
from tests.factories import (
    BAKER_QUOTE,
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    make_question,
    right_form,
)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored_question(app, owner="tess", **changes) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == owner))
        row = question_store.create_question(user, make_question("single", **changes))
        db.session.commit()
        return row.id


GIFT = """// A class quiz
$CATEGORY: nato/baker

::baker-place:: In which city did Baker meet Gorbachev on 9 February 1990? {
=Moscow #Yes: the Kremlin talks.
~Bonn
~Washington
####Section 1 tells of Baker's visit.}

::tf-inch:: Baker said "not one inch" in Moscow. {T}
"""


# --- classes --------------------------------------------------------------------------------


def test_a_teacher_creates_a_class_and_sees_its_join_code(app, teacher):
    response = teacher.post("/teach/classes", data={"name": "Year 12 History"})
    assert response.status_code == 302
    with app.app_context():
        classroom = db.session.scalar(select(Classroom))
        code = classroom.join_code
    assert len(code) == 8
    dashboard = teacher.get("/teach/").get_data(as_text=True)
    assert "Year 12 History" in dashboard and code in dashboard


def test_a_class_without_a_name_is_refused_with_a_message(app, teacher):
    response = teacher.post("/teach/classes", data={"name": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.get_data(as_text=True)
    assert count(app, Classroom) == 0


def test_the_class_page_lists_its_students_and_assignments(app, teacher):
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        classroom = create_classroom(tess)
        enroll(classroom, create_user("bob"))
        create_assignment(classroom, title="Tutzing speech")
        class_id = classroom.id
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "bo" in page and "Tutzing speech" in page


# --- assignments -----------------------------------------------------------------------------


@pytest.fixture
def class_id(app, teacher):
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        return create_classroom(tess).id


def test_an_assignment_from_a_section_is_created(app, teacher, class_id):
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={
            "title": "Section 2 check",
            "mode": "test",
            "closes_at": (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "attempts_allowed": "2",
            "source": "scope",
            "scope": "section:2",
            "length": "8",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert (assignment.mode, assignment.section, assignment.length) == ("test", "2", 8)
        assert assignment.attempts_allowed == 2 and assignment.closes_at > utcnow()
        assert assignment.question_ids == []


def set_chosen_questions(teacher, class_id, question_ids):
    data = {"title": "Chosen", "mode": "practice", "attempts_allowed": "1", "source": "chosen"}
    return teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data={**data, "question_ids": question_ids}
    )


def test_an_assignment_of_chosen_questions_keeps_their_order(app, teacher, class_id):
    own = stored_question(app, prompt="Where did Baker speak?")
    with app.app_context():
        library = [q.id for q in current_bank().questions[:2]]
    chosen = [f"t-{own}", *library]
    response = set_chosen_questions(teacher, class_id, chosen)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Assignment)).question_ids == chosen


def test_an_assignment_counts_a_question_ticked_twice_in_a_forged_post_once(app, teacher, class_id):
    with app.app_context():
        first = current_bank().questions[0].id
    response = set_chosen_questions(teacher, class_id, [first, first, first])
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert (assignment.question_ids, assignment.length) == ([first], 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"source": "chosen"}, "Tick at least one question"),
        ({"attempts_allowed": "-1"}, "Number must be between 0 and 20"),
        ({"length": "99"}, "Number must be between 1 and 30"),
        ({"scope": "section:99"}, "Not a valid choice"),
        ({"question_ids": ["not-a-question"], "source": "chosen"}, "not a valid choice"),
        (
            {"opens_at": "2030-01-02T10:00", "closes_at": "2030-01-01T10:00"},
            "The closing time must come after the opening time.",
        ),
    ],
)
def test_a_bad_assignment_is_refused_and_nothing_is_written(
    app, teacher, class_id, changes, message
):
    data = {
        "title": "Check",
        "mode": "practice",
        "attempts_allowed": "1",
        "source": "scope",
        "scope": "all",
        "length": "5",
    } | changes
    response = teacher.post(f"/teach/classes/{class_id}/assignments/new", data=data)
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    assert count(app, Assignment) == 0


def test_the_assignment_page_shows_each_attempt_and_its_score(app, teacher, class_id):
    with app.app_context():
        from quizapp import attempt_store

        classroom = db.session.get(Classroom, class_id)
        bo = create_user("bob")
        enroll(classroom, bo)
        assignment = create_assignment(classroom, question_ids=[current_bank().questions[0].id])
        attempt = attempt_store.start_attempt(bo, assignment, current_bank(), utcnow(), seed=1)
        db.session.commit()
        assignment_id, round_id = assignment.id, attempt.id
        question = attempt.items[0].question
    student = app.test_client()
    student.post("/login", data={"username": "bob", "password": "correct horse battery"})
    student.post(f"/rounds/{round_id}/questions/1", data=right_form(question))
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "bo" in page and "1 / 1" in page


# --- questions: browser, history, retire -----------------------------------------------------


def test_the_bank_browser_filters_and_paginates(app, teacher):
    for n in range(25):
        stored_question(app, prompt=f"Question number {n} about Baker?")
    stored_question(app, prompt="A question on Genscher?", type=make_question("year").type)
    first = teacher.get("/teach/questions").get_data(as_text=True)
    assert "26 questions, page 1 of 2" in first and "Next page" in first
    second = teacher.get("/teach/questions?page=2").get_data(as_text=True)
    assert "26 questions, page 2 of 2" in second and "Previous page" in second
    prompts = re.compile(r"Question number \d+ about Baker\?|A question on Genscher\?")
    on_first, on_second = set(prompts.findall(first)), set(prompts.findall(second))
    assert len(on_first | on_second) == 26 and not on_first & on_second
    past_the_end = teacher.get("/teach/questions?page=9").get_data(as_text=True)
    assert "26 questions, page 2 of 2" in past_the_end
    found = teacher.get("/teach/questions?q=genscher").get_data(as_text=True)
    assert "1 question." in found and "A question on Genscher?" in found
    library = teacher.get("/teach/questions?source=library&type=ordering").get_data(as_text=True)
    with app.app_context():
        orderings = sum(q.type.value == "ordering" for q in current_bank().questions)
    assert f"{orderings} questions" in library


def test_a_question_shows_as_a_student_sees_it_with_its_history(app, teacher):
    question_id = stored_question(app, prompt="Who promised “not one inch”?")
    page = teacher.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "Who promised “not one inch”?" in page
    assert "James Baker" in page and BAKER_QUOTE in page
    assert "Version 1" in page


def test_retire_and_restore(app, teacher):
    question_id = stored_question(app)
    teacher.post(f"/teach/questions/{question_id}/retire")
    with app.app_context():
        assert db.session.get(TeacherQuestion, question_id).status == "retired"
        assert (
            question_store.playable_questions(db.session.get(TeacherQuestion, question_id).owner_id)
            == []
        )
    teacher.post(f"/teach/questions/{question_id}/restore")
    with app.app_context():
        assert db.session.get(TeacherQuestion, question_id).status == "active"


# --- import and export -----------------------------------------------------------------------


def test_import_previews_then_imports_all_on_confirmation(app, teacher):
    preview = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(GIFT.encode()), "quiz.gift"), "format": "auto", "preview": "1"},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 questions would be created" in page and "2 cite no passage yet" in page
    assert count(app, TeacherQuestion) == 0

    confirmed = teacher.post(
        "/teach/import",
        data={
            "text": GIFT,
            "filename": "quiz.gift",
            "format": "gift",
            "confirm": "y",
            "submit": "Import",
        },
        follow_redirects=True,
    )
    assert "Imported 2 questions" in confirmed.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(select(TeacherQuestion)).all()
        assert {r.type for r in rows} == {"single", "true_false"}
        assert all(not r.cites_source for r in rows)
        assert question_store.playable_questions(rows[0].owner_id) == []


def test_a_broken_import_reports_file_and_line_and_imports_nothing(app, teacher):
    broken = GIFT + "\n::essay:: Write about Munich 2007. {}\n"
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(broken.encode()), "quiz.gift"), "format": "auto", "preview": "1"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "quiz.gift:" in page and "essay" in page.lower()
    confirmed = teacher.post(
        "/teach/import",
        data={
            "text": broken,
            "filename": "quiz.gift",
            "format": "gift",
            "confirm": "y",
            "submit": "Import",
        },
    )
    assert confirmed.status_code == 400
    assert count(app, TeacherQuestion) == 0


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Baker's city</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Where did <b>Baker</b> meet Gorbachev?</p>]]></text>
    </questiontext>
    <answer fraction="100"><text>Moscow</text></answer>
    <answer fraction="0"><text>Bonn</text></answer>
  </question>
  <question type="essay">
    <name><text>Munich 2007</text></name>
    <questiontext format="html"><text>Write about Munich 2007.</text></questiontext>
  </question>
</quiz>
"""
SKIP_LABEL = "Skip questions of types this app does not have"


def test_moodle_xml_with_an_essay_previews_the_problem_and_imports_nothing(app, teacher):
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(MOODLE_XML.encode()), "bank.xml"), "format": "auto"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "bank.xml:11: question &#39;Munich 2007&#39;: type=&#34;essay&#34;" in page
    assert SKIP_LABEL in page
    confirmed = teacher.post(
        "/teach/import",
        data={
            "text": MOODLE_XML,
            "filename": "bank.xml",
            "format": "xml",
            "confirm": "y",
            "submit": "Import",
        },
    )
    assert confirmed.status_code == 400
    assert count(app, TeacherQuestion) == 0


def test_the_skip_checkbox_imports_the_rest_and_lists_what_was_skipped(app, teacher):
    preview = teacher.post(
        "/teach/import",
        data={
            "file": (io.BytesIO(MOODLE_XML.encode()), "bank.xml"),
            "format": "auto",
            "skip_unsupported": "y",
        },
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 question would be created" in page
    assert "Skipped: 1 question of types this app does not have" in page
    assert 'name="skip_unsupported" value="y"' in page  # carried into the confirmation
    assert count(app, TeacherQuestion) == 0
    confirmed = teacher.post(
        "/teach/import",
        data={
            "text": MOODLE_XML,
            "filename": "bank.xml",
            "format": "xml",
            "skip_unsupported": "y",
            "confirm": "y",
            "submit": "Import",
        },
        follow_redirects=True,
    )
    assert (
        "Imported 1 question (1 single). 1 question of a type this app does not have was skipped."
        in confirmed.get_data(as_text=True)
    )
    with app.app_context():
        (row,) = db.session.scalars(select(TeacherQuestion)).all()
        assert row.type == "single"
        assert row.current.as_question.prompt == "Where did **Baker** meet Gorbachev?"


def test_a_moodle_xml_entity_bomb_on_the_web_writes_nothing(app, teacher):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<quiz>&b;</quiz>\n'
    )
    for data in (
        {"file": (io.BytesIO(bomb.encode()), "bomb.xml"), "format": "auto"},
        {"text": bomb, "filename": "bomb.xml", "format": "xml", "confirm": "y", "submit": "1"},
    ):
        response = teacher.post("/teach/import", data=data, content_type="multipart/form-data")
        assert response.status_code == 400
        assert "bomb.xml:2: a DTD" in response.get_data(as_text=True)
    assert count(app, TeacherQuestion) == 0


def test_an_upload_that_is_not_utf8_is_refused(app, teacher):
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO("Qué?\n".encode("latin-1")), "q.gift"), "format": "gift"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)


def test_export_downloads_own_questions_in_each_format(app, teacher):
    stored_question(app, prompt="Where did Baker speak?")
    for name, marker in (
        ("yaml", "questions:"),
        ("gift", "::"),
        ("aiken", "ANSWER:"),
        ("xml", "<quiz>"),
    ):
        response = teacher.get(f"/teach/export?format={name}")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert marker in response.get_data(as_text=True)
        assert "Where did Baker speak?" in response.get_data(as_text=True)
        assert response.headers["X-Questions-Exported"] == "1"


def test_export_page_counts_what_each_format_leaves_out(app, teacher):
    stored_question(app)
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        question_store.create_question(tess, make_question("ordering"))
        db.session.commit()
    page = teacher.get("/teach/export").get_data(as_text=True)
    assert "Moodle GIFT</th><td>1</td><td>1</td>" in page


# --- versions --------------------------------------------------------------------------------


def test_editing_a_shown_question_adds_a_version_and_old_attempts_keep_theirs(app):
    with app.app_context():
        tess = create_teacher()
        row = question_store.create_question(tess, make_question("single", prompt="Old text?"))
        db.session.commit()
        assert (
            question_store.update_question(
                row, make_question("single", prompt="Typo fixed?")
            ).number
            == 1
        )
        db.session.commit()
        classroom = create_classroom(tess)
        bo = create_user("bob")
        enroll(classroom, bo)
        assignment = create_assignment(classroom, question_ids=[row.public_id])
        from quizapp import attempt_store

        attempt = attempt_store.start_attempt(bo, assignment, current_bank(), utcnow(), seed=3)
        db.session.commit()
        version = question_store.update_question(row, make_question("single", prompt="New text?"))
        db.session.commit()
        assert version.number == 2
        assert attempt.items[0].question.prompt == "Typo fixed?"
        assert attempt.items[0].version_id == row.versions[0].id
        assert count(app, QuestionVersion) == 2


# --- who may ---------------------------------------------------------------------------------


TEACHER_GETS = [
    "/teach/",
    "/teach/questions",
    "/teach/import",
    "/teach/export",
]


@pytest.mark.parametrize("path", TEACHER_GETS)
def test_a_student_gets_403_on_teacher_pages(client, auth, user, path):
    auth.login()
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", TEACHER_GETS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_student_cannot_create_a_class_or_import(app, client, auth, user):
    auth.login()
    assert client.post("/teach/classes", data={"name": "Mine"}).status_code == 403
    assert (
        client.post(
            "/teach/import",
            data={"text": GIFT, "format": "gift", "confirm": "y", "submit": "Import"},
        ).status_code
        == 403
    )
    assert count(app, Classroom) == 0 and count(app, TeacherQuestion) == 0


def test_another_teachers_class_assignment_and_question_are_not_found(app, client, auth):
    with app.app_context():
        tess = create_teacher("tess")
        create_teacher("olga")
        classroom = create_classroom(tess)
        assignment = create_assignment(classroom)
        row = question_store.create_question(tess, make_question("single"))
        db.session.commit()
        ids = classroom.id, assignment.id, row.id
    auth.login("olga")
    class_id, assignment_id, question_id = ids
    for path in (
        f"/teach/classes/{class_id}",
        f"/teach/classes/{class_id}/assignments/new",
        f"/teach/assignments/{assignment_id}",
        f"/teach/questions/{question_id}",
        f"/teach/questions/{question_id}/versions/1",
        f"/teach/questions/{question_id}/edit",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/teach/questions/{question_id}/retire").status_code == 404
    assert (
        client.post(f"/teach/classes/{class_id}/assignments/new", data={"title": "x"}).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(TeacherQuestion, question_id).status == "active"
        assert count(app, Assignment) == 1


# --- the question picker -------------------------------------------------------------------


def picker_labels(page: str) -> list[str]:
    listing = page.split('<ul class="checkbox-list">')[1].split("</ul>")[0]
    return [html.unescape(label) for label in re.findall(r"<label[^>]*>([^<]*)</label>", listing)]


def test_the_picker_filters_by_words_type_and_section_with_a_plain_get(app, teacher, class_id):
    stored_question(app, prompt="Where did Baker speak?")
    url = f"/teach/classes/{class_id}/assignments/new"
    everything = picker_labels(teacher.get(url).get_data(as_text=True))
    page = teacher.get(f"{url}?q=baker&type=single&section=").get_data(as_text=True)
    found = picker_labels(page)
    assert 0 < len(found) < len(everything)
    one_answer = " · Multiple choice, one answer · "
    assert all(one_answer in label and "baker" in label.lower() for label in found)
    assert f"Yours · 1{one_answer}Where did Baker speak?" in found
    by_section = picker_labels(teacher.get(f"{url}?section=3").get_data(as_text=True))
    assert by_section and all(label.split(" · ")[1].startswith("3") for label in by_section)
    # A filtered page offers the ticked-questions way and keeps the filter in the form's post.
    chosen = r'<input checked id="source-\d" name="source" type="radio" value="chosen">'
    assert re.search(chosen, page)
    assert f'action="{url}?q=baker&amp;type=single"' in page


def test_a_ticked_question_stays_listed_when_the_filter_leaves_it_out(app, teacher, class_id):
    with app.app_context():
        library = current_bank().questions[0]
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new?q=no+such+words+anywhere",
        data={"title": "", "source": "chosen", "question_ids": [library.id]},
    )
    assert response.status_code == 400
    assert [
        label.endswith(library.prompt) for label in picker_labels(response.get_data(as_text=True))
    ] == [True]


def test_ticked_questions_play_in_the_order_of_the_list_whatever_order_is_posted(
    app, teacher, class_id
):
    with app.app_context():
        first, second, third = [q.id for q in current_bank().questions[:3]]
    teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={
            "title": "Reordered",
            "mode": "practice",
            "attempts_allowed": "1",
            "source": "chosen",
            "question_ids": [third, first, second],
        },
    )
    with app.app_context():
        assert db.session.scalar(select(Assignment)).question_ids == [first, second, third]


def test_the_preview_never_shows_an_ordering_question_in_its_solved_order(app, teacher):
    """Written in the right order, as the editor's rows usually are, it still previews
    (as it plays) shuffled out of that order, with the right answer below."""
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        question = make_question("ordering", answer=("c1", "c2", "c3"))
        row_id = question_store.create_question(tess, question).id
        db.session.commit()
    page = teacher.get(f"/teach/questions/{row_id}").get_data(as_text=True)
    shown = [
        html.unescape(t)
        for t in re.findall(r"<span class=\"order-text\" id=\"item-c\d\">([^<]*)</span>", page)
    ]
    solved = [c.text for c in question.choices]
    assert sorted(shown) == sorted(solved) and shown != solved
