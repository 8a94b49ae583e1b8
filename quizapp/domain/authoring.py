"""Teacher-written questions: a form's draft checked into a `Question`, and back again.

A teach view turns the submitted form into a `QuestionDraft`, everything as typed, and
calls `build_question`. It holds the draft to the bank's rules (the bounds of
`bank.py`, the quote verbatim in the article) and either returns the question or raises
`DraftError` with every problem at once, keyed by the draft field it belongs next to.
`draft_from_question` is its inverse, the draft an edit form starts from.
"""

from __future__ import annotations

import difflib
import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from quizapp.domain.article import Article, Section, quote_pattern, sentence_spans
from quizapp.domain.bank import (
    DIFFICULTIES,
    MATCHING_PAIRS,
    NUMERIC_ANSWERS,
    OPTION_COUNTS,
    ORDERING_ITEMS,
    PLAIN,
    PLAIN_SHOWN,
    SHORT_ANSWERS,
    TOLERANCES,
    WEIGHTS,
    YEARS,
)
from quizapp.domain.grading import SHORT_MAX_LENGTH, fold_text, format_number
from quizapp.domain.questions import (
    Bank,
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)

TEXT_MAX = 2000  # prompt, explanation and quote
CHOICE_MAX = 300  # an option, an item, a side of a pair, a distractor
FEEDBACK_MAX = 1000  # the feedback of one option or accepted answer
TOPICS_MAX = 8
TOPIC_MAX = 40  # characters of one topic
DISTRACTORS_MAX = 6

_TYPE_NAMES = {
    QuestionType.SINGLE: "A single-choice question",
    QuestionType.MULTIPLE: "A multiple-choice question",
    QuestionType.ORDERING: "An ordering question",
    QuestionType.SHORT: "A short-answer question",
}
_CHOICE_COUNTS = {**OPTION_COUNTS, QuestionType.SHORT: SHORT_ANSWERS}
_ROW_NAMES = {
    QuestionType.SINGLE: "Option",
    QuestionType.MULTIPLE: "Option",
    QuestionType.ORDERING: "Item",
    QuestionType.SHORT: "Answer",
}

# Plain decimals, a comma accepted for the point; within the bank's 15 digits before it.
_NUMBER = re.compile(r"[-+]?[0-9]{1,15}(?:[.,][0-9]{1,20})?")
_PERCENT = re.compile(r"([-+]?[0-9]{1,3}(?:[.,][0-9]{1,20})?)\s*%?")
_YEAR = re.compile(r"[0-9]{1,4}")
_TOPIC_DROPPED = re.compile(r"[^a-z0-9-]")
_WORD_EDGES = ".,;:!?()[]“”‘’\"'…"


# --- the draft --------------------------------------------------------------


@dataclass
class ChoiceDraft:
    """An option (single, multiple), an item (ordering) or an accepted answer (short).

    `weight` is a percentage of the mark ("50", "-25", "33.3%"), "" for the type's own rule.
    """

    text: str = ""
    correct: bool = False
    feedback: str = ""
    weight: str = ""

    def is_blank(self) -> bool:
        return not (
            self.correct or self.text.strip() or self.feedback.strip() or self.weight.strip()
        )


@dataclass
class PairDraft:
    """A matching pair: the prompt on the left, its answer on the right."""

    left: str = ""
    right: str = ""

    def is_blank(self) -> bool:
        return not (self.left.strip() or self.right.strip())


@dataclass
class NumericDraft:
    """An accepted range of a numeric question: `value` ± `tolerance`, worth `credit` percent.

    A blank tolerance is 0, a blank credit 100.
    """

    value: str = ""
    tolerance: str = ""
    credit: str = ""
    feedback: str = ""

    def is_blank(self) -> bool:
        return not any(
            part.strip() for part in (self.value, self.tolerance, self.credit, self.feedback)
        )


@dataclass
class QuestionDraft:
    """A question as a teacher typed it into the form: text everywhere, rows as lists.

    Only the fields of `type` are read: the others may keep what the form holds for other
    types. Blank rows (every field empty, `correct` unticked) are ignored.
    """

    type: str = "single"
    kind: str = "fact"
    prompt: str = ""
    explanation: str = ""
    text_format: str = "plain"
    section: str = ""
    quote: str = ""
    topics: str = ""
    difficulty: str | int = "1"
    choices: list[ChoiceDraft] = field(default_factory=list)
    pairs: list[PairDraft] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    true_false: str = ""
    year: str | int = ""
    tolerance: str | int = ""
    numeric: list[NumericDraft] = field(default_factory=list)
    classify_answer: str = ""


