"""Rounds: the questions the timeline and the perspectives generate, and the pick of a round.

A round mixes questions authored in `questions/bank/` with questions generated from
`timeline.yaml` (dates, order, who said what) and `perspectives.yaml` (which position
holds a claim). Everything takes a `random.Random`, so the same bank, spec and seed give
the same round.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from quizapp.domain.article import Article
from quizapp.domain.questions import (
    Bank,
    Choice,
    Event,
    Kind,
    Origin,
    Question,
    QuestionType,
)

MIN_LENGTH = 1
MAX_LENGTH = 30

# Events a "which came first?" question puts side by side, the answer included.
MAX_FIRST_CHOICES = 4
# Sizes of the generated ordering questions, cycled along the timeline for variety.
ORDERING_SIZES = (3, 4, 5)
# Distractors a "who said this?" question offers besides the speaker.
MAX_SPEAKER_DISTRACTORS = 3
MAX_MATCHING_PAIRS = 6

# Types presented as they are: no choices, or choices the learner never sees (short answers).
UNCHANGED_TYPES = frozenset(
    {QuestionType.TRUE_FALSE, QuestionType.YEAR, QuestionType.SHORT, QuestionType.NUMERIC}
)
# Types whose choices are shuffled when presented; classify keeps the perspectives' order.
SHUFFLED_TYPES = frozenset(
    {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING, QuestionType.MATCHING}
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The timeline does not mark who is a person. Speakers are; another actor counts as one
# when the name reads as a personal name: two or more words, all capitalised, none of
# them a word that names a state, a bloc or an institution ("Czech Republic", "Soviet
# Union", "Warsaw Pact", "Brookings Institution" are not people).
INSTITUTION_WORDS = frozenset(
    {
        "alliance",
        "archive",
        "bloc",
        "commission",
        "community",
        "council",
        "department",
        "east",
        "federation",
        "government",
        "institution",
        "kingdom",
        "ministry",
        "nato",
        "office",
        "organisation",
        "organization",
        "pact",
        "parliament",
        "press",
        "republic",
        "states",
        "summit",
        "treaty",
        "union",
        "west",
    }
)


class RoundError(ValueError):
    """A round spec that cannot be played; the message says why, for the round-choice form."""


@dataclass(frozen=True)
class RoundSpec:
    """What the learner asked for: how many questions, from which section, on which topic.

    A section includes its subsections ("2" covers "2.1", "2.2", ...); a topic matches a
    question's tags. An empty string counts as no filter, as a form's "any" would send.
    """

    length: int = 10
    section: str | None = None
    topic: str | None = None
    # Question ids the round may not draw (those of the learner's tests in progress).
    exclude: frozenset[str] = frozenset()


# --- filters and the round-choice form ---------------------------------------------------


def _in_section(question: Question, section: str | None) -> bool:
    """True when the question cites `section` or one of its subsections (or no section is asked)."""
    if not section:
        return True
    return question.section == section or question.section.startswith(section + ".")


def _on_topic(question: Question, topic: str | None) -> bool:
    """True when the question is tagged with `topic` (or no topic is asked)."""
    return not topic or topic in question.topics


def available_sections(bank: Bank) -> list[tuple[str, str]]:
    """(number, title) of each article section a round can be built from, in article order.

    A section is offered when it or one of its subsections is cited by at least one
    authored or generated question, so picking any offered section yields a round.
    """
    return list(_offers(bank)[0])


def available_topics(bank: Bank) -> list[str]:
    """Every topic tag of the authored and generated questions, sorted."""
    return list(_offers(bank)[1])


# The round-choice form offers them on every home page: worked out once for each bank
# `prepare`d (the app's), afresh for any other (a teacher's, made per request).
_OFFERS: dict[int, tuple[Bank, tuple[tuple[str, str], ...], tuple[str, ...]]] = {}


def _offers(bank: Bank) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    found = _OFFERS.get(id(bank))
    if found is not None and found[0] is bank:
        return found[1], found[2]
    pool = _pool(bank)
    cited = {q.section for q in pool}
    sections = tuple(
        (section.number, section.title)
        for section in bank.article.sections
        if any(c == section.number or c.startswith(section.number + ".") for c in cited)
    )
    return sections, tuple(sorted({topic for q in pool for topic in q.topics}))


# --- generated questions --------------------------------------------------------------------


@dataclass(frozen=True)
class _Generated:
    question: Question
    subjects: frozenset[str]  # ids of the events or claims the question is about


def generate_questions(bank: Bank) -> list[Question]:
    """Every question the timeline and the perspectives generate, in a fixed order.

    Ids are stable: they derive from the ids of the events or claims involved, so the
    same data gives the same ids (`gen-year-<event>`, `gen-first-<event>-<hash>`,
    `gen-order-<hash>`, `gen-said-<event>`, `gen-match-speakers-<hash>`,
    `gen-claim-<claim>`). Each quote is the data's own quote, verbatim.
    """
    return [g.question for g in _prepared(bank).generated]


@dataclass
class _Prepared:
    """What the timeline, the perspectives and the article give every round, worked out
    once per bank data rather than at each round start: the generated questions, and which
    events and claims each quote overlaps (the subjects a question is about)."""

    generated: tuple[_Generated, ...]
    spans: list[tuple[str, tuple[str, int], int, int]]
    related: dict[str, set[str]]
    generated_subjects: dict[str, frozenset[str]]
    quote_subjects: dict[str, frozenset[str] | None]  # filled as authored quotes are met
    years: dict[tuple, frozenset[int]]  # each question's years, by its texts (bounded)

    def years_in(self, question: Question) -> frozenset[int]:
        texts = (
            question.prompt,
            question.explanation,
            question.quote,
            *(c.text for c in (*question.choices, *question.pairs)),
        )
        if texts not in self.years:
            if len(self.years) >= _REMEMBERED_MOST:
                self.years.clear()
            self.years[texts] = frozenset(
                int(year) for text in texts for year in YEAR_PATTERN.findall(text)
            )
        return self.years[texts]

    def subjects_of_quote(self, article: Article, quote: str) -> frozenset[str] | None:
        if quote not in self.quote_subjects:
            if len(self.quote_subjects) >= _REMEMBERED_MOST:
                self.quote_subjects.clear()
            passage = article.find(quote)
            self.quote_subjects[quote] = (
                frozenset(
                    _overlapping(
                        self.spans,
                        (passage.section.number, passage.paragraph),
                        passage.start,
                        passage.end,
                    )
                )
                if passage
                else None
            )
        return self.quote_subjects[quote]


# Banks share their data (a teacher's bank adds questions to the shipped one), so the
# preparation is kept per (article, events, perspectives): a handful at most.
_PREPARED: dict[tuple[int, int, int], tuple[Bank, _Prepared]] = {}
_PREPARED_MOST = 8
# Teachers' questions add their texts as they are drawn: kept up to this many, then forgotten.
_REMEMBERED_MOST = 20_000


def prepare(bank: Bank) -> None:
    """Work out what every round of this bank's data needs, now (when the bank loads)."""
    _prepared(bank)
    if len(_OFFERS) >= _PREPARED_MOST:
        _OFFERS.clear()
    _OFFERS[id(bank)] = (bank, *_offers(bank))


