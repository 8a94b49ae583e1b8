"""Forms of the teacher's workspace: classes and assignments (questions: `question_forms`)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp import clock
from quizapp.domain.assignments import (
    MAX_EXTRA_ATTEMPTS,
    MAX_EXTRA_MINUTES,
    AttemptRules,
    Override,
    override_problems,
)
from quizapp.domain.questions import Bank
from quizapp.domain.rounds import MAX_LENGTH, available_sections, available_topics
from quizapp.domain.timezones import DEFAULT_ZONE, TimeZoneError, local_to_utc, utc_to_local
from quizapp.models import MODE_PRACTICE, MODE_TEST, AssignmentOverride

MIN_SECONDS, MAX_SECONDS = 5, 600  # a live session's time per question

MAX_ATTEMPTS = 20
MAX_MARK_COMMENT = 2000  # characters: a paragraph or two to the student
MAX_TIME_LIMIT = 600  # minutes: ten hours


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ClassForm(FlaskForm):
    name = StringField(
        "Name of the class",
        filters=[strip],
        validators=[DataRequired(), Length(max=80)],
        description="For example: Year 12 History, group B.",
    )
    submit = SubmitField("Create the class")


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        """Each ticked value once: a browser never repeats a checkbox, a forged post that
        did would put one question twice into a live session or an assignment's count."""
        super().process_formdata(list(dict.fromkeys(valuelist)))


class AssignmentForm(FlaskForm):
    title = StringField("Title", filters=[strip], validators=[DataRequired(), Length(max=120)])
    mode = RadioField(
        "Mode",
        choices=[
            SelectChoice(MODE_PRACTICE, "Practice: feedback after each answer"),
            SelectChoice(MODE_TEST, "Test: feedback only once the attempt is submitted"),
        ],
        default=MODE_PRACTICE,
    )
    opens_at = DateTimeLocalField(
        "Opens",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Leave empty to open it now.",
    )
    closes_at = DateTimeLocalField(
        "Closes",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Leave empty for no closing time. Nothing can be submitted after it.",
    )
    due_at = DateTimeLocalField(
        "Due",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Optional. Attempts submitted after it still count, marked late.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed",
        default=1,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_ATTEMPTS)],
        description=f"0 for no limit, at most {MAX_ATTEMPTS}.",
    )
    time_limit = IntegerField(
        "Time limit (minutes)",
        validators=[Optional(), NumberRange(min=1, max=MAX_TIME_LIMIT)],
        description=f"Optional, 1 to {MAX_TIME_LIMIT}. An attempt ends when it runs out, "
        "and never lasts past the closing time.",
    )
    shuffle = BooleanField(
        "Shuffle questions",
        description="Each student's attempt gets the questions in an order of its own.",
    )
    source = RadioField(
        "Questions",
        choices=[
            SelectChoice("scope", "A round built from a section or topic"),
            SelectChoice("chosen", "The questions I tick below"),
        ],
        default="scope",
    )
    scope = SelectField("Section or topic", default="all")
    length = IntegerField(
        "Number of questions",
        default=10,
        validators=[Optional(), NumberRange(min=1, max=MAX_LENGTH)],
    )
    question_ids = CheckboxList("Questions to include", choices=[])
    submit = SubmitField("Create the assignment")

    def offer(self, bank: Bank, questions: list[tuple[str, str]]) -> AssignmentForm:
        """Fill the choices: the bank's sections and topics, and the questions to tick."""
        self.scope.choices = [
            SelectChoice("all", "All topics"),
            *(
                SelectChoice(f"section:{number}", f"{number} {title}", optgroup="Sections")
                for number, title in available_sections(bank)
            ),
            *(
                SelectChoice(f"topic:{topic}", topic.replace("-", " "), optgroup="Topics")
                for topic in available_topics(bank)
            ),
        ]
        self.question_ids.choices = [SelectChoice(value, label) for value, label in questions]
        return self

    def ticked_in_list_order(self) -> list[str]:
        """The ticked questions in the order the picker lists them (as a browser posts
        them), whatever order a request sends them in."""
        ticked = set(self.question_ids.data or ())
        return [value for value, *_ in self.question_ids.choices if value in ticked]

    def validate_question_ids(self, field: CheckboxList) -> None:
        if self.source.data == "chosen" and not field.data:
            raise ValidationError("Tick at least one question, or build the round from a scope.")

    def validate_length(self, field: IntegerField) -> None:
        if self.source.data == "scope" and field.data is None:
            raise ValidationError("Say how many questions the round has.")

    zone: str = DEFAULT_ZONE

    def in_zone(self, zone: str) -> AssignmentForm:
        """Read and label the typed times in the teacher's zone."""
        self.zone = zone
        for time_field, what in (
            (self.opens_at, "Opens"),
            (self.closes_at, "Closes"),
            (self.due_at, "Due"),
        ):
            time_field.label.text = f"{what} ({zone})"
        return self

    def _utc(self, time_field: DateTimeLocalField) -> datetime | None:
        """The typed time as a UTC moment; None if empty or naming no single moment."""
        if time_field.data is None:
            return None
        try:
            return local_to_utc(time_field.data, self.zone)
        except TimeZoneError:
            return None

    def _opening(self) -> datetime:
        """The opening moment (UTC), or now when it is left empty."""
        return self._utc(self.opens_at) or clock.now()

    def _check_moment(self, field: DateTimeLocalField) -> None:
        if field.data is not None:
            try:
                local_to_utc(field.data, self.zone)
            except TimeZoneError as error:
                raise ValidationError(str(error)) from None

    def validate_opens_at(self, field: DateTimeLocalField) -> None:
        self._check_moment(field)

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        self._check_moment(field)
        closes = self._utc(field)
        if closes is not None and closes <= self._opening():
            raise ValidationError("The closing time must come after the opening time.")

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        self._check_moment(field)
        due = self._utc(field)
        if due is None:
            return
        if due <= self._opening():
            raise ValidationError("The due time must come after the opening time.")
        closes = self._utc(self.closes_at)
        if closes is not None and due > closes:
            raise ValidationError("The due time cannot come after the closing time.")

    def times(self, now: datetime) -> tuple[datetime, datetime | None, datetime | None]:
        """Opening, closing and due times in UTC: typed times are read in the form's zone
        (validation has refused any that fall in a daylight-saving gap or overlap), an
        empty opening time is now."""
        return self._utc(self.opens_at) or now, self._utc(self.closes_at), self._utc(self.due_at)

    def scope_parts(self) -> tuple[str | None, str | None]:
        kind, _, value = (self.scope.data or "all").partition(":")
        return (value if kind == "section" else None, value if kind == "topic" else None)


