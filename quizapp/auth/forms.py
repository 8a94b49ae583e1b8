from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import Field, Form, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from quizapp.auth.rules import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    PASSWORD_RULE,
    USERNAME_MAX_LENGTH,
    USERNAME_MIN_LENGTH,
    USERNAME_RULE,
    password_problem,
    username_problem,
)


class Follows:
    """A field validator from one of `quizapp.auth.rules`, so the form keeps no rules of its
    own; the lengths also go on the input as `minlength`/`maxlength`, as `Length` would."""

    def __init__(self, rule: Callable[[str], str | None], min_length: int, max_length: int):
        self.rule = rule
        self.field_flags = {"minlength": min_length, "maxlength": max_length}

    def __call__(self, form: Form, field: Field) -> None:
        problem = self.rule(field.data or "")
        if problem:
            raise ValidationError(problem)


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            InputRequired(),
            Follows(username_problem, USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH),
        ],
        description=USERNAME_RULE.capitalize() + ".",
    )
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(),
            Follows(password_problem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
        ],
        description=PASSWORD_RULE,
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    username = StringField(
        "Username", validators=[InputRequired(), Length(max=USERNAME_MAX_LENGTH)]
    )
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    submit = SubmitField("Log in")