def _prepared(bank: Bank) -> _Prepared:
    key = (id(bank.article), id(bank.events), id(bank.perspectives))
    found = _PREPARED.get(key)
    if found is not None:
        return found[1]
    generated = tuple(_generate(bank))
    spans = _spans(bank)
    related: dict[str, set[str]] = {}
    for subject, where, start, end in spans:
        related.setdefault(subject, {subject}).update(_overlapping(spans, where, start, end))
    prepared = _Prepared(
        generated=generated,
        spans=spans,
        related=related,
        generated_subjects={
            g.question.id: frozenset(
                r for subject in g.subjects for r in related.get(subject, {subject})
            )
            for g in generated
        },
        quote_subjects={},
        years={},
    )
    if len(_PREPARED) >= _PREPARED_MOST:
        _PREPARED.clear()
    _PREPARED[key] = (bank, prepared)  # the bank is kept so that the ids stay its own
    return prepared


def _generate(bank: Bank) -> list[_Generated]:
    timeline = sorted(bank.events, key=lambda e: (e.sort_key, e.id))
    people = _people(bank.events)
    return [
        *_year_questions(timeline),
        *_first_questions(timeline),
        *_ordering_questions(timeline),
        *_who_said_questions(bank, timeline, people),
        *_speaker_matching_questions(bank, timeline, people),
        *_claim_questions(bank),
    ]


