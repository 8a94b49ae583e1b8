from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from quizapp.auth.rules import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_RULE,
    USERNAME_MAX_LENGTH,
    USERNAME_MIN_LENGTH,
    USERNAME_RULE,
    username_problem,
)
from quizapp.form_rules import Follows, follows_password_rule


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
            follows_password_rule(username=lambda form: form.username.data),
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
