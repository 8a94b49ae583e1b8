"""What makes a question valid, in one place: every way a question comes in asks this module.

The YAML bank, the question editor and the GIFT and Aiken readers (and any format to come)
each read their own syntax into a `Question`, then call `check_question`, which returns
every rule the question breaks as a `Problem(field, message)`. A reader maps `field` back
to where the author wrote it: a `file:line` (imports) or a form field (the editor). So
whatever one way accepts, every way accepts, with the same words for what is wrong.

`field` names the part of the question a problem is about: a top-level name
(`prompt`, `explanation`, `section`, `quote`, `topics`, `difficulty`, `answer`,
`tolerance`, `choices`, `pairs`), or an element with its index from 0 and part:
`choices[2].text`, `choices[0].weight`, `pairs[1].text`, `answer[0].feedback` (a numeric
question's accepted ranges are its answer), `topics[3]`. `split_field` takes one apart.

The limits are `LIMITS`, written out as the table in the README. They are generous for
Moodle banks (the multiple-choice, true/false and category fixtures of Moodle's XML format,
`question/format/xml/tests/fixtures/`, hold 2 to 4 answers of a few dozen characters, and
its editing form starts with 5 answer rows) and exactly what the editor's form offers (20
rows of choices, pairs or numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from quizapp.domain.article import Article, quote_pattern, sentence_spans
from quizapp.domain.cues import open_cues
from quizapp.domain.grading import SHORT_MAX_LENGTH, fold_text, format_number
from quizapp.domain.questions import (
    Choice,
    Claim,
    NumericAnswer,
    Perspective,
    Question,
    QuestionType,
)

# --- the limits ---------------------------------------------------------------------------

PROMPT_MAX = 10_000  # characters of the question's text
EXPLANATION_MAX = 10_000  # characters of the explanation (Moodle's general feedback)
QUOTE_MAX = 2_000  # characters of the quoted passage (one paragraph of the article at most)
CHOICE_MAX = 1_000  # an option, an ordering item, a side of a pair, a distractor
SHORT_ANSWER_MAX = SHORT_MAX_LENGTH  # an accepted short answer: what a learner may type
FEEDBACK_MAX = 2_000  # the feedback of one option, answer or true/false value
TOPICS_MAX = 20
TOPIC_MAX = 60  # characters of one topic
OPTION_COUNTS = {QuestionType.SINGLE: (2, 20), QuestionType.MULTIPLE: (2, 20)}
ORDERING_ITEMS = (2, 20)
MATCHING_PAIRS = (2, 20)
DISTRACTORS_MAX = 20
SHORT_ANSWERS = (1, 20)
NUMERIC_ANSWERS = (1, 20)
YEARS = (1800, 2100)
TOLERANCES = (0, 10)
DIFFICULTIES = (1, 3)
WEIGHTS = (-100, 100)  # percentages of the mark, options of single and multiple questions
CREDITS = (0, 100)  # percentages of the mark, short and numeric answers
# The numbers a numeric answer may hold, about what a learner can type (15 digits).
NUMBER_LIMIT = 10**15
ID_FORMAT = re.compile(r"[a-z0-9-]+")

# Control characters (but tab and newline), surrogates and the two non-characters: no text
# may hold one (PostgreSQL refuses NUL outright, the others print as nothing or garbage).
BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# The table of the README ("Limits of a question"), in the order it is printed.
LIMITS: tuple[tuple[str, str], ...] = (
    ("question text", f"1 to {PROMPT_MAX:,} characters"),
    ("explanation", f"up to {EXPLANATION_MAX:,} characters; required with a passage"),
    ("quote", f"up to {QUOTE_MAX:,} characters, verbatim in one paragraph of its section"),
    ("option, item, side of a pair, distractor", f"1 to {CHOICE_MAX:,} characters"),
    ("accepted short answer", f"1 to {SHORT_ANSWER_MAX:,} characters"),
    ("feedback", f"up to {FEEDBACK_MAX:,} characters"),
    ("options (single, multiple)", "{} to {}".format(*OPTION_COUNTS[QuestionType.SINGLE])),
    ("items (ordering)", "{} to {}".format(*ORDERING_ITEMS)),
    (
        "pairs (matching)",
        "{} to {}, and up to {} distractors".format(*MATCHING_PAIRS, DISTRACTORS_MAX),
    ),
    ("accepted answers (short)", "{} to {}".format(*SHORT_ANSWERS)),
    ("accepted ranges (numeric)", "{} to {}, within ±10^15".format(*NUMERIC_ANSWERS)),
    ("weights (single, multiple)", "{}% to {}%".format(*WEIGHTS)),
    ("credits (short, numeric)", "{}% to {}%".format(*CREDITS)),
    ("year; tolerance", "{} to {}; {} to {} years".format(*YEARS, *TOLERANCES)),
    ("difficulty", "{} to {}".format(*DIFFICULTIES)),
    ("topics", f"up to {TOPICS_MAX}, each up to {TOPIC_MAX} of a-z, 0-9 and '-'"),
    ("characters", "no control character but tab and newline (no NUL)"),
)

# The article's typographic characters and the plain ones authors type instead, one for one
# so that a match in the plain text is a span of the original.
PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‑": "-"})
PLAIN_SHOWN = "’ ‘ “ ” — – ‑"
_WORD_EDGES = ".,;:!?()[]“”‘’\"'…"

_ROW_NAMES = {
    QuestionType.SINGLE: "Option",
    QuestionType.MULTIPLE: "Option",
    QuestionType.ORDERING: "Item",
    QuestionType.SHORT: "Answer",
    QuestionType.CLASSIFY: "Choice",
    QuestionType.TRUE_FALSE: "The feedback choice",
}
_TYPE_NAMES = {
    QuestionType.SINGLE: "A single-choice question",
    QuestionType.MULTIPLE: "A multiple-choice question",
    QuestionType.ORDERING: "An ordering question",
    QuestionType.MATCHING: "A matching question",
    QuestionType.SHORT: "A short-answer question",
    QuestionType.NUMERIC: "A numeric question",
}
_FIELD = re.compile(r"(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\](?:\.(?P<part>[a-z_]+))?)?")


@dataclass(frozen=True)
class Problem:
    """One rule a question breaks: the field it is about (see the module doc) and what to say."""

    field: str
    message: str


def split_field(field: str) -> tuple[str, int | None, str | None]:
    """`choices[2].text` -> ("choices", 2, "text"); `prompt` -> ("prompt", None, None)."""
    match = _FIELD.fullmatch(field)
    if match is None:
        return field, None, None
    index = match["index"]
    return match["name"], None if index is None else int(index), match["part"]


def check_question(
    question: Question,
    article: Article | None,
    perspectives: Sequence[Perspective] = (),
    *,
    require_source: bool = True,
    hint: bool = True,
    answer: bool = True,
) -> list[Problem]:
    """Every rule `question` breaks, in the order of its fields; [] when it is valid.

    `article` is the authority for the quote (None skips that check, when the article
    itself could not be read); `perspectives` for a classify question's answer.
    `require_source=False` lets a question cite no passage yet (`section == quote == ""`,
    an import that waits for a teacher): such a question may also leave out its
    explanation. `hint=False` leaves out the nearest-text hint of a quote not found (a
    reader facing many may stop looking after a while). `answer=False` leaves out the
    answer's rules, for a reader that could not read the answer at all but wants every
    other problem reported at once.
    """
    problems: list[Problem] = []
    add = problems.append
    cites = bool(question.section or question.quote)
    _text(question.prompt, "prompt", "The question", PROMPT_MAX, add)
    if question.explanation or cites or require_source:
        if not question.explanation.strip():
            add(Problem("explanation", "Explain why the answer is right."))
        else:
            _text(question.explanation, "explanation", "The explanation", EXPLANATION_MAX, add)
    if not DIFFICULTIES[0] <= question.difficulty <= DIFFICULTIES[1]:
        low, high = DIFFICULTIES
        add(Problem("difficulty", f"The difficulty is {low} to {high}, not {question.difficulty}."))
    _topics(question.topics, add)
    _source(question, article, require_source, hint, add)
    if answer:
        _answer(question, perspectives, add)
    return problems


# --- texts --------------------------------------------------------------------------------


def character_problem(text: str) -> str | None:
    """What is wrong with the characters of `text` (a control character), or None."""
    bad = BAD_CHARACTER.search(text)
    if bad is None:
        return None
    return f"holds the control character U+{ord(bad.group()):04X}, which no text may hold"


def _text(text: str, field: str, label: str, most: int, add, *, required: bool = True) -> None:
    if not text.strip():
        if required:
            add(Problem(field, f"{label} has no text."))
        return
    if len(text) > most:
        add(Problem(field, f"{label} is {len(text):,} characters long; keep it to {most:,}."))
    bad = character_problem(text)
    if bad:
        add(Problem(field, f"{label} {bad}."))


def _feedback(text: str, field: str, label: str, add) -> None:
    if text:
        _text(text, field, f"The feedback of {label.lower()}", FEEDBACK_MAX, add, required=False)


def _topics(topics: Sequence[str], add) -> None:
    if len(topics) > TOPICS_MAX:
        add(Problem("topics", f"Give at most {TOPICS_MAX} topics, not {len(topics)}."))
    seen: set[str] = set()
    for index, topic in enumerate(topics):
        field = f"topics[{index}]"
        if not ID_FORMAT.fullmatch(topic):
            add(Problem(field, f"The topic “{topic}” must be lowercase letters, digits and '-'."))
        elif len(topic) > TOPIC_MAX:
            add(Problem(field, f"The topic “{topic}” is longer than {TOPIC_MAX} characters."))
        elif topic in seen:
            add(Problem(field, f"The topic “{topic}” is given twice."))
        seen.add(topic)


# --- the source passage -------------------------------------------------------------------


def _source(question: Question, article: Article | None, required: bool, hint: bool, add) -> None:
    section, quote = question.section, question.quote
    if not section and not quote:
        if required:
            add(Problem("quote", "Cite the passage of the article that backs the answer."))
        return
    if not quote:
        add(Problem("quote", f"Copy the passage of section {section} that backs the answer."))
        return
    if not section:
        passage = article.find(quote) if article is not None else None
        if passage is not None:
            where = f": it is in section {passage.section.number}"
        elif article is not None and hint:
            add(
                Problem(
                    "quote",
                    "The quote is not word for word in the article; "
                    f"{nearest_text(article, quote, None)}.",
                )
            )
            return
        else:
            where = ""
        add(Problem("section", f"Say which section of the article the quote is in{where}."))
        return
    if len(quote) > QUOTE_MAX:
        add(
            Problem(
                "quote", f"The quote is {len(quote):,} characters long; keep it to {QUOTE_MAX:,}."
            )
        )
        return
    bad = character_problem(quote) or character_problem(section)
    if bad:
        add(Problem("quote", f"The quote {bad}."))
        return
    if article is not None:
        problem = quote_problem(article, section, quote, hint=hint)
        if problem is not None:
            add(problem)


def quote_problem(
    article: Article, section: str, quote: str, *, hint: bool = True, what: str = "quote"
) -> Problem | None:
    """None when `quote` is verbatim (runs of whitespace aside) in one paragraph of `section`.

    Otherwise the problem, on `section` when the article has no such section or the quote
    is in another one (saying which), else on `what`, with `hint` where the nearest text is
    (see `nearest_text`). `what` names the text in
    the messages (a bank event's quoted `words` are checked the same way).
    """
    the = f"the {what} {'are' if what == 'words' else 'is'}"
    if not article.has_section(section):
        passage = article.find(quote)
        where = f"; {the} in section {passage.section.number}" if passage else ""
        return Problem("section", f"There is no section {section} in the article{where}.")
    if article.find(quote, section) is not None:
        return None
    passage = article.find(quote)
    chosen = article.section(section)
    if passage is not None:
        return Problem(
            "section", f"{the.capitalize()} in section {passage.section.number}, not {section}."
        )
    message = f"{the.capitalize()} not word for word in the article"
    if not chosen.paragraphs:
        subsections = [s.number for s in article.sections if s.number.startswith(section + ".")]
        return Problem(
            "section",
            f"Section {section} is only a heading; choose one of its subsections"
            + (f" ({', '.join(subsections)})." if subsections else "."),
        )
    if not hint:
        return Problem(what, message + ".")
    return Problem(what, f"{message}; {nearest_text(article, quote, section)}.")


def quote_span(article: Article, section: str, quote: str) -> str | None:
    """The article's own text of `quote` in one paragraph of `section` (its typography and
    spacing), or None when it is not there."""
    passage = article.find(quote, section) if article.has_section(section) else None
    if passage is None:
        return None
    text = passage.section.paragraphs[passage.paragraph].text
    return text[passage.start : passage.end]


def _paragraphs(article: Article) -> Iterator[tuple[str, str]]:
    for section in article.sections:
        for paragraph in section.paragraphs:
            yield section.number, paragraph.text


def nearest_text(article: Article, quote: str, section: str | None) -> str:
    """Where a quote that is not in the article goes astray, for the author to fix it.

    In order: the article has it with typographic characters (curly quotes, dashes); its
    first words (3 at least) are in a paragraph, then the article goes on differently; a
    sentence shares most of its words; or nothing comes close. Linear in the article's
    length, whatever the quote.
    """
    typographic = quote_pattern(quote.replace("...", "…").translate(PLAIN))
    if typographic is not None:
        found = []
        for number, text in _paragraphs(article):
            match = typographic.search(text.translate(PLAIN))
            if match:
                found.append((number != section, number, text[match.start() : match.end()]))
        if found:
            _, number, original = min(found)
            return (
                f"section {number} has it with typographic characters ({PLAIN_SHOWN}); "
                f"copy it from there: “{original}”"
            )
    words = quote.split()
    # (words matched, in the cited section, section, the paragraph's words after the match)
    best: tuple[int, bool, str, list[str]] = (0, False, "", [])
    for number, text in _paragraphs(article):
        have = text.split()
        for start, word in enumerate(have):
            if word != words[0]:
                continue
            matched = 1
            while (
                matched < len(words)
                and start + matched < len(have)
                and have[start + matched] == words[matched]
            ):
                matched += 1
            if (matched, number == section) > best[:2]:
                best = (matched, number == section, number, have[start + matched :])
    matched, _, number, after = best
    if matched >= 3:
        agreed = " ".join(words[:matched][-4:])
        if not after:
            return (
                f"its first {matched} words end a paragraph of section {number} (…{agreed}), "
                "and a quote lies within one paragraph"
            )
        return (
            f"its first {matched} words are in section {number} (…{agreed}), then the article "
            f"has “{' '.join(after[:4])}” where the quote has "
            f"“{' '.join(words[matched : matched + 4])}”"
        )
    wanted = {w.strip(_WORD_EDGES).casefold() for w in words} - {""}
    # The sentence sharing most of the quote's words, the shorter one on a tie.
    overlap: tuple[int, int, str, str] = (0, 0, "", "")
    for number, text in _paragraphs(article):
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            have = {w.strip(_WORD_EDGES).casefold() for w in sentence.split()}
            score = (len(wanted & have), -len(sentence))
            if score > overlap[:2]:
                overlap = (*score, number, sentence)
    if overlap[0] < 2:
        return "no paragraph comes close"
    shown = overlap[3] if len(overlap[3]) <= 200 else overlap[3][:200].rsplit(" ", 1)[0] + " …"
    return f"the nearest text is in section {overlap[2]}: “{shown}”"


# --- the answer ---------------------------------------------------------------------------


def _answer(question: Question, perspectives: Sequence[Perspective], add) -> None:
    qtype = question.type
    if question.tolerance and qtype is not QuestionType.YEAR:
        add(Problem("tolerance", "Only a year question has a tolerance."))
    if question.pairs and qtype is not QuestionType.MATCHING:
        add(Problem("pairs", "Only a matching question has pairs."))
    if qtype in OPTION_COUNTS or qtype in (QuestionType.ORDERING, QuestionType.SHORT):
        _rows(question, add)
    match qtype:
        case QuestionType.SINGLE:
            _single(question, add)
        case QuestionType.MULTIPLE:
            _multiple(question, add)
        case QuestionType.ORDERING:
            if sorted(question.answer) != sorted(c.id for c in question.choices):
                add(Problem("answer", "The order must list every item once."))
        case QuestionType.SHORT:
            _short(question, add)
        case QuestionType.MATCHING:
            _matching(question, add)
        case QuestionType.NUMERIC:
            _numeric(question, add)
        case QuestionType.TRUE_FALSE:
            _true_false(question, add)
        case QuestionType.YEAR:
            _year(question, add)
        case QuestionType.CLASSIFY:
            _classify(question, perspectives, add)


_COUNTS = {
    **{qtype: (bounds, "options") for qtype, bounds in OPTION_COUNTS.items()},
    QuestionType.ORDERING: (ORDERING_ITEMS, "items"),
    QuestionType.SHORT: (SHORT_ANSWERS, "answers"),
    QuestionType.MATCHING: (MATCHING_PAIRS, "pairs"),
    QuestionType.NUMERIC: (NUMERIC_ANSWERS, "accepted answers"),
}


def count_problem(qtype: QuestionType, count: int) -> str | None:
    """What is wrong with a question of `qtype` having `count` options, items, answers or
    pairs (whichever it has), or None. A reader may ask before building a question of
    thousands of options, so that refusing one costs no more than counting."""
    if qtype not in _COUNTS:
        return None
    (low, high), what = _COUNTS[qtype]
    if low <= count <= high:
        return None
    return f"{_TYPE_NAMES[qtype]} has {low} to {high} {what}; this one has {count}."


def _count(items: Sequence, field: str, qtype: QuestionType, add) -> None:
    message = count_problem(qtype, len(items))
    if message is not None:
        add(Problem(field, message))


def _rows(question: Question, add) -> None:
    """Options, items or short answers: their number, texts, feedback, ids, distinct texts."""
    qtype = question.type
    row = _ROW_NAMES[qtype]
    _count(question.choices, "choices", qtype, add)
    most = SHORT_ANSWER_MAX if qtype is QuestionType.SHORT else CHOICE_MAX
    _choice_texts(question.choices, row, most, add)
    if qtype is QuestionType.ORDERING:
        for index, choice in enumerate(question.choices):
            if choice.feedback or choice.weight is not None:
                add(
                    Problem(
                        f"choices[{index}].feedback"
                        if choice.feedback
                        else f"choices[{index}].weight",
                        f"{row} {index + 1}: the items of an ordering question carry no "
                        + ("feedback." if choice.feedback else "weight."),
                    )
                )
    else:
        for index, choice in enumerate(question.choices):
            _feedback(choice.feedback, f"choices[{index}].feedback", f"{row} {index + 1}", add)
    _distinct_ids(question.choices, "choices", row, add)


def _choice_texts(choices: Sequence[Choice], row: str, most: int, add, *, first: int = 0) -> None:
    seen: dict[str, int] = {}
    for index, choice in enumerate(choices, start=first):
        label = f"{row} {index - first + 1}"
        _text(choice.text, f"choices[{index}].text", label, most, add)
        folded = _same_key(choice.text)
        if folded and folded in seen:
            add(
                Problem(
                    f"choices[{index}].text",
                    f"{row}s {seen[folded]} and {index - first + 1} are the same.",
                )
            )
        seen.setdefault(folded, index - first + 1)


def _same_key(text: str) -> str:
    """What two texts share when they are "the same": the grader's fold, or for a text of
    punctuation alone (which folds to nothing) the text with case and spacing folded."""
    return fold_text(text) or " ".join(text.split()).casefold()


def _distinct_ids(choices: Sequence[Choice], field: str, row: str, add) -> None:
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        if choice.id in seen:
            add(
                Problem(
                    f"{field}[{index}]", f"{row} {index + 1} has the id '{choice.id}' of another."
                )
            )
        seen.add(choice.id)


def _weight_range(question: Question, bounds: tuple[int, int], what: str, add) -> list[bool]:
    """Per choice: True when its weight (if any) lies within `bounds` percent."""
    low, high = bounds
    row = _ROW_NAMES[question.type]
    fits = []
    for index, choice in enumerate(question.choices):
        ok = choice.weight is None or low / 100 <= choice.weight <= high / 100
        if not ok:
            add(
                Problem(
                    f"choices[{index}].weight",
                    f"{row} {index + 1}: the {what} must be a percentage from {low} to {high}, "
                    f"not {format_number(choice.weight * 100)}.",
                )
            )
        fits.append(ok)
    return fits


def _single(question: Question, add) -> None:
    fits = _weight_range(question, WEIGHTS, "weight", add)
    ids = [c.id for c in question.choices]
    if question.answer not in ids:
        add(Problem("choices", "Mark exactly one option as correct."))
        return
    index = ids.index(question.answer)
    if fits[index] and question.choices[index].weight not in (None, 1.0):
        add(
            Problem(
                f"choices[{index}].weight",
                f"Option {index + 1} is the correct option, so it is worth 100%: "
                "leave its weight out or write 100.",
            )
        )


def _multiple(question: Question, add) -> None:
    fits = _weight_range(question, WEIGHTS, "weight", add)
    ids = {c.id for c in question.choices}
    answer = set(question.answer)
    if not answer or not answer <= ids:
        add(Problem("choices", "Mark at least one option as correct."))
        return
    if answer == ids:
        add(
            Problem(
                "choices",
                "Leave at least one option unmarked: when every option is correct, "
                "ticking them all gets full marks.",
            )
        )
        return
    if not all(fits) or all(c.weight is None for c in question.choices):
        return
    ok = True
    for index, choice in enumerate(question.choices):
        weight = choice.weight or 0.0
        if choice.id in answer and weight <= 0:
            add(
                Problem(
                    f"choices[{index}].weight",
                    f"Option {index + 1} is correct, so it needs a weight above 0 "
                    "when other options have weights.",
                )
            )
            ok = False
        elif choice.id not in answer and weight > 0:
            add(
                Problem(
                    f"choices[{index}].weight",
                    f"Option {index + 1} has a weight above 0 but is not correct.",
                )
            )
            ok = False
    total = sum(c.weight or 0.0 for c in question.choices if c.id in answer)
    # As the grader rounds: three options of 33.333 make full marks, of 33.33 do not.
    if ok and round(total, 4) != 1.0:
        add(
            Problem(
                "choices",
                f"The weights of the correct options add up to {format_number(total * 100)}%; "
                "they must add up to 100% (write thirds as 33.333).",
            )
        )


def _short(question: Question, add) -> None:
    fits = _weight_range(question, CREDITS, "weight", add)
    full = tuple(c.id for c in question.choices if c.weight in (None, 1.0))
    if question.choices and all(fits) and not full:
        add(Problem("choices", "At least one answer must be worth 100% (leave its weight out)."))
    elif full and tuple(question.answer) != full:
        add(Problem("answer", "The accepted answers are those worth 100%."))


def _matching(question: Question, add) -> None:
    pairs, choices = question.pairs, question.choices
    _count(pairs, "pairs", QuestionType.MATCHING, add)
    answer = question.answer if isinstance(question.answer, dict) else {}
    distractors = len(choices) - len(set(answer.values()))
    if distractors > DISTRACTORS_MAX:
        add(Problem("choices", f"Give at most {DISTRACTORS_MAX} distractors, not {distractors}."))
    seen: dict[str, int] = {}
    for index, pair in enumerate(pairs):
        label = f"The left side of pair {index + 1}"
        _text(pair.text, f"pairs[{index}].text", label, CHOICE_MAX, add)
        folded = _same_key(pair.text)
        if folded and folded in seen:
            add(
                Problem(
                    f"pairs[{index}].text",
                    f"The left sides of pairs {seen[folded]} and {index + 1} are the same.",
                )
            )
        seen.setdefault(folded, index + 1)
        if pair.feedback or pair.weight is not None:
            add(Problem(f"pairs[{index}].text", f"Pair {index + 1} carries no feedback or weight."))
    used = list(answer.values())
    if (
        set(answer) != {p.id for p in pairs}
        or not set(used) <= {c.id for c in choices}
        or len(set(used)) != len(used)
    ):
        add(Problem("answer", "Each pair has a right side of its own among the choices."))
    pair_of: dict[str, int] = {}  # choice id -> the number of the pair it answers
    for number, pair in enumerate(pairs, start=1):
        if pair.id in answer:
            pair_of.setdefault(answer[pair.id], number)
    seen: dict[str, tuple[int | None, str]] = {}
    distractor = 0
    for index, choice in enumerate(choices):
        pair_number = pair_of.get(choice.id)
        if pair_number is None:
            distractor += 1
        label = (
            f"The right side of pair {pair_number}" if pair_number else f"Distractor {distractor}"
        )
        _text(choice.text, f"choices[{index}].text", label, CHOICE_MAX, add)
        folded = _same_key(choice.text)
        if folded and folded in seen:
            other_pair, other_label = seen[folded]
            if pair_number and other_pair:
                message = f"The right sides of pairs {other_pair} and {pair_number} are the same."
            elif other_pair:
                message = f"{label} “{choice.text}” is also the right side of pair {other_pair}."
            elif pair_number:
                message = (
                    f"{other_label} “{choice.text}” is also the right side of pair {pair_number}."
                )
            else:
                message = f"{label} “{choice.text}” is given twice."
            add(Problem(f"choices[{index}].text", message))
        seen.setdefault(folded, (pair_number, label))
        if choice.feedback or choice.weight is not None:
            add(Problem(f"choices[{index}].text", f"{label} carries no feedback or weight."))
    _distinct_ids(pairs, "pairs", "Pair", add)
    _distinct_ids(choices, "choices", "Choice", add)


def _numeric(question: Question, add) -> None:
    answers: Sequence[NumericAnswer] = question.answer
    _count(answers, "answer", QuestionType.NUMERIC, add)
    if question.choices:
        add(Problem("choices", "A numeric question has no choices."))
    for index, accepted in enumerate(answers):
        field, label = f"answer[{index}]", f"Answer {index + 1}"
        if not (-NUMBER_LIMIT <= accepted.low <= accepted.high <= NUMBER_LIMIT):
            add(
                Problem(
                    f"{field}.value", f"{label}: the range runs from -10^15 to 10^15, low to high."
                )
            )
        if not CREDITS[0] / 100 <= accepted.credit <= CREDITS[1] / 100:
            add(
                Problem(
                    f"{field}.credit",
                    f"{label}: the credit must be a percentage from {CREDITS[0]} to {CREDITS[1]}.",
                )
            )
        _feedback(accepted.feedback, f"{field}.feedback", label, add)
    if answers and not any(a.credit == 1.0 for a in answers):
        add(Problem("answer", "At least one answer must be worth 100% (leave its credit out)."))


def _true_false(question: Question, add) -> None:
    if not isinstance(question.answer, bool):
        add(Problem("answer", "Choose True or False."))
    if question.choices and [c.id for c in question.choices] != ["true", "false"]:
        add(
            Problem(
                "choices",
                "A true/false question's choices are true and false, with their feedback.",
            )
        )
        return
    for index, choice in enumerate(question.choices):
        _feedback(choice.feedback, f"choices[{index}].feedback", f"the answer {choice.text}", add)


def _year(question: Question, add) -> None:
    answer = question.answer
    if (
        isinstance(answer, bool)
        or not isinstance(answer, int)
        or not YEARS[0] <= answer <= YEARS[1]
    ):
        add(Problem("answer", "Enter a year from {} to {}.".format(*YEARS)))
    if not TOLERANCES[0] <= question.tolerance <= TOLERANCES[1]:
        add(Problem("tolerance", "Enter a tolerance from {} to {} years.".format(*TOLERANCES)))
    if question.choices:
        add(Problem("choices", "A year question has no choices."))


def _classify(question: Question, perspectives: Sequence[Perspective], add) -> None:
    if not perspectives:
        return
    ids = [p.id for p in perspectives]
    if question.answer not in ids:
        known = ", ".join(ids)
        add(Problem("answer", f"The answer “{question.answer}” is not a perspective ({known})."))
    for problem in claim_problems(question, [c for p in perspectives for c in p.claims]):
        add(problem)


def claim_problems(question: Question, claims: Sequence[Claim]) -> list[Problem]:
    """A which-position (classify) question may not ask a claim marked `not_distinctive`:
    one the article also states in its own voice, or that another position would accept."""
    if question.type is not QuestionType.CLASSIFY:
        return []
    return [
        Problem(
            "prompt",
            f"The claim “{claim.id}” is not one position's alone ({claim.not_distinctive}), "
            "so “which position holds it?” has no single right answer: ask about a claim "
            "only one position makes.",
        )
        for claim in claims
        if claim.not_distinctive and _asks_claim(question, claim)
    ]


def _asks_claim(question: Question, claim: Claim) -> bool:
    """True when a which-position question is about `claim`: it quotes the claim's passage
    (one quote inside the other, in the same section) or its prompt gives the claim's text."""
    mine, theirs = fold_text(question.quote), fold_text(claim.quote)
    if question.section == claim.section and mine and theirs and (mine in theirs or theirs in mine):
        return True
    return fold_text(claim.text) in fold_text(question.prompt)


# --- warnings -----------------------------------------------------------------------------


def check_warnings(question: Question) -> list[Problem]:
    """The cues (see `cues`) that give `question`'s answer away and that it does not
    acknowledge: warnings, not errors, so the question is still valid. Each names the cue
    (`cue.name`) and what to do; `flask bank check --strict` makes them errors."""
    return [Problem(cue.field, f"[{cue.name}] {cue.message}") for cue in open_cues(question)]
