"""`python -m bench capacity` (`make bench-capacity`): what one server holds is the last
level whose play requests kept p99 under the bound, with no error."""

from bench.capacity import Level, address, report


def level(learners, p99_ms, errors=0):
    return Level(learners, 600, 60.0, 0.01, p99_ms / 1000, errors, 30.0, 3.0)


def test_the_server_holds_the_last_level_under_the_bound(capsys):
    report("sqlite", [level(100, 20), level(400, 90), level(700, 450)], 200)
    assert capsys.readouterr().out.strip() == (
        "sqlite: holds 400 learners (10 play requests/s, p99 90 ms); at 700, p99 450 ms"
    )


def test_a_level_with_errors_is_not_held(capsys):
    report("postgresql", [level(100, 20), level(400, 90, errors=3)], 200)
    assert capsys.readouterr().out.startswith("postgresql: holds 100 learners")


def test_no_level_held_is_said(capsys):
    report("sqlite", [level(100, 250)], 200)
    assert "no level kept p99 under 200 ms" in capsys.readouterr().out


def test_every_learner_gets_an_address_of_its_own():
    assert len({address(n) for n in range(5000)}) == 5000
