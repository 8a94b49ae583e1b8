"""Security around every request: headers and the CSP, production's refusal of a weak
SECRET_KEY, rate limits on logging in and registering (database and Redis counters), the
session at login, where `next=` may lead, and NUL characters refused."""

import io
import os
import re
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from quizapp import config, create_app, security
from quizapp.auth.rules import PASSWORD_MIN_LENGTH
from quizapp.extensions import db
from quizapp.models import Classroom, TeacherQuestion, User
from quizapp.security import DatabaseStorage, rate_limits
from tests.conftest import require_or_skip
from tests.factories import PASSWORD, create_teacher, create_user

TEMPLATES = Path(security.__file__).parent / "templates"
STRONG_KEY = "9f1c2e7a4b8d0c3e6f5a1b2c9d8e7f60a1b2c3d4e5f60718"
REDIS_URL = "redis://127.0.0.1:6379/0"


def log_in(client, username="ada", password=PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def register(client, username, **kwargs):
    data = {"username": username, "password": PASSWORD, "confirm": PASSWORD}
    return client.post("/register", data=data, **kwargs)


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/source/", "/static/app.css", "/no/such/page"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers


@pytest.mark.parametrize(
    "path", ["/", "/review/scores", "/account", "/source/", "/no/such/page", "/teach/"]
)
def test_pages_for_a_logged_in_user_are_never_stored(app, teacher, path):
    response = teacher.get(path)
    assert response.headers["Cache-Control"] == "no-store"


def test_exports_for_a_logged_in_teacher_are_never_stored(app, teacher):
    from tests.factories import create_classroom, user_named

    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    for path in (
        f"/teach/classes/{class_id}/gradebook.csv",
        f"/teach/classes/{class_id}/responses.csv",
        "/teach/export?format=gift",
    ):
        response = teacher.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_a_response_that_sets_its_own_cache_rule_keeps_it(app, client, user):
    # As a polling endpoint would: revalidate each time, but may be kept.
    app.add_url_rule(
        "/polled", "polled", lambda: ("fresh", 200, {"Cache-Control": "no-cache, private"})
    )
    log_in(client)
    assert client.get("/polled").headers["Cache-Control"] == "no-cache, private"


def test_static_files_and_anonymous_pages_may_be_cached(client, user):
    assert client.get("/login").headers.get("Cache-Control") != "no-store"
    log_in(client)
    with client.get("/static/app.css") as response:
        assert response.headers.get("Cache-Control") != "no-store"


def test_production_adds_strict_transport_security(app_config):
    app = create_app({**app_config, "QUIZAPP_ENV": "production", "SECRET_KEY": STRONG_KEY})
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


# What the CSP blocks: a <script> with a body, on...= handlers, style= attributes, javascript: URLs.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.IGNORECASE
)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_holds_what_the_csp_would_block(template):
    assert INLINE.findall(template.read_text()) == []


def test_pages_a_student_sees_hold_nothing_the_csp_would_block(client, auth, user):
    pages = [client.get("/login"), client.get("/register")]
    auth.login()
    assert client.post("/rounds", data={"scope": "all", "length": "10"}).status_code == 302
    pages += [client.get("/"), client.get("/rounds/1/questions/1"), client.get("/source/")]
    for page in pages:
        assert page.status_code == 200
        assert INLINE.findall(page.get_data(as_text=True)) == []


# --- production and the secret key ----------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, app_config):
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "instance_secret", lambda instance: pytest.fail("fallback used"))
    with pytest.raises(config.ConfigError, match="SECRET_KEY environment variable"):
        create_app({**app_config, "SECRET_KEY": None})


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "not set"),
        ("change-me", "has 9 characters; use at least 32"),
        ("x" * 31, "has 31 characters"),
        ("ab" * 20, "repeats a few characters"),
    ],
)
def test_production_refuses_a_weak_secret_key(monkeypatch, app_config, key, problem):
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(config.ConfigError, match=problem):
        create_app({key: value for key, value in app_config.items() if key != "SECRET_KEY"})


