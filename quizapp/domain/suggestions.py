"""Suggested passages: for a question that cites none, the passage of the article that best
supports it, so that an import can cite passages in one step.

The method is BM25 ranking (SQLite's FTS5 `bm25()`, in an in-memory database of the
standard library's `sqlite3`, so it ranks the same whatever database the app uses). Each
sentence of the article is a document, indexed with its paragraph around it, so that a
sentence is found by the words of its context too; the Porter stemmer folds "expand" and
"expansion", and accents are dropped. The query is what an imported question carries: its
prompt, its options (choices, pairs) and their feedback, never its quote, explanation or
section. Words too common to tell passages apart are left out of the query, and the
others are OR-ed, so that a passage needs only some of them.

A suggestion is a sentence, verbatim, with its section: usable as the question's quote as
it is. Below `MIN_SCORE` (the BM25 score, higher is better) nothing is suggested. How good
it is, measured on the shipped bank and on a held-out set, is in the README.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from quizapp.domain.article import Article, sentence_spans
from quizapp.domain.questions import Question

MIN_SCORE = 3.0  # BM25 score of the best passage below which nothing is suggested
SUGGESTIONS = 3  # at most this many passages are ranked for a question
_QUERY_WORDS_MAX = 64  # a prompt of thousands of words is cut, so a query stays cheap
_TERM = re.compile(r"[^\W_]+")
_COMMON = frozenset(
    re.findall(
        r"\w+",
        "a about according after all also an and any are article article's as at be been "
        "before but by can did do does from had has have he her his how i in into is it its "
        "let many me more most much not of on one or other over put said say says see such "
        "than that the their them then there these they this those through to true under "
        "until upon "
        "was we were what when where whether which while who whom why will with would you "
        "your question answer following correct false",
    )
)


@dataclass(frozen=True)
class Suggestion:
    """A sentence of the article that backs a question: `quote` is verbatim in `section`."""

    section: str
    quote: str
    score: float  # BM25, higher is better


def query_text(question: Question) -> str:
    """What the suggester may read of a question: prompt, options, pairs and feedback."""
    parts = [question.prompt]
    for choice in (*question.choices, *question.pairs):
        parts += [choice.text, choice.feedback]
    return " ".join(part for part in parts if part)


def suggest_passages(article: Article, text: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The `limit` best sentences of `article` for the words of `text`, best first, each
    scoring at least `MIN_SCORE`; [] when no word of the text is in the article."""
    terms = _terms(text)
    if not terms:
        return []
    query = " OR ".join(f'"{term}"' for term in terms)
    with _index(article) as connection:
        rows = connection.execute(
            "SELECT section, sentence, -bm25(units, 0.0, 1.0, 0.5) AS score FROM units "
            "WHERE units MATCH ? ORDER BY score DESC LIMIT ?",
            (query, limit),
        ).fetchall()
    return [
        Suggestion(section, quote, score) for section, quote, score in rows if score >= MIN_SCORE
    ]


def suggest_passage(article: Article, question: Question) -> Suggestion | None:
    """The best passage for `question` (read by `query_text`), or None below `MIN_SCORE`."""
    found = suggest_passages(article, query_text(question), limit=1)
    return found[0] if found else None


def cite_suggested(question: Question, suggestion: Suggestion) -> Question:
    """`question` citing the suggested passage. An imported question often has no
    explanation, which a question citing a passage needs: it then gets one that quotes the
    passage (the teacher may write a better one in the editor)."""
    explanation = question.explanation or (
        f"Section {suggestion.section} of the article: “{suggestion.quote}”"
    )
    return replace(
        question, section=suggestion.section, quote=suggestion.quote, explanation=explanation
    )


def suggestions_for(article: Article, questions: Sequence[Question]) -> dict[int, Suggestion]:
    """The suggested passage of each question that cites none, by its position in
    `questions` (from 0); a question with no passage above the minimum score is left out."""
    found = {}
    for index, question in enumerate(questions):
        if not question.cites_source:
            suggestion = suggest_passage(article, question)
            if suggestion is not None:
                found[index] = suggestion
    return found


def cite_chosen(
    questions: Sequence[Question], suggestions: Mapping[int, Suggestion], chosen: Iterable[int]
) -> tuple[Question, ...]:
    """`questions`, those at the `chosen` positions citing their suggested passage."""
    chosen = set(chosen)
    return tuple(
        cite_suggested(question, suggestions[index])
        if index in chosen and index in suggestions
        else question
        for index, question in enumerate(questions)
    )


def _terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _TERM.findall(text.casefold()):
        if word not in _COMMON and len(word) > 1:
            seen.setdefault(word, None)
    return list(seen)[:_QUERY_WORDS_MAX]


class _index:
    """An in-memory FTS5 table of the article's sentences (section, sentence, paragraph),
    built for one query and closed after it: cheap for an article of a few hundred
    sentences, and no connection is shared between threads."""

    def __init__(self, article: Article) -> None:
        self.article = article

    def __enter__(self) -> sqlite3.Connection:
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute(
            "CREATE VIRTUAL TABLE units USING fts5(section UNINDEXED, sentence, paragraph, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        self.connection.executemany(
            "INSERT INTO units (section, sentence, paragraph) VALUES (?, ?, ?)",
            _units(self.article),
        )
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


def _units(article: Article) -> Iterator[tuple[str, str, str]]:
    for section in article.sections:
        context = section.title
        for paragraph in section.paragraphs:
            for start, end in sentence_spans(paragraph.text):
                yield section.number, paragraph.text[start:end], f"{context} {paragraph.text}"
