"""What makes a username or a password acceptable: one place for the register form and for
`flask users create-teacher`, so an account made either way meets the same rules."""

import re

from zxcvbn import zxcvbn

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40  # the width of users.username
USERNAME_RULE = "3 to 40 letters, digits, dots, dashes or underscores"
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]+")

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 200
PASSWORD_RULE = (
    f"At least {PASSWORD_MIN_LENGTH} characters, and not easy to guess: "
    "a few uncommon words make a good one."
)
# zxcvbn's scale: 0 too guessable, 1 very guessable, 2 somewhat guessable (safe from an
# online attack that the rate limits slow down), 3 and 4 safe against more.
PASSWORD_MIN_SCORE = 2
# zxcvbn's work grows fast with the length; a password's first 72 characters are rated
# (the estimator's own bound), and any longer one is at least as strong.
_RATED_CHARACTERS = 72


def username_problem(username: str) -> str | None:
    """Why `username`, as typed, is refused, or None when it is acceptable."""
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        return f"Use between {USERNAME_MIN_LENGTH} and {USERNAME_MAX_LENGTH} characters."
    if not _USERNAME_CHARACTERS.fullmatch(username):
        return f"Use {USERNAME_RULE}."
    return None


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is refused, or None when it is acceptable: too short or too long, or
    common or trivial ("password", "12345678", eight spaces, the username with digits) by
    the zxcvbn strength estimator, whose warning and advice the message passes on."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"Use at least {PASSWORD_MIN_LENGTH} characters (at most {PASSWORD_MAX_LENGTH})."
    user_inputs = [username] if username else []
    rating = zxcvbn(password[:_RATED_CHARACTERS], user_inputs=user_inputs)
    if rating["score"] < PASSWORD_MIN_SCORE:
        feedback = rating["feedback"]
        why = " ".join([feedback["warning"], *feedback["suggestions"]]).strip()
        advice = why or "Add another word or two. Uncommon words are better."
        return f"This password is too easy to guess. {advice}"
    return None


def normalise_username(username: str) -> str:
    """The stored form: usernames are unique whatever their case."""
    return username.strip().lower()
