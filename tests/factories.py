"""Small builders of test data."""

from quizapp.domain.questions import Choice, Kind, Question, QuestionType, question_to_dict
from quizapp.extensions import db
from quizapp.models import Round, RoundItem, User

PASSWORD = "correct horse battery"
BAKER_QUOTE = (
    "not one inch of NATO’s present military jurisdiction will spread in an eastern direction."
)


def create_user(username: str = "ada", password: str = PASSWORD) -> User:
    """A stored learner; call inside an app context."""
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_question(qtype: str = "single", **overrides) -> Question:
    """A presented question of each type, with a known key (choice ids c1, c2, ...)."""
    base = dict(
        id=f"test-{qtype}",
        type=QuestionType(qtype),
        kind=Kind.FACT,
        prompt=f"A {qtype} question about Baker in Moscow?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="Baker spoke of NATO's jurisdiction in Moscow on 9 February 1990.",
    )
    choices = tuple(
        Choice(f"c{i}", text)
        for i, text in enumerate(
            ["James Baker", "Helmut Kohl", "George H.W. Bush", "Hans-Dietrich Genscher"], start=1
        )
    )
    by_type = {
        "single": dict(choices=choices, answer="c1"),
        "classify": dict(
            choices=(Choice("c1", "The Russian narrative"), Choice("c2", "The Western narrative")),
            answer="c2",
            kind=Kind.INTERPRETATION,
        ),
        "multiple": dict(choices=choices, answer=frozenset({"c1", "c4"})),
        "true_false": dict(answer=True),
        "year": dict(answer=1990, tolerance=0),
        "ordering": dict(
            choices=(
                Choice("c1", "Baker in Moscow"),
                Choice("c2", "Malta Summit"),
                Choice("c3", "Genscher's speech"),
            ),
            answer=("c2", "c3", "c1"),
        ),
        "matching": dict(
            pairs=(Choice("p1", "“not one inch”"), Choice("p2", "“take advantage”")),
            choices=(
                Choice("c1", "George H.W. Bush"),
                Choice("c2", "James Baker"),
                Choice("c3", "Helmut Kohl"),
            ),
            answer={"p1": "c2", "p2": "c1"},
        ),
    }
    return Question(**{**base, **by_type[qtype], **overrides})


def start_round_with(user: User, questions: list[Question]) -> Round:
    """A stored round holding exactly `questions`, in that order; call inside an app context."""
    a_round = Round(user=user, seed=0)
    a_round.items = [
        RoundItem(position=i, question_id=q.id, snapshot=question_to_dict(q))
        for i, q in enumerate(questions, start=1)
    ]
    db.session.add(a_round)
    db.session.commit()
    return a_round
