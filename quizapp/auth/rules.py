"""What makes a username or a password acceptable: one place for the register form and for
`flask users create-teacher`, so an account made either way meets the same rules."""

import re

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40  # the width of users.username
USERNAME_RULE = "3 to 40 letters, digits, dots, dashes or underscores"
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]+")

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 200
PASSWORD_RULE = f"At least {PASSWORD_MIN_LENGTH} characters."


def username_problem(username: str) -> str | None:
    """Why `username`, as typed, is refused, or None when it is acceptable."""
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        return f"Use between {USERNAME_MIN_LENGTH} and {USERNAME_MAX_LENGTH} characters."
    if not _USERNAME_CHARACTERS.fullmatch(username):
        return f"Use {USERNAME_RULE}."
    return None


def password_problem(password: str) -> str | None:
    """Why `password` is refused, or None when it is acceptable."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"Use at least {PASSWORD_MIN_LENGTH} characters (at most {PASSWORD_MAX_LENGTH})."
    return None


def normalise_username(username: str) -> str:
    """The stored form: usernames are unique whatever their case."""
    return username.strip().lower()
