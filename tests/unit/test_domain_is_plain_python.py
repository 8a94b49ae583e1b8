"""Domain modules know nothing of Flask, the database or HTTP: read their imports."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "quizapp" / "domain"
FORBIDDEN = ("flask", "flask_login", "flask_sqlalchemy", "flask_wtf", "werkzeug", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: str(p.relative_to(DOMAIN))
)
def test_domain_module_imports_no_web_or_database_library(path):
    offending = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN} | {
        name
        for name in imported_modules(path)
        if name.startswith("quizapp.") and not name.startswith("quizapp.domain")
    }
    assert not offending, f"{path.name} imports {sorted(offending)}"
