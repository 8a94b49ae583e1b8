"""Whatever a form sends, parsing gives a valid response or a clear InvalidResponse."""

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.grading import (
    InvalidResponse,
    grade,
    parse_response,
    response_from_json,
    response_to_json,
)
from tests.factories import make_question

TYPES = ["single", "classify", "multiple", "true_false", "year", "ordering", "matching"]
FIELD_NAMES = ["choice", "year", "order", "match-p1", "match-p2", "match-p9", "csrf_token", ""]
VALUES = st.one_of(
    st.sampled_from(["c1", "c2", "c3", "c4", "p1", "true", "false", "1990", "2022", "", " "]),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
FORMS = st.dictionaries(st.sampled_from(FIELD_NAMES), st.lists(VALUES, max_size=6), max_size=5)


@settings(max_examples=300, deadline=None)
@given(qtype=st.sampled_from(TYPES), form=FORMS)
def test_any_form_parses_to_a_gradable_response_or_a_clear_refusal(qtype, form):
    question = make_question(qtype)
    try:
        response = parse_response(question, form)
    except InvalidResponse as refusal:
        assert str(refusal).strip().endswith(".")
        return
    result = grade(question, response)
    assert 0.0 <= result.score <= 1.0
    stored = response_to_json(question, response)
    assert response_from_json(question, stored) == response
