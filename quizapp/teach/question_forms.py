"""Forms for the teacher's questions: import, export, and writing a question."""

from __future__ import annotations

from dataclasses import asdict

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from quizapp.domain import formats, rulebook
from quizapp.domain.authoring import (
    ChoiceDraft,
    NumericDraft,
    PairDraft,
    QuestionDraft,
)
from quizapp.domain.questions import Bank, QuestionType

MAX_IMPORT_BYTES = formats.MAX_IMPORT_BYTES
FORMAT_LABELS = {
    "yaml": "YAML (this app's own format, lossless)",
    "gift": "Moodle GIFT",
    "aiken": "Aiken (single-answer multiple choice only)",
    "xml": "Moodle XML",
}


class ImportForm(FlaskForm):
    """Upload, preview, then import: the file's text rides along in a hidden field between
    the preview and the confirmation, so nothing is stored until the teacher confirms."""

    file = FileField(
        "Question file", description="YAML, GIFT, Aiken or Moodle XML; at most 1 MB, UTF-8."
    )
    format = SelectField(
        "Format",
        choices=[
            SelectChoice("auto", "Tell from the file name"),
            *(SelectChoice(name, label) for name, label in FORMAT_LABELS.items()),
        ],
        default="auto",
    )
    skip_unsupported = BooleanField(
        "Skip questions of types this app does not have",
        description="Essays, cloze and the like are listed and left out; the rest is imported.",
    )
    text = HiddenField()
    filename = HiddenField(validators=[Length(max=200)])
    confirm = BooleanField("Import these questions")
    preview = SubmitField("Preview the import")
    submit = SubmitField("Import")

    def validate_file(self, field: FileField) -> None:
        if not field.data and not self.text.data:
            raise ValidationError("Choose a file to import.")

    def validate_format(self, field: SelectField) -> None:
        if field.data == "auto" and self._format_name() is None:
            raise ValidationError(
                "Cannot tell the format from the file name: choose YAML, GIFT, Aiken or Moodle XML."
            )

    def _filename(self) -> str:
        if self.file.data:
            return (self.file.data.filename or "upload").rsplit("/", 1)[-1][:200]
        return self.filename.data or "upload"

    def _format_name(self) -> str | None:
        if self.format.data != "auto":
            return self.format.data
        return formats.guess_format(self._filename())

    def content(self) -> tuple[str, str, str]:
        """(text, file name, format) of the upload, or of the previewed text.

        Raises ValidationError-like problems onto the file field when the bytes are not
        UTF-8 or too large; the caller re-validates.
        """
        if self.file.data:
            raw = self.file.data.read(MAX_IMPORT_BYTES + 1)
            if len(raw) > MAX_IMPORT_BYTES:
                raise ImportRefused("The file is larger than 1 MB; split it.")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ImportRefused("The file is not UTF-8 text; save it as UTF-8.") from None
        else:
            # The previewed text comes back from the browser: it may be anything.
            text = self.text.data or ""
            if formats.too_large(text):
                raise ImportRefused("The file is larger than 1 MB; split it.")
        if "\x00" in text:  # no text holds one, and PostgreSQL cannot store it
            raise ImportRefused("The file holds NUL characters; save it as UTF-8 text.")
        return text.replace("\r\n", "\n"), self._filename(), self._format_name() or "yaml"

    def keep(self, text: str, filename: str, format_name: str) -> None:
        """Carry the previewed file into the confirmation form."""
        self.text.data = text
        self.filename.data = filename
        self.format.data = format_name


class ImportRefused(ValueError):
    """An upload that cannot be read at all; the message is shown on the form."""


class ExportForm(FlaskForm):
    format = SelectField(
        "Format",
        choices=[SelectChoice(name, label) for name, label in FORMAT_LABELS.items()],
        validators=[InputRequired()],
    )
    include_library = BooleanField("Include the shipped library of questions")
    submit = SubmitField("Download")


# --- writing a question ----------------------------------------------------------------------

CHOICE_ROWS = 6
NUMERIC_ROWS = 3
# As many rows as the rulebook lets a question have options, items, answers or pairs.
ROWS_MAX = max(
    *(high for _, high in rulebook.OPTION_COUNTS.values()),
    rulebook.ORDERING_ITEMS[1],
    rulebook.SHORT_ANSWERS[1],
    rulebook.MATCHING_PAIRS[1],
    rulebook.NUMERIC_ANSWERS[1],
)


class ChoiceRow(Form):
    text = StringField("Text")
    correct = BooleanField("Correct")
    weight = StringField("Credit %")
    feedback = StringField("Feedback if chosen")


class PairRow(Form):
    left = StringField("Left")
    right = StringField("Right")


class NumericRow(Form):
    value = StringField("Value")
    tolerance = StringField("± tolerance")
    credit = StringField("Credit %")
    feedback = StringField("Feedback")


