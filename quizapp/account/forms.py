"""The account settings page's forms, one per setting, each posted on its own."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from quizapp.auth.rules import PASSWORD_MAX_LENGTH, PASSWORD_RULE
from quizapp.domain.timezones import zone_names
from quizapp.form_rules import follows_password_rule


class PasswordForm(FlaskForm):
    """Change password: the current one proves it is the owner at the keyboard, not someone
    at a computer left logged in. `username` is the account's, which the new one may not be
    made of."""

    current_password = PasswordField(
        "Current password", validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired(), follows_password_rule(username=lambda form: form.username)],
        description=PASSWORD_RULE,
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[InputRequired(), EqualTo("new_password", message="The new passwords differ.")],
    )
    submit = SubmitField("Change password")

    def __init__(self, username: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(
        "Time zone",
        description="Times are shown, and typed in forms, in this zone.",
    )
    submit = SubmitField("Save the time zone")

    def offer(self, current: str) -> "TimeZoneForm":
        self.time_zone.choices = [(name, name.replace("_", " ")) for name in zone_names()]
        if not self.is_submitted():
            self.time_zone.data = current
        return self