def _year_questions(timeline: Sequence[Event]) -> list[_Generated]:
    """ "In what year ...?" for each event whose title does not give the year away."""
    questions = []
    for event in timeline:
        if str(event.year) in event.title:
            continue
        question = Question(
            id=f"gen-year-{event.id}",
            type=QuestionType.YEAR,
            kind=Kind.FACT,
            prompt=f"{event.title}: in what year?",
            section=event.section,
            quote=event.quote,
            explanation=f"The article dates it to {_date_text(event)}. {event.summary}",
            answer=event.year,
            tolerance=0,
            difficulty=1,
            topics=event.topics,
            origin=Origin.GENERATED,
        )
        questions.append(_Generated(question, frozenset({event.id})))
    return questions


def _first_questions(timeline: Sequence[Event]) -> list[_Generated]:
    """ "Which came first?": each event against the next events clearly later than it.

    The nearest later events are the distractors a learner most plausibly confuses.
    The quote is the answer's.
    """
    questions = []
    for index, first in enumerate(timeline):
        events = _chronological_run(first, timeline[index + 1 :], MAX_FIRST_CHOICES)
        if len(events) < 3:  # two choices would be a coin toss
            continue
        others = events[1:]
        explanation = (
            f"First: {first.title} ({_date_text(first)}). Then: "
            + "; ".join(f"{e.title} ({_date_text(e)})" for e in others)
            + "."
        )
        question = Question(
            id=f"gen-first-{first.id}-{_digest(e.id for e in events)}",
            type=QuestionType.SINGLE,
            kind=Kind.FACT,
            prompt="Which of these came first?",
            section=first.section,
            quote=first.quote,
            explanation=explanation,
            answer=first.id,
            choices=tuple(Choice(e.id, e.title) for e in events),
            difficulty=2,
            topics=_merged_topics(e.topics for e in events),
            origin=Origin.GENERATED,
        )
        questions.append(_Generated(question, frozenset(e.id for e in events)))
    return questions


def _ordering_questions(timeline: Sequence[Event]) -> list[_Generated]:
    """ "Put these events in order": runs of 3 to 5 events along the timeline, no two alike.

    The quote and section are those of the event closest in time to another of the
    run: the one a learner most likely misplaces (ties go to the earlier event).
    """
    questions = []
    seen: set[tuple[str, ...]] = set()
    for index, first in enumerate(timeline):
        size = ORDERING_SIZES[index % len(ORDERING_SIZES)]
        events = _chronological_run(first, timeline[index + 1 :], size)
        ids = tuple(e.id for e in events)
        if len(events) < 3 or ids in seen:
            continue
        seen.add(ids)
        cited = _most_misplaceable(events)
        explanation = (
            "From first to last: " + "; ".join(f"{e.title} ({_date_text(e)})" for e in events) + "."
        )
        question = Question(
            id=f"gen-order-{_digest(ids)}",
            type=QuestionType.ORDERING,
            kind=Kind.FACT,
            prompt="Put these events in order, earliest first.",
            section=cited.section,
            quote=cited.quote,
            explanation=explanation,
            answer=ids,
            choices=tuple(Choice(e.id, e.title) for e in events),
            difficulty=2 if len(events) == 3 else 3,
            topics=_merged_topics(e.topics for e in events),
            origin=Origin.GENERATED,
        )
        questions.append(_Generated(question, frozenset(ids)))
    return questions


def _who_said_questions(
    bank: Bank, timeline: Sequence[Event], people: Sequence[str]
) -> list[_Generated]:
    """ "Who said this?" for each event with words that do not name their speaker.

    Distractors are other people of the timeline, most plausible first: those present
    at the same event, then other speakers, then the people nearest in time.
    """
    questions = []
    for event in _quoted_events(timeline):
        assert event.speaker is not None and event.words is not None
        distractors = _speaker_distractors(event, timeline, people)[:MAX_SPEAKER_DISTRACTORS]
        if not distractors:
            continue
        section, quote = _words_source(bank, event)
        question = Question(
            id=f"gen-said-{event.id}",
            type=QuestionType.SINGLE,
            kind=Kind.FACT,
            prompt=f"Who said this, {_date_phrase(event)}? “{event.words}”",
            section=section,
            quote=quote,
            explanation=f"{event.speaker} said it {_date_phrase(event)}. {event.summary}",
            answer=_slug(event.speaker),
            choices=tuple(Choice(_slug(name), name) for name in [event.speaker, *distractors]),
            difficulty=1,
            topics=event.topics,
            origin=Origin.GENERATED,
        )
        questions.append(_Generated(question, frozenset({event.id})))
    return questions


