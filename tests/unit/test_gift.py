"""Reading Moodle GIFT: each construct, each refusal (with name and line), all or nothing."""

import time
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.article import Article, Paragraph, Section
from quizapp.domain.formats import gift
from quizapp.domain.questions import (
    Bank,
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Perspective,
    Question,
    QuestionType,
    TextFormat,
)

BAKER = (
    "On 9 February 1990, in Moscow, Baker asked Gorbachev whether he preferred a unified Germany."
)
JURISDICTION = "Not one inch of NATO’s present military jurisdiction, the phrase went."
BANK = Bank(
    events=(),
    perspectives=(
        Perspective("russian", "The Russian narrative", "Moscow", "A promise was broken."),
        Perspective("western", "The Western narrative", "Washington", "No promise was made."),
    ),
    questions=(),
    article=Article(
        (
            Section("1", "Moscow", (Paragraph(BAKER),)),
            Section("2", "The phrase", (Paragraph(JURISDICTION),)),
        )
    ),
)


def parse(text: str, filename: str = "quiz.gift"):
    return gift.parse(dedent(text), filename, BANK)


def read(text: str, filename: str = "quiz.gift") -> tuple[Question, ...]:
    result = parse(text, filename)
    assert result.problems == ()
    return result.questions


def only(text: str) -> Question:
    (question,) = read(text)
    return question


def problems(text: str, filename: str = "quiz.gift") -> tuple[str, ...]:
    result = parse(text, filename)
    assert result.questions == ()
    assert result.problems
    return result.problems


# --- multiple choice -------------------------------------------------------------------


def test_equals_and_tildes_make_a_single_choice_question():
    question = only("Who met Gorbachev? {=Baker ~Kohl ~Bush}")
    assert question.type is QuestionType.SINGLE
    assert question.prompt == "Who met Gorbachev?"
    assert question.choices == (Choice("a", "Baker"), Choice("b", "Kohl"), Choice("c", "Bush"))
    assert question.answer == "a"


def test_question_and_options_may_span_lines():
    question = only(
        """\
        Who met
        Gorbachev? {
            ~Kohl
            =Baker
        }
        """
    )
    assert question.prompt == "Who met\nGorbachev?"
    assert question.answer == "b"


def test_percent_weights_without_equals_make_a_multiple_question():
    question = only("Who were in Moscow? {~%50%Baker ~%50%Gorbachev ~%-100%Kohl ~Bush}")
    assert question.type is QuestionType.MULTIPLE
    assert question.answer == frozenset({"a", "b"})
    assert [c.weight for c in question.choices] == [0.5, 0.5, -1.0, None]


def test_decimal_weights_are_read_as_exact_fractions():
    question = only("Pick? {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-100%d}")
    assert [c.weight for c in question.choices] == [0.3333333, 0.3333333, 0.3333334, -1.0]


def test_a_partial_credit_option_keeps_a_question_single():
    question = only("Where? {=Moscow ~%50%Russia ~Berlin}")
    assert question.type is QuestionType.SINGLE
    assert question.answer == "a"
    assert [c.weight for c in question.choices] == [None, 0.5, None]


def test_a_second_equals_option_counts_as_full_marks():
    question = only("Capital? {=Moscow =Moskva ~Berlin}")
    assert question.answer == "a"
    assert question.choice("b").weight == 1.0


def test_the_positive_weights_of_a_multiple_question_must_reach_100_percent():
    (problem,) = problems("::w:: Pick {~%50%a ~%40%b ~%-100%c}")
    assert problem == (
        "quiz.gift:1: question 'w': The weights of the correct options add up to 90%; "
        "they must add up to 100% (write thirds as 33.333)."
    )


def test_thirds_to_two_decimals_are_refused_as_full_marks_would_score_0_9999():
    (problem,) = problems("::w:: Pick {~%33.33%a ~%33.33%b ~%33.33%c ~%-100%d}")
    assert "add up to 99.99%; they must add up to 100%" in problem
    assert parse("::w:: Pick {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}", "q.gift").ok


