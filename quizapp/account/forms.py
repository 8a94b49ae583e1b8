"""The account settings page's forms, one per setting, each posted on its own."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from quizapp.domain.timezones import zone_names


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
