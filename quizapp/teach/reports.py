"""What a teacher reads of their classes: gradebook, class overview, a student's attempts,
any attempt in full, item statistics per assignment, and CSV exports."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from quizapp import attempt_store, class_store, clock, current_bank, report_store
from quizapp.domain import charts, gradebook, mastery
from quizapp.domain.csv_export import csv_chunks, to_csv
from quizapp.domain.gradebook import AttemptSet, Policy
from quizapp.domain.grading import format_score
from quizapp.domain.item_stats import MIN_ATTEMPTS_TO_JUDGE
from quizapp.extensions import db
from quizapp.models import MARK_MANUAL, Assignment, Classroom, Round, User
from quizapp.teach import bp
from quizapp.teach.forms import MarkForm

E = TypeVar("E", bound=StrEnum)


def _choice(name: str, options: type[E], default: E) -> E:
    """A query-string choice; a value not offered gets a 400 naming the ones that are."""
    value = request.args.get(name, default.value)
    try:
        return options(value)
    except ValueError:
        offered = ", ".join(o.value for o in options)
        abort(400, description=f"'{name}' must be one of {offered}; '{value[:40]}' is not.")


class Gradebook:
    """Students by assignments, each cell the attempt the teacher's policy picks."""

    def __init__(self, classroom: Classroom, policy: Policy):
        now = clock.now()
        self.classroom = classroom
        self.policy = policy
        self.assignments: list[Assignment] = list(classroom.assignments)
        self.students: list[User] = sorted(
            (e.student for e in classroom.enrollments), key=lambda s: s.username
        )
        attempts: dict[tuple[int, int], list[gradebook.AttemptResult]] = {}
        for row in report_store.attempts_at([a.id for a in self.assignments]):
            attempts.setdefault((row.student_id, row.assignment_id), []).append(row.result)
        self.attempts = attempts
        self.cells = {
            (s.id, a.id): gradebook.cell(
                attempts.get((s.id, a.id), []), report_store.deadlines_of(a, s.id), policy, now
            )
            for s in self.students
            for a in self.assignments
        }

    def row_mean(self, student: User) -> float | None:
        return gradebook.mean_share([self.cells[student.id, a.id] for a in self.assignments])

    def column_mean(self, assignment: Assignment) -> float | None:
        return gradebook.mean_share([self.cells[s.id, assignment.id] for s in self.students])

    def column_count(self, assignment: Assignment, status: gradebook.Status) -> int:
        return sum(1 for s in self.students if self.cells[s.id, assignment.id].status is status)


@bp.route("/classes/<id:class_id>/gradebook")
def gradebook_page(class_id: int):
    classroom = class_store.own_class_or_404(class_id, current_user)
    book = Gradebook(classroom, _choice("show", Policy, Policy.BEST))
    return render_template(
        "teach/gradebook.html",
        book=book,
        classroom=classroom,
        policies=list(Policy),
        missing_status=gradebook.Status.MISSING,
    )


@bp.route("/classes/<id:class_id>/gradebook.csv")
def gradebook_csv(class_id: int):
    classroom = class_store.own_class_or_404(class_id, current_user)
    book = Gradebook(classroom, _choice("show", Policy, Policy.BEST))
    header = ["student"]
    for a in book.assignments:
        header += [f"{a.title} ({book.policy.value}, %)", f"{a.title} status"]
    header.append("average (%)")
    rows = []
    for student in book.students:
        row: list = [student.username]
        for a in book.assignments:
            cell = book.cells[student.id, a.id]
            row += [_percent(cell.share), cell.status.label]
        row.append(_percent(book.row_mean(student)))
        rows.append(row)
    return _csv(to_csv(header, rows), f"gradebook-{classroom.id}-{book.policy.value}.csv")


@bp.route("/classes/<id:class_id>/responses.csv")
def responses_csv(class_id: int):
    """Every answer to the class's assignments, one row per question of each attempt."""
    classroom = class_store.own_class_or_404(class_id, current_user)
    now = clock.now()
    names = {e.student_id: e.student.username for e in classroom.enrollments}
    by_id = {a.id: a for a in classroom.assignments}
    attempts = {
        row.result.round_id: row
        for row in report_store.attempts_at(list(by_id))
        if row.student_id in names
    }
    versions = report_store.teacher_version_numbers(current_user.id)

    def rows():
        for r in report_store.iter_item_responses(sorted(attempts)):
            row = attempts[r.round_id]
            answered = r.answered_at is not None
            yield [
                names[row.student_id],
                by_id[row.assignment_id].title,
                row.result.attempt,
                row.result.started_at,
                gradebook.submitted_at(row.result, now),
                gradebook.is_late(
                    row.result,
                    report_store.deadlines_of(by_id[row.assignment_id], row.student_id),
                    now,
                ),
                r.position,
                r.question_id,
                versions[r.version_id][1] if r.version_id in versions else None,
                r.question.prompt,
                r.response_text if answered else None,
                r.key_text,
                r.score if answered else None,
                r.correct if answered else None,
                r.answered_at,
                r.graded_score if r.marked_by is not None else None,
                r.marked_by,
                r.mark_comment,
            ]

    # Streamed: a class's year of answers is tens of megabytes, and the download should
    # start at once rather than after the last row is written.
    return _csv(
        stream_with_context(csv_chunks(RESPONSES_HEADER, rows())),
        f"responses-{classroom.id}.csv",
    )


