"""The teacher's questions: the bank browser, history, retire and restore, import, export."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound

from quizapp import attempt_store, clock, current_bank, question_store
from quizapp.domain import formats, suggestions
from quizapp.domain.article import search_passages
from quizapp.domain.authoring import DraftError, build_question, draft_from_question
from quizapp.domain.questions import TYPE_LABELS, Kind, QuestionType
from quizapp.domain.rounds import available_sections, available_topics
from quizapp.domain.rulebook import CHOICE_MAX, SHORT_ANSWER_MAX
from quizapp.extensions import db
from quizapp.teach import bp
from quizapp.teach.question_forms import (
    FORMAT_LABELS,
    ROWS_MAX,
    ExportForm,
    ImportForm,
    ImportRefused,
    QuestionForm,
)

SOURCES = ("mine", "library")
PASSAGE_SEPARATOR = "\x1f"  # between section and text in a "Use this passage" button


@bp.route("/questions")
def questions():
    bank = current_bank()
    args = request.args
    source = args.get("source", "mine")
    if source not in SOURCES:
        source = "mine"
    filters = filters_from(args, bank)
    page = args.get("page", "1")
    page_number = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    if source == "mine":
        found = question_store.browse_own(current_user, filters, page_number)
    else:
        found = question_store.browse_library(bank, filters, page_number)
    broken = question_store.broken_rules(found.items, bank) if source == "mine" else {}
    suggested = (
        suggestions.suggestions_for(bank.article, [row.current.as_question for row in found.items])
        if source == "mine"
        else {}
    )
    return render_template(
        "teach/questions.html",
        found=found,
        broken=broken,
        suggested={found.items[index].id: found_ for index, found_ in suggested.items()},
        source=source,
        filters=filters,
        type_options=type_options(),
        sections=section_options(bank),
        topic_options=[(t, t.replace("-", " ")) for t in available_topics(bank)],
    )


def filters_from(args, bank) -> question_store.Filters:
    """The question filters of a GET query (the bank browser's, the assignment picker's);
    a value not on offer counts as 'any'."""
    return question_store.Filters(
        type=_allowed(args.get("type", ""), [t.value for t in QuestionType]),
        kind=_allowed(args.get("kind", ""), [k.value for k in Kind]),
        section=_allowed(args.get("section", ""), [n for n, _ in available_sections(bank)]),
        topic=args.get("topic", "")[:64],
        status=_allowed(args.get("status", ""), question_store.STATUS_FILTERS),
        text=args.get("q", "")[:200],
    )


def type_options() -> list[tuple[str, str]]:
    return [(t.value, TYPE_LABELS[t]) for t in QuestionType]


def section_options(bank) -> list[tuple[str, str]]:
    return [(n, f"{n} {title}") for n, title in available_sections(bank)]


def _allowed(value: str, allowed) -> str:
    return value if value in allowed else ""


@bp.route("/questions/<id:question_id>")
def question(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    return render_template(
        "teach/question.html",
        row=row,
        version=row.current,
        q=row.current.as_question,
        shown=question_store.version_was_shown(row.current),
        on_earlier_versions=attempt_store.attempts_on_earlier_versions(row, clock.now()),
        regrades=attempt_store.regrades_of(row),
    )


@bp.route("/questions/<id:question_id>/versions/<int:number>")
def version(question_id: int, number: int):
    row = question_store.own_question_or_404(question_id, current_user)
    found = next((v for v in row.versions if v.number == number), None)
    if found is None:
        raise NotFound(f"This question has no version {number}.")
    return render_template(
        "teach/question.html",
        row=row,
        version=found,
        q=found.as_question,
        shown=question_store.version_was_shown(found),
        on_earlier_versions=attempt_store.attempts_on_earlier_versions(row, clock.now()),
        regrades=attempt_store.regrades_of(row),
    )


@bp.route("/questions/<id:question_id>/cite-suggested", methods=["POST"])
def cite_suggested(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    cited = _cite_suggested([row])
    db.session.commit()
    if cited:
        flash("The question cites its suggested passage.", "success")
    else:
        flash("No passage to suggest for this question: cite one in the editor.", "error")
    return redirect(url_for("teach.questions", source="mine", status="needs-source"))


@bp.route("/questions/cite-suggested", methods=["POST"])
def cite_all_suggested():
    rows = [row for row in question_store.all_rows(current_user) if not row.cites_source]
    cited = _cite_suggested(rows)
    db.session.commit()
    flash(
        f"{cited} question{'s' if cited != 1 else ''} now cite their suggested passage.", "success"
    )
    return redirect(url_for("teach.questions", source="mine", status="needs-source"))


def _cite_suggested(rows) -> int:
    """Give each row that cites no passage its suggested one (a new version if the current
    was shown); how many were given one."""
    article = current_bank().article
    questions = [row.current.as_question for row in rows]
    found = suggestions.suggestions_for(article, questions)
    for index, suggestion in found.items():
        question_store.update_question(
            rows[index], suggestions.cite_suggested(questions[index], suggestion)
        )
    return len(found)


@bp.route("/questions/<id:question_id>/retire", methods=["POST"])
def retire(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    question_store.retire(row)
    db.session.commit()
    flash("Question retired: it stays in past attempts but goes into no new round.", "success")
    return redirect(url_for("teach.question", question_id=row.id))


@bp.route("/questions/<id:question_id>/restore", methods=["POST"])
def restore(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    question_store.restore(row)
    db.session.commit()
    flash("Question restored: new rounds may include it again.", "success")
    return redirect(url_for("teach.question", question_id=row.id))


@bp.route("/library/<question_id>")
def library_question(question_id: str):
    q = next((q for q in current_bank().questions if q.id == question_id), None)
    if q is None:
        raise NotFound("The library has no such question.")
    return render_template("teach/library_question.html", q=q)


# --- writing and editing ---------------------------------------------------------------------


@bp.route("/questions/new", methods=["GET", "POST"])
def new_question():
    qtype = _question_type(request.args.get("type", ""))
    if qtype is None:
        return render_template("teach/choose_type.html", types=TYPE_LABELS)
    form = QuestionForm().offer(current_bank(), qtype)
    if request.method == "GET":
        return _render_editor(form, qtype)
    return _handle_editor(form, qtype, row=None)


@bp.route("/questions/<id:question_id>/edit", methods=["GET", "POST"])
def edit_question(question_id: int):
    row = question_store.own_question_or_404(question_id, current_user)
    current = row.current.as_question
    form = QuestionForm().offer(current_bank(), current.type)
    if request.method == "GET":
        form.fill(draft_from_question(current))
        return _render_editor(form, current.type, row=row)
    return _handle_editor(form, current.type, row=row)


def _question_type(value: str) -> QuestionType | None:
    try:
        return QuestionType(value)
    except ValueError:
        return None


def _handle_editor(form: QuestionForm, qtype: QuestionType, row):
    """Find passages, use one, preview, or save: one form, four buttons."""
    bank = current_bank()
    if not form.validate():
        return _render_editor(form, qtype, row=row, status=400)
    picked = request.form.get("use_passage", "")
    if picked:
        section, _, text = picked.partition(PASSAGE_SEPARATOR)
        form.section.data, form.quote.data = section, text
        return _render_editor(form, qtype, row=row)
    if form.more_rows.data:
        form.add_rows()
        return _render_editor(form, qtype, row=row)
    if form.search.data:
        hits = search_passages(
            bank.article, form.passage_query.data or "", section=form.section.data or None
        )
        return _render_editor(form, qtype, row=row, hits=hits, searched=True)
    try:
        question = build_question(form.draft(), bank, row.public_id if row else "draft")
    except DraftError as error:
        form.show_errors(error.errors)
        return _render_editor(form, qtype, row=row, status=400)
    if not form.save.data:
        return _render_editor(form, qtype, row=row, preview=question)
    if row is None:
        row = question_store.create_question(current_user, question)
        db.session.commit()
        flash("Question saved.", "success")
    else:
        version = question_store.update_question(row, question)
        db.session.commit()
        flash(f"Saved as version {version.number}.", "success")
    return redirect(url_for("teach.question", question_id=row.id))


def _render_editor(form, qtype, *, row=None, preview=None, hits=(), searched=False, status=200):
    return (
        render_template(
            "teach/question_form.html",
            form=form,
            qtype=qtype,
            type_label=TYPE_LABELS[qtype],
            row=row,
            preview_question=preview,
            hits=hits,
            searched=searched,
            separator=PASSAGE_SEPARATOR,
            rows_max=ROWS_MAX,
            text_max=SHORT_ANSWER_MAX if qtype is QuestionType.SHORT else CHOICE_MAX,
        ),
        status,
    )


# --- import and export ----------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_questions():
    form = ImportForm()
    result, found, chosen = None, {}, set()
    if form.validate_on_submit():
        try:
            text, filename, format_name = form.content()
        except ImportRefused as error:
            form.file.errors = [str(error)]
            return render_template("teach/import.html", form=form, result=None), 400
        result = formats.parse(
            format_name,
            text,
            filename,
            current_bank(),
            skip_unsupported=bool(form.skip_unsupported.data),
        )
        if result.ok:
            found = suggestions.suggestions_for(current_bank().article, result.questions)
            chosen = _chosen_citations(request.form, found)
            result = replace(
                result, questions=suggestions.cite_chosen(result.questions, found, chosen)
            )
        if result.ok and form.confirm.data and form.submit.data:
            question_store.import_questions(current_user, result.questions)
            db.session.commit()
            flash(_imported_message(result), "success")
            return redirect(url_for("teach.questions", source="mine"))
        form.keep(text, filename, format_name)
    status = 400 if form.is_submitted() and (form.errors or (result and not result.ok)) else 200
    return render_template(
        "teach/import.html", form=form, result=result, found=found, chosen=chosen
    ), status


def _chosen_citations(data, found: dict) -> set[int]:
    """The questions (positions from 0) whose suggested passage the teacher chose to use:
    those chosen before (`cited`), and the one a "Use suggested passage" button names
    (`cite`), or all with "Use all suggested passages". Anything else is ignored."""
    chosen = {int(v) for v in data.getlist("cited")[: len(found)] if v.isdecimal() and len(v) < 7}
    pressed = data.get("cite", "")
    if pressed == "all":
        chosen |= set(found)
    elif pressed.isdecimal() and len(pressed) < 7:
        chosen.add(int(pressed))
    return chosen & set(found)


def _imported_message(result: formats.ImportResult) -> str:
    by_type = ", ".join(f"{n} {t.replace('_', '/')}" for t, n in result.counts_by_type().items())
    count = len(result.questions)
    message = f"Imported {count} question{'s' if count != 1 else ''} ({by_type})."
    if len(result.skipped) == 1:
        message += " 1 question of a type this app does not have was skipped."
    elif result.skipped:
        message += f" {len(result.skipped)} questions of types this app does not have were skipped."
    if result.without_source == 1:
        message += " 1 cites no passage yet: it stays out of rounds until you cite one."
    elif result.without_source:
        message += (
            f" {result.without_source} cite no passage yet: they stay out of rounds until "
            "you cite one."
        )
    return message


@bp.route("/export", methods=["GET"])
def export_questions():
    form = ExportForm(request.args, meta={"csrf": False})
    chosen = question_store.all_questions(current_user)
    if "format" not in request.args or not form.validate():
        counts = []
        for name in formats.FORMAT_NAMES:
            result = formats.export(name, chosen)
            counts.append((FORMAT_LABELS[name], result.exported, len(result.skipped)))
        status = 400 if "format" in request.args else 200
        return render_template("teach/export.html", form=form, counts=counts), status
    if form.include_library.data:
        chosen = list(current_bank().questions) + chosen
    result = formats.export(form.format.data, chosen)
    filename = f"questions{formats.EXTENSIONS[form.format.data]}"
    mimetype = "application/xml" if form.format.data == "xml" else "text/plain"
    response = Response(result.text, mimetype=f"{mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Questions-Exported"] = str(result.exported)
    response.headers["X-Questions-Skipped"] = str(len(result.skipped))
    return response