class QuestionForm(FlaskForm):
    """One form for every type; only the fields of `type` are shown and read."""

    type = HiddenField()
    # No Length validators on the texts: their limits are the rulebook's, counted on the text
    # as kept (a browser's CRLF made one newline), and said in the rulebook's words.
    prompt = TextAreaField("Question")
    text_format = RadioField(
        "Text format",
        choices=[
            SelectChoice("plain", "Plain text"),
            SelectChoice("markdown", "Markdown: *emphasis*, **strong**, lists, [links](https://…)"),
        ],
        default="plain",
    )
    kind = RadioField(
        "Fact or interpretation",
        choices=[
            SelectChoice("fact", "Fact: what the article reports"),
            SelectChoice("interpretation", "Interpretation: who reads the events how"),
        ],
        default="fact",
    )
    choices = FieldList(FormField(ChoiceRow), min_entries=CHOICE_ROWS, max_entries=ROWS_MAX)
    pairs = FieldList(FormField(PairRow), min_entries=CHOICE_ROWS, max_entries=ROWS_MAX)
    distractors = TextAreaField(
        "Extra wrong answers (one per line)",
        validators=[Length(max=(rulebook.CHOICE_MAX + 2) * rulebook.DISTRACTORS_MAX)],
    )
    true_false = RadioField(
        "The statement is",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validate_choice=False,
    )
    year = StringField("Year")
    tolerance = StringField("Years either side accepted", default="0")
    numeric = FieldList(FormField(NumericRow), min_entries=NUMERIC_ROWS, max_entries=ROWS_MAX)
    classify_answer = SelectField("Held by", validate_choice=False)
    section = SelectField("Section of the article", validate_choice=False)
    quote = TextAreaField(
        "Passage quoted from the article",
        description="Verbatim: search the article below and pick a passage, or paste it.",
    )
    passage_query = StringField("Words to find in the article", validators=[Length(max=200)])
    explanation = TextAreaField("Why (shown after the answer)")
    topics = StringField("Topics", description="Tags separated by commas, e.g. baker, genscher.")
    difficulty = SelectField(
        "Difficulty",
        choices=[SelectChoice("1", "1 easy"), SelectChoice("2", "2"), SelectChoice("3", "3 hard")],
        default="1",
        validate_choice=False,
    )
    more_rows = SubmitField("More rows")
    search = SubmitField("Find passages")
    preview = SubmitField("Preview")
    save = SubmitField("Save the question")

    def offer(self, bank: Bank, qtype: QuestionType) -> QuestionForm:
        self.type.data = qtype.value
        self.section.choices = [
            SelectChoice("", "Where the quote is (found for you)"),
            *(SelectChoice(s.number, f"{s.number} {s.title}") for s in bank.article.sections),
        ]
        self.classify_answer.choices = [SelectChoice(p.id, p.name) for p in bank.perspectives]
        for rows, least in (
            (self.choices, CHOICE_ROWS),
            (self.pairs, CHOICE_ROWS),
            (self.numeric, NUMERIC_ROWS),
        ):
            while len(rows) < least:
                rows.append_entry()
        return self

    def add_rows(self, count: int = 4) -> None:
        """Up to `count` more empty rows of choices, pairs and numbers, never past ROWS_MAX."""
        for rows in (self.choices, self.pairs, self.numeric):
            for _ in range(min(count, ROWS_MAX - len(rows))):
                rows.append_entry()

    def fill(self, draft: QuestionDraft) -> None:
        """Start the form from a stored question (an edit)."""
        for name in (
            "prompt",
            "text_format",
            "kind",
            "explanation",
            "section",
            "quote",
            "topics",
            "true_false",
            "classify_answer",
        ):
            getattr(self, name).data = getattr(draft, name)
        self.difficulty.data = str(draft.difficulty)
        self.year.data = str(draft.year)
        self.tolerance.data = str(draft.tolerance or 0)
        self.distractors.data = "\n".join(draft.distractors)
        for rows, values in (
            (self.choices, draft.choices),
            (self.pairs, draft.pairs),
            (self.numeric, draft.numeric),
        ):
            while len(rows):
                rows.pop_entry()
            for value in values:
                rows.append_entry(asdict(value))

    def draft(self) -> QuestionDraft:
        return QuestionDraft(
            type=self.type.data or "",
            kind=self.kind.data or "",
            prompt=self.prompt.data or "",
            explanation=self.explanation.data or "",
            text_format=self.text_format.data or "plain",
            section=self.section.data or "",
            quote=self.quote.data or "",
            topics=self.topics.data or "",
            difficulty=self.difficulty.data or "1",
            choices=[ChoiceDraft(**_texts(row.data)) for row in self.choices],
            pairs=[PairDraft(**_texts(row.data)) for row in self.pairs],
            distractors=[d for d in (self.distractors.data or "").splitlines() if d.strip()],
            true_false=self.true_false.data or "",
            year=self.year.data or "",
            tolerance=self.tolerance.data or "",
            numeric=[NumericDraft(**_texts(row.data)) for row in self.numeric],
            classify_answer=self.classify_answer.data or "",
        )

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """The domain's problems, each next to its field; rows' problems on their fieldset."""
        self.problems = errors
        for name, messages in errors.items():
            field = self._fields.get(name)
            if field is not None and not isinstance(field, FieldList):
                field.errors = [*field.errors, *messages]

    problems: dict[str, list[str]] = {}


def _texts(row: dict) -> dict:
    """A row's values as typed: a field left out of the request reads as empty."""
    return {
        name: bool(value) if name == "correct" else (value or "") for name, value in row.items()
    }


class RegradeForm(FlaskForm):
    """Apply the regrade the dry run showed: by the version it showed (`version`, its
    number), keeping or replacing manual marks as it showed."""

    version = HiddenField(validators=[InputRequired()])
    replace_manual = HiddenField()
    apply = SubmitField("Apply regrade")

    @property
    def keep_manual(self) -> bool:
        return self.replace_manual.data != "1"