class LiveSessionForm(FlaskForm):
    question_ids = CheckboxList("Questions to include", choices=[])
    seconds_per_question = IntegerField(
        "Seconds per question",
        validators=[Optional(), NumberRange(min=MIN_SECONDS, max=MAX_SECONDS)],
        description=f"From {MIN_SECONDS} to {MAX_SECONDS}. Leave empty for no timer: "
        "you close each question yourself.",
    )
    speed_points = BooleanField(
        "Speed points",
        description="A right answer earns up to half as much again, in proportion to the "
        "time left. Needs seconds per question. The gradebook counts correctness only.",
    )
    show_top_five = BooleanField(
        "Show a top five", description="With the results, the five best by points."
    )
    submit = SubmitField("Open the session")

    def validate_question_ids(self, field: CheckboxList) -> None:
        if not field.data:
            raise ValidationError("Tick at least one question.")

    def validate_speed_points(self, field: BooleanField) -> None:
        if field.data and not self.seconds_per_question.data:
            raise ValidationError("Speed points need a number of seconds per question.")


class OverrideForm(FlaskForm):
    """One student's override on an assignment; the rules of what it may grant are the
    domain's (`assignments.override_problems`), mapped back onto these fields."""

    student = SelectField("Student", coerce=int, validate_choice=True)
    extra_time = IntegerField(
        "Extra time (minutes)",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_EXTRA_MINUTES)],
        description="Added to the time limit.",
    )
    extra_attempts = IntegerField(
        "Extra attempts",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_EXTRA_ATTEMPTS)],
    )
    closes_at = DateTimeLocalField(
        "Closes",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Optional: a later closing time for this student. "
        "Their due time moves by as much unless you set one below.",
    )
    due_at = DateTimeLocalField(
        "Due",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Optional: a due time of their own.",
    )
    submit = SubmitField("Save the override")

    zone: str = DEFAULT_ZONE

    def for_students(self, students: list[tuple[int, str]], zone: str) -> OverrideForm:
        """Offer the class's students, and read and label the typed times in `zone`."""
        self.student.choices = [SelectChoice(sid, name) for sid, name in students]
        self.zone = zone
        self.closes_at.label.text = f"Closes ({zone})"
        self.due_at.label.text = f"Due ({zone})"
        return self

    def _utc(self, time_field: DateTimeLocalField) -> datetime | None:
        if time_field.data is None:
            return None
        try:
            return local_to_utc(time_field.data, self.zone)
        except TimeZoneError as error:
            time_field.errors.append(str(error))
            return None

    def granted(self) -> Override:
        return Override(
            extra_time=timedelta(minutes=self.extra_time.data or 0),
            extra_attempts=self.extra_attempts.data or 0,
            closes_at=self._utc(self.closes_at),
            due_at=self._utc(self.due_at),
        )

    def check(self, rules: AttemptRules) -> Override | None:
        """The override, if the form and the domain's rules accept it; else None, with the
        errors on the fields."""
        if not self.validate_on_submit():
            return None
        granted = self.granted()
        problems = override_problems(rules, granted)
        for name, message in problems.items():
            getattr(self, name).errors.append(message)
        if any(f.errors for f in self):
            return None
        return granted

    def fill(self, row: AssignmentOverride, zone: str) -> None:
        """Show a saved override as the teacher typed it (times in their zone)."""
        self.student.data = row.student_id
        self.extra_time.data = row.extra_minutes
        self.extra_attempts.data = row.extra_attempts
        self.closes_at.data = utc_to_local(row.closes_at, zone) if row.closes_at else None
        self.due_at.data = utc_to_local(row.due_at, zone) if row.due_at else None