def test_production_sends_cookies_over_https_only(monkeypatch, app_config):
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    app = create_app({key: value for key, value in app_config.items() if key != "SECRET_KEY"})
    assert app.config["SECRET_KEY"] == STRONG_KEY
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        db.create_all()
        create_user("ada")
    response = log_in(app.test_client(), base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_cookies_work_over_plain_http(client, user):
    cookie = log_in(client).headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- rate limits ----------------------------------------------------------------------------


class Clock:
    """Seconds since the epoch that a test moves on by hand."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def limited_config(app_config, clock):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"clock": clock},
        "QUIZAPP_LOGIN_LIMIT_PER_IP": "5 per minute",
        "QUIZAPP_LOGIN_LIMIT_PER_USERNAME": "3 per minute",
        "QUIZAPP_REGISTER_LIMIT_PER_IP": "2 per minute",
        "QUIZAPP_JOIN_LIMIT_PER_USER": "3 per minute",
        "QUIZAPP_JOIN_LIMIT_PER_IP": "5 per minute",
        "QUIZAPP_LIVE_JOIN_LIMIT_PER_USER": "3 per minute",
    }


def build(app_config):
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def limited_app(limited_config):
    app = build(limited_config)
    with app.app_context():
        create_user("ada")
    return app


def test_limits_are_off_under_testing_unless_enabled(app, client, user):
    assert app.config["RATELIMIT_ENABLED"] is False
    statuses = {log_in(client, password="wrong password").status_code for _ in range(30)}
    assert statuses == {400}


def test_login_gets_a_429_page_after_the_per_username_limit(limited_app):
    client = limited_app.test_client()
    assert [log_in(client, password="wrong guess").status_code for _ in range(3)] == [400] * 3
    response = log_in(client)  # the right password no longer helps
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "<h1>Too many attempts</h1>" in page
    assert "Too many attempts to log in" in page and "Please try again in" in page
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert client.get("/review/scores").status_code == 302


def test_the_per_username_limit_counts_the_name_however_typed(limited_app):
    client = limited_app.test_client()
    for typed in ("ada", "ADA", " Ada "):
        assert log_in(client, typed, "wrong guess").status_code == 400
    assert log_in(client, "aDa").status_code == 429


def test_the_per_username_limit_follows_the_name_across_addresses(limited_app):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        client = limited_app.test_client()
        environ = {"REMOTE_ADDR": address}
        assert log_in(client, password="wrong", environ_base=environ).status_code == 400
    response = log_in(limited_app.test_client(), environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert response.status_code == 429


def test_the_per_address_limit_counts_every_username(limited_app):
    client = limited_app.test_client()
    statuses = [log_in(client, f"user{i}", "wrong").status_code for i in range(6)]
    assert statuses == [400] * 5 + [429]
    elsewhere = limited_app.test_client()
    assert log_in(elsewhere, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_counted(limited_config):
    app = build({**limited_config, "QUIZAPP_PROXY_COUNT": 1})
    for i in range(5):
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        assert log_in(app.test_client(), f"u{i}", "wrong", headers=forwarded).status_code == 400
    blocked = log_in(app.test_client(), "u9", "wrong", headers={"X-Forwarded-For": "203.0.113.7"})
    assert blocked.status_code == 429
    other = log_in(app.test_client(), "u9", "wrong", headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 400


def test_without_a_proxy_a_forged_forwarded_address_is_ignored(limited_app):
    client = limited_app.test_client()
    for i in range(5):
        log_in(client, f"u{i}", "wrong", headers={"X-Forwarded-For": f"198.51.100.{i}"})
    assert log_in(client, "u9", "wrong", headers={"X-Forwarded-For": "1.2.3.4"}).status_code == 429


def test_viewing_the_login_page_is_not_counted(limited_app):
    client = limited_app.test_client()
    for _ in range(10):
        assert client.get("/login").status_code == 200
    assert log_in(client).status_code == 302


def test_registration_is_limited_per_address(limited_app):
    client = limited_app.test_client()
    assert register(client, "bob").status_code == 302
    client.post("/logout")
    assert register(client, "carol").status_code == 302
    client.post("/logout")
    response = register(client, "dave")
    assert response.status_code == 429
    assert "Too many accounts were created" in response.get_data(as_text=True)
    with limited_app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == "dave")) == 0


def join(client, code, address="10.0.0.1"):
    return client.post("/classes/join", data={"code": code}, environ_base={"REMOTE_ADDR": address})


def enrolled(app, username: str) -> int:
    from quizapp.models import Enrollment

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.student_id == user_id)
        )


@pytest.fixture
def class_code(limited_app):
    with limited_app.app_context():
        teacher = create_teacher("tess")
        classroom = Classroom(teacher=teacher, name="Year 12", join_code="K7QM2XPA")
        db.session.add(classroom)
        db.session.commit()
    return "K7QM2XPA"


def test_joining_a_class_is_limited_per_user(limited_app, class_code):
    client = limited_app.test_client()
    log_in(client, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    guesses = [join(client, f"GUESS{n:03d}", f"10.0.1.{n}").status_code for n in range(3)]
    assert guesses == [400] * 3
    response = join(client, class_code, "10.0.1.99")  # the right code, from a new address
    assert response.status_code == 429
    assert "Too many attempts to join a class" in response.get_data(as_text=True)
    assert enrolled(limited_app, "ada") == 0

    with limited_app.app_context():
        create_user("bob")
    other = limited_app.test_client()
    log_in(other, "bob", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert join(other, class_code, "10.0.2.1").status_code == 302  # bob has his own count
    assert enrolled(limited_app, "bob") == 1


def test_joining_a_class_is_limited_per_address(limited_app, class_code):
    statuses = []
    for n in range(6):
        with limited_app.app_context():
            create_user(f"learner{n}")
        client = limited_app.test_client()
        log_in(client, f"learner{n}", environ_base={"REMOTE_ADDR": f"10.0.3.{n}"})
        statuses.append(join(client, class_code, "10.0.0.1").status_code)
    assert statuses == [302] * 5 + [429]
    assert enrolled(limited_app, "learner5") == 0


def test_tries_at_a_live_session_code_are_counted_per_student_across_log_ins(limited_app):
    """Logging out and in again (which starts a new session generation) gives no fresh
    tries at guessing a session's code."""
    client = limited_app.test_client()
    log_in(client)

    def try_code(code):
        return client.post("/live/join", data={"code": code}).status_code

    assert [try_code(f"00000{n}") for n in range(3)] == [400] * 3
    client.post("/logout")
    assert log_in(client).status_code == 302
    assert try_code("000009") == 429


def test_guessing_the_current_password_on_account_settings_is_limited(limited_app):
    client = limited_app.test_client()
    log_in(client)
    new = "violet kettle under moonlight"

    def change(current):
        data = {"current_password": current, "new_password": new, "confirm": new}
        return client.post("/account/password", data=data)

    assert [change(f"guess number {n}").status_code for n in range(3)] == [400] * 3
    response = change(PASSWORD)  # the right one no longer helps
    assert response.status_code == 429
    with limited_app.app_context():
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        assert ada.check_password(PASSWORD)


def test_the_counter_is_shared_by_two_apps_on_one_database(limited_config):
    first, second = build(limited_config), build(limited_config)
    with first.app_context():
        create_user("ada")
    assert log_in(first.test_client(), password="wrong").status_code == 400
    assert log_in(second.test_client(), password="wrong").status_code == 400
    assert log_in(first.test_client(), password="wrong").status_code == 400
    assert log_in(second.test_client()).status_code == 429
    with first.app_context():
        assert db.session.execute(select(rate_limits)).all() != []


def test_limits_reset_once_the_window_is_over(limited_app, clock):
    client = limited_app.test_client()
    for _ in range(3):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 429
    clock.now += 59
    assert log_in(client).status_code == 429
    clock.now += 2
    assert log_in(client).status_code == 302


# --- the database storage -------------------------------------------------------------------


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'limits.sqlite'}")
    rate_limits.create(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine():
    url = postgres_url()
    name = f"quizapp_limits_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(url.rsplit("/", 1)[0] + "/" + name, pool_size=20)
    rate_limits.create(engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def postgres_url() -> str:
    url = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")
    if not url:
        require_or_skip("QUIZAPP_TEST_POSTGRES_URL is not set", "QUIZAPP_REQUIRE_POSTGRES")
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def test_concurrent_hits_are_each_counted_once(engine):
    storage = DatabaseStorage(engine=engine)
    counts, errors = [], []

    def hit_many():
        try:
            counts.extend(storage.incr("ip:10.0.0.1", 60) for _ in range(25))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=hit_many) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(counts) == list(range(1, 16 * 25 + 1))
    assert storage.get("ip:10.0.0.1") == 400


def test_a_counter_restarts_when_its_window_is_over(engine, clock):
    storage = DatabaseStorage(engine=engine, clock=clock)
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get_expiry("k") == pytest.approx(clock.now + 60)
    clock.now += 60
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    assert storage.get_expiry("k") == pytest.approx(clock.now + 60)


def test_counters_whose_window_is_over_are_dropped(engine, clock):
    storage = DatabaseStorage(engine=engine, clock=clock)
    storage.incr("old", 10)
    clock.now += 11
    storage.incr("new", 10)
    with engine.connect() as connection:
        assert connection.scalars(select(rate_limits.c.key)).all() == ["new"]


def test_clear_and_reset_forget_counters(sqlite_engine):
    storage = DatabaseStorage(engine=sqlite_engine)
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert (storage.get("a"), storage.get("b")) == (0, 1)
    assert storage.reset() == 1
    assert storage.check()


def test_a_key_longer_than_the_column_is_counted_by_its_hash(sqlite_engine):
    storage = DatabaseStorage(engine=sqlite_engine)
    key = "user:" + "x" * 400
    assert [storage.incr(key, 60), storage.incr(key, 60)] == [1, 2]
    assert storage.get(key) == 2


# --- Redis ----------------------------------------------------------------------------------


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}: QUIZAPP_REDIS_URL is tested where one runs")
    prefix = f"quizapp-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_with_redis_the_counters_live_in_redis_and_are_shared(
    monkeypatch, limited_config, redis_prefix
):
    monkeypatch.setenv("QUIZAPP_REDIS_URL", REDIS_URL)
    settings = {**limited_config, "RATELIMIT_KEY_PREFIX": redis_prefix}
    del settings["RATELIMIT_STORAGE_OPTIONS"]
    first, second = build(settings), build(settings)
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    with first.app_context():
        create_user("ada")
    for app in (first, second, first):
        assert log_in(app.test_client(), password="wrong").status_code == 400
    assert log_in(second.test_client()).status_code == 429
    with first.app_context():
        assert db.session.execute(select(rate_limits)).all() == []