def test_a_choice_question_without_a_right_option_is_a_problem():
    (problem,) = problems("::none:: Pick {~a ~b}")
    assert "question 'none': no right answer" in problem


def test_a_weight_after_equals_is_a_problem_as_moodle_ignores_it():
    (problem,) = problems("::eq:: Pick {=%50%a ~b}")
    assert "Moodle reads no weight after '='" in problem


def test_a_weight_beyond_100_percent_is_a_problem():
    assert any(
        "the weight must be a percentage from -100 to 100, not 150" in p
        for p in problems("Pick {=a ~%150%b}")
    )


def test_a_choice_question_needs_two_options():
    (problem, *_) = problems("::one:: Pick {~%100%a}")
    assert "has 2 to 20 options; this one has 1." in problem


# --- true/false -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "value"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_each_true_false_spelling(word, value):
    question = only(f"Baker went to Moscow. {{{word}}}")
    assert question.type is QuestionType.TRUE_FALSE
    assert question.answer is value
    assert question.choices == ()


def test_lowercase_true_is_a_short_answer_as_in_moodle():
    assert only("Baker went to Moscow. {true}").type is QuestionType.SHORT


def test_true_false_feedback_is_wrong_then_right():
    question = only("Baker went to Moscow. {T#No, he did.#Yes.}")
    assert question.choices == (
        Choice("true", "True", "Yes."),
        Choice("false", "False", "No, he did."),
    )


def test_true_false_feedback_of_a_false_statement():
    question = only("Kohl went to Malta. {FALSE#He did not.#Right.}")
    assert question.answer is False
    assert question.choice("true").feedback == "He did not."
    assert question.choice("false").feedback == "Right."


# --- short answer -----------------------------------------------------------------------


def test_equals_without_tildes_make_a_short_answer_question():
    question = only("Who met Gorbachev? {=Baker =James Baker =%50%the Secretary#Name him.}")
    assert question.type is QuestionType.SHORT
    assert question.choices == (
        Choice("a", "Baker"),
        Choice("b", "James Baker"),
        Choice("c", "the Secretary", "Name him.", 0.5),
    )
    assert question.answer == ("a", "b")


def test_a_short_answer_question_needs_full_marks_somewhere():
    (problem,) = problems("::half:: Who? {=%50%Baker}")
    assert "question 'half': At least one answer must be worth 100%" in problem


# --- numeric ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "low", "high"),
    [
        ("{#1822}", 1822, 1822),
        ("{#1822:1}", 1821, 1823),
        ("{#1..2}", 1, 2),
        ("{#-5..-3}", -5, -3),
        ("{#3.14:0.01}", 3.13, 3.15),
    ],
    ids=["exact", "tolerance", "range", "negative-range", "decimal-tolerance"],
)
def test_numeric_answers(block, low, high):
    question = only(f"How many? {block}")
    assert question.type is QuestionType.NUMERIC
    assert question.answer == (NumericAnswer(low, high),)


def test_numeric_answers_with_credit_and_feedback():
    question = only(
        """\
        When was Grant born? {#
            =1822:0 # Correct!
            =%50%1822:2 # Close.
        }
        """
    )
    assert question.answer == (
        NumericAnswer(1822, 1822, 1.0, "Correct!"),
        NumericAnswer(1820, 1824, 0.5, "Close."),
    )


def test_a_star_accepts_any_number():
    assert only("Any number? {#*}").answer == (NumericAnswer(-1e15, 1e15),)


def test_numeric_feedback_for_every_other_number():
    question = only("Year? {#=1990 ~#Not even close.}")
    assert question.answer[-1] == NumericAnswer(-1e15, 1e15, 0.0, "Not even close.")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{#5..1}", "the range 5..1 runs backwards"),
        ("{#abc}", "'abc' is not a number"),
        ("{#1990:-1}", "the tolerance -1 is negative"),
        ("{#=%50%1990}", "At least one answer must be worth 100%"),
        ("{#}", "needs an accepted number"),
        ("{#1e16}", "1e16 is beyond ±10^15"),
    ],
)
def test_malformed_numeric_answers_are_problems(block, message):
    (problem,) = problems(f"::n:: Year? {block}")
    assert problem.startswith("quiz.gift:1: question 'n': ")
    assert message in problem