class DraftError(ValueError):
    """The draft breaks the rules; `errors` maps a draft field to the messages to show by it."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(
                f"{name}: {message}" for name, messages in errors.items() for message in messages
            )
        )


class _Errors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)


# --- building ---------------------------------------------------------------


def build_question(
    draft: QuestionDraft, bank: Bank, question_id: str, *, require_source: bool = True
) -> Question:
    """The draft as a teacher's `Question`, or `DraftError` listing every problem.

    The rules are the bank's (see `questions/README.md`), on text stripped at both ends:
    - prompt and explanation are required, at most 2,000 characters; an option, item,
      side or distractor at most 300, a short answer 200 (what a student may type);
    - the quote must be in one paragraph of the chosen section, word for word (runs of
      whitespace aside); with no section chosen it may be anywhere and the section becomes
      the one it is in. The question keeps the article's own text of the passage.
      `require_source=False` also accepts neither section nor quote (a question still
      waiting for a passage, `section == quote == ""`);
    - topics: see `topic_tags`; difficulty 1 to 3;
    - single: 2 to 6 options, exactly one correct; multiple: 3 to 8, at least one correct
      and one not; ordering: 3 to 6 items, typed in the right order; matching: 2 to 6
      pairs, distinct sides, up to 6 distractors unlike every right side; options, items
      and sides count as the same when they differ only in case or spacing;
    - year: 1800 to 2100, tolerance 0 to 10 (blank is 0); true/false: "true" or "false";
      classify: the id of one of the bank's perspectives, whose names become the choices;
    - weights and credits are percentages, -100 to 100, kept as fractions (50 -> 0.5).
      In a single question the correct option is worth 100% (blank or 100), no other one
      is; in a multiple question with weights every correct option has a positive
      weight, they add up to 100%, and no other option has a positive one; ordering
      items carry none;
    - short: 1 to 20 accepted answers, each worth its weight (blank is 100%); those
      worth 100% are the key, and there must be one. `correct` is not read;
    - numeric: 1 to 10 ranges, value ± tolerance (blank is 0, never below), each worth
      its credit (blank is 100%), at least one worth 100%.
    Choice ids are a, b, c… in the order typed, pair ids p1, p2…; right sides come first
    among a matching question's choices, then the distractors.
    """
    errors = _Errors()
    qtype = _member(draft.type, QuestionType, "type", "Choose a question type.", errors)
    kind = _member(
        draft.kind,
        Kind,
        "kind",
        "Choose whether the question is a fact or an interpretation.",
        errors,
    )
    text_format = _member(
        draft.text_format or "plain",
        TextFormat,
        "text_format",
        "Choose plain text or Markdown.",
        errors,
    )
    prompt = _long_text(draft.prompt, "prompt", "Write the question.", errors)
    explanation = _long_text(
        draft.explanation, "explanation", "Explain why the answer is right.", errors
    )
    difficulty = _difficulty(draft.difficulty, errors)
    topics = _topics(draft.topics, errors)
    section, quote = _source(draft.section, draft.quote, bank.article, require_source, errors)
    key = _answer_key(draft, qtype, bank, errors) if qtype is not None else None
    if errors or key is None:
        raise DraftError(dict(errors))
    answer, choices, pairs, tolerance = key
    return Question(
        id=question_id,
        type=qtype,
        kind=kind,
        prompt=prompt,
        section=section,
        quote=quote,
        explanation=explanation,
        answer=answer,
        choices=choices,
        pairs=pairs,
        tolerance=tolerance,
        difficulty=difficulty,
        topics=topics,
        origin=Origin.TEACHER,
        text_format=text_format,
    )


def _clean(text: str) -> str:
    """Stripped, with a browser's CRLF line ends made plain newlines."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _member(value: str, enum: Any, name: str, message: str, errors: _Errors) -> Any:
    try:
        return enum(_clean(value))
    except ValueError:
        errors.add(name, message)
        return None


def _long_text(value: str, name: str, missing: str, errors: _Errors) -> str:
    text = _clean(value)
    if not text:
        errors.add(name, missing)
    elif len(text) > TEXT_MAX:
        errors.add(name, f"This is {len(text):,} characters long; keep it to {TEXT_MAX:,}.")
    return text


