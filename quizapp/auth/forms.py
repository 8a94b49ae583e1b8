from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

USERNAME_RULE = "3 to 40 letters, digits, dots, dashes or underscores"


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            InputRequired(),
            Length(min=3, max=40),
            Regexp(r"^[A-Za-z0-9._-]+$", message=f"Use {USERNAME_RULE}."),
        ],
        description=USERNAME_RULE.capitalize() + ".",
    )
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(),
            Length(min=8, max=200, message="Use at least 8 characters (at most 200)."),
        ],
        description="At least 8 characters.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    submit = SubmitField("Log in")
