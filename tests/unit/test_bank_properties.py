"""Whatever a bank file holds, loading gives a whole bank or a list of problems, nothing else."""

import itertools
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.domain.bank import QUESTION_FIELDS, TYPE_SPECIFIC, BankError, load_bank
from quizapp.domain.questions import Bank, QuestionType
from tests.unit.test_bank import a_question, bank_file, write_bank

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(sorted(QUESTION_FIELDS | TYPE_SPECIFIC | {"nonsense"}))
counter = itertools.count()
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def loads_or_lists_problems(root) -> None:
    try:
        bank = load_bank(root)
    except BankError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
    else:
        assert isinstance(bank, Bank)


@SETTINGS
@given(qtype=st.sampled_from(list(QuestionType)), field=FIELDS, value=VALUES)
def test_any_value_in_any_field_loads_or_is_reported(tmp_path, qtype, field, value):
    question = a_question(qtype.value, **{field: value})
    root = write_bank(tmp_path / str(next(counter)), questions=[question])
    loads_or_lists_problems(root)


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_as_a_bank_file_loads_or_is_reported(tmp_path, text):
    root = write_bank(tmp_path / str(next(counter)))
    bank_file(root).write_text(text, encoding="utf-8")
    loads_or_lists_problems(root)
    shutil.rmtree(root)