def _speaker_matching_questions(
    bank: Bank, timeline: Sequence[Event], people: Sequence[str]
) -> list[_Generated]:
    """One matching question, each speaker's words to the speaker, when two or more speak.

    A speaker quoted more than once counts with the earliest words; one more person of
    the timeline is added as a distractor when there is one. The quote is the earliest's.
    """
    by_speaker: dict[str, Event] = {}
    for event in _quoted_events(timeline):
        assert event.speaker is not None
        by_speaker.setdefault(event.speaker, event)
    events = list(by_speaker.values())[:MAX_MATCHING_PAIRS]
    if len(events) < 2:
        return []
    speakers = [e.speaker for e in events if e.speaker]
    extra = [
        name
        for name in _speaker_distractors(events[0], timeline, people)
        if not any(_same_person(name, speaker) for speaker in speakers)
    ][:1]
    section, quote = _words_source(bank, events[0])
    question = Question(
        id=f"gen-match-speakers-{_digest(e.id for e in events)}",
        type=QuestionType.MATCHING,
        kind=Kind.FACT,
        prompt="Match each statement to the person who said it.",
        section=section,
        quote=quote,
        explanation="; ".join(f"{e.speaker}, {_date_phrase(e)}: “{e.words}”" for e in events),
        answer={e.id: _slug(e.speaker or "") for e in events},
        choices=tuple(Choice(_slug(name), name) for name in [*speakers, *extra]),
        pairs=tuple(Choice(e.id, f"“{e.words}”") for e in events),
        difficulty=2,
        topics=_merged_topics(e.topics for e in events),
        origin=Origin.GENERATED,
    )
    return [_Generated(question, frozenset(e.id for e in events))]


def _claim_questions(bank: Bank) -> list[_Generated]:
    """ "Which position holds this claim?" for each claim; the choices are all perspectives.

    Claims marked `not_distinctive` are left out. The prompt gives the claim alone and
    attributes nothing; the explanation names the
    position and who holds it. Claims carry no tags, so these questions are tagged
    `perspectives`.
    """
    if len(bank.perspectives) < 2:
        return []
    questions = []
    for claim in bank.claims:
        holder = bank.perspective(claim.perspective)
        # A claim the article states in its own voice, or that another position would
        # accept, has no single right position (the rulebook refuses it in a question).
        if claim.not_distinctive or holder.name.casefold() in claim.text.casefold():
            continue
        question = Question(
            id=f"gen-claim-{claim.id}",
            type=QuestionType.CLASSIFY,
            kind=Kind.INTERPRETATION,
            prompt=f"Which position described in the article holds this claim? — {claim.text}",
            section=claim.section,
            quote=claim.quote,
            explanation=(
                f"This claim belongs to {_in_sentence(holder.name)}, held by "
                f"{_in_sentence(holder.held_by)}. {holder.summary}"
            ),
            answer=holder.id,
            choices=tuple(Choice(p.id, p.name) for p in bank.perspectives),
            difficulty=2,
            topics=("perspectives",),
            origin=Origin.GENERATED,
        )
        questions.append(_Generated(question, frozenset({claim.id})))
    return questions


def _chronological_run(first: Event, later: Sequence[Event], size: int) -> list[Event]:
    """`first` and the next events that are clearly later than all chosen, up to `size`.

    Titles must differ, since they are the choices' texts.
    """
    run = [first]
    for event in later:
        if len(run) == size:
            break
        titles = {e.title.casefold() for e in run}
        if event.title.casefold() not in titles and all(_clearly_before(e, event) for e in run):
            run.append(event)
    return run


