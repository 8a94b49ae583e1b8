from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from quizapp.auth import bp
from quizapp.auth.forms import LoginForm, RegisterForm
from quizapp.auth.rules import USERNAME_MAX_LENGTH, normalise_username
from quizapp.extensions import db
from quizapp.models import User, authenticate
from quizapp.security import RateLimit, client_address, rate_limited


def submitted_username() -> str:
    """Log-in attempts naming one account, however its name is typed, count together."""
    username = normalise_username(request.form.get("username", ""))
    return "user:" + username[:USERNAME_MAX_LENGTH]


TOO_MANY_LOGINS = "Too many attempts to log in from this network or to this account."
TOO_MANY_ACCOUNTS = "Too many accounts were created from this network."


@bp.route("/register", methods=["GET", "POST"])
@rate_limited(RateLimit("QUIZAPP_REGISTER_LIMIT_PER_IP", client_address, TOO_MANY_ACCOUNTS))
def register():
    if current_user.is_authenticated:
        return redirect(url_for("play.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = User(username=username)
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the unique username, also when two register at once
            db.session.rollback()
            form.username.errors.append("That username is taken; choose another.")
        else:
            _log_in(user)
            flash(f"Welcome, {user.username}! Your account is ready.", "success")
            return redirect(url_for("play.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@rate_limited(
    RateLimit("QUIZAPP_LOGIN_LIMIT_PER_IP", client_address, TOO_MANY_LOGINS),
    RateLimit("QUIZAPP_LOGIN_LIMIT_PER_USERNAME", submitted_username, TOO_MANY_LOGINS),
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("play.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(normalise_username(form.username.data), form.password.data)
        if user is not None:
            _log_in(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("play.home"))
        form.password.errors.append("Wrong username or password.")
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Ended on the server too: a copy of the cookie, on any device, no longer logs in.
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out. Your unfinished rounds wait for you.", "info")
    return redirect(url_for("auth.login"))


def _log_in(user: User) -> None:
    # A fresh session at login, so a session id planted before it is worthless.
    session.clear()
    login_user(user)


def _safe_next(target: str | None) -> str | None:
    """`next` only ever leads within this app: a path, never another host. Control
    characters are refused too: a CR or LF cannot go into the Location header (a 500, or a
    header injected), and browsers drop tabs and newlines from URLs, so `/\t/evil.example`
    would lead away."""
    if not target:
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
