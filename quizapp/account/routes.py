"""Account settings: what a logged-in user sets for themselves."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.account import bp
from quizapp.account.forms import TimeZoneForm
from quizapp.extensions import db


@bp.route("/account")
@login_required
def settings():
    return _render(TimeZoneForm().offer(current_user.time_zone))


@bp.route("/account/time-zone", methods=["POST"])
@login_required
def time_zone():
    form = TimeZoneForm().offer(current_user.time_zone)
    if not form.validate_on_submit():
        return _render(form, status=400)
    current_user.time_zone = form.time_zone.data
    db.session.commit()
    flash(f"Times are now shown in {form.time_zone.data}.", "success")
    return redirect(url_for("account.settings"))


def _render(time_zone_form: TimeZoneForm, status: int = 200):
    return render_template("account/settings.html", time_zone_form=time_zone_form), status