# --- matching ---------------------------------------------------------------------------


def test_pairs_make_a_matching_question():
    question = only("Match. {=Baker -> Moscow =Bush -> Malta}")
    assert question.type is QuestionType.MATCHING
    assert question.pairs == (Choice("p1", "Baker"), Choice("p2", "Bush"))
    assert question.choices == (Choice("a", "Moscow"), Choice("b", "Malta"))
    assert question.answer == {"p1": "a", "p2": "b"}


def test_an_empty_left_side_adds_a_distractor():
    question = only("Match. {=Baker -> Moscow = -> Bonn =Bush -> Malta}")
    assert [c.text for c in question.choices] == ["Moscow", "Malta", "Bonn"]
    assert question.answer == {"p1": "a", "p2": "b"}


def test_a_distractor_may_not_be_a_right_side():
    (problem,) = problems("::m:: Match. {=Baker -> Moscow =Bush -> Malta = -> Malta}")
    assert "Distractor 1 “Malta” is also the right side of pair 2." in problem


def test_a_matching_question_needs_two_pairs():
    (problem,) = problems("::m:: Match. {=Baker -> Moscow = -> Bonn}")
    assert "A matching question has 2 to 20 pairs; this one has 1." in problem


# --- feedback, names, categories, comments ----------------------------------------------


def test_per_answer_feedback():
    question = only("Who? {=Baker#Yes, in Moscow. ~Kohl#He was in Bonn.}")
    assert [c.feedback for c in question.choices] == ["Yes, in Moscow.", "He was in Bonn."]


def test_general_feedback_becomes_the_explanation():
    question = only("Who? {=Baker ~Kohl ####Baker met Gorbachev on 9 February.}")
    assert question.explanation == "Baker met Gorbachev on 9 February."
    assert [c.text for c in question.choices] == ["Baker", "Kohl"]


def test_a_name_that_is_an_id_is_kept():
    assert only("::baker-moscow:: Who? {=Baker ~Kohl}").id == "baker-moscow"


def test_other_names_become_slugs():
    assert only("::Baker in Moscow (1990)!:: Who? {=Baker ~Kohl}").id == "baker-in-moscow-1990"


def test_repeated_names_are_made_unique():
    questions = read("::q:: A? {=a ~b}\n\n::q:: B? {=a ~b}\n\n::Q:: C? {=a ~b}")
    assert [q.id for q in questions] == ["q", "q-2", "q-3"]


def test_unnamed_questions_are_numbered_after_the_file():
    questions = read("A? {=a ~b}\n\n::named:: B? {=a ~b}\n\nC? {T}", filename="Week 3.gift.txt")
    assert [q.id for q in questions] == ["week-3-1", "named", "week-3-3"]


def test_a_category_gives_the_topic_of_its_last_part():
    questions = read(
        """\
        A? {T}

        $CATEGORY: $course$/top/NATO Enlargement

        B? {T}
        """
    )
    assert [q.topics for q in questions] == [(), ("nato-enlargement",)]


def test_a_category_must_stand_alone():
    (problem,) = problems("$CATEGORY: a/b\nB? {T}")
    assert problem == "quiz.gift:1: $CATEGORY stands alone: put a blank line after it"


def test_comments_are_ignored_but_slashes_within_a_line_are_text():
    question = only(
        """\
        // a comment before
        See http://example.org for it. {
            // a comment inside
            =Baker
            ~Kohl
        }
        """
    )
    assert question.prompt == "See http://example.org for it."
    assert [c.text for c in question.choices] == ["Baker", "Kohl"]


def test_plain_gift_gives_an_uncited_teacher_fact():
    question = only("Who? {=Baker ~Kohl}")
    assert (question.kind, question.difficulty, question.origin) == (
        Kind.FACT,
        1,
        Origin.TEACHER,
    )
    assert (question.section, question.quote, question.cites_source) == ("", "", False)


