"""Regrading a teacher's question's answers after an edit: the dry run, then applying it.

The rules are the domain's (`domain/regrading.py`); attempt_store plans and writes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp import attempt_store, clock, question_store
from quizapp.extensions import commit_retrying_if_locked
from quizapp.teach import bp
from quizapp.teach.question_forms import RegradeForm

# Rows a regrade applied now would leave as they are: no "Apply regrade" for them alone.
NOT_APPLICABLE = (attempt_store.REGRADE_WAITING, attempt_store.REGRADE_CANNOT)


@bp.route("/questions/<id:question_id>/regrade")
def regrade(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    form = RegradeForm()
    form.version.data = str(row.current.number)
    form.replace_manual.data = "1" if request.args.get("replace_manual") == "1" else ""
    return _render(row, form)


@bp.route("/questions/<id:question_id>/regrade", methods=["POST"])
def apply_regrade(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    form = RegradeForm()
    current = str(row.current.number)
    if not form.validate_on_submit() or form.version.data != current:
        # Nothing is applied but the dry run the teacher has read: show the current one.
        stale = form.version.data not in ("", None, current)
        form.version.data = current
        if stale:
            flash(
                "The question was edited since this dry run: check the new dry run, then apply it.",
                "error",
            )
            return _render(row, form, status=409)
        flash("The regrade could not be applied: check the dry run and apply it again.", "error")
        return _render(row, form, status=400)
    keep_manual = form.keep_manual
    record = commit_retrying_if_locked(
        lambda: attempt_store.regrade_question(
            row, teacher_id=current_user.id, now=clock.now(), keep_manual=keep_manual
        )
    )
    if record is None:
        flash(
            "Nothing to regrade: every answer that can be regraded is graded by this version "
            "already; mark the others by hand with Override mark on their attempt's page.",
            "info",
        )
    else:
        flash(f"Regraded by version {row.current.number}: {_counts(record)}.", "success")
    return redirect(url_for("teach.regrade", question_id=row.id))


def _counts(record) -> str:
    parts = [
        f"{record.changed} mark{'s' if record.changed != 1 else ''} changed",
        f"{record.unchanged} unchanged",
        f"{record.kept_manual} manual mark{'s' if record.kept_manual != 1 else ''} kept",
        f"{record.cannot} cannot regrade",
    ]
    return ", ".join(parts)


def _render(row, form: RegradeForm, status: int = 200):
    keep_manual = form.keep_manual
    plan = attempt_store.regrade_plan(row, clock.now(), keep_manual=keep_manual)
    return (
        render_template(
            "teach/regrade.html",
            row=row,
            form=form,
            plan=plan,
            keep_manual=keep_manual,
            applicable=any(r.status not in NOT_APPLICABLE for r in plan),
            history=attempt_store.regrades_of(row),
        ),
        status,
    )
