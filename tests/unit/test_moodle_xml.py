"""Reading Moodle XML: each type, each refusal (with name and line), entity attacks refused,
all or nothing, skipping what this app does not have; and writing what Moodle imports."""

import xml.etree.ElementTree as ET
from pathlib import Path
from textwrap import dedent

import pytest

from quizapp.domain.article import Article, Paragraph, Section
from quizapp.domain.formats import guess_format, moodle_xml
from quizapp.domain.formats import parse as parse_any
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
from tests.work import calls_made, growth

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moodle_xml"
BAKER = (
    "On 9 February 1990, in Moscow, Baker asked Gorbachev whether he preferred a unified Germany."
)
BANK = Bank(
    events=(),
    perspectives=(
        Perspective("russian", "The Russian narrative", "Moscow", "A promise was broken."),
        Perspective("western", "The Western narrative", "Washington", "No promise was made."),
    ),
    questions=(),
    article=Article((Section("1", "Moscow", (Paragraph(BAKER),)),)),
)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def parse(text: str, filename: str = "quiz.xml", skip: bool = False):
    return moodle_xml.parse(text, filename, BANK, skip)


def quiz(*questions: str) -> str:
    body = "\n".join(dedent(q).strip() for q in questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'


def problems(text: str) -> tuple[str, ...]:
    result = parse(text)
    assert result.questions == ()
    assert result.problems
    return result.problems


def only(text: str) -> Question:
    result = parse(text)
    assert result.problems == ()
    (question,) = result.questions
    return question


TRUE_FALSE = """
<question type="truefalse">
  <name><text>Moscow</text></name>
  <questiontext format="plain_text"><text>Baker met Gorbachev in Moscow.</text></questiontext>
  <answer fraction="100"><text>true</text></answer>
  <answer fraction="0"><text>false</text></answer>
</question>
"""


@pytest.fixture(scope="module")
def types():
    result = moodle_xml.parse(fixture("types.xml"), "types.xml", BANK)
    assert result.problems == ()
    return {q.id: q for q in result.questions}


# --- each type of the hand-written file -------------------------------------------------------


def test_a_single_choice_keeps_fractions_feedback_html_as_markdown_tags_and_idnumber(types):
    question = types["baker-city"]
    assert question.type is QuestionType.SINGLE
    assert question.text_format is TextFormat.MARKDOWN
    assert question.prompt == "In which city did **Baker** meet Gorbachev on 9 February 1990?"
    assert question.explanation == "Section 1 tells of *Baker's* visit."
    assert question.choices == (
        Choice("a", "Moscow", "Yes, in the Kremlin."),
        Choice("b", "Bonn", "Half right: Genscher was in Bonn.", 0.5),
        Choice("c", "Washington"),
    )
    assert question.answer == "a"
    assert question.topics == ("treaty-talks", "baker", "1990-talks")
    assert question.origin is Origin.TEACHER and question.kind is Kind.FACT
    assert question.section == question.quote == ""


def test_a_multiple_answer_question_keeps_negative_fractions(types):
    question = types["two-plus-four-signatories"]
    assert question.type is QuestionType.MULTIPLE
    assert question.text_format is TextFormat.PLAIN
    assert question.answer == frozenset({"a", "b"})
    assert [c.weight for c in question.choices] == [0.5, 0.5, -1.0]
    assert question.choices[2].feedback == "Poland was consulted, not a signatory."


def test_true_false_keeps_the_feedback_of_each_answer(types):
    question = types["genscher-spoke-in-tutzing"]
    assert question.type is QuestionType.TRUE_FALSE
    assert question.answer is True
    assert question.choices == (
        Choice("true", "True", "Right: 31 January 1990."),
        Choice("false", "False", "It was Tutzing."),
    )


def test_a_short_answer_keeps_several_answers_with_their_fractions(types):
    question = types["us-secretary-of-state"]
    assert question.type is QuestionType.SHORT
    assert question.answer == ("a", "b")
    assert [(c.text, c.weight) for c in question.choices] == [
        ("James Baker", None),
        ("Baker", None),
        ("Jim", 0.5),
    ]


def test_numerical_answers_become_ranges_with_credit_and_a_catch_all(types):
    question = types["two-plus-four-parties"]
    assert question.type is QuestionType.NUMERIC
    assert question.answer == (
        NumericAnswer(6.0, 6.0, 1.0, "Two German states plus four powers."),
        NumericAnswer(3.0, 6.0, 0.5, "Close."),
        NumericAnswer(-(10.0**15), 10.0**15, 0.0, "Count again."),
    )


def test_matching_reads_pairs_and_an_empty_subquestion_as_a_distractor(types):
    question = types["who-said-it"]
    assert question.type is QuestionType.MATCHING
    assert [p.text for p in question.pairs] == ["James Baker", "Hans-Dietrich Genscher"]
    assert [c.text for c in question.choices] == [
        "US Secretary of State",
        "West German Foreign Minister",
        "US President",
    ]
    assert question.answer == {"p1": "a", "p2": "b"}


def test_ordering_keeps_the_items_in_the_order_of_the_file(types):
    question = types["order-of-events"]
    assert question.type is QuestionType.ORDERING
    assert [c.text for c in question.choices] == [
        "The Berlin Wall falls",
        "Baker meets Gorbachev in Moscow",
        "The Two Plus Four Treaty is signed",
    ]
    assert question.answer == ("a", "b", "c")


def test_what_a_question_loses_without_changing_its_grade_is_noted_with_its_line():
    notes = moodle_xml.parse(fixture("types.xml"), "types.xml", BANK).notes
    assert any("types.xml:126:" in n and "case sensitivity" in n for n in notes)
    assert any("types.xml:31:" in n and "fixed order" in n for n in notes)
    assert any("types.xml:62:" in n and "hint" in n for n in notes)


def test_a_category_gives_its_last_part_as_topic_until_the_next():
    text = quiz(
        """<question type="category"><category><text>$course$/Top/Bonn talks</text></category>
        </question>""",
        TRUE_FALSE,
        """<question type="category"><category><text>$course$/</text></category></question>""",
        TRUE_FALSE,
    )
    first, second = parse(text).questions
    assert first.topics == ("bonn-talks",)
    assert second.topics == ()


# --- a file with a BOM, Windows line ends and CDATA -------------------------------------------


def test_a_file_with_a_bom_crlf_and_cdata_reads_with_right_lines():
    raw = (FIXTURES / "windows_bom_cdata.xml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"<![CDATA[" in raw
    result = moodle_xml.parse(raw.decode("utf-8"), "win.xml", BANK)
    assert result.problems == ()
    (question,) = result.questions
    assert question.id == "kohl-gorbachev"
    assert question.prompt == ("Where did Kohl & Gorbachev agree on NATO membership?\n\nJuly 1990.")
    assert [c.text for c in question.choices] == [
        "Stavropol & Arkhyz",
        "Bonn & Berlin",
        "Moscow ]]> Kremlin",
    ]
    assert result.notes == (
        "win.xml:3: question 'Kohl & Gorbachev': answers in a fixed order in Moodle are "
        "shuffled here",
    )


# --- HTML is never kept ---------------------------------------------------------------------


def test_html_is_cleaned_into_markdown_and_never_kept_raw():
    question = only(
        quiz(
            """
            <question type="truefalse">
              <name><text>html</text></name>
              <questiontext format="html"><text><![CDATA[<p onclick="x()">Baker <b>met</b>
                <a href="javascript:alert(1)">Gorbachev</a> in
                <a href="https://example.org/moscow">Moscow</a>.</p><script>alert(1)</script>
                <ul><li>one</li><li>two &amp; three</li></ul>]]></text></questiontext>
              <answer fraction="100"><text>true</text></answer>
              <answer fraction="0"><text>false</text></answer>
            </question>
            """
        )
    )
    assert question.text_format is TextFormat.MARKDOWN
    assert question.prompt == (
        "Baker **met** Gorbachev in [Moscow](https://example.org/moscow).\n\n- one\n- two \\& three"
    )
    assert "<" not in question.prompt and "alert" not in question.prompt


def test_html_without_markup_is_kept_as_plain_text():
    question = only(
        quiz(
            """
            <question type="truefalse">
              <name><text>plain</text></name>
              <questiontext>
                <text>&lt;p&gt;Baker &amp;amp; Gorbachev * met&lt;/p&gt;</text>
              </questiontext>
              <answer fraction="100"><text>true</text></answer>
              <answer fraction="0"><text>false</text></answer>
            </question>
            """
        )
    )
    assert question.text_format is TextFormat.PLAIN
    assert question.prompt == "Baker & Gorbachev * met"


def test_moodle_auto_format_is_html_whose_line_breaks_are_kept():
    question = only(
        quiz(
            """
            <question type="truefalse">
              <name><text>auto</text></name>
              <questiontext format="moodle_auto_format"><text>Baker &lt;b&gt;met&lt;/b&gt; him
            in Moscow &amp;amp; Bonn</text></questiontext>
              <answer fraction="100"><text>true</text></answer>
              <answer fraction="0"><text>false</text></answer>
            </question>
            """
        )
    )
    assert question.text_format is TextFormat.MARKDOWN
    assert question.prompt == "Baker **met** him\nin Moscow \\& Bonn"


def test_formatting_and_a_mark_the_app_cannot_keep_are_noted_not_dropped_silently():
    text = quiz(
        TRUE_FALSE.replace(
            '<questiontext format="plain_text"><text>Baker met Gorbachev in Moscow.</text>',
            "<defaultgrade>2.0000000</defaultgrade>\n"
            '<questiontext format="html"><text><![CDATA[<p>Baker <u>met</u> him<sup>1</sup>'
            "<span> in Moscow</span></p><table><tr><td>1990</td></tr></table>]]></text>",
        )
    )
    result = parse(text)
    assert [q.prompt for q in result.questions] == ["Baker met him1 in Moscow\n\n1990"]
    assert result.notes == (
        "quiz.xml:5: question 'Moscow': worth 2.0000000 marks in Moodle; every question is "
        "worth one mark here",
        "quiz.xml:6: question 'Moscow': HTML <sup>, <table>, <td>, <tr>, <u> is kept as its "
        "text only",
    )


# --- refusals, each with its line ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_dtds_entity_bombs_and_external_entities_are_refused_at_once(name):
    result, calls = calls_made(lambda: moodle_xml.parse(fixture(name), name, BANK))
    assert calls < 1_000  # refused at the declaration, before any entity is expanded
    assert result.questions == ()
    assert result.problems == (
        f"{name}:2: a DTD (<!DOCTYPE ...>) is refused: Moodle XML has none, and a DTD can "
        "declare entities that expand without end or read other files",
    )


def test_an_undeclared_entity_is_not_well_formed():
    (problem,) = problems(quiz(TRUE_FALSE.replace("Moscow.", "&secret;")))
    assert problem.startswith("quiz.xml:5: not well-formed XML: undefined entity")


def test_broken_xml_names_the_line():
    (problem,) = problems("<quiz>\n<question type='truefalse'>\n<name>\n</quiz>\n")
    assert problem.startswith("quiz.xml:4: not well-formed XML: mismatched tag")


def test_a_document_that_is_not_a_quiz_is_refused():
    assert problems("<html><body/></html>") == (
        "quiz.xml:1: the document is <html>, not <quiz>: not a Moodle XML question export",
    )


def test_a_quiz_without_questions_is_refused():
    assert problems("<quiz>\n</quiz>") == (
        "quiz.xml:1: no questions found (Moodle XML holds <question> elements)",
    )


UNSUPPORTED = [
    (9, "Munich 2007", 'type="essay" is an essay'),
    (14, "Reading", 'type="description" is a description'),
    (18, "Cloze", 'type="cloze" is a cloze question'),
    (22, "Years between", 'type="calculated" is a calculated question'),
    (26, "Drag words", 'type="ddwtos" is a drag and drop into text question'),
    (33, "Map", "embedded files and images (@@PLUGINFILE@@) are not supported"),
    (43, "Distance", "units ('km') are not supported"),
    (50, "Wildcard", "the wildcard '*'"),
]


def test_each_unsupported_question_is_a_problem_by_name_and_line_and_nothing_is_read():
    result = moodle_xml.parse(fixture("unsupported.xml"), "unsupported.xml", BANK)
    assert result.questions == ()
    assert result.unsupported == len(UNSUPPORTED)
    assert len(result.problems) == len(UNSUPPORTED)
    for problem, (line, name, words) in zip(result.problems, UNSUPPORTED, strict=True):
        assert problem.startswith(f"unsupported.xml:{line}: question '{name}': ")
        assert words in problem


def test_skipping_unsupported_questions_reads_the_rest_and_lists_what_was_left_out():
    result = moodle_xml.parse(fixture("unsupported.xml"), "unsupported.xml", BANK, True)
    assert result.problems == ()
    assert [q.id for q in result.questions] == ["kept"]
    assert len(result.skipped) == len(UNSUPPORTED)
    assert result.skipped[0].startswith("unsupported.xml:9: question 'Munich 2007': ")


def test_skipping_does_not_hide_a_real_problem():
    broken = TRUE_FALSE.replace('fraction="0"', 'fraction="100"')
    essay = '<question type="essay"><name><text>E</text></name></question>'
    result = parse(quiz(broken, essay), skip=True)
    assert result.questions == ()
    assert result.problems == (
        "quiz.xml:3: question 'Moscow': exactly one of true and false has fraction=\"100\"",
    )


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            """<question type="multichoice"><name><text>n</text></name>
            <questiontext><text>Where?</text></questiontext>
            <answer fraction="50"><text>Moscow</text></answer>
            <answer fraction="0"><text>Bonn</text></answer></question>""",
            "question 'n': no answer gives full marks",
        ),
        (
            """<question type="multichoice"><name><text>n</text></name>
            <questiontext><text>Where?</text></questiontext><single>false</single>
            <answer fraction="50"><text>Moscow</text></answer>
            <answer fraction="40"><text>Bonn</text></answer>
            <answer fraction="0"><text>Paris</text></answer></question>""",
            "The weights of the correct options add up to 90%",
        ),
        (
            """<question type="multichoice"><name><text>n</text></name>
            <questiontext><text>Where?</text></questiontext>
            <answer fraction="lots"><text>Moscow</text></answer>
            <answer fraction="0"><text>Bonn</text></answer></question>""",
            'fraction="lots" is not a number',
        ),
        (
            """<question type="multichoice"><name><text>n</text></name>
            <questiontext><text>Where?</text></questiontext>
            <answer fraction="100"><text>Moscow</text></answer></question>""",
            "A single-choice question has 2 to 20 options; this one has 1.",
        ),
        (
            """<question type="truefalse"><name><text>n</text></name>
            <questiontext><text>Baker met Gorbachev.</text></questiontext>
            <answer fraction="100"><text>yes</text></answer></question>""",
            "a true/false answer is 'true' or 'false', not 'yes'",
        ),
        (
            """<question type="shortanswer"><name><text>n</text></name>
            <questiontext><text>Who?</text></questiontext>
            <answer fraction="50"><text>Baker</text></answer></question>""",
            "At least one answer must be worth 100%",
        ),
        (
            """<question type="numerical"><name><text>n</text></name>
            <questiontext><text>How many?</text></questiontext>
            <answer fraction="100"><text>six</text><tolerance>0</tolerance></answer></question>""",
            "'six' ± '0' is not a number",
        ),
        (
            """<question type="numerical"><name><text>n</text></name>
            <questiontext><text>How many?</text></questiontext>
            <answer fraction="100"><text>6</text><tolerance>-1</tolerance></answer></question>""",
            "the tolerance -1 is negative",
        ),
        (
            """<question type="matching"><name><text>n</text></name>
            <questiontext><text>Match.</text></questiontext>
            <subquestion><text>Baker</text><answer><text>USA</text></answer></subquestion>
            </question>""",
            "A matching question has 2 to 20 pairs; this one has 1.",
        ),
        (
            """<question type="ordering"><name><text>n</text></name>
            <questiontext><text>Order.</text></questiontext>
            <answer fraction="1"><text>Only one</text></answer></question>""",
            "An ordering question has 2 to 20 items; this one has 1.",
        ),
        (
            """<question type="truefalse"><name><text>n</text></name>
            <questiontext><text></text></questiontext>
            <answer fraction="100"><text>true</text></answer>
            <answer fraction="0"><text>false</text></answer></question>""",
            "The question has no text.",
        ),
    ],
)
def test_each_broken_question_is_reported_with_its_name_and_line(question, message):
    text = quiz(TRUE_FALSE, question)
    (problem,) = problems(text)
    assert problem.startswith("quiz.xml:")
    line = int(problem.split(":")[1])
    assert line >= 9, problem  # within the second question, not the first
    assert message in problem


def test_every_problem_of_a_file_is_reported_at_once():
    bad = TRUE_FALSE.replace("<text>false</text>", "<text>nope</text>")
    found = problems(quiz(bad, bad.replace("Moscow", "Bonn")))
    assert [p.split(":")[1] for p in found] == ["7", "13"]


def test_a_wrong_quote_is_reported_on_the_line_of_the_quote():
    text = quiz(
        TRUE_FALSE.replace(
            "</question>",
            """<generalfeedback><text>Section 1.</text></generalfeedback>
            <quizapp type="true_false"><section>1</section>
            <quote>Baker asked Kohl</quote></quizapp></question>""",
        )
    )
    (problem,) = problems(text)
    assert problem.startswith(
        "quiz.xml:10: question 'Moscow': The quote is not word for word in the article; "
        "the nearest text is in section 1"
    )


def test_a_question_citing_a_passage_needs_an_explanation_as_everywhere():
    text = quiz(
        TRUE_FALSE.replace(
            "</question>",
            """<quizapp><section>1</section><quote>Baker asked Gorbachev</quote></quizapp>
            </question>""",
        )
    )
    assert problems(text) == ("quiz.xml:3: question 'Moscow': Explain why the answer is right.",)


def test_the_quizapp_data_must_fit_the_moodle_question():
    text = quiz(TRUE_FALSE.replace("</question>", '<quizapp type="ordering"/></question>'))
    assert problems(text) == (
        "quiz.xml:8: question 'Moscow': <quizapp type=\"ordering\"> does not fit a Moodle "
        "truefalse question",
    )


# --- ids ---------------------------------------------------------------------------------------


def test_ids_come_from_idnumber_then_name_then_the_file_and_stay_unique():
    nameless = TRUE_FALSE.replace("<name><text>Moscow</text></name>", "")
    numbered = TRUE_FALSE.replace("</name>", "</name><idnumber>tf-7</idnumber>")
    result = parse(quiz(TRUE_FALSE, TRUE_FALSE, nameless, numbered), filename="Quiz 1.xml")
    assert [q.id for q in result.questions] == ["moscow", "moscow-2", "quiz-1-3", "tf-7"]


# --- the format registry ---------------------------------------------------------------------


def test_xml_is_guessed_from_the_file_name_and_parsed_through_the_registry():
    assert guess_format("export.XML") == "xml"
    result = parse_any("xml", fixture("unsupported.xml"), "u.xml", BANK, skip_unsupported=True)
    assert [q.id for q in result.questions] == ["kept"]


def test_a_megabyte_of_questions_of_one_name_reads_in_linear_work():
    body = dedent(TRUE_FALSE).strip()
    copies = 1_000_000 // len(body) + 1
    result = parse(quiz(*[body] * copies))
    assert result.problems == () and len(result.questions) == copies
    # Ids of questions of one name found by trying -2, -3, ... again would grow with the square.
    assert growth(lambda n: parse(quiz(*[body] * n)), copies // 2) < 2.2


# --- writing ----------------------------------------------------------------------------------


def a_question(qtype: QuestionType, answer, **fields) -> Question:
    base = dict(
        id=f"hand-{qtype.value.replace('_', '-')}",
        type=qtype,
        kind=Kind.INTERPRETATION,
        prompt="Who met Gorbachev in Moscow on 9 February 1990?",
        section="1",
        quote="Baker asked Gorbachev",
        explanation="Section 1 tells of Baker's visit.",
        answer=answer,
        difficulty=3,
        topics=("baker", "1990-talks"),
        origin=Origin.TEACHER,
    )
    return Question(**(base | fields))


HAND_BUILT = [
    a_question(
        QuestionType.SINGLE,
        "b",
        choices=(Choice("a", "Kohl", "No.", -0.5), Choice("b", "Baker"), Choice("c", "Bush")),
        text_format=TextFormat.MARKDOWN,
        prompt="Who met *Gorbachev* in [Moscow](https://example.org)?",
    ),
    a_question(
        QuestionType.MULTIPLE,
        frozenset({"x", "z"}),
        choices=(Choice("x", "Baker"), Choice("y", "Kohl"), Choice("z", "Genscher")),
    ),
    a_question(
        QuestionType.MULTIPLE,
        frozenset({"a", "b"}),
        choices=(
            Choice("a", "Baker", weight=1 / 3),
            Choice("b", "Genscher", weight=2 / 3),
            Choice("c", "Bush", weight=0.0),
            Choice("d", "Kohl", "Not him.", weight=-1.0),
        ),
    ),
    a_question(QuestionType.YEAR, 1990, tolerance=2),
    a_question(
        QuestionType.NUMERIC,
        (NumericAnswer(0.1, 0.3, 1.0, "Close enough."), NumericAnswer(-(10.0**15), 10.0**15, 0.0)),
    ),
    a_question(
        QuestionType.SHORT,
        ("a",),
        choices=(
            Choice("a", "Baker"),
            Choice("b", "Jim", "Nickname.", 0.5),
            Choice("c", "X", "", 0.0),
        ),
    ),
    a_question(
        QuestionType.MATCHING,
        {"left-1": "r1", "left-2": "r2"},
        pairs=(Choice("left-1", "Baker"), Choice("left-2", "Genscher")),
        choices=(Choice("r1", "USA"), Choice("r2", "FRG"), Choice("r3", "France")),
    ),
    a_question(
        QuestionType.ORDERING,
        ("w", "b", "t"),
        choices=(Choice("w", "Wall falls"), Choice("b", "Baker in Moscow"), Choice("t", "Treaty")),
    ),
    a_question(QuestionType.TRUE_FALSE, False),
    a_question(
        QuestionType.TRUE_FALSE,
        True,
        choices=(Choice("true", "True", "Yes."), Choice("false", "False", "No.")),
    ),
    a_question(
        QuestionType.CLASSIFY,
        "western",
        choices=(
            Choice("russian", "The Russian narrative"),
            Choice("western", "The Western narrative"),
        ),
    ),
]


@pytest.mark.parametrize("question", HAND_BUILT, ids=lambda q: q.id + "-" + q.type.value)
def test_every_type_comes_back_equal_through_moodle_xml(question):
    exported = moodle_xml.export([question])
    assert exported.skipped == () and exported.exported == 1
    result = moodle_xml.parse(exported.text, "export.xml", BANK)
    assert result.problems == ()
    assert result.questions == (question,)


def test_export_writes_what_moodle_reads():
    exported = moodle_xml.export(HAND_BUILT)
    root = ET.fromstring(exported.text)
    assert root.tag == "quiz"
    types = [q.get("type") for q in root.iter("question")]
    assert types == [
        "multichoice",
        "multichoice",
        "multichoice",
        "numerical",
        "numerical",
        "shortanswer",
        "matching",
        "ordering",
        "truefalse",
        "truefalse",
        "multichoice",
    ]
    for question in root.iter("question"):
        assert question.find("name/text").text
        assert question.find("questiontext").get("format") in ("plain_text", "markdown")
        assert question.find("idnumber").text
        for answer in question.findall("answer"):
            assert answer.find("text") is not None
    # Moodle accepts only its own list of grades; ours are written so it matches them.
    fractions = [float(a.get("fraction")) for a in root.findall("question/answer")]
    assert -100 in fractions and 33.33333333333333 in fractions


def test_the_derived_weights_of_a_multiple_question_are_what_moodle_needs():
    exported = moodle_xml.export([HAND_BUILT[1]]).text
    fractions = [a.get("fraction") for a in ET.fromstring(exported).iter("answer")]
    assert fractions == ["50", "-100", "50"]


def test_a_weight_moodle_has_no_grade_for_is_left_out_of_the_export():
    odd = a_question(
        QuestionType.SINGLE,
        "a",
        choices=(Choice("a", "Baker"), Choice("b", "Kohl", weight=0.45)),
    )
    exported = moodle_xml.export([odd, HAND_BUILT[0]])
    assert exported.skipped == (odd,)
    assert exported.exported == 1


def test_text_xml_cannot_hold_is_left_out_of_the_export():
    control = a_question(QuestionType.TRUE_FALSE, True, prompt="Baker\x07met Gorbachev?")
    assert moodle_xml.export([control]).skipped == (control,)


def test_markup_in_our_text_is_escaped_by_the_writer_not_interpreted():
    tricky = a_question(
        QuestionType.TRUE_FALSE, True, prompt="<script>alert(1)</script> & ]]> <!-- -->"
    )
    exported = moodle_xml.export([tricky]).text
    assert "<script>" not in exported
    assert moodle_xml.parse(exported, "x.xml", BANK).questions == (tricky,)


def test_elements_nested_50000_deep_are_read_without_recursion():
    def nested(depth: int) -> str:
        return quiz(
            TRUE_FALSE.replace("</question>", "<x>" * depth + "</x>" * depth + "</question>")
        )

    result = parse(nested(50_000))
    assert [q.id for q in result.questions] == ["moscow"]
    assert growth(lambda depth: parse(nested(depth)), 25_000) < 2.2


def test_a_question_of_twenty_thousand_options_is_refused_by_counting_them():
    def options(count: int) -> str:
        answers = '<answer fraction="0"><text>x</text></answer>\n' * count
        return quiz(
            f"""<question type="multichoice"><name><text>many</text></name>
            <questiontext><text>Which?</text></questiontext>
            {answers}</question>"""
        )

    assert problems(options(20_000)) == (
        "quiz.xml:3: question 'many': A single-choice question has 2 to 20 options; "
        "this one has 20000.",
    )
    assert growth(lambda count: problems(options(count)), 10_000) < 2.2


def test_a_single_question_with_another_option_worth_full_marks_keeps_its_key():
    question = a_question(
        QuestionType.SINGLE,
        "c",
        choices=(Choice("a", "Kohl"), Choice("b", "Bush", weight=1.0), Choice("c", "Baker")),
    )
    exported = moodle_xml.export([question]).text
    fractions = [a.get("fraction") for a in ET.fromstring(exported).iter("answer")]
    assert fractions == ["0", "100", "100"]
    assert moodle_xml.parse(exported, "export.xml", BANK).questions == (question,)


def test_an_ordering_select_count_that_is_no_number_is_ignored():
    """'²' is a digit to str.isdigit but no number to int(): it stopped the import."""
    question = only(
        quiz(
            """
            <question type="ordering">
              <name><text>Order</text></name>
              <questiontext format="plain_text"><text>Put these in order.</text></questiontext>
              <selecttype>RANDOM</selecttype>
              <selectcount>²</selectcount>
              <answer fraction="1"><text>First</text></answer>
              <answer fraction="1"><text>Second</text></answer>
              <answer fraction="1"><text>Third</text></answer>
            </question>
            """
        )
    )
    assert [c.text for c in question.choices] == ["First", "Second", "Third"]
