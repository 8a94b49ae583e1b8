from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from quizapp.domain.live import CODE_DIGITS
from quizapp.domain.questions import Bank
from quizapp.domain.rounds import RoundSpec, available_sections, available_topics

LENGTHS = (5, 10, 15, 20)


class NewRoundForm(FlaskForm):
    scope = SelectField("What to practise", default="all")
    length = SelectField(
        "Number of questions",
        choices=[SelectChoice(n, str(n)) for n in LENGTHS],
        coerce=int,
        default=10,
    )
    submit = SubmitField("Start a round")

    def offer(self, bank: Bank) -> "NewRoundForm":
        """Fill the scope choices from what the bank holds."""
        sections = "Sections of the article"
        self.scope.choices = [
            SelectChoice("all", "All topics"),
            *(
                SelectChoice(f"section:{number}", f"{number} {title}", optgroup=sections)
                for number, title in available_sections(bank)
            ),
            *(
                SelectChoice(f"topic:{topic}", topic.replace("-", " "), optgroup="Topics")
                for topic in available_topics(bank)
            ),
        ]
        return self

    def spec(self) -> RoundSpec:
        kind, _, value = self.scope.data.partition(":")
        return RoundSpec(
            length=self.length.data,
            section=value if kind == "section" else None,
            topic=value if kind == "topic" else None,
        )


class JoinForm(FlaskForm):
    code = StringField(
        "Class code",
        validators=[InputRequired(), Length(max=24)],
        description="The 8 letters and digits your teacher gave you, such as K7QM2XPA.",
    )
    submit = SubmitField("Join the class")


class JoinLiveForm(FlaskForm):
    code = StringField(
        "Session code",
        validators=[InputRequired(), Length(max=24)],
        description=f"The {CODE_DIGITS} digits on the projector.",
    )
    submit = SubmitField("Join")
