"""The round builder: generated questions, the pick of a round, and how a question is shown."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from quizapp.domain.article import load_article
from quizapp.domain.questions import (
    Bank,
    Choice,
    Claim,
    Event,
    Kind,
    Origin,
    Perspective,
    Question,
    QuestionType,
)
from quizapp.domain.rounds import (
    RoundError,
    RoundSpec,
    available_sections,
    available_topics,
    build_round,
    generate_questions,
    present,
)

ARTICLE = load_article(Path(__file__).parents[2] / "questions" / "source")


# --- factories ------------------------------------------------------------------------------


def make_event(event_id: str, date: str, title: str, **fields: object) -> Event:
    values: dict[str, object] = {
        "summary": f"Summary of {title}.",
        "actors": (),
        "section": "5",
        "quote": f"quote of {event_id}",
        "topics": (),
    }
    values.update(fields)
    return Event(id=event_id, date=date, title=title, **values)  # type: ignore[arg-type]


def make_events() -> tuple[Event, ...]:
    return (
        make_event(
            "malta",
            "1989-12",
            "Malta Summit",
            actors=("George H.W. Bush", "Mikhail Gorbachev"),
            quote="December 1989 (Malta Summit): George H.W. Bush tells Gorbachev",
            topics=("malta",),
        ),
        make_event(
            "genscher",
            "1990-01-31",
            "Genscher's Tutzing speech",
            actors=("Hans-Dietrich Genscher",),
            section="1",
            quote="Genscher suggested that the process of German reunification must not "
            "impair Soviet security interests and thus “NATO should rule out an ‘expansion of "
            "its territory towards the east”",
            topics=("1990-talks", "genscher"),
            speaker="Hans-Dietrich Genscher",
            words="NATO should rule out an ‘expansion of its territory towards the east",
        ),
        make_event(
            "baker",
            "1990-02-09",
            "Baker meets Gorbachev in Moscow",
            actors=("James Baker", "Mikhail Gorbachev"),
            section="1",
            quote="with the assurance that “not one inch of NATO’s present military "
            "jurisdiction will spread in an eastern direction.”",
            topics=("1990-talks", "baker"),
            speaker="James Baker",
            words="not one inch of NATO’s present military jurisdiction will spread",
        ),
        make_event(
            "two-plus-four",
            "1990-09-12",
            "Two Plus Four Treaty signed",
            actors=("Soviet Union", "United States", "United Kingdom"),
            topics=("treaty",),
        ),
        make_event(
            "admits-1999",
            "1999",
            "NATO admits Poland, Hungary and the Czech Republic",
            actors=("NATO", "Poland", "Czech Republic"),
            section="3.1",
            topics=("enlargement",),
        ),
        make_event(
            "enlarges-2004",
            "2004",
            "NATO admits the Baltic states",
            actors=("NATO", "Estonia"),
            section="3.1",
            topics=("enlargement",),
        ),
        make_event(
            "munich",
            "2007",
            "Putin's Munich speech",
            actors=("Vladimir Putin",),
            section="3.2",
            topics=("putin",),
        ),
        make_event(
            "invasion",
            "2022",
            "Russia invades Ukraine",
            actors=("Russia", "Ukraine"),
            section="7.1",
            topics=("ukraine",),
        ),
    )


def make_perspectives() -> tuple[Perspective, ...]:
    def claims(perspective: str, section: str, *texts: str) -> tuple[Claim, ...]:
        return tuple(
            Claim(f"{perspective}-{n}", text, section, f"quote {perspective} {n}", perspective)
            for n, text in enumerate(texts, start=1)
        )

    return (
        Perspective(
            "russian",
            "The Russian/alternative narrative",
            "Russia and Vladimir Putin",
            "A promise was broken.",
            claims("russian", "2.1", "The West exploited Soviet weakness.", "A spirit was hurt."),
        ),
        Perspective(
            "western",
            "The Western/academic narrative",
            "Western scholars such as Steven Pifer",
            "No binding commitment.",
            claims("western", "2.2", "Talks were about East Germany only.", "Nothing binding."),
        ),
        Perspective(
            "gray-area",
            "The gray area",
            "the article's section 6.3",
            "Letter versus spirit.",
            claims("gray-area", "6.3", "The letter was kept, not the spirit.", "Words mattered."),
        ),
    )


def make_question(question_id: str, qtype: QuestionType, **fields: object) -> Question:
    values: dict[str, object] = {
        "kind": Kind.FACT,
        "prompt": f"Prompt of {question_id}?",
        "section": "1",
        "quote": f"quote of {question_id}",
        "explanation": "Because.",
        "answer": None,
        "topics": (),
    }
    values.update(fields)
    return Question(id=question_id, type=qtype, **values)  # type: ignore[arg-type]


def make_single(question_id: str, **fields: object) -> Question:
    choices = (Choice("a", "Right"), Choice("b", "Wrong one"), Choice("c", "Wrong two"))
    return make_question(question_id, QuestionType.SINGLE, answer="a", choices=choices, **fields)


def make_multiple(question_id: str, **fields: object) -> Question:
    choices = (Choice("a", "Poland"), Choice("b", "Hungary"), Choice("c", "Estonia"))
    answer = frozenset({"a", "b"})
    return make_question(
        question_id, QuestionType.MULTIPLE, answer=answer, choices=choices, **fields
    )


def make_ordering(question_id: str, **fields: object) -> Question:
    choices = tuple(Choice(f"i{n}", f"Step {n}") for n in range(1, 5))
    values: dict[str, object] = {"choices": choices, "answer": tuple(c.id for c in choices)}
    values.update(fields)
    return make_question(question_id, QuestionType.ORDERING, **values)


def make_matching(question_id: str, **fields: object) -> Question:
    pairs = (Choice("l1", "“not one inch”"), Choice("l2", "“rule out”"), Choice("l3", "“spirit”"))
    choices = (Choice("r1", "Baker"), Choice("r2", "Genscher"), Choice("r3", "Putin"))
    answer = {"l1": "r1", "l2": "r2", "l3": "r3"}
    return make_question(
        question_id, QuestionType.MATCHING, answer=answer, choices=choices, pairs=pairs, **fields
    )


def make_classify(question_id: str, **fields: object) -> Question:
    choices = tuple(Choice(p.id, p.name) for p in make_perspectives())
    return make_question(
        question_id,
        QuestionType.CLASSIFY,
        kind=Kind.INTERPRETATION,
        answer="western",
        choices=choices,
        **fields,
    )


def make_authored() -> tuple[Question, ...]:
    return (
        make_single("auth-baker-who", section="1", topics=("baker",)),
        make_single("auth-genscher-role", section="1", topics=("genscher",)),
        make_single("auth-russian-claim", section="2.1", topics=("perspectives",)),
        make_multiple("auth-1999-members", section="3.1", topics=("enlargement",)),
        make_multiple("auth-2004-members", section="3.1", topics=("enlargement",)),
        make_question("auth-tf-treaty", QuestionType.TRUE_FALSE, answer=False, section="2.2"),
        make_question("auth-tf-spirit", QuestionType.TRUE_FALSE, answer=True, section="6.3"),
        make_question("auth-year-munich", QuestionType.YEAR, answer=2007, section="3.2"),
        make_ordering("auth-order-talks", section="5", topics=("1990-talks",)),
        make_matching("auth-match-words", section="1", topics=("baker", "genscher")),
        make_classify("auth-classify-pifer", section="2.2", topics=("perspectives",)),
        make_single("auth-ukraine-demand", section="7.1", topics=("ukraine",)),
    )


def make_bank(**fields: object) -> Bank:
    values: dict[str, object] = {
        "events": make_events(),
        "perspectives": make_perspectives(),
        "questions": make_authored(),
        "article": ARTICLE,
    }
    values.update(fields)
    return Bank(**values)  # type: ignore[arg-type]


def generated(bank: Bank, prefix: str) -> list[Question]:
    return [q for q in generate_questions(bank) if q.id.startswith(prefix)]


def answer_texts(question: Question) -> object:
    """The answer key in choice texts, so a question and its presented form can be compared."""
    answer = question.answer
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY):
        return question.choice_text(answer)
    if question.type is QuestionType.MULTIPLE:
        return frozenset(question.choice_text(a) for a in answer)
    if question.type is QuestionType.ORDERING:
        return tuple(question.choice_text(a) for a in answer)
    if question.type is QuestionType.MATCHING:
        return {question.pair_text(p): question.choice_text(c) for p, c in answer.items()}
    return answer


def subjects_of(question: Question, bank: Bank) -> set[str]:
    """Events and claims a generated question is about, read off its visible texts."""
    texts = [
        question.prompt,
        *(c.text for c in question.choices),
        *(p.text for p in question.pairs),
    ]
    found = {e.id for e in bank.events if any(e.title in t for t in texts)}
    found |= {e.id for e in bank.events if e.words and any(e.words in t for t in texts)}
    found |= {c.id for c in bank.claims if c.text in question.prompt}
    return found


# --- build_round ---------------------------------------------------------------------------


def test_same_seed_gives_same_round() -> None:
    bank = make_bank()
    first = build_round(bank, RoundSpec(), random.Random(7))
    second = build_round(bank, RoundSpec(), random.Random(7))
    assert first == second


def test_different_seeds_give_different_rounds() -> None:
    bank = make_bank()
    rounds = {
        tuple(q.id for q in build_round(bank, RoundSpec(), random.Random(s))) for s in range(5)
    }
    assert len(rounds) > 1


def test_round_has_the_requested_length() -> None:
    bank = make_bank()
    for length in (1, 5, 10, 15):
        assert len(build_round(bank, RoundSpec(length=length), random.Random(length))) == length


def test_round_is_shorter_when_few_questions_match() -> None:
    bank = make_bank(events=(), perspectives=())
    questions = build_round(bank, RoundSpec(length=10, topic="enlargement"), random.Random(1))
    assert sorted(q.id for q in questions) == ["auth-1999-members", "auth-2004-members"]


def test_round_never_repeats_a_question_id() -> None:
    bank = make_bank()
    for seed in range(30):
        ids = [q.id for q in build_round(bank, RoundSpec(length=30), random.Random(seed))]
        assert len(ids) == len(set(ids))


def test_no_two_generated_questions_share_an_event_or_claim() -> None:
    bank = make_bank()
    for seed in range(30):
        round_ = build_round(bank, RoundSpec(length=30), random.Random(seed))
        seen: list[str] = []
        for question in round_:
            if question.origin is Origin.GENERATED:
                seen.extend(subjects_of(question, bank))
        assert len(seen) == len(set(seen))


def test_section_filter_includes_subsections_and_excludes_others() -> None:
    bank = make_bank()
    sections = {
        q.section
        for seed in range(10)
        for q in build_round(bank, RoundSpec(length=30, section="3"), random.Random(seed))
    }
    assert sections <= {"3", "3.1", "3.2"}
    assert {"3.1", "3.2"} <= sections


def test_topic_filter_keeps_only_tagged_questions() -> None:
    bank = make_bank()
    questions = build_round(bank, RoundSpec(length=30, topic="baker"), random.Random(3))
    assert questions
    assert all("baker" in q.topics for q in questions)


def test_round_of_five_or_more_includes_an_ordering_question() -> None:
    bank = make_bank()
    for seed in range(40):
        round_ = build_round(bank, RoundSpec(length=5), random.Random(seed))
        assert any(q.type is QuestionType.ORDERING for q in round_)


def test_about_a_third_of_a_round_is_generated() -> None:
    bank = make_bank()
    for seed in range(20):
        round_ = build_round(bank, RoundSpec(length=9), random.Random(seed))
        assert Counter(q.origin for q in round_)[Origin.GENERATED] == 3


def test_round_of_ten_mixes_question_types() -> None:
    bank = make_bank()
    for seed in range(20):
        types = Counter(q.type for q in build_round(bank, RoundSpec(), random.Random(seed)))
        assert len(types) >= 4
        assert max(types.values()) <= 3


def test_round_questions_are_presented() -> None:
    bank = make_bank()
    round_ = build_round(bank, RoundSpec(length=30), random.Random(5))
    for question in round_:
        assert all(c.id == f"c{n}" for n, c in enumerate(question.choices, start=1))
        assert all(p.id == f"p{n}" for n, p in enumerate(question.pairs, start=1))


def test_length_outside_one_to_thirty_raises_round_error() -> None:
    bank = make_bank()
    for length in (0, 31):
        with pytest.raises(RoundError, match="1 to 30"):
            build_round(bank, RoundSpec(length=length), random.Random(1))


def test_spec_matching_nothing_raises_round_error() -> None:
    bank = make_bank()
    with pytest.raises(RoundError, match="No question matches section 4 and topic “baker”"):
        build_round(bank, RoundSpec(section="4", topic="baker"), random.Random(1))


# --- the round-choice form -------------------------------------------------------------------


def test_available_sections_are_those_with_questions_in_article_order() -> None:
    bank = make_bank(perspectives=())
    numbers = [number for number, _ in available_sections(bank)]
    assert numbers == ["1", "2", "2.1", "2.2", "3", "3.1", "3.2", "5", "6", "6.3", "7", "7.1"]
    assert ("5", "A Detailed Timeline of Key Moments") in available_sections(bank)


def test_available_topics_are_sorted_tags_of_questions_and_events() -> None:
    topics = available_topics(make_bank())
    assert topics == sorted(topics)
    assert {"baker", "malta", "treaty", "perspectives", "ukraine"} <= set(topics)


# --- generated questions ---------------------------------------------------------------------


def test_generated_questions_have_unique_stable_ids() -> None:
    ids = [q.id for q in generate_questions(make_bank())]
    assert len(ids) == len(set(ids))
    assert ids == [q.id for q in generate_questions(make_bank())]
    assert "gen-year-admits-1999" in ids
    assert "gen-said-baker" in ids
    assert "gen-claim-western-1" in ids


def test_generated_questions_are_marked_generated() -> None:
    assert {q.origin for q in generate_questions(make_bank())} == {Origin.GENERATED}


def test_generated_ordering_answer_is_chronological() -> None:
    bank = make_bank()
    first = next(q for q in generated(bank, "gen-order-") if q.choices[0].id == "malta")
    assert first.answer[:3] == ("malta", "genscher", "baker")


def test_generated_ordering_explanation_gives_dates_as_the_article_does() -> None:
    bank = make_bank()
    first = next(q for q in generated(bank, "gen-order-") if q.choices[0].id == "malta")
    assert "Malta Summit (December 1989)" in first.explanation
    assert "Genscher's Tutzing speech (31 January 1990)" in first.explanation


def test_generated_ordering_never_pairs_dates_it_cannot_tell_apart() -> None:
    events = (
        make_event("a", "1990", "Year only"),
        make_event("b", "1990-02-09", "Day in that year"),
        make_event("c", "1991", "Next year"),
        make_event("d", "1992", "Year after"),
    )
    orderings = generated(make_bank(events=events), "gen-order-")
    assert orderings
    assert not any({"a", "b"} <= set(q.answer) for q in orderings)


def test_generated_year_question_asks_by_title_and_states_the_date() -> None:
    question = next(q for q in generated(make_bank(), "gen-year-") if q.id == "gen-year-malta")
    assert question.prompt == "Malta Summit: in what year?"
    assert question.answer == 1989
    assert question.tolerance == 0
    assert "December 1989" in question.explanation


def test_generated_which_first_answers_the_earliest_event() -> None:
    bank = make_bank()
    dates = {e.id: e.sort_key for e in bank.events}
    for question in generated(bank, "gen-first-"):
        assert question.answer == min((c.id for c in question.choices), key=dates.__getitem__)
        assert 2 <= len(question.choices) <= 4


def test_generated_quotes_are_the_data_quotes() -> None:
    bank = make_bank()
    quotes = {e.quote for e in bank.events} | {c.quote for c in bank.claims}
    assert all(q.quote in quotes for q in generate_questions(bank))


def test_who_said_quote_holds_the_words() -> None:
    question = next(q for q in generated(make_bank(), "gen-said-") if q.id == "gen-said-baker")
    assert "not one inch of NATO’s present military jurisdiction will spread" in question.quote


def test_who_said_quote_falls_back_to_the_words_when_the_event_quote_lacks_them() -> None:
    baker = make_event(
        "baker",
        "1990-02-09",
        "Baker in Moscow",
        actors=("James Baker", "Mikhail Gorbachev"),
        quote="9 February 1990: James Baker meets Gorbachev in Moscow",
        speaker="James Baker",
        words="not one inch of NATO’s present military jurisdiction will spread",
    )
    (question,) = generated(make_bank(events=(baker,)), "gen-said-")
    assert question.quote == "not one inch of NATO’s present military jurisdiction will spread"
    assert question.section == "1"


def test_who_said_distractors_never_include_the_speaker() -> None:
    bank = make_bank()
    speakers = {e.id: e.speaker for e in bank.events}
    questions = generated(bank, "gen-said-")
    assert len(questions) == 2
    for question in questions:
        speaker = speakers[question.id.removeprefix("gen-said-")]
        texts = [c.text for c in question.choices]
        assert texts.count(speaker) == 1
        assert question.choice_text(question.answer) == speaker


def test_who_said_distractors_are_people_not_states() -> None:
    question = next(q for q in generated(make_bank(), "gen-said-") if q.id == "gen-said-baker")
    distractors = {c.text for c in question.choices} - {"James Baker"}
    assert "Mikhail Gorbachev" in distractors
    assert not distractors & {"Soviet Union", "United States", "NATO", "Czech Republic"}


def test_speaker_matching_pairs_each_speakers_words_to_the_speaker() -> None:
    (question,) = generated(make_bank(), "gen-match-speakers-")
    assert answer_texts(question) == {
        "“NATO should rule out an ‘expansion of its territory towards the east”": (
            "Hans-Dietrich Genscher"
        ),
        "“not one inch of NATO’s present military jurisdiction will spread”": "James Baker",
    }


def test_generated_claim_question_attributes_in_explanation_only() -> None:
    question = next(q for q in generate_questions(make_bank()) if q.id == "gen-claim-western-1")
    assert question.type is QuestionType.CLASSIFY
    assert question.kind is Kind.INTERPRETATION
    assert [c.id for c in question.choices] == ["russian", "western", "gray-area"]
    assert question.answer == "western"
    assert "Western" not in question.prompt
    assert "the Western/academic narrative" in question.explanation
    assert "Steven Pifer" in question.explanation


def test_generated_prompts_do_not_contain_their_answer() -> None:
    for question in generate_questions(make_bank()):
        if question.type is QuestionType.YEAR:
            assert str(question.answer) not in question.prompt
        elif question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY):
            assert question.choice_text(question.answer) not in question.prompt


def test_generated_choices_have_distinct_texts() -> None:
    for question in generate_questions(make_bank()):
        texts = [c.text for c in question.choices]
        assert len(texts) == len(set(texts)), question.id


# --- present ---------------------------------------------------------------------------------


def test_present_never_leaves_ordering_items_in_answer_order() -> None:
    question = make_ordering("order")
    assert len(question.choices) >= 3
    for seed in range(200):
        shown = present(question, random.Random(seed))
        assert shown.answer != tuple(c.id for c in shown.choices)


def test_present_shows_two_ordering_items_either_way() -> None:
    """Two items never shown in the right order would always show it reversed: the page
    would give the answer away. Each order comes up, so the order shown tells nothing."""
    two = make_ordering("two", choices=(Choice("x", "X"), Choice("y", "Y")), answer=("x", "y"))
    shown_solved = set()
    for seed in range(200):
        shown = present(two, random.Random(seed))
        shown_solved.add(shown.answer == tuple(c.id for c in shown.choices))
    assert shown_solved == {True, False}


def test_present_puts_the_correct_choice_in_every_position() -> None:
    question = make_single("single")
    positions = set()
    for seed in range(100):
        shown = present(question, random.Random(seed))
        positions.add([c.id for c in shown.choices].index(shown.answer))
    assert positions == {0, 1, 2}


def test_present_rekeys_ids_in_display_order() -> None:
    shown = present(make_matching("match"), random.Random(4))
    assert [c.id for c in shown.choices] == ["c1", "c2", "c3"]
    assert [p.id for p in shown.pairs] == ["p1", "p2", "p3"]


@pytest.mark.parametrize(
    "question",
    [
        make_single("s"),
        make_multiple("m"),
        make_ordering("o"),
        make_matching("x"),
        make_classify("k"),
    ],
    ids=lambda q: q.type.value,
)
def test_present_keeps_the_answer_key_consistent(question: Question) -> None:
    for seed in range(20):
        assert answer_texts(present(question, random.Random(seed))) == answer_texts(question)


def test_present_keeps_classify_choices_in_perspective_order() -> None:
    shown = present(make_classify("k"), random.Random(9))
    assert [c.text for c in shown.choices] == [p.name for p in make_perspectives()]
    assert shown.answer == "c2"


def test_present_returns_true_false_and_year_questions_unchanged() -> None:
    true_false = make_question("tf", QuestionType.TRUE_FALSE, answer=True)
    year = make_question("y", QuestionType.YEAR, answer=1999)
    assert present(true_false, random.Random(1)) == true_false
    assert present(year, random.Random(1)) == year