def _difficulty(value: str | int, errors: _Errors) -> int:
    low, high = DIFFICULTIES
    text = _clean(str(value))
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    errors.add("difficulty", f"Choose a difficulty from {low} to {high}.")
    return low


def topic_tags(text: str) -> list[str]:
    """The topics a teacher typed, as tags: lowercase letters, digits and '-'.

    Tags are separated by commas when there is one ("Cold War, Baker" -> cold-war, baker),
    else by spaces ("baker 1990-talks"). Each is lowercased, its accents dropped, its inner
    spaces and underscores made '-', and anything else outside [a-z0-9-] removed ("U.S."
    -> us). Empty pieces (",,") and pieces with nothing left are skipped, repeats kept once.
    """
    tags: list[str] = []
    for piece in _topic_pieces(text):
        tag = _tag(piece)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _topic_pieces(text: str) -> list[str]:
    pieces = text.split(",") if "," in text else text.split()
    return [piece.strip() for piece in pieces if piece.strip()]


def _tag(piece: str) -> str:
    decomposed = unicodedata.normalize("NFKD", "-".join(piece.split()).casefold())
    unaccented = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _TOPIC_DROPPED.sub("", unaccented.replace("_", "-"))


def _topics(text: str, errors: _Errors) -> tuple[str, ...]:
    for piece in _topic_pieces(text):
        if not _tag(piece):
            errors.add("topics", f"“{piece}” has no letters a–z or digits to make a topic of.")
    tags = topic_tags(text)
    for tag in tags:
        if len(tag) > TOPIC_MAX:
            errors.add("topics", f"The topic “{tag}” is longer than {TOPIC_MAX} characters.")
    if len(tags) > TOPICS_MAX:
        errors.add("topics", f"Give at most {TOPICS_MAX} topics, not {len(tags)}.")
    return tuple(tags)


# --- the source passage -----------------------------------------------------


def _source(
    section_typed: str, quote_typed: str, article: Article, require_source: bool, errors: _Errors
) -> tuple[str, str]:
    """(section, quote) as the question keeps them: the quote in the article's own text."""
    number = _clean(section_typed)
    quote = _clean(quote_typed)
    if not quote:
        if number and not article.has_section(number):
            errors.add("section", f"There is no section {number} in the article.")
        if require_source:
            where = f"section {number}" if article.has_section(number) else "the article"
            errors.add("quote", f"Copy the passage of {where} that backs the answer.")
        elif number:
            errors.add("quote", "Copy a passage of that section, or clear the section.")
        return "", ""
    if len(quote) > TEXT_MAX:
        errors.add(
            "quote", f"The quote is {len(quote):,} characters long; keep it to {TEXT_MAX:,}."
        )
        return "", ""
    passage = article.find(quote)
    if not number:
        if passage is None:
            errors.add("quote", _not_found(article, quote, None))
            return "", ""
        text = passage.section.paragraphs[passage.paragraph].text
        return passage.section.number, text[passage.start : passage.end]
    if not article.has_section(number):
        where = f"; the quote is in section {passage.section.number}" if passage else ""
        errors.add("section", f"There is no section {number} in the article{where}.")
        if passage is None:
            errors.add("quote", _not_found(article, quote, None))
        return "", ""
    chosen: Section | None = article.section(number)
    span = _span_in(chosen, quote)
    if span is not None:
        return number, span
    if passage is not None:
        errors.add("section", f"The quote is in section {passage.section.number}, not {number}.")
        return "", ""
    if not chosen.paragraphs:
        subsections = [s.number for s in article.sections if s.number.startswith(number + ".")]
        errors.add(
            "section",
            f"Section {number} is only a heading; choose one of its subsections"
            + (f" ({', '.join(subsections)})." if subsections else "."),
        )
        chosen = None
    errors.add("quote", _not_found(article, quote, chosen))
    return "", ""


def _span_in(section: Section, quote: str) -> str | None:
    """The article's text of `quote` in one paragraph of `section`, or None."""
    pattern = quote_pattern(quote)
    if pattern is None:
        return None
    for paragraph in section.paragraphs:
        match = pattern.search(paragraph.text)
        if match:
            return match.group()
    return None