def _clearly_before(a: Event, b: Event) -> bool:
    """True when `a` is earlier than `b` at the coarser of their two precisions.

    "1989-12" is clearly before "1990-01-31"; "1990" and "1990-02-09" are not comparable.
    """
    precision = min(a.date.count("-"), b.date.count("-")) + 1
    return a.sort_key[:precision] < b.sort_key[:precision]


def _most_misplaceable(events: Sequence[Event]) -> Event:
    days = [_approximate_day(e) for e in events]

    def nearest_gap(index: int) -> int:
        return min(abs(days[index] - days[j]) for j in range(len(events)) if j != index)

    return events[min(range(len(events)), key=lambda i: (nearest_gap(i), i))]


def _approximate_day(event: Event) -> int:
    """The day an event falls on, taking the middle of a month or year given alone."""
    year, month, day = event.sort_key
    return datetime.date(year, month or 7, day or (15 if month else 1)).toordinal()


def _in_sentence(name: str) -> str:
    """ "The Russian narrative" reads "the Russian narrative" inside a sentence."""
    return "the" + name[3:] if name.startswith("The ") else name


def _date_text(event: Event) -> str:
    """The event's date as the article writes it: "9 February 1990", "December 1989", "1999"."""
    year, month, day = event.sort_key
    if not month:
        return str(year)
    if not day:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def _date_phrase(event: Event) -> str:
    return ("on " if event.sort_key[2] else "in ") + _date_text(event)


def _quoted_events(timeline: Sequence[Event]) -> list[Event]:
    """Events with a speaker and words that do not give the speaker's name away."""
    return [e for e in timeline if e.speaker and e.words and not _names_in(e.speaker, e.words)]


def _names_in(name: str, text: str) -> bool:
    """True when `text` contains the name or its last word (the surname)."""
    folded = text.casefold()
    return name.casefold() in folded or _surname(name) in folded


def _surname(name: str) -> str:
    words = name.split()
    return words[-1].strip(".,").casefold() if words else ""


def _same_person(a: str, b: str) -> bool:
    """Same text, or the same surname: never offer "Baker" beside "James Baker"."""
    return a.casefold() == b.casefold() or _surname(a) == _surname(b)


def _people(events: Iterable[Event]) -> list[str]:
    """Every speaker, and every actor whose name reads as a person's, in timeline order."""
    people: list[str] = []
    for event in events:
        names = [event.speaker] if event.speaker else []
        names += [a for a in event.actors if _looks_like_person(a)]
        for name in names:
            if name not in people:
                people.append(name)
    return people


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return (
        len(words) >= 2
        and all(w[0].isupper() for w in words)
        and not any(w.strip(".,").casefold() in INSTITUTION_WORDS for w in words)
    )


def _speaker_distractors(
    event: Event, timeline: Sequence[Event], people: Sequence[str]
) -> list[str]:
    """Other people, most plausible first: at the same event, then speakers, then nearest."""
    assert event.speaker is not None
    speakers = {e.speaker for e in timeline if e.speaker}
    day = _approximate_day(event)

    def distance(name: str) -> int:
        return min(
            abs(_approximate_day(e) - day)
            for e in timeline
            if name == e.speaker or name in e.actors
        )

    candidates = [p for p in people if not _same_person(p, event.speaker)]
    chosen: list[str] = []
    for name in sorted(
        candidates,
        key=lambda p: (p not in event.actors, p not in speakers, distance(p), p),
    ):
        if not any(_same_person(name, c) for c in chosen):
            chosen.append(name)
    return chosen


def _words_source(bank: Bank, event: Event) -> tuple[str, str]:
    """Section and quote backing the words: the event's quote if it holds them, else the words."""
    assert event.words is not None
    if _squash(event.words) in _squash(event.quote):
        return event.section, event.quote
    passage = bank.article.find(event.words)
    return (passage.section.number if passage else event.section), event.words


def _squash(text: str) -> str:
    return " ".join(text.split())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "person"


def _digest(ids: Iterable[str]) -> str:
    return hashlib.sha1("|".join(ids).encode()).hexdigest()[:8]


def _merged_topics(topic_lists: Iterable[Sequence[str]]) -> tuple[str, ...]:
    return tuple(sorted({t for topics in topic_lists for t in topics}))


