"""Malformed data thrown at the teacher's forms and the importers: never a 500, and a
refused request writes nothing."""

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuestionVersion, TeacherQuestion
from tests.factories import create_classroom, create_teacher

TYPES = ["single", "multiple", "true_false", "year", "ordering", "matching", "classify"]
TYPES += ["short", "numeric"]
FIELD_NAMES = [
    "prompt",
    "text_format",
    "kind",
    "section",
    "quote",
    "explanation",
    "topics",
    "difficulty",
    "true_false",
    "year",
    "tolerance",
    "classify_answer",
    "distractors",
    "passage_query",
    "use_passage",
    "choices-0-text",
    "choices-0-correct",
    "choices-0-weight",
    "choices-1-text",
    "choices-1-feedback",
    "choices-25-text",
    "pairs-0-left",
    "pairs-0-right",
    "numeric-0-value",
    "numeric-0-tolerance",
    "numeric-0-credit",
    "save",
    "preview",
    "search",
]
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "1", "-5", "1e309", "nan", "99999999999999999999", "2.1", "y", "%50%"]),
)
FORMS = st.dictionaries(
    st.sampled_from(FIELD_NAMES), st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=12
)
SETTINGS = settings(
    max_examples=int(os.environ.get("QUIZAPP_HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def teacher(app, client, auth):
    with app.app_context():
        tess = create_teacher("tess")
        class_id = create_classroom(tess).id
    auth.login("tess")
    return client, class_id


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (TeacherQuestion, QuestionVersion, Classroom, Assignment)
        )


@SETTINGS
@given(qtype=st.sampled_from(TYPES), form=FORMS)
def test_any_question_form_gets_an_answer_never_a_500(app, teacher, qtype, form):
    client, _ = teacher
    before = counts(app)
    response = client.post(f"/teach/questions/new?type={qtype}", data=form)
    assert response.status_code in (200, 302, 400)
    written = counts(app)[0] - before[0]
    assert written == 0 or (response.status_code == 302 and written == 1)


@SETTINGS
@given(
    form=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "mode",
                "opens_at",
                "closes_at",
                "attempts_allowed",
                "source",
                "scope",
                "length",
                "question_ids",
            ]
        ),
        st.one_of(
            TEXT,
            st.sampled_from(["2030-01-01T10:00", "0000-00-00T99:99", "scope", "chosen", "test"]),
            st.lists(TEXT, max_size=3),
        ),
        max_size=9,
    )
)
def test_any_assignment_form_gets_an_answer_never_a_500(app, teacher, form):
    client, class_id = teacher
    before = counts(app)
    response = client.post(f"/teach/classes/{class_id}/assignments/new", data=form)
    assert response.status_code in (302, 400)
    written = counts(app)[3] - before[3]
    assert written == (1 if response.status_code == 302 else 0)


@SETTINGS
@given(
    text=st.text(max_size=400),
    format_name=st.sampled_from(["gift", "aiken", "yaml", "auto", "csv"]),
)
def test_any_import_gets_an_answer_never_a_500_nor_a_partial_import(
    app, teacher, text, format_name
):
    client, _ = teacher
    before = counts(app)
    response = client.post(
        "/teach/import",
        data={
            "text": text,
            "filename": "x.gift",
            "format": format_name,
            "confirm": "y",
            "submit": "x",
        },
    )
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert counts(app) == before


@SETTINGS
@given(data=st.binary(max_size=300), name=st.sampled_from(["q.gift", "q.yaml", "q.txt", ""]))
def test_any_uploaded_file_gets_an_answer_never_a_500(app, teacher, data, name):
    client, _ = teacher
    before = counts(app)
    response = client.post(
        "/teach/import",
        data={"file": (io.BytesIO(data), name), "format": "auto", "preview": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400)
    assert counts(app) == before


@SETTINGS
@given(code=TEXT, name=TEXT)
def test_any_class_or_join_form_gets_an_answer_never_a_500(app, teacher, code, name):
    client, _ = teacher
    assert client.post("/classes/join", data={"code": code}).status_code in (302, 400)
    before = counts(app)[2]
    response = client.post("/teach/classes", data={"name": name})
    assert response.status_code in (302, 400)
    assert counts(app)[2] - before == (1 if response.status_code == 302 else 0)