RESPONSES_HEADER = [
    "student",
    "assignment",
    "attempt",
    "started_at",
    "submitted_at",
    "late",
    "position",
    "question_id",
    "version",
    "question",
    "response",
    "right_answer",
    "score",
    "correct",
    "answered_at",
    # Set where a teacher's "Override mark" stands: `score` is then the teacher's mark.
    "automatic_score",
    "marked_by",
    "mark_comment",
]


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _csv(body: str | Iterable[str], filename: str) -> Response:
    if isinstance(body, str):
        data: bytes | Iterable[bytes] = body.encode("utf-8")
    else:
        data = (chunk.encode("utf-8") for chunk in body)
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.route("/classes/<id:class_id>/overview")
def class_overview(class_id: int):
    """Mastery by section across the class: which parts of the article it has not understood."""
    classroom = class_store.own_class_or_404(class_id, current_user)
    records, _ = report_store.class_records(classroom, clock.now())
    sections = mastery.by_section(records)
    bars = mastery.section_bars(sections, current_bank())
    return render_template(
        "teach/overview.html",
        classroom=classroom,
        chart=charts.bar_chart(
            bars, chart_id="class-section-chart", title=f"Mastery by section in {classroom.name}"
        ),
        bars=bars,
        sections=sections,
        weakest=mastery.weakest(sections),
        topics=mastery.by_topic(records),
        types=mastery.by_type(records),
        students=len(classroom.enrollments),
    )


@bp.route("/classes/<id:class_id>/students/<id:student_id>")
def student_page(class_id: int, student_id: int):
    """One student's attempts at the class's assignments, each opening in full."""
    classroom = class_store.own_class_or_404(class_id, current_user)
    student = class_store.own_student_or_404(classroom, student_id)
    now = clock.now()
    by_id = {a.id: a for a in classroom.assignments}
    rows = report_store.attempts_at(list(by_id), student)
    attempts = [
        (
            by_id[row.assignment_id],
            row.result,
            report_store.deadlines_of(by_id[row.assignment_id], student.id),
        )
        for row in rows
    ]
    return render_template(
        "teach/student.html",
        classroom=classroom,
        student=student,
        attempts=[
            (a, result, gradebook.submitted_at(result, now), gradebook.is_late(result, d, now))
            for a, result, d in attempts
        ],
    )


@bp.route("/attempts/<id:round_id>")
def attempt(round_id: int):
    """An attempt as its student saw it: questions, answers, right answers, explanations;
    once it is over, a teacher's mark per answered question and the history of marks."""
    return _render_attempt(attempt_store.class_attempt_or_404(round_id, current_user))


@bp.route("/attempts/<id:round_id>/questions/<int:position>/mark", methods=["POST"])
def override_mark(round_id: int, position: int):
    """ "Override mark": the teacher's mark (0 to 1) and comment in place of the automatic
    grade of one answered question of a finished attempt; the round is rescored with it."""
    found = attempt_store.class_attempt_or_404(round_id, current_user)
    item = attempt_store.item_or_404(found, position)
    form = MarkForm.for_question(position)
    if not form.validate_on_submit():
        return _render_attempt(found, failed=form, status=400)
    try:
        change = attempt_store.change_mark(
            found.id,
            item.id,
            kind=MARK_MANUAL,
            teacher_id=current_user.id,
            now=clock.now(),
            manual_score=form.mark.data,
            comment=form.comment.data or "",
        )
    except attempt_store.MarkError as error:
        db.session.rollback()
        form.form_errors.append(f"Question {position}: {error}")
        found = attempt_store.class_attempt_or_404(round_id, current_user)
        return _render_attempt(found, failed=form, status=400)
    db.session.commit()
    if change is None:
        flash(f"Question {position}: that mark and comment stand already; nothing changed.", "info")
    else:
        flash(f"Mark for question {position} saved: {format_score(form.mark.data)}.", "success")
    return redirect(
        url_for("teach.attempt", round_id=found.id, _anchor=f"question-{position}"), code=303
    )


def _render_attempt(found: Round, *, failed: MarkForm | None = None, status: int = 200):
    """The attempt page; `failed` is a mark form refused, shown with its errors in place."""
    reading = attempt_store.read(found, clock.now())
    deadlines = report_store.deadlines_of(found.assignment, found.user_id)
    history = attempt_store.mark_history(found.id)
    forms = {}
    if reading.is_over:
        for item in found.items:
            if item.answer is None:
                continue
            forms[item.position] = MarkForm.for_question(
                item.position,
                formdata=None,
                data={"mark": item.answer.score, "comment": item.answer.mark_comment or ""},
            )
    if failed is not None and failed.position in forms:
        forms[failed.position] = failed
    return (
        render_template(
            "teach/attempt.html",
            round=found,
            score=reading.score,
            submitted=reading.submitted_at,
            late=gradebook.submitted_late(reading.submitted_at, deadlines),
            due_at=deadlines.due_at,
            is_over=reading.is_over,
            forms=forms,
            failed=failed,
            history=history,
            markers={row.change.changed_by: row.change.teacher.username for row in history},
        ),
        status,
    )


@bp.route("/assignments/<id:assignment_id>/statistics")
def statistics(assignment_id: int):
    """Item analysis of an assignment, per question version, over the attempts chosen."""
    assignment = class_store.own_assignment_or_404(assignment_id, current_user)
    which = _choice("attempts", AttemptSet, AttemptSet.FIRST)
    report = report_store.assignment_statistics(assignment, which, clock.now())
    return render_template(
        "teach/statistics.html",
        assignment=assignment,
        report=report,
        which=which,
        attempt_sets=list(AttemptSet),
        flagged=sum(1 for item in report.items if item.stats.flags),
        min_attempts=MIN_ATTEMPTS_TO_JUDGE,
    )