# --- building a round ----------------------------------------------------------------------


def build_round(bank: Bank, spec: RoundSpec, rng: random.Random) -> list[Question]:
    """Pick `spec.length` questions matching the spec (all there are, if fewer), presented.

    The rules, in the order they are applied:
    - the pool is the authored questions and the generated ones in the spec's section
      (subsections included) and topic; a question id is never picked twice;
    - no two questions share a subject: an event or claim of the data (a generated
      question's own; an authored question's are those whose quote overlaps its own in
      the article), so one answer's feedback never gives another away;
    - a year question never shares a round with a question that mentions its year, nor
      comes in a round whose topic or section title names it ("1989", "1999-2004");
    - a round of 5 or more opens with an ordering question when the pool has one, so
      every round practises chronology;
    - about a third of the round (length / 3, rounded) is generated and the rest
      authored; when one side runs short the other fills the gap;
    - within each side, the next question is of the type least represented so far in the
      round (ties in a per-round random order), so a round is not all one type;
    - the picked questions are shuffled and each is `present`ed.
    Everything random comes from `rng`: the same bank, spec and seed give the same round.
    Raises RoundError when the length is outside 1..30 or nothing matches the spec.
    """
    if not MIN_LENGTH <= spec.length <= MAX_LENGTH:
        raise RoundError(
            f"A round has {MIN_LENGTH} to {MAX_LENGTH} questions; {spec.length} was asked."
        )
    pool = _scope_pool(bank, spec.section, spec.topic)
    if not pool.ids - spec.exclude:
        raise RoundError(f"No question matches {_describe(spec)}; choose a wider section or topic.")

    picker = _Picker(pool.subjects, _prepared(bank).years_in, rng, exclude=spec.exclude)
    authored = {t: _Draw(questions, rng) for t, questions in pool.authored.items()}
    generated = {t: _Draw(questions, rng) for t, questions in pool.generated.items()}

    if spec.length >= 5:
        orderings = [q for q in pool.orderings if q.id not in spec.exclude]
        if orderings:
            picker.take(rng.choice(orderings))

    generated_target = round(spec.length / 3)
    authored_target = spec.length - generated_target
    picker.fill(authored, authored_target - picker.count(Origin.AUTHORED))
    picker.fill(generated, spec.length - len(picker.picked))
    picker.fill(authored, spec.length - len(picker.picked))

    chosen = list(picker.picked)
    rng.shuffle(chosen)
    return [present(q, rng) for q in chosen]


@dataclass(frozen=True)
class _ScopePool:
    """What a round of one scope (section and topic) draws from: the matching authored and
    generated questions by type, each in id order, the ordering questions among them, and
    what each question is about."""

    authored: dict[QuestionType, tuple[Question, ...]]
    generated: dict[QuestionType, tuple[Question, ...]]
    orderings: tuple[Question, ...]
    subjects: dict[str, frozenset[str]]
    ids: frozenset[str]


def _scope_pool(bank: Bank, section: str | None, topic: str | None) -> _ScopePool:
    """The scope's pool: worked out once per scope for a `prepare`d bank (the app's, whose
    scopes are the few the round form offers), afresh for any other."""
    offers = _OFFERS.get(id(bank))
    if offers is None or offers[0] is not bank:
        return _make_scope_pool(bank, section, topic)
    key = (id(bank), section, topic)
    found = _SCOPE_POOLS.get(key)
    if found is None or found[0] is not bank:
        if len(_SCOPE_POOLS) >= _SCOPE_POOLS_MOST:
            _SCOPE_POOLS.clear()
        found = _SCOPE_POOLS[key] = (bank, _make_scope_pool(bank, section, topic))
    return found[1]


# The bank is kept with its pools so that the id in the key stays its own.
_SCOPE_POOLS: dict[tuple[int, str | None, str | None], tuple[Bank, _ScopePool]] = {}
_SCOPE_POOLS_MOST = 1_000


