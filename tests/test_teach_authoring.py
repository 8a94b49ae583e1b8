"""Writing and editing questions on the web: every type, the passage picker, the preview,
versions that past attempts keep, and teacher text that cannot carry a script."""

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp import attempt_store, current_bank, question_store
from quizapp.extensions import db
from quizapp.models import QuestionVersion, Round, TeacherQuestion, User, utcnow
from tests.factories import (
    BAKER_QUOTE,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    right_form,
)

COMMON = {
    "text_format": "plain",
    "kind": "fact",
    "section": "1",
    "quote": BAKER_QUOTE,
    "explanation": "Section 1 tells of Baker's visit to Moscow.",
    "topics": "baker, moscow",
    "difficulty": "2",
}

BY_TYPE = {
    "single": {
        "prompt": "Who spoke of “not one inch”?",
        "choices-0-text": "James Baker",
        "choices-0-correct": "y",
        "choices-1-text": "Helmut Kohl",
        "choices-1-feedback": "Kohl met Gorbachev the next day.",
    },
    "multiple": {
        "prompt": "Which were in Moscow in February 1990?",
        "choices-0-text": "James Baker",
        "choices-0-correct": "y",
        "choices-1-text": "Mikhail Gorbachev",
        "choices-1-correct": "y",
        "choices-2-text": "Vladimir Putin",
    },
    "true_false": {"prompt": "Baker met Gorbachev in Moscow.", "true_false": "true"},
    "year": {"prompt": "In which year did Baker meet Gorbachev?", "year": "1990", "tolerance": "0"},
    "ordering": {
        "prompt": "Put these in order.",
        "choices-0-text": "Malta summit",
        "choices-1-text": "Baker in Moscow",
        "choices-2-text": "Two Plus Four signed",
    },
    "matching": {
        "prompt": "Match each to its speaker.",
        "pairs-0-left": "not one inch",
        "pairs-0-right": "Baker",
        "pairs-1-left": "rule out expansion",
        "pairs-1-right": "Genscher",
        "distractors": "Kohl",
    },
    "classify": {"prompt": "NATO broke its word.", "classify_answer": "russian"},
    "short": {
        "prompt": "Who asked Gorbachev in Moscow?",
        "choices-0-text": "James Baker",
        "choices-1-text": "Baker",
        "choices-1-weight": "50",
        "choices-1-feedback": "Give his full name.",
    },
    "numeric": {
        "prompt": "How many times, says the Free Press, did Baker say it?",
        "numeric-0-value": "3",
        "numeric-0-tolerance": "0",
    },
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def new(client, qtype, data, button="save"):
    return client.post(f"/teach/questions/new?type={qtype}", data=data | {button: "x"})


def test_the_type_chooser_offers_every_type(teacher):
    page = teacher.get("/teach/questions/new").get_data(as_text=True)
    for qtype in BY_TYPE:
        assert f"/teach/questions/new?type={qtype}" in page


@pytest.mark.parametrize("qtype", list(BY_TYPE))
def test_a_question_of_each_type_is_written_saved_and_playable(app, teacher, qtype):
    response = new(teacher, qtype, COMMON | BY_TYPE[qtype])
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(TeacherQuestion))
        question = row.current.as_question
        assert (row.type, question.type.value) == (qtype, qtype)
        assert question.quote == BAKER_QUOTE and question.section == "1"
        assert question.topics == ("baker", "moscow") and question.difficulty == 2
        assert [q.id for q in question_store.playable_questions(row.owner_id)] == [row.public_id]
    detail = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert str(escape(BY_TYPE[qtype]["prompt"])) in detail


