"""Account settings: what a logged-in person changes about their own account."""

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user

from quizapp.account import bp
from quizapp.account.forms import PasswordForm, TimeZoneForm
from quizapp.extensions import db
from quizapp.security import RateLimit, current_account, rate_limited

WRONG_CURRENT_PASSWORD = "That is not your current password."
TOO_MANY_TRIES = "Too many attempts to change the password of this account."


@bp.route("")
@login_required
def settings():
    return _render_settings()


@bp.route("/password", methods=["POST"])
# Someone at a computer left logged in may guess the current password no faster than a
# guesser at the login form may guess it there.
@rate_limited(RateLimit("QUIZAPP_LOGIN_LIMIT_PER_USERNAME", current_account, TOO_MANY_TRIES))
@login_required
def change_password():
    form = PasswordForm(current_user.username)
    if form.validate_on_submit():
        if current_user.check_password(form.current_password.data):
            user = current_user._get_current_object()
            user.set_password(form.new_password.data)  # ends every session of the account
            db.session.commit()
            # This one goes on, in a fresh session of the new generation.
            session.clear()
            login_user(user)
            flash("Your password is changed. You are logged out everywhere else.", "success")
            return redirect(url_for("account.settings"))
        form.current_password.errors.append(WRONG_CURRENT_PASSWORD)
    return _render_settings(password_form=form, status=400)


@bp.route("/time-zone", methods=["POST"])
@login_required
def time_zone():
    form = TimeZoneForm().offer(current_user.time_zone)
    if not form.validate_on_submit():
        return _render_settings(time_zone_form=form, status=400)
    current_user.time_zone = form.time_zone.data
    db.session.commit()
    flash(f"Times are now shown in {form.time_zone.data}.", "success")
    return redirect(url_for("account.settings"))


def _render_settings(
    *,
    password_form: PasswordForm | None = None,
    time_zone_form: TimeZoneForm | None = None,
    status: int = 200,
):
    """The page with each of its forms: the one posted (with its errors) or a blank one."""
    return (
        render_template(
            "account/settings.html",
            password_form=password_form or PasswordForm(current_user.username, formdata=None),
            time_zone_form=time_zone_form
            or TimeZoneForm(formdata=None, time_zone=current_user.time_zone).offer(
                current_user.time_zone
            ),
        ),
        status,
    )