def _make_scope_pool(bank: Bank, section: str | None, topic: str | None) -> _ScopePool:
    spec = RoundSpec(length=MIN_LENGTH, section=section, topic=topic)
    shown = _scope_text(bank, spec)
    prepared = _prepared(bank)
    authored = [q for q in bank.questions if _matches(q, spec) and not _answered_by(q, shown)]
    generated = [
        g
        for g in prepared.generated
        if _matches(g.question, spec) and not _answered_by(g.question, shown)
    ]
    authored_questions = sorted(authored, key=lambda q: q.id)
    generated_questions = sorted((g.question for g in generated), key=lambda q: q.id)
    return _ScopePool(
        authored=_by_type(authored_questions),
        generated=_by_type(generated_questions),
        orderings=tuple(
            q for q in authored_questions + generated_questions if q.type is QuestionType.ORDERING
        ),
        subjects=_subjects(bank, prepared, authored, generated),
        ids=frozenset(q.id for q in authored_questions + generated_questions),
    )


def _by_type(questions: Sequence[Question]) -> dict[QuestionType, tuple[Question, ...]]:
    grouped: dict[QuestionType, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.type, []).append(question)
    return {t: tuple(group) for t, group in grouped.items()}


class _Draw:
    """One type's questions in a random order, drawn one at a time: only the questions
    looked at cost a random number, not the whole pool (a shuffle drawn lazily)."""

    def __init__(self, questions: Sequence[Question], rng: random.Random) -> None:
        self._left = list(questions)
        self._rng = rng
        self._front: Question | None = None

    def front(self) -> Question | None:
        if self._front is None and self._left:
            i = self._rng.randrange(len(self._left))
            self._left[i], self._left[-1] = self._left[-1], self._left[i]
            self._front = self._left.pop()
        return self._front

    def pop(self) -> Question | None:
        question = self.front()
        self._front = None
        return question


class _Picker:
    """The round being picked, with the rules that keep it free of repeats."""

    def __init__(
        self,
        subjects: dict[str, frozenset[str]],
        years_in: Callable[[Question], frozenset[int]],
        rng: random.Random,
        exclude: frozenset[str] = frozenset(),
    ) -> None:
        self.subjects = subjects
        self.picked: list[Question] = []
        self.ids: set[str] = set(exclude)  # picked, or kept out of the round
        self.used_subjects: set[str] = set()
        self.asked_years: set[int] = set()  # answers of the year questions picked
        self.mentioned_years: set[int] = set()  # years written in the questions picked
        self.type_order = list(QuestionType)
        rng.shuffle(self.type_order)
        self._years_in = years_in
        self._years: dict[int, frozenset[int]] = {}  # by id(): the pool lives as long

    def years_in(self, question: Question) -> frozenset[int]:
        key = id(question)
        if key not in self._years:
            self._years[key] = self._years_in(question)
        return self._years[key]

    def count(self, origin: Origin) -> int:
        return sum(q.origin is origin for q in self.picked)

    def fits(self, question: Question) -> bool:
        if question.id in self.ids:
            return False
        if self.subjects.get(question.id, frozenset()) & self.used_subjects:
            return False
        if question.type is QuestionType.YEAR and question.answer in self.mentioned_years:
            return False
        return not (self.years_in(question) & self.asked_years)

    def take(self, question: Question) -> None:
        self.picked.append(question)
        self.ids.add(question.id)
        self.used_subjects |= self.subjects.get(question.id, frozenset())
        self.mentioned_years |= self.years_in(question)
        if question.type is QuestionType.YEAR:
            self.asked_years.add(question.answer)

    def fill(self, draws: dict[QuestionType, _Draw], count: int) -> None:
        """Take up to `count` questions of `draws`, each of the least represented type (the
        next of that type, in its random order, that fits).

        A question that does not fit never fits again (what is picked only grows), so it
        is dropped as it is met: the draws go on from where they stand at the next fill.
        """
        for _ in range(count):
            types = set()
            for question_type, draw in draws.items():
                while (question := draw.front()) is not None and not self.fits(question):
                    draw.pop()
                if question is not None:
                    types.add(question_type)
            if not types:
                return
            have = Counter(q.type for q in self.picked)
            wanted = min(
                (t for t in self.type_order if t in types),
                key=lambda t: (have[t], self.type_order.index(t)),
            )
            self.take(draws[wanted].pop())