def test_an_unreachable_storage_does_not_stop_logins(limited_config):
    settings = {**limited_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"}
    del settings["RATELIMIT_STORAGE_OPTIONS"]
    app = build(settings)
    with app.app_context():
        create_user("ada")
    client = app.test_client()
    assert log_in(client).status_code == 302


# --- the session at login, and `next` -------------------------------------------------------


def test_a_session_planted_before_login_does_not_carry_over(client, user):
    with client.session_transaction() as planted:
        planted["planted"] = "by someone else"
    log_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:0"


def test_login_issues_a_new_session_and_the_one_from_before_stays_anonymous(app, client, user):
    with client.session_transaction() as before:
        before["seen"] = True
    old_cookie = client.get_cookie("session").value
    log_in(client)
    assert client.get_cookie("session").value != old_cookie
    assert client.get("/review/scores").status_code == 200

    fixer = app.test_client()  # someone holding the pre-login cookie
    fixer.set_cookie("session", old_cookie)
    response = fixer.get("/review/scores")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "/\t/evil.example",
        "http:evil.example",
        " //evil.example",
        "evil.example",
        "/review/scores\r\nSet-Cookie: planted=1",
        "/review/scores\n",
        "/\r",
        "/review/\x0bscores",
        "/review/\x7fscores",
    ],
)
def test_next_never_leads_out_of_the_app(client, user, next_url):
    response = log_in(client, query_string={"next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_app_is_followed(client, user):
    response = log_in(client, query_string={"next": "/source/?quote=x#passage"})
    assert response.headers["Location"] == "/source/?quote=x#passage"


# --- passwords ------------------------------------------------------------------------------


@pytest.fixture
def hashings(monkeypatch):
    """The password hashes checked during the test, counted where logging in checks them."""
    from quizapp import models

    checked = []
    real = models.check_password_hash

    def counting(pwhash, password):
        checked.append(pwhash.partition(":")[0])
        return real(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    return checked


@pytest.mark.parametrize("username", ["nobody", "ada"], ids=["unknown", "known"])
def test_logging_in_does_the_same_hashing_work_for_unknown_and_known_names(
    client, user, hashings, username
):
    response = log_in(client, username=username, password="wrong but long")
    assert response.status_code == 400
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert hashings == ["scrypt"]  # one scrypt check each way: the time tells nothing


def test_the_stand_in_hash_of_unknown_names_has_the_real_hashes_cost(app, user):
    from quizapp.models import stand_in_password_hash

    with app.app_context():
        real = db.session.scalar(select(User.password_hash).where(User.username == "ada"))
    stand_in = stand_in_password_hash()
    assert stand_in.split("$")[0] == real.split("$")[0]  # the method and its parameters


def test_registration_holds_to_the_minimum_password_length(app, client):
    short = "gq7#Lw2"[: PASSWORD_MIN_LENGTH - 1]
    response = client.post(
        "/register", data={"username": "bob", "password": short, "confirm": short}
    )
    assert response.status_code == 400
    long_enough = "gq7#Lw2!"[:PASSWORD_MIN_LENGTH]
    response = client.post(
        "/register", data={"username": "bob", "password": long_enough, "confirm": long_enough}
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.username == "bob"))
    assert stored.startswith("scrypt:")


WEAK_PASSWORDS = ["password", "12345678", " " * 8, "ada12345", "qwertyuiop"]


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
def test_registration_refuses_a_common_or_trivial_password_and_says_why(app, client, weak):
    response = client.post("/register", data={"username": "ada", "password": weak, "confirm": weak})
    assert response.status_code == 400
    assert "This password is too easy to guess" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
def test_create_teacher_refuses_a_common_or_trivial_password(app, weak):
    result = app.test_cli_runner().invoke(
        args=["users", "create-teacher", "kohl", "--password-stdin"], input=weak + "\n"
    )
    assert result.exit_code == 1
    assert "This password is too easy to guess" in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_long_passphrase_is_accepted_and_rated_quickly(app, client):
    passphrase = "the quick brown fox sat under a thorny rosebush " * 4  # 200 characters
    started = time.perf_counter()
    response = client.post(
        "/register", data={"username": "ada", "password": passphrase, "confirm": passphrase}
    )
    assert response.status_code == 302
    assert time.perf_counter() - started < 2


# --- NUL characters -------------------------------------------------------------------------
# PostgreSQL cannot store or compare text holding U+0000 (a 500 there, stored on SQLite):
# the request is refused before any view, with the same 400 on both databases.


@pytest.mark.parametrize(
    "path, form",
    [
        ("/login", {"username": "tess\x00", "password": PASSWORD}),
        ("/classes/join", {"code": "ABCD\x001234"}),
        ("/teach/classes", {"name": "Year 12\x00"}),
        ("/teach/classes", {"name": ["Year 12", "Year 13\x00"]}),
        ("/teach/questions?q=baker%00", {}),
    ],
)
def test_a_nul_character_in_any_value_gets_a_400_and_writes_nothing(app, client, path, form):
    with app.app_context():
        create_teacher("tess")
    assert log_in(client, "tess").status_code == 302
    method = client.post if form else client.get
    response = method(path, data=form)
    assert response.status_code == 400
    assert b"NUL character" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0


def test_an_uploaded_file_holding_nul_characters_is_refused(app, client):
    with app.app_context():
        create_teacher("tess")
    log_in(client, "tess")
    gift = b"::q1:: Who said it? {=Baker ~Kohl}\n\n::q2:: Nul\x00here {T}\n"
    response = client.post(
        "/teach/import",
        data={"file": (io.BytesIO(gift), "quiz.gift"), "format": "auto", "preview": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert b"NUL characters" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeacherQuestion)) == 0


def test_opening_the_join_link_uses_no_try_at_a_code(limited_app):
    """The QR code's link (a GET of the join form, prefilled) is no guess: only posts count."""
    client = limited_app.test_client()
    log_in(client)
    assert {client.get("/live/join?code=000001").status_code for _ in range(5)} == {200}
    assert client.post("/live/join", data={"code": "000002"}).status_code == 400
