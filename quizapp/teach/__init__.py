"""The teacher's workspace: classes, assignments, questions, import and export.

Every route here is for teachers only: anyone else gets 403 (or the login page when
not logged in), and a teacher reaching another teacher's class or question gets 404.
"""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("teach", __name__)


@bp.before_request
def teachers_only():
    if not current_user.is_authenticated:
        from quizapp.extensions import login_manager

        return login_manager.unauthorized()
    if not current_user.is_teacher:
        abort(403, description="This page is for teachers.")


from quizapp.teach import live, questions, regrades, reports, routes  # noqa: E402,F401