def test_a_quote_not_in_the_article_is_refused_with_where_the_nearest_text_is(app, teacher):
    data = COMMON | BY_TYPE["single"] | {"quote": "not one inch of NATO will spread east"}
    response = new(teacher, "single", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not in section 1" in page or "nearest" in page
    assert count(app, TeacherQuestion) == 0


def test_a_quote_from_another_section_says_which(app, teacher):
    data = COMMON | BY_TYPE["single"] | {"section": "2.1"}
    response = new(teacher, "single", data)
    assert response.status_code == 400
    assert "section 1, not 2.1" in response.get_data(as_text=True)
    assert count(app, TeacherQuestion) == 0


def test_with_no_section_chosen_the_quote_finds_its_own(app, teacher):
    response = new(teacher, "single", COMMON | BY_TYPE["single"] | {"section": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TeacherQuestion)).section == "1"


def test_every_problem_shows_at_once_next_to_its_field(app, teacher):
    data = COMMON | {"prompt": "", "explanation": "", "choices-0-text": "Only one"}
    response = new(teacher, "single", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="choices-problems"' in page
    assert page.count("<li>") >= 3
    assert count(app, TeacherQuestion) == 0


def test_preview_shows_the_question_as_a_student_sees_it_and_saves_nothing(app, teacher):
    response = new(teacher, "single", COMMON | BY_TYPE["single"], button="preview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview: what a student sees" in page
    assert 'type="radio" name="choice"' in page  # the answer fields a student gets
    assert "Correct answer" in page and "James Baker" in page
    assert COMMON["explanation"].replace("'", "&#39;") in page
    assert "Kohl met Gorbachev the next day." in page
    assert "not one inch of NATO’s present military jurisdiction" in page
    assert count(app, TeacherQuestion) == 0


def test_preview_warns_of_a_cue_that_gives_the_answer_away(app, teacher):
    cued = BY_TYPE["single"] | {"choices-0-text": "U.S. Secretary of State James Baker"}
    page = new(teacher, "single", COMMON | cued, button="preview").get_data(as_text=True)
    assert "Warning: the answer may be given away by its form" in page
    assert "[longest-right] The right option is the longest by a clear margin" in page

    plain = new(teacher, "single", COMMON | BY_TYPE["single"], button="preview")
    assert "the answer may be given away" not in plain.get_data(as_text=True)


def test_import_preview_warns_of_a_cue_per_question(app, teacher):
    gift = "::q:: Who spoke of it? {=U.S. Secretary of State James Baker ~Kohl ~Bush}\n"
    page = teacher.post(
        "/teach/import", data={"text": gift, "filename": "q.gift", "format": "gift"}
    ).get_data(as_text=True)
    assert "Preview: 1 question would be created" in page
    assert "[longest-right] The right option is the longest by a clear margin" in page


SUGGESTIBLE = (
    "::one:: In which city did Baker meet Gorbachev on 9 February 1990? {=Moscow ~Bonn}\n\n"
    "::two:: Which countries did NATO admit in 1999? {=Poland and Hungary ~Ukraine}\n\n"
    "::three:: What is the capital of Peru? {=Lima ~Quito}\n"
)


def import_form(**extra) -> dict:
    return {"text": SUGGESTIBLE, "filename": "q.gift", "format": "gift"} | extra


def test_import_preview_suggests_a_passage_per_question_with_a_button_each(app, teacher):
    page = teacher.post("/teach/import", data=import_form()).get_data(as_text=True)
    assert "Use suggested passage for question 1" in page
    assert "Use suggested passage for question 2" in page
    assert "Use suggested passage for question 3" not in page  # nothing above the minimum
    assert "Suggested passage, section 5: “1999: NATO admits Poland" in page
    assert "Use all suggested passages" in page
    assert count(app, TeacherQuestion) == 0


def test_using_one_suggested_passage_then_importing_cites_it(app, teacher):
    page = teacher.post("/teach/import", data=import_form(confirm="y", cite="1")).get_data(
        as_text=True
    )
    assert "Use suggested passage for question 2" not in page
    assert "Use suggested passage for question 1" in page
    assert 'name="cited" value="1"' in page
    assert count(app, TeacherQuestion) == 0

    teacher.post("/teach/import", data=import_form(confirm="y", cited="1", submit="Import"))
    with app.app_context():
        rows = db.session.scalars(select(TeacherQuestion).order_by(TeacherQuestion.id)).all()
        cited = [(q.section, q.quote[:20]) for q in (r.current.as_question for r in rows)]
    assert cited == [("", ""), ("5", "1999: NATO admits Po"), ("", "")]


def test_use_all_suggested_passages_cites_every_suggestion(app, teacher):
    page = teacher.post("/teach/import", data=import_form(confirm="y", cite="all")).get_data(
        as_text=True
    )
    assert "Use suggested passage for question" not in page
    assert "Use all suggested passages" not in page
    assert page.count('name="cited"') == 2


@pytest.mark.parametrize("field", ["cite", "cited"])
def test_a_suggestion_number_int_cannot_read_is_ignored(app, teacher, field):
    """'²' is a digit to str.isdigit but no number to int(): it was a 500."""
    response = teacher.post("/teach/import", data=import_form(confirm="y", **{field: "²"}))
    assert response.status_code == 200
    assert 'name="cited"' not in response.get_data(as_text=True)


def test_an_unknown_suggestion_number_is_ignored(app, teacher):
    response = teacher.post("/teach/import", data=import_form(confirm="y", cite="99999999"))
    assert response.status_code == 200
    assert 'name="cited"' not in response.get_data(as_text=True)


def imported_rows(app, teacher) -> list[int]:
    teacher.post("/teach/import", data=import_form(confirm="y", submit="Import"))
    with app.app_context():
        return list(db.session.scalars(select(TeacherQuestion.id).order_by(TeacherQuestion.id)))


def sources(app) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(select(TeacherQuestion).order_by(TeacherQuestion.id)).all()
        return [row.current.as_question.section for row in rows]


def test_the_needs_a_passage_list_offers_each_suggestion_and_all(app, teacher):
    first, second, third = imported_rows(app, teacher)
    page = teacher.get("/teach/questions?status=needs-source").get_data(as_text=True)
    assert "Use all suggested passages" in page
    assert page.count(">Use suggested passage<") == 2  # none for the question on Peru
    assert f"/teach/questions/{first}/cite-suggested" in page
    assert f"/teach/questions/{third}/cite-suggested" not in page
    assert sources(app) == ["", "", ""]  # the listing wrote nothing

    response = teacher.post(f"/teach/questions/{second}/cite-suggested")
    assert response.status_code == 302
    assert sources(app) == ["", "5", ""]


def test_use_all_suggested_passages_from_the_list_cites_every_suggestion(app, teacher):
    imported_rows(app, teacher)
    teacher.post("/teach/questions/cite-suggested")
    cited = sources(app)
    assert cited[1] == "5" and cited[0] != "" and cited[2] == ""
    page = teacher.get("/teach/questions?status=needs-source").get_data(as_text=True)
    assert "Use all suggested passages" not in page


def test_the_passage_picker_finds_sentences_and_fills_the_quote(app, teacher):
    data = COMMON | BY_TYPE["single"] | {"quote": "", "section": "", "passage_query": "rule out"}
    page = new(teacher, "single", data, button="search").get_data(as_text=True)
    assert "passages found" in page or "passage found" in page
    assert "Use this passage" in page
    assert "NATO should rule out" in page
    hit_value = page.split('name="use_passage" value="')[1].split('"')[0]
    import html

    picked = html.unescape(hit_value)
    response = teacher.post("/teach/questions/new?type=single", data=data | {"use_passage": picked})
    section, text = picked.split("\x1f")
    page = response.get_data(as_text=True)
    assert html.escape(text, quote=False) in page
    assert f'<option selected value="{section}">' in page or f'value="{section}" selected' in page
    assert count(app, TeacherQuestion) == 0


def test_markdown_is_rendered_and_a_script_never_reaches_the_page(app, teacher):
    data = (
        COMMON
        | BY_TYPE["single"]
        | {
            "text_format": "markdown",
            "prompt": "Who said **not one inch**? <script>alert(1)</script>",
            "explanation": "See [this](javascript:alert(1)) and <img src=x onerror=alert(1)>.",
        }
    )
    page = new(teacher, "single", data, button="preview").get_data(as_text=True)
    assert "<strong>not one inch</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page and "onerror=" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )
    assert "&lt;script&gt;" in page


def test_plain_text_is_escaped(app, teacher):
    data = COMMON | BY_TYPE["single"] | {"prompt": "Is <b>this</b> bold?"}
    page = new(teacher, "single", data, button="preview").get_data(as_text=True)
    assert "&lt;b&gt;this&lt;/b&gt;" in page and "<b>this</b>" not in page


# --- editing and versions --------------------------------------------------------------------


def saved_question(app, client) -> int:
    response = new(client, "single", COMMON | BY_TYPE["single"])
    return int(response.headers["Location"].rsplit("/", 1)[1])


def edit(client, question_id, **changes):
    page = client.get(f"/teach/questions/{question_id}/edit")
    assert page.status_code == 200
    data = COMMON | BY_TYPE["single"] | changes | {"save": "x"}
    return client.post(f"/teach/questions/{question_id}/edit", data=data)


def test_the_edit_form_starts_from_the_stored_question(app, teacher):
    question_id = saved_question(app, teacher)
    page = teacher.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    assert "Who spoke of “not one inch”?" in page and 'value="James Baker"' in page
    assert "Kohl met Gorbachev the next day." in page


def test_editing_a_question_no_student_has_seen_keeps_one_version(app, teacher):
    question_id = saved_question(app, teacher)
    response = edit(teacher, question_id, prompt="Who spoke of “not one inch” in Moscow?")
    assert response.status_code == 302
    assert count(app, QuestionVersion) == 1
    with app.app_context():
        row = db.session.get(TeacherQuestion, question_id)
        assert row.current.as_question.prompt == "Who spoke of “not one inch” in Moscow?"


def test_editing_a_question_a_student_has_answered_makes_a_version_the_attempt_keeps(app, teacher):
    question_id = saved_question(app, teacher)
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        classroom = create_classroom(tess)
        bob = create_user("bob")
        enroll(classroom, bob)
        assignment = create_assignment(classroom, question_ids=[f"t-{question_id}"])
        attempt = attempt_store.start_attempt(bob, assignment, current_bank(), utcnow(), seed=5)
        db.session.commit()
        round_id, question = attempt.id, attempt.items[0].question
    student = teacher.application.test_client()
    student.post("/login", data={"username": "bob", "password": "correct horse battery"})
    student.post(f"/rounds/{round_id}/questions/1", data=right_form(question))

    response = edit(teacher, question_id, prompt="Which Secretary of State said it?")
    assert response.status_code == 302
    assert count(app, QuestionVersion) == 2
    detail = teacher.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "Which Secretary of State said it?" in detail and "Version 1" in detail
    old = teacher.get(f"/teach/questions/{question_id}/versions/1").get_data(as_text=True)
    assert "Who spoke of “not one inch”?" in old
    recap = student.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert "Who spoke of “not one inch”?" in recap
    assert "Which Secretary of State said it?" not in recap
    with app.app_context():
        item = db.session.get(Round, round_id).items[0]
        assert item.version_id == db.session.get(TeacherQuestion, question_id).versions[0].id


def test_an_imported_question_becomes_playable_once_a_passage_is_cited(app, teacher):
    gift = "::imported:: Who spoke of it? {=James Baker ~Helmut Kohl}\n"
    teacher.post(
        "/teach/import",
        data={"text": gift, "filename": "q.gift", "format": "gift", "confirm": "y", "submit": "x"},
    )
    with app.app_context():
        row = db.session.scalar(select(TeacherQuestion))
        question_id, owner = row.id, row.owner_id
        assert question_store.playable_questions(owner) == []
    listing = teacher.get("/teach/questions?status=needs-source").get_data(as_text=True)
    assert "Who spoke of it?" in listing and "Needs a passage" in listing
    page = teacher.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    assert 'value="James Baker"' in page
    response = teacher.post(
        f"/teach/questions/{question_id}/edit",
        data=COMMON
        | {
            "prompt": "Who spoke of it?",
            "choices-0-text": "James Baker",
            "choices-0-correct": "y",
            "choices-1-text": "Helmut Kohl",
            "save": "x",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert [q.id for q in question_store.playable_questions(owner)] == [f"t-{question_id}"]


def test_a_library_question_shows_as_a_student_sees_it(app, teacher):
    with app.app_context():
        question = current_bank().questions[0]
    page = teacher.get(f"/teach/library/{question.id}").get_data(as_text=True)
    assert question.explanation[:30] in page.replace("&#39;", "'").replace("&#34;", '"')
    assert teacher.get("/teach/library/no-such-question").status_code == 404


def test_an_unknown_type_gets_the_type_chooser(teacher):
    page = teacher.get("/teach/questions/new?type=essay").get_data(as_text=True)
    assert "Choose the kind of question" in page


def test_more_rows_lets_a_teacher_write_as_many_options_as_an_import_may_hold(app, teacher):
    page = new(teacher, "single", COMMON | {"prompt": "Who?"}, button="more_rows")
    assert page.status_code == 200
    assert 'name="choices-9-text"' in page.get_data(as_text=True)
    assert 'name="choices-10-text"' not in page.get_data(as_text=True)

    options = {f"choices-{i}-text": f"Person {i}" for i in range(10)} | {"choices-0-correct": "y"}
    saved = new(teacher, "single", COMMON | {"prompt": "Which of ten?"} | options)

    assert saved.status_code == 302
    with app.app_context():
        (row,) = db.session.scalars(select(TeacherQuestion)).all()
        assert len(row.current.as_question.choices) == 10


def test_more_rows_stop_at_twenty(app, teacher):
    options = {f"choices-{i}-text": f"Person {i}" for i in range(19)}
    page = new(teacher, "single", COMMON | options, button="more_rows").get_data(as_text=True)
    assert 'name="choices-19-text"' in page
    assert 'name="choices-20-text"' not in page
    assert "More rows" not in page


def test_a_prompt_at_the_rulebooks_limit_typed_with_a_browsers_line_ends_is_saved(app, teacher):
    prompt = "\r\n".join(["x" * 99] * 100)  # 9,999 characters once CRLF is one newline
    options = {"choices-0-text": "Baker", "choices-0-correct": "y", "choices-1-text": "Kohl"}

    saved = new(teacher, "single", COMMON | {"prompt": prompt} | options)

    assert saved.status_code == 302
    too_long = new(teacher, "single", COMMON | {"prompt": "x" * 10_001} | options)
    assert too_long.status_code == 400
    assert "The question is 10,001 characters long; keep it to 10,000." in (
        too_long.get_data(as_text=True)
    )