class MarkField(StringField):
    """A mark from 0 to 1 with at most two decimals, as a teacher types it: '0.75', '0,75'
    or '1'. Anything else ('0.999', which every page would show as 1 while it counts as
    less; 'nan', 'inf') is refused with a message saying what is expected."""

    message = "Enter the mark as a number from 0 to 1 with at most two decimals, such as 0.75."

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not self.raw_text:
            return
        try:
            value = float(self.raw_text.replace(",", "."))
        except ValueError:
            raise ValueError(self.message) from None
        if not math.isfinite(value) or not 0.0 <= value <= 1.0 or round(value, 2) != value:
            raise ValueError(self.message)
        self.data = value + 0.0  # '-0' is 0

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:g}"


class MarkForm(FlaskForm):
    """A teacher's mark for one answered question of an attempt, and why ("Override mark").
    One form a question on the attempt page: `for_question` gives its fields their own ids."""

    mark = MarkField(
        "Mark (0 to 1)",
        validators=[InputRequired(MarkField.message)],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 6},
    )
    comment = TextAreaField(
        "Comment",
        # A browser sends a line break as CRLF: counted as one, as its maxlength counts it.
        filters=[strip, lambda text: text.replace("\r\n", "\n") if text else text],
        validators=[
            Length(
                max=MAX_MARK_COMMENT,
                message=f"A comment is at most {MAX_MARK_COMMENT} characters long.",
            )
        ],
        description=f"Optional. The student reads it with the mark; at most "
        f"{MAX_MARK_COMMENT} characters.",
        render_kw={"rows": 2},
    )
    submit = SubmitField("Override mark")

    position: int = 0  # the question's number in the attempt

    @classmethod
    def for_question(cls, position: int, **kwargs) -> MarkForm:
        form = cls(prefix=f"q{position}", **kwargs)
        form.position = position
        form.mark.label.text = f"Mark for question {position} (0 to 1)"
        # Seen as "Comment" beside its mark; heard as the comment on which question.
        form.comment.label.text = Markup(
            'Comment<span class="visually-hidden"> on question {}</span>'
        ).format(position)
        return form