# --- escapes and text formats -----------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "meaning"),
    [
        (r"\~", "~"),
        (r"\=", "="),
        (r"\#", "#"),
        (r"\{", "{"),
        (r"\}", "}"),
        (r"\:", ":"),
        (r"\\", "\\"),
        (r"\n", "\n"),
    ],
    ids=["tilde", "equals", "hash", "open-brace", "close-brace", "colon", "backslash", "newline"],
)
def test_each_escape(escaped, meaning):
    question = only(f"::e:: a{escaped}b {{=c{escaped}d ~e}}")
    assert question.prompt == f"a{meaning}b"
    assert question.choice("a").text == f"c{meaning}d"


def test_markdown_text_format():
    question = only("[markdown]Who met **Gorbachev**? {=[markdown]*Baker* ~Kohl}")
    assert question.text_format is TextFormat.MARKDOWN
    assert question.prompt == "Who met **Gorbachev**?"
    assert question.choice("a").text == "*Baker*"


@pytest.mark.parametrize("tag", ["[plain]", "[moodle]", ""])
def test_plain_and_moodle_text_formats_read_as_plain(tag):
    question = only(f"::p::{tag}Who? {{=Baker ~Kohl}}")
    assert question.text_format is TextFormat.PLAIN
    assert question.prompt == "Who?"


def test_html_is_refused():
    (problem,) = problems("::h::[html]Who <b>met</b> him? {=Baker ~Kohl}")
    assert problem == (
        "quiz.gift:1: question 'h': HTML question text is not supported; use [markdown]"
    )


def test_an_option_may_not_change_the_text_format():
    (problem,) = problems("::f::[plain]Who? {=[markdown]*Baker* ~Kohl}")
    assert "[markdown] differs from the question's format [plain]" in problem


def test_text_after_the_block_leaves_a_blank_in_the_prompt():
    question = only("Baker {=met ~phoned} Gorbachev in Moscow.")
    assert question.type is QuestionType.SINGLE
    assert question.prompt == "Baker _____ Gorbachev in Moscow."


# --- refusals, with name and line ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::essay:: Tell the story. {}", 1, "essay question ({}) is not supported"),
        ("::intro:: Read section 1 first.", 1, "description (text without an answer block"),
        ("::open:: Who? {=Baker ~Kohl", 1, "unclosed '{'"),
        ("::close:: Who? =Baker ~Kohl}", 1, "'}' without an opening '{'"),
        ("::nest:: Who? {=Baker {~Kohl}", 1, "'{' inside the answer block"),
        ("::two:: Who {=Baker ~Kohl} met {=him ~her}", 1, "a second answer block"),
        ("::name Who? {=Baker ~Kohl}", 1, "the question name has no closing '::'"),
    ],
    ids=["essay", "description", "unclosed", "unopened", "nested", "two-blocks", "name"],
)
def test_unsupported_or_malformed_questions_are_named_problems(text, line, message):
    (problem,) = problems(f"Fine? {{T}}\n\n{text}")
    assert problem.startswith(f"quiz.gift:{line + 2}: question ")
    assert message in problem


def test_a_problem_names_the_line_within_a_question():
    (problem,) = problems(
        """\
        ::spread:: Who met
        Gorbachev? {
            =Baker
            ~
        }
        """
    )
    assert problem == "quiz.gift:4: question 'spread': an answer is empty"


def test_an_unnamed_question_is_named_by_its_number():
    (problem,) = problems("Fine? {T}\n\nWrite an essay. {}")
    assert problem.startswith("quiz.gift:3: question 2: essay question")


def test_one_problem_imports_nothing():
    result = parse("Fine? {T}\n\n::bad:: Pick {~a ~b}\n\nAlso fine? {F}")
    assert result.questions == ()
    assert len(result.problems) == 1


def test_every_problem_of_a_file_is_reported():
    assert len(problems("::a:: Say? {}\n\n::b:: No block\n\n::c:: Pick? {~x ~y}")) == 3


def test_a_file_without_questions_is_a_problem():
    assert problems("// only a comment\n") == (
        "quiz.gift:1: no questions found (GIFT questions end with an answer block {...})",
    )


