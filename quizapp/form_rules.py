"""WTForms validators that apply the account rules of `quizapp.auth.rules`, so that every
form asking for a username or a password (registering, changing a password) keeps no rule
of its own."""

from collections.abc import Callable

from wtforms import Field, Form
from wtforms.validators import ValidationError

from quizapp.auth.rules import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_problem


class Follows:
    """A field validator from one of `quizapp.auth.rules`, so the form keeps no rules of its
    own; the lengths also go on the input as `minlength`/`maxlength`, as `Length` would.
    `username`, when given, reads the account's name off the form for a password rule that
    refuses passwords made of it."""

    def __init__(
        self,
        rule: Callable[..., str | None],
        min_length: int,
        max_length: int,
        *,
        username: Callable[[Form], str] | None = None,
    ):
        self.rule = rule
        self.username = username
        self.field_flags = {"minlength": min_length, "maxlength": max_length}

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        if self.username is None:
            problem = self.rule(value)
        else:
            problem = self.rule(value, self.username(form) or "")
        if problem:
            raise ValidationError(problem)


def follows_password_rule(username: Callable[[Form], str]) -> Follows:
    """The password rule of registration, changing a password and the CLI alike."""
    return Follows(password_problem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, username=username)