def _not_found(article: Article, quote: str, section: Section | None) -> str:
    """What to tell a teacher whose quote is nowhere in the article, with the nearest text."""
    typographic = _typographic(article, quote, section)
    if typographic is not None:
        number, text = typographic
        return (
            f"The quote is not word for word in the article: section {number} writes it with "
            f"typographic characters ({PLAIN_SHOWN}). Copy it from there: “{text}”"
        )
    anywhere = _nearest_sentence(article.sections, quote)
    if section is None:
        if anywhere is None:
            return "The quote is not in the article, and no sentence of it comes close."
        return (
            f"The quote is not in the article; the nearest text is in section "
            f"{anywhere[1]}: “{anywhere[2]}”"
        )
    here = _nearest_sentence([section], quote)
    message = f"The quote is not in section {section.number} of the article"
    if here is None and anywhere is None:
        return f"{message}, and nothing in the article comes close."
    if here is None:
        return (
            f"{message}, and nothing there comes close; the nearest text is in section "
            f"{anywhere[1]}: “{anywhere[2]}”"
        )
    message = f"{message}; the nearest text there is: “{here[2]}”"
    if anywhere is not None and anywhere[0] > here[0]:
        return f"{message}; nearer still, in section {anywhere[1]}: “{anywhere[2]}”"
    return message


def _typographic(article: Article, quote: str, section: Section | None) -> tuple[str, str] | None:
    """(section, text) where the quote is once straight quotes and dashes are made curly."""
    pattern = quote_pattern(quote.replace("...", "…").translate(PLAIN))
    if pattern is None:
        return None
    sections = ([section] if section else []) + list(article.sections)
    for candidate in sections:
        for paragraph in candidate.paragraphs:
            match = pattern.search(paragraph.text.translate(PLAIN))
            if match:
                return candidate.number, paragraph.text[match.start() : match.end()]
    return None


def _words(text: str) -> list[str]:
    folded = (word.strip(_WORD_EDGES) for word in text.translate(PLAIN).casefold().split())
    return [word for word in folded if word]