GIFT_PIECES = st.sampled_from(
    [*"~=#{}:\\%-> .\nTFab19", "\n\n", "TRUE", "::", "####", "..", "%50%", "%-100%", "[markdown]"]
    + ["[html]", "$CATEGORY: a/b", "// quizapp: type=year ", "// quizapp: weights=derived "]
    + ["// quizapp: type=classify ", "// quizapp-section: 1\n// quizapp-quote: Baker\n"]
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(GIFT_PIECES, max_size=40).map("".join)))
def test_any_text_gives_questions_or_problems_never_both_and_never_an_error(text):
    result = gift.parse(text, "any.gift", BANK)
    assert bool(result.questions) != bool(result.problems)
    assert all(p.startswith("any.gift:") for p in result.problems)


# --- our metadata -----------------------------------------------------------------------


def test_metadata_sets_type_kind_difficulty_topics_and_origin():
    question = only(
        """\
        // quizapp: type=single kind=interpretation difficulty=3 topics=baker,moscow origin=authored
        ::m:: Who? {=Baker ~Kohl}
        """
    )
    assert question.kind is Kind.INTERPRETATION
    assert question.difficulty == 3
    assert question.topics == ("baker", "moscow")
    assert question.origin is Origin.AUTHORED


def test_metadata_topics_replace_the_category():
    questions = read("$CATEGORY: top/Talks\n\n// quizapp: kind=fact\nA? {T}\n\nB? {T}")
    assert [q.topics for q in questions] == [(), ("talks",)]


def test_year_metadata_reads_a_numeric_block_as_a_year():
    question = only("// quizapp: type=year\nWhen? {#1990:2}")
    assert (question.type, question.answer, question.tolerance) == (QuestionType.YEAR, 1990, 2)


def test_year_metadata_needs_a_whole_year():
    (problem,) = problems("// quizapp: type=year\n::y:: When? {#1990.5}")
    assert "question 'y': a year question takes one whole year" in problem


def test_classify_metadata_maps_option_texts_to_perspectives():
    question = only(
        "// quizapp: type=classify\nWho says so? {~The Russian narrative =The Western narrative}"
    )
    assert question.type is QuestionType.CLASSIFY
    assert question.choices == (
        Choice("russian", "The Russian narrative"),
        Choice("western", "The Western narrative"),
    )
    assert question.answer == "western"


def test_classify_options_must_be_perspective_names():
    (problem,) = problems("// quizapp: type=classify\n::c:: Who? {=Moscow ~Washington}")
    assert "'Moscow' is not the name of a perspective" in problem


def test_weights_derived_reads_back_an_unweighted_multiple_question():
    question = only(
        "// quizapp: type=multiple weights=derived\n"
        "Who? {~%50%Baker ~%50%Gorbachev ~%-50%Kohl ~%-50%Bush}"
    )
    assert question.answer == frozenset({"a", "b"})
    assert all(c.weight is None for c in question.choices)


def test_weights_derived_must_match_the_written_weights():
    (problem,) = problems(
        "// quizapp: weights=derived\n::d:: Who? {~%50%Baker ~%50%Gorbachev ~%-100%Kohl ~Bush}"
    )
    assert "weights=derived, but option 'Kohl' has weight -100%, not -50%" in problem


def test_section_and_quote_are_read_when_verbatim_in_the_article():
    question = only(
        f"// quizapp-section: 1\n// quizapp-quote: {BAKER[:40]}\n"
        "Who went? {=Baker ~Kohl ####Baker did.}"
    )
    assert (question.section, question.quote) == ("1", BAKER[:40])
    assert question.cites_source


