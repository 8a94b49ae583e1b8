"""Imports a careless or hostile teacher account may send: each gets a clear answer in a
moment, and nothing is written."""

import io
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import TeacherQuestion
from tests.unit.test_yaml_reader import ALIAS_BOMB


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TeacherQuestion))


def confirm(client, text: str, filename: str, format_name: str):
    """The confirmation of a preview, as a browser posts it: the text url-encoded."""
    body = urlencode(
        {
            "text": text,
            "filename": filename,
            "format": format_name,
            "confirm": "y",
            "submit": "Import",
        }
    )
    return client.post("/teach/import", data=body, content_type="application/x-www-form-urlencoded")


def test_a_request_over_five_megabytes_gets_a_readable_413_page_and_writes_nothing(app, teacher):
    response = confirm(teacher, "x" * (6 * 1024 * 1024), "big.gift", "gift")

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Too large to accept" in page
    assert "larger than the 5 MB this site accepts" in page
    assert stored(app) == 0


def test_a_previewed_text_over_one_megabyte_sent_back_is_refused_with_a_clear_400(app, teacher):
    question = "::q:: Who met Gorbachev? {=Baker ~Kohl}\n\n"
    text = question * (1_100_000 // len(question))

    started = time.process_time()
    response = confirm(teacher, text, "quiz.gift", "gift")

    assert time.process_time() - started < 3
    assert response.status_code == 400
    assert "The file is larger than 1 MB; split it." in response.get_data(as_text=True)
    assert stored(app) == 0


def test_a_one_megabyte_file_of_cyrillic_text_comes_back_from_its_preview_and_imports(app, teacher):
    prompt = "Кто встретился с Горбачёвым в Москве? " * 200  # 7,600 characters
    question = f"{prompt}{{=Бейкер ~Коль}}\n\n"
    text = question * (990_000 // len(question.encode()))
    assert 900_000 < len(text.encode()) <= 1_000_000

    response = confirm(teacher, text, "квиз.gift", "gift")

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert stored(app) == text.count("{=Бейкер")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ALIAS_BOMB, "YAML refused: its aliases copy more than 10,000 values"),
        (
            "questions: &a [*a]\n",
            "bank.yaml:1: YAML refused: an alias inside the collection it names",
        ),
        (
            "questions: " + "[" * 500 + "]" * 500 + "\n",
            "bank.yaml:1: YAML refused: nested deeper than 50 levels",
        ),
    ],
    ids=["alias-bomb", "self-reference", "nested-500-deep"],
)
def test_a_hostile_yaml_import_is_refused_at_its_line_in_a_moment(app, teacher, text, message):
    started = time.process_time()
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(text.encode()), "bank.yaml"), "format": "auto", "preview": "1"},
        content_type="multipart/form-data",
    )

    assert time.process_time() - started < 3
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(app) == 0


def test_a_file_over_one_megabyte_is_refused_on_the_command_line(app, runner, tmp_path):
    path = tmp_path / "big.gift"
    path.write_text("::q:: Who? {=Baker ~Kohl}\n\n" * 40_000, encoding="utf-8")

    result = runner.invoke(args=["questions", "import", str(path)])

    assert result.exit_code == 1
    assert "larger than 1 MB" in result.output
    assert stored(app) == 0