YEAR_PATTERN = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _spans(bank: Bank) -> list[tuple[str, tuple[str, int], int, int]]:
    """Where each event's and claim's quote stands: (subject, (section, paragraph), start, end)."""
    spans = []
    for subject, quote in [
        *((e.id, e.quote) for e in bank.events),
        *((e.id, e.words) for e in bank.events if e.words),
        *((c.id, c.quote) for c in bank.claims),
    ]:
        passage = bank.article.find(quote)
        if passage:
            where = (passage.section.number, passage.paragraph)
            spans.append((subject, where, passage.start, passage.end))
    return spans


def _overlapping(
    spans: Sequence[tuple[str, tuple[str, int], int, int]],
    where: tuple[str, int],
    start: int,
    end: int,
) -> set[str]:
    return {s for s, w, a, b in spans if w == where and a < end and start < b}


def _subjects(
    bank: Bank,
    prepared: _Prepared,
    authored: Sequence[Question],
    generated: Sequence[_Generated],
) -> dict[str, frozenset[str]]:
    """What each question is about, by the events and claims of the data.

    An authored question is about the events and claims whose quote overlaps its own in
    the article. A generated question is about its own events or claims and every other
    whose quote overlaps theirs (an event and a claim may cite the same sentence).
    """
    subjects = {g.question.id: prepared.generated_subjects[g.question.id] for g in generated}
    for question in authored:
        found = prepared.subjects_of_quote(bank.article, question.quote)
        if found is not None:
            subjects[question.id] = found
    return subjects


def _scope_text(bank: Bank, spec: RoundSpec) -> str:
    """What the learner reads of the round's scope: its topic and its section's title."""
    texts = [spec.topic or ""]
    if spec.section and bank.article.has_section(spec.section):
        texts.append(bank.article.section(spec.section).title)
    return " ".join(texts)


def _answered_by(question: Question, text: str) -> bool:
    return question.type is QuestionType.YEAR and str(question.answer) in text


def _pool(bank: Bank) -> list[Question]:
    return [*bank.questions, *generate_questions(bank)]


def _matches(question: Question, spec: RoundSpec) -> bool:
    return (
        question.id not in spec.exclude
        and _in_section(question, spec.section)
        and _on_topic(question, spec.topic)
    )


def _describe(spec: RoundSpec) -> str:
    parts = []
    if spec.section:
        parts.append(f"section {spec.section}")
    if spec.topic:
        parts.append(f"topic “{spec.topic}”")
    return " and ".join(parts) or "this bank (it has no questions)"


# --- presenting a question -----------------------------------------------------------------


def present(question: Question, rng: random.Random) -> Question:
    """The question as shown: nothing in the order or the ids of its choices gives the answer.

    Choices (and a matching question's left-hand prompts) are shuffled, ordering items
    so that they never stand in the right order when there are three or more. Two items
    are shuffled either way: kept out of the right order, they would always show it
    reversed. Classify choices keep the perspectives' order. Ids are then re-keyed in display order
    ("c1", "c2", ... for choices, "p1", ... for pairs) and the answer key re-mapped.
    True/false, year, short and numeric questions are returned unchanged.
    """
    if question.type in UNCHANGED_TYPES:
        return question

    choices = list(question.choices)
    pairs = list(question.pairs)
    if question.type in SHUFFLED_TYPES:
        rng.shuffle(choices)
        rng.shuffle(pairs)
    if question.type is QuestionType.ORDERING and len(choices) >= 3:
        while tuple(c.id for c in choices) == tuple(question.answer):
            rng.shuffle(choices)

    choice_ids = {c.id: f"c{n}" for n, c in enumerate(choices, start=1)}
    pair_ids = {p.id: f"p{n}" for n, p in enumerate(pairs, start=1)}
    answer = question.answer
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY):
        answer = choice_ids[answer]
    elif question.type is QuestionType.MULTIPLE:
        answer = frozenset(choice_ids[a] for a in answer)
    elif question.type is QuestionType.ORDERING:
        answer = tuple(choice_ids[a] for a in answer)
    elif question.type is QuestionType.MATCHING:
        answer = {pair_ids[p]: choice_ids[c] for p, c in answer.items()}
    return replace(
        question,
        answer=answer,
        choices=tuple(replace(c, id=choice_ids[c.id]) for c in choices),
        pairs=tuple(replace(p, id=pair_ids[p.id]) for p in pairs),
    )