@pytest.mark.parametrize(
    ("section", "quote", "line", "message"),
    [
        ("2", BAKER[:40], 1, "The quote is in section 1, not 2."),
        ("9", BAKER[:40], 1, "There is no section 9 in the article; the quote is in section 1."),
        (
            "2",
            "NATO's present military jurisdiction",
            2,
            "The quote is not word for word in the article; section 2 has it with typographic",
        ),
        (
            "1",
            "Baker asked Gorbachev whether he liked Bonn",
            2,
            "The quote is not word for word in the article",
        ),
    ],
    ids=["other-section", "no-such-section", "typographic", "not-found"],
)
def test_a_quote_not_verbatim_in_its_section_is_a_problem(section, quote, line, message):
    text = (
        f"// quizapp-section: {section}\n// quizapp-quote: {quote}\n"
        "::q:: Who? {=Baker ~Kohl ####Baker did.}"
    )
    (problem,) = problems(text)
    assert problem.startswith(f"quiz.gift:{line}: question 'q': ")
    assert message in problem


def test_a_section_needs_its_quote():
    (problem,) = problems("// quizapp-section: 1\n::q:: Who? {=Baker ~Kohl}")
    assert "'quizapp-quote:' is missing" in problem


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("// quizapp: colour=red", "unknown quizapp key 'colour'"),
        ("// quizapp: kind=opinion", "kind=opinion is not one of fact, interpretation"),
        ("// quizapp: difficulty=7", "difficulty=7 is not one of 1, 2, 3"),
        ("// quizapp: topics=Bad_Topic", "topic 'Bad_Topic' must be lowercase"),
        ("// quizapp: type=ordering", "GIFT cannot hold an ordering question"),
        ("// quizapp: type=short", "says type=short, but the answer block makes a single"),
        ("// quizapp: kind", "'kind' is not key=value"),
        ("// quizapp-author: me", "unknown metadata 'quizapp-author:'"),
    ],
)
def test_malformed_metadata_is_a_problem(line, message):
    (problem,) = problems(f"{line}\n::q:: Who? {{=Baker ~Kohl}}")
    assert problem.startswith("quiz.gift:1: question 'q': ")
    assert message in problem


def test_metadata_without_a_question_is_a_problem():
    assert problems("Fine? {T}\n\n// quizapp: type=single\n") == (
        "quiz.gift:3: quizapp metadata must come just before its question",
    )


# --- writing ----------------------------------------------------------------------------


def a_question(**fields) -> Question:
    base = dict(
        id="baker",
        type=QuestionType.SINGLE,
        kind=Kind.FACT,
        prompt="Who met Gorbachev?",
        section="",
        quote="",
        explanation="",
        answer="a",
        choices=(Choice("a", "Baker"), Choice("b", "Kohl")),
        origin=Origin.TEACHER,
    )
    return Question(**(base | fields))


def test_export_escapes_every_special_character():
    question = a_question(prompt="a~b=c#d{e}f:g\\h\ni")
    text = gift.export([question]).text
    assert r"::baker::[plain]a\~b\=c\#d\{e\}f\:g\\h\ni {" in text
    assert only(text).prompt == question.prompt


def test_export_writes_metadata_comments():
    question = a_question(difficulty=2, topics=("baker", "moscow"), section="1", quote=BAKER)
    text = gift.export([question]).text
    assert "// quizapp: type=single kind=fact difficulty=2 topics=baker,moscow\n" in text
    assert f"// quizapp-section: 1\n// quizapp-quote: {BAKER}\n" in text


def test_export_skips_ordering():
    ordering = a_question(type=QuestionType.ORDERING, answer=("a", "b"))
    result = gift.export([ordering, a_question()])
    assert (result.exported, result.skipped) == (1, (ordering,))


@pytest.mark.parametrize(
    "question",
    [
        a_question(choices=(Choice("a", "Baker"), Choice("b", "%50% of them"))),
        a_question(
            type=QuestionType.MATCHING,
            pairs=(Choice("p1", "Baker -> Moscow"), Choice("p2", "Bush")),
            choices=(Choice("a", "Moscow"), Choice("b", "Malta")),
            answer={"p1": "a", "p2": "b"},
        ),
        a_question(type=QuestionType.SHORT, choices=(Choice("a", "a -> b"),), answer=("a",)),
    ],
    ids=["option-like-a-weight", "matching-arrow", "short-arrow"],
)
def test_export_skips_what_moodle_would_misread(question):
    assert gift.export([question]).skipped == (question,)


# --- what the rulebook and the linear reader changed ------------------------------------


