"""Classes and assignments: create a class, hand out its code, set assignments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp import attempt_store, class_store, clock, current_bank, question_store, report_store
from quizapp.domain import gradebook
from quizapp.domain.questions import TYPE_LABELS, Question
from quizapp.extensions import db
from quizapp.models import MODE_LIVE, Assignment
from quizapp.teach import bp
from quizapp.teach.forms import AssignmentForm, ClassForm, OverrideForm
from quizapp.teach.questions import filters_from, section_options, type_options

# A live session's column is played only in class, once: no extra time or attempts.
NO_LIVE_OVERRIDES = "A live session's column has no overrides."


@bp.route("/")
def dashboard():
    return _render_dashboard(ClassForm())


@bp.route("/classes", methods=["POST"])
def create_class():
    form = ClassForm()
    if not form.validate_on_submit():
        return _render_dashboard(form, status=400)
    classroom = class_store.create_class(current_user, form.name.data)
    db.session.commit()
    flash(f"Class {classroom.name} created. Its join code is {classroom.join_code}.", "success")
    return redirect(url_for("teach.classroom", class_id=classroom.id))


def _render_dashboard(form: ClassForm, status: int = 200):
    classes = class_store.classes_of(current_user)
    return render_template("teach/dashboard.html", form=form, classes=classes), status


@bp.route("/classes/<id:class_id>")
def classroom(class_id: int):
    found = class_store.own_class_or_404(class_id, current_user)
    students = sorted((e.student for e in found.enrollments), key=lambda s: s.username)
    return render_template(
        "teach/classroom.html", classroom=found, students=students, now=clock.now()
    )


@bp.route("/classes/<id:class_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(class_id: int):
    """The assignment form; its question picker filters by a GET query (words, type,
    section), which works without JavaScript. Ticked questions always stay listed."""
    found = class_store.own_class_or_404(class_id, current_user)
    bank = current_bank()
    questions = _question_choices(bank)
    form = (
        AssignmentForm()
        .offer(
            question_store.bank_with_teacher(bank, current_user.id),
            [(q.id, label) for q, label in questions],
        )
        .in_zone(current_user.time_zone)
    )
    filters = filters_from(request.args, bank)
    filtering = any((filters.text, filters.type, filters.section))
    if filtering and not form.is_submitted():
        form.source.data = "chosen"
    if form.validate_on_submit():
        opens, closes, due = form.times(clock.now())
        section, topic = form.scope_parts()
        chosen = form.source.data == "chosen"
        assignment = Assignment(
            classroom=found,
            title=form.title.data.strip(),
            mode=form.mode.data,
            question_ids=form.ticked_in_list_order() if chosen else [],
            section=None if chosen else section,
            topic=None if chosen else topic,
            length=len(form.question_ids.data) if chosen else form.length.data,
            opens_at=opens,
            closes_at=closes,
            due_at=due,
            attempts_allowed=form.attempts_allowed.data,
            time_limit_minutes=form.time_limit.data,
            shuffle=form.shuffle.data,
        )
        db.session.add(assignment)
        db.session.commit()
        flash(f"Assignment {assignment.title} set for {found.name}.", "success")
        return redirect(url_for("teach.assignment", assignment_id=assignment.id))
    status = 400 if form.is_submitted() else 200
    ticked = set(form.question_ids.data or ())
    shown = {q.id for q, _ in questions if filters.matches(q) or q.id in ticked}
    return render_template(
        "teach/new_assignment.html",
        classroom=found,
        form=form,
        filters=filters,
        filtering=filtering,
        shown=shown,
        type_options=type_options(),
        sections=section_options(bank),
    ), status


def _question_choices(bank) -> list[tuple[Question, str]]:
    """What an assignment can pick, each with its label: the teacher's playable
    questions, then the shipped ones; the label names the source, section and type."""
    own = [(q, "Yours") for q in question_store.playable_questions(current_user.id)]
    shipped = [(q, "Library") for q in bank.questions]
    return [
        (q, f"{source} · {q.section} · {TYPE_LABELS[q.type]} · {q.prompt}")
        for q, source in own + shipped
    ]


@bp.route("/assignments/<id:assignment_id>")
def assignment(assignment_id: int):
    found = class_store.own_assignment_or_404(assignment_id, current_user)
    return _render_assignment(found, _override_form(found))


def _render_assignment(found: Assignment, override_form: OverrideForm, status: int = 200):
    now = clock.now()
    return render_template(
        "teach/assignment.html",
        assignment=found,
        attempts=[
            (
                r,
                reading,
                gradebook.submitted_late(
                    reading.submitted_at, report_store.deadlines_of(found, r.user_id)
                ),
            )
            for r in attempt_store.attempts_at(found)
            for reading in [attempt_store.read(r, now)]
        ],
        rules=attempt_store.rules_of(found),
        overrides=[
            (row, attempt_store.rules_of(found, row.student_id))
            for row in sorted(found.overrides, key=lambda o: o.student.username)
        ],
        override_form=override_form,
        now=now,
    ), status


def _override_form(found: Assignment, **kwargs) -> OverrideForm:
    students = sorted(
        ((e.student_id, e.student.username) for e in found.classroom.enrollments),
        key=lambda pair: pair[1],
    )
    return OverrideForm(**kwargs).for_students(students, current_user.time_zone)


@bp.route("/assignments/<id:assignment_id>/overrides", methods=["POST"])
def save_override(assignment_id: int):
    """Grant one student of the class extra time, extra attempts or a later close."""
    found = class_store.own_assignment_or_404(assignment_id, current_user)
    if found.mode == MODE_LIVE:
        abort(404, description=NO_LIVE_OVERRIDES)
    form = _override_form(found)
    granted = form.check(attempt_store.rules_of(found))
    if granted is None:
        return _render_assignment(found, form, status=400)
    student = class_store.own_student_or_404(found.classroom, form.student.data)
    class_store.save_override(found, student, granted, clock.now())
    db.session.commit()
    flash(f"Override saved for {student.username}.", "success")
    return redirect(url_for("teach.assignment", assignment_id=found.id) + "#overrides-heading")


@bp.route("/assignments/<id:assignment_id>/overrides/<id:student_id>")
def edit_override(assignment_id: int, student_id: int):
    """A student's override in the form, to change and save again."""
    found = class_store.own_assignment_or_404(assignment_id, current_user)
    row = found.override_for(student_id)
    if row is None:
        abort(404, description="This student has no override on this assignment.")
    form = _override_form(found, formdata=None)
    form.fill(row, current_user.time_zone)
    return render_template("teach/override.html", assignment=found, row=row, form=form)


@bp.route("/assignments/<id:assignment_id>/overrides/<id:student_id>/remove", methods=["POST"])
def remove_override(assignment_id: int, student_id: int):
    found = class_store.own_assignment_or_404(assignment_id, current_user)
    student = class_store.own_student_or_404(found.classroom, student_id)
    if not class_store.remove_override(found, student.id, clock.now()):
        abort(404, description="This student has no override on this assignment.")
    db.session.commit()
    flash(f"Override removed for {student.username}.", "success")
    return redirect(url_for("teach.assignment", assignment_id=found.id) + "#overrides-heading")