def _nearest_sentence(sections: Sequence[Section], quote: str) -> tuple[int, str, str] | None:
    """(words shared in order, section, sentence) of the sentence most like the quote.

    None when none shares a third of its words (two at least) in the same order.
    """
    wanted = _words(quote)
    least = max(2, len(wanted) // 3)
    best: tuple[int, str, str] | None = None
    for section in sections:
        for paragraph in section.paragraphs:
            for start, end in sentence_spans(paragraph.text):
                sentence = paragraph.text[start:end]
                matcher = difflib.SequenceMatcher(None, wanted, _words(sentence), autojunk=False)
                shared = sum(block.size for block in matcher.get_matching_blocks())
                if shared >= least and (best is None or shared > best[0]):
                    best = (shared, section.number, sentence)
    return best


# --- the answer key ---------------------------------------------------------

_Key = tuple[Any, tuple[Choice, ...], tuple[Choice, ...], int]


def _answer_key(
    draft: QuestionDraft, qtype: QuestionType, bank: Bank, errors: _Errors
) -> _Key | None:
    """(answer, choices, pairs, tolerance), or None after filing what is wrong."""
    if qtype in _TYPE_NAMES:
        return _choices_key(draft.choices, qtype, errors)
    if qtype is QuestionType.MATCHING:
        return _matching_key(draft.pairs, draft.distractors, errors)
    if qtype is QuestionType.TRUE_FALSE:
        value = _clean(draft.true_false).lower()
        if value not in ("true", "false"):
            errors.add("true_false", "Choose True or False.")
            return None
        return value == "true", (), (), 0
    if qtype is QuestionType.YEAR:
        return _year_key(draft.year, draft.tolerance, errors)
    if qtype is QuestionType.NUMERIC:
        return _numeric_key(draft.numeric, errors)
    answer = _clean(draft.classify_answer)
    if answer not in {p.id for p in bank.perspectives}:
        errors.add("classify_answer", "Choose the perspective that holds the claim.")
        return None
    return answer, tuple(Choice(p.id, p.name) for p in bank.perspectives), (), 0


def _rows(rows: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """The rows that are not blank, each with its place in the form (from 1)."""
    return ((number, row) for number, row in enumerate(rows, start=1) if not row.is_blank())


def _bounded_text(value: str, label: str, most: int, errors: _Errors, name: str) -> str | None:
    text = _clean(value)
    if not text:
        errors.add(name, f"{label} has no text.")
        return None
    if len(text) > most:
        errors.add(name, f"{label} is {len(text):,} characters long; keep it to {most:,}.")
        return None
    return text


def _feedback(value: str, label: str, errors: _Errors, name: str) -> str:
    text = _clean(value)
    if len(text) > FEEDBACK_MAX:
        errors.add(
            name,
            f"The feedback of {label.lower()} is {len(text):,} characters long; "
            f"keep it to {FEEDBACK_MAX:,}.",
        )
    return text


def _percent(
    value: str, bounds: tuple[int, int], label: str, what: str, errors: _Errors, name: str
) -> tuple[bool, float | None]:
    """(valid, fraction) of a percentage typed as "50", "-25" or "33.3%"; blank is (True, None)."""
    text = _clean(value)
    if not text:
        return True, None
    match = _PERCENT.fullmatch(text)
    low, high = bounds
    percent = Decimal(match[1].replace(",", ".")) if match else None
    if percent is None or not low <= percent <= high:
        errors.add(
            name, f"{label}: the {what} must be a percentage from {low} to {high}, such as 50."
        )
        return False, None
    # Decimal, as the bank reads a weight: "33.33" gives the float nearest 0.3333.
    return True, float(percent / 100)


def _check_distinct(texts: list[tuple[int, str]], what: str, errors: _Errors, name: str) -> None:
    """Texts that differ only in case or spacing count as the same, as a student's answer."""
    seen: dict[str, int] = {}
    for number, text in texts:
        folded = fold_text(text)
        if folded in seen:
            errors.add(name, f"{what} {seen[folded]} and {number} are the same.")
        else:
            seen[folded] = number


@dataclass
class _Row:
    """A choice row as read: its place in the form, and its text if that is usable."""

    number: int
    label: str
    text: str | None
    correct: bool
    feedback: str
    weight: float | None
    weight_ok: bool


def _choices_key(rows: Sequence[ChoiceDraft], qtype: QuestionType, errors: _Errors) -> _Key | None:
    row_name = _ROW_NAMES[qtype]
    is_short = qtype is QuestionType.SHORT
    start = _count(errors)
    read: list[_Row] = []
    for number, row in _rows(rows):
        label = f"{row_name} {number}"
        most = SHORT_MAX_LENGTH if is_short else CHOICE_MAX
        text = _bounded_text(row.text, label, most, errors, "choices")
        feedback = _feedback(row.feedback, label, errors, "choices")
        weight_ok, weight = True, None
        if qtype is QuestionType.ORDERING and row.weight.strip():
            errors.add("choices", f"{label}: the items of an ordering question carry no weight.")
        elif qtype is not QuestionType.ORDERING:
            weight_ok, weight = _percent(row.weight, WEIGHTS, label, "weight", errors, "choices")
        read.append(_Row(number, label, text, bool(row.correct), feedback, weight, weight_ok))
    low, high = ORDERING_ITEMS if qtype is QuestionType.ORDERING else _CHOICE_COUNTS[qtype]
    if not low <= len(read) <= high:
        errors.add(
            "choices",
            f"{_TYPE_NAMES[qtype]} has {low} to {high} {row_name.lower()}s; "
            f"this one has {len(read)}.",
        )
    numbered = [(r.number, r.text) for r in read if r.text is not None]
    _check_distinct(numbered, f"{row_name}s", errors, "choices")
    weighed = [r for r in read if r.weight_ok]
    if qtype is QuestionType.SHORT:
        if read and not any(r.weight in (None, 1.0) for r in weighed):
            errors.add(
                "choices", "At least one answer must be worth 100% (leave its weight blank)."
            )
    elif qtype is QuestionType.SINGLE:
        if sum(r.correct for r in read) != 1:
            errors.add("choices", "Mark exactly one option as correct.")
        else:
            _single_weights(weighed, errors)
    elif qtype is QuestionType.MULTIPLE:
        right = sum(r.correct for r in read)
        if not right:
            errors.add("choices", "Mark at least one option as correct.")
        elif right == len(read):
            errors.add(
                "choices",
                "Leave at least one option unmarked: when every option is correct, "
                "ticking them all gets full marks.",
            )
        elif any(r.weight is not None for r in weighed):
            _multiple_weights(weighed, errors)
    if _count(errors) > start:
        return None
    letters = string.ascii_lowercase
    choices = tuple(Choice(letters[i], r.text, r.feedback, r.weight) for i, r in enumerate(read))
    if qtype is QuestionType.ORDERING:
        return tuple(c.id for c in choices), choices, (), 0
    if qtype is QuestionType.SHORT:
        return tuple(c.id for c in choices if c.weight in (None, 1.0)), choices, (), 0
    right_ids = [c.id for c, r in zip(choices, read, strict=True) if r.correct]
    if qtype is QuestionType.SINGLE:
        return right_ids[0], choices, (), 0
    return frozenset(right_ids), choices, (), 0


def _count(errors: _Errors) -> int:
    return sum(len(messages) for messages in errors.values())


def _single_weights(rows: list[_Row], errors: _Errors) -> None:
    for row in rows:
        if row.correct and row.weight not in (None, 1.0):
            errors.add(
                "choices",
                f"{row.label} is the correct option, so it is worth 100%: leave its weight blank.",
            )
        elif not row.correct and row.weight is not None and row.weight >= 1.0:
            errors.add(
                "choices",
                f"{row.label} is worth 100% but is not marked correct; "
                "mark it or lower its weight.",
            )


def _multiple_weights(rows: list[_Row], errors: _Errors) -> None:
    """The grader adds up the weights of the ticked options: keep that sum honest."""
    ok = True
    for row in rows:
        weight = row.weight or 0.0
        if row.correct and weight <= 0:
            errors.add("choices", f"{row.label} is marked correct, so it needs a positive weight.")
            ok = False
        elif not row.correct and weight > 0:
            errors.add("choices", f"{row.label} has a positive weight but is not marked correct.")
            ok = False
    total = sum(row.weight or 0.0 for row in rows if row.correct)
    # As the grader rounds: three options of 33.333 make full marks, of 33.33 do not.
    if ok and round(total, 4) != 1.0:
        errors.add(
            "choices",
            f"The weights of the correct options add up to {format_number(total * 100)}%; "
            "they must add up to 100%.",
        )


def _matching_key(
    rows: Sequence[PairDraft], distractors_typed: Sequence[str], errors: _Errors
) -> _Key | None:
    start = _count(errors)
    lefts: list[tuple[int, str]] = []
    rights: list[tuple[int, str]] = []
    count = 0
    for number, row in _rows(rows):
        count += 1
        for side, texts in (("left", lefts), ("right", rights)):
            label = f"The {side} side of pair {number}"
            text = _bounded_text(getattr(row, side), label, CHOICE_MAX, errors, "pairs")
            if text is not None:
                texts.append((number, text))
    low, high = MATCHING_PAIRS
    if not low <= count <= high:
        errors.add("pairs", f"A matching question has {low} to {high} pairs; this one has {count}.")
    _check_distinct(lefts, "The left sides of pairs", errors, "pairs")
    _check_distinct(rights, "The right sides of pairs", errors, "pairs")
    answers = {fold_text(text): number for number, text in rights}
    distractors: list[tuple[int, str]] = []
    for number, typed in enumerate(distractors_typed, start=1):
        if not _clean(typed):
            continue
        text = _bounded_text(typed, f"Distractor {number}", CHOICE_MAX, errors, "distractors")
        if text is not None and fold_text(text) in answers:
            errors.add(
                "distractors",
                f"The distractor “{text}” is also the right side "
                f"of pair {answers[fold_text(text)]}.",
            )
        elif text is not None:
            distractors.append((number, text))
    _check_distinct(distractors, "Distractors", errors, "distractors")
    if len(distractors) > DISTRACTORS_MAX:
        errors.add(
            "distractors", f"Give at most {DISTRACTORS_MAX} distractors, not {len(distractors)}."
        )
    if _count(errors) > start:
        return None
    pairs = tuple(Choice(f"p{i}", text) for i, (_, text) in enumerate(lefts, start=1))
    texts = [text for _, text in rights] + [text for _, text in distractors]
    choices = tuple(Choice(string.ascii_lowercase[i], text) for i, text in enumerate(texts))
    return {pair.id: choices[i].id for i, pair in enumerate(pairs)}, choices, pairs, 0


def _year_key(year_typed: str | int, tolerance_typed: str | int, errors: _Errors) -> _Key | None:
    year = _whole_number(str(year_typed), YEARS)
    if year is None:
        errors.add("year", "Enter a year from {} to {}.".format(*YEARS))
    tolerance = _whole_number(_clean(str(tolerance_typed)) or "0", TOLERANCES)
    if tolerance is None:
        errors.add("tolerance", "Enter a tolerance from {} to {} years.".format(*TOLERANCES))
    if year is None or tolerance is None:
        return None
    return year, (), (), tolerance


def _whole_number(typed: str, bounds: tuple[int, int]) -> int | None:
    text = _clean(typed)
    low, high = bounds
    if _YEAR.fullmatch(text) and low <= int(text) <= high:
        return int(text)
    return None


def _number(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if _NUMBER.fullmatch(text) else None


def _numeric_key(rows: Sequence[NumericDraft], errors: _Errors) -> _Key | None:
    start = len(errors.get("numeric", []))
    answers: list[NumericAnswer] = []
    for number, row in _rows(rows):
        label = f"Answer {number}"
        value = _number(_clean(row.value))
        if value is None:
            errors.add("numeric", f"{label} needs a number, such as 12 or -3.5.")
        tolerance = _number(_clean(row.tolerance) or "0")
        if tolerance is None or tolerance < 0:
            errors.add("numeric", f"{label}: the tolerance must be a number, 0 or more.")
            tolerance = None
        _, credit = _percent(row.credit, WEIGHTS, label, "credit", errors, "numeric")
        feedback = _feedback(row.feedback, label, errors, "numeric")
        if value is not None and tolerance is not None:
            answers.append(
                NumericAnswer(
                    float(value - tolerance),
                    float(value + tolerance),
                    1.0 if credit is None else credit,
                    feedback,
                )
            )
    if len(errors.get("numeric", [])) > start:
        return None
    low, high = NUMERIC_ANSWERS
    if not low <= len(answers) <= high:
        errors.add(
            "numeric",
            f"A numeric question has {low} to {high} accepted answers; "
            f"this one has {len(answers)}.",
        )
        return None
    if not any(answer.credit == 1.0 for answer in answers):
        errors.add("numeric", "At least one answer must be worth 100% (leave its credit blank).")
        return None
    return tuple(answers), (), (), 0


# --- back to a draft --------------------------------------------------------


def _decimal_text(number: Decimal) -> str:
    """A decimal written out in full, without trailing zeros: 12, 0.5, -0.0000001."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent_text(fraction: float | None) -> str:
    """A weight as the form shows it; exact, so that reading it back gives the same float."""
    return "" if fraction is None else _decimal_text(Decimal(repr(fraction)) * 100)


def _choice_draft(choice: Choice, correct: bool) -> ChoiceDraft:
    return ChoiceDraft(choice.text, correct, choice.feedback, _percent_text(choice.weight))


def draft_from_question(question: Question) -> QuestionDraft:
    """The draft an edit form starts from: `build_question` of it gives the question back.

    (With `origin` TEACHER, and choice ids relettered a, b, c… should they differ.) Items
    of an ordering question come in the key's order; a numeric range low..high becomes
    its middle ± half its width.
    """
    draft = QuestionDraft(
        type=question.type.value,
        kind=question.kind.value,
        prompt=question.prompt,
        explanation=question.explanation,
        text_format=question.text_format.value,
        section=question.section,
        quote=question.quote,
        topics=", ".join(question.topics),
        difficulty=str(question.difficulty),
    )
    answer = question.answer
    match question.type:
        case QuestionType.SINGLE:
            draft.choices = [_choice_draft(c, c.id == answer) for c in question.choices]
        case QuestionType.MULTIPLE | QuestionType.SHORT:
            draft.choices = [_choice_draft(c, c.id in answer) for c in question.choices]
        case QuestionType.ORDERING:
            draft.choices = [_choice_draft(question.choice(i), False) for i in answer]
        case QuestionType.MATCHING:
            draft.pairs = [
                PairDraft(p.text, question.choice_text(answer[p.id])) for p in question.pairs
            ]
            used = set(answer.values())
            draft.distractors = [c.text for c in question.choices if c.id not in used]
        case QuestionType.TRUE_FALSE:
            draft.true_false = "true" if answer else "false"
        case QuestionType.YEAR:
            draft.year = str(answer)
            draft.tolerance = str(question.tolerance)
        case QuestionType.NUMERIC:
            draft.numeric = [
                NumericDraft(
                    _decimal_text((Decimal(repr(a.low)) + Decimal(repr(a.high))) / 2),
                    _decimal_text((Decimal(repr(a.high)) - Decimal(repr(a.low))) / 2),
                    _percent_text(a.credit),
                    a.feedback,
                )
                for a in answer
            ]
        case QuestionType.CLASSIFY:
            draft.classify_answer = answer
    return draft