def test_feedback_written_after_the_closing_brace_is_a_problem_not_a_blank():
    (problem,) = problems("::q:: Who went to Moscow? {=Baker ~Kohl}\n####Baker did.")
    assert problem.startswith("quiz.gift:2: question 'q': '####Baker did.' after the answer")
    assert "feedback and answers go inside the braces" in problem


def test_words_after_the_closing_brace_are_still_a_missing_word():
    assert only("Baker {=met ~phoned} Gorbachev.").prompt == "Baker _____ Gorbachev."


def test_a_single_choice_question_of_ten_options_is_read_as_the_editor_would_take_it():
    options = " ".join(["=Baker"] + [f"~Person {i}" for i in range(9)])
    question = only(f"Who? {{{options}}}")
    assert len(question.choices) == 10


def test_a_prompt_longer_than_the_rulebook_allows_is_refused_on_its_line():
    (problem,) = problems("::long::\n" + "x" * 10_001 + " {=Baker ~Kohl}")
    assert problem == (
        "quiz.gift:2: question 'long': The question is 10,001 characters long; keep it to 10,000."
    )


def test_a_control_character_is_refused():
    (problem,) = problems("::c:: Who\x07? {=Baker ~Kohl}")
    assert "control character U+0007" in problem


def test_many_questions_of_one_name_get_ids_in_linear_time():
    text = "\n\n".join("::Same name:: Who? {=Baker ~Kohl}" for _ in range(6000))
    started = time.process_time()
    result = parse(text)
    elapsed = time.process_time() - started
    assert [q.id for q in result.questions[:3]] == ["same-name", "same-name-2", "same-name-3"]
    assert result.questions[-1].id == "same-name-6000"
    # Finding each id by trying -2, -3, ... again took 8 s for the ids alone; now under 1.
    assert elapsed < 3


def test_an_explicit_name_that_looks_like_a_suffix_keeps_ids_unique():
    ids = [q.id for q in read("::a-2:: Q? {=x ~y}\n\n::a:: Q? {=x ~y}\n\n::a:: Q? {=x ~y}")]
    assert ids == ["a-2", "a", "a-3"]


def test_essays_and_descriptions_count_as_unsupported_and_block_the_import():
    result = parse("Fine? {T}\n\nWrite an essay. {}\n\nRead section 1 first.\n")
    assert result.questions == ()
    assert result.unsupported == 2
    assert [p.split(":")[1] for p in result.problems] == ["3", "5"]


def test_skip_unsupported_leaves_out_essays_and_descriptions_and_reads_the_rest():
    text = "Fine? {T}\n\nWrite an essay. {}\n\nRead section 1 first.\n"
    result = gift.parse(text, "quiz.gift", BANK, True)
    assert result.problems == ()
    assert [q.type for q in result.questions] == [QuestionType.TRUE_FALSE]
    assert [s.split(":")[1] for s in result.skipped] == ["3", "5"]
    assert "essay question ({}) is not supported" in result.skipped[0]


def test_skip_unsupported_does_not_skip_a_broken_question():
    result = gift.parse("Fine? {T}\n\nWrite an essay. {}\n\nBroken {=a\n", "quiz.gift", BANK, True)
    assert result.questions == ()
    assert result.unsupported == 0
    assert [p.split(":")[1] for p in result.problems] == ["5"]


def test_a_block_of_half_a_million_options_is_refused_by_counting_them():
    started = time.process_time()
    (problem,) = problems("::q:: Pick {" + "~a" * 499_000 + "}")
    assert time.process_time() - started < 1
    assert problem == (
        "quiz.gift:1: question 'q': A multiple-choice question has 2 to 20 options; "
        "this one has 499000."
    )


def test_a_matching_question_may_have_twenty_pairs_and_twenty_distractors():
    pairs = " ".join(f"=left {i} -> right {i}" for i in range(20))
    distractors = " ".join(f"= -> other {i}" for i in range(20))
    question = only(f"Match. {{{pairs} {distractors}}}")
    assert (len(question.pairs), len(question.choices)) == (20, 40)
