# Two commands on a fresh clone: `make run` serves the app, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app quizapp

.PHONY: run serve screenshots bench bench-live bench-capacity bench-reports bench-imports profile test lint format check-bank clean

$(VENV)/.installed-run: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed-run
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) bank check
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite, then again on PostgreSQL when QUIZAPP_TEST_POSTGRES_URL names
# one (each test in a schema of its own); QUIZAPP_REQUIRE_POSTGRES=1 (CI) forbids the skip.
# A PostgreSQL that is named but unreachable fails at once (tests/conftest.py checks it).
# Each run is spread over TEST_WORKERS processes (pytest-xdist; `auto`: one per core, `0`:
# none), each with its own SQLite files and PostgreSQL schemas. A test file runs whole on
# one worker (`loadfile`), so a module fixture (the 200-student class, the 10,000-question
# bank, the browser tests' server) is built once. (`loadgroup` would be finer, but xdist
# 3.8 ignores its marks under pytest 9.2: pytest-xdist issue 1386.)
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile
test: $(VENV)/.installed-test lint
	@if [ -n "$$QUIZAPP_TEST_POSTGRES_URL" ]; then \
	  QUIZAPP_TEST_DATABASE=postgresql $(BIN)/python -m pytest --collect-only -q \
	    tests/test_postgres_reconnect.py >/dev/null; \
	elif [ -n "$$QUIZAPP_REQUIRE_POSTGRES" ]; then \
	  echo "make test: QUIZAPP_REQUIRE_POSTGRES is set, so the PostgreSQL run may not be" \
	    "skipped, but QUIZAPP_TEST_POSTGRES_URL is not set." >&2; \
	  exit 1; \
	fi
	QUIZAPP_TEST_DATABASE=sqlite $(PYTEST)
	@if [ -n "$$QUIZAPP_TEST_POSTGRES_URL" ]; then \
	  echo "QUIZAPP_TEST_DATABASE=postgresql $(PYTEST)"; \
	  QUIZAPP_TEST_DATABASE=postgresql $(PYTEST); \
	else \
	  echo "make test: the PostgreSQL run was SKIPPED: QUIZAPP_TEST_POSTGRES_URL is not set."; \
	  echo "  To run the suite on PostgreSQL too: QUIZAPP_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test"; \
	fi

# The README's screenshots, taken again into docs/ by the browser tests that make them.
screenshots: $(VENV)/.installed-test
	QUIZAPP_UPDATE_SCREENSHOTS=1 QUIZAPP_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q \
	  tests/e2e/test_page_sweep.py tests/e2e/test_live_session.py tests/e2e/test_review_journey.py \
	  tests/e2e/test_teacher_journey.py tests/e2e/test_test_journey.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production: gunicorn with gunicorn.conf.py (WEB_CONCURRENCY workers, GUNICORN_THREADS
# threads each) on HOST:PORT, behind a reverse proxy; see README "Deployment".
serve: HOST ?= 127.0.0.1
serve: $(VENV)/.installed-run
	mkdir -p instance
	$(FLASK) db upgrade
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py 'quizapp:create_app()'

# The app against a bare Flask baseline under the same gunicorn settings, on fresh SQLite and
# PostgreSQL (BENCH_POSTGRES_URL) databases; `make bench FAULT=kill` kills a worker mid-run.
# Then its live phase, as `make bench-live` (LIVE_ARGS; LIVE=0 leaves it out). Both always
# run; the status is 1 if either missed a target.
LIVE ?= 1
bench: $(VENV)/.installed-run
	@status=0; $(BIN)/python -m bench --fault $(or $(FAULT),none) $(BENCH_ARGS) || status=1; \
	if [ "$(LIVE)" != 0 ]; then $(BIN)/python -m bench live $(LIVE_ARGS) || status=1; fi; \
	exit $$status

# Each report page's render time and SQL queries for a class of 200 students x 50 attempts,
# on SQLite and PostgreSQL (BENCH_POSTGRES_URL) as above: `python -m bench reports --help`.
bench-reports: $(VENV)/.installed-run
	$(BIN)/python -m bench reports $(BENCH_ARGS)

# One live session: 200 seeded students polling once a second and answering 10 questions, on
# SQLite and PostgreSQL (BENCH_POSTGRES_URL): `python -m bench live --help`.
bench-live: $(VENV)/.installed-run
	$(BIN)/python -m bench live $(LIVE_ARGS)

# What one server holds: learners pausing 15 s before each question, more at each level until
# the play requests' p99 passes 200 ms, SQLite then PostgreSQL: `python -m bench capacity --help`.
bench-capacity: $(VENV)/.installed-run
	$(BIN)/python -m bench capacity $(CAPACITY_ARGS)

# Seconds per MB of each import format at 0.25, 0.5 and 1 MB: `python -m bench imports --help`.
bench-imports: $(VENV)/.installed-run
	$(BIN)/python -m bench imports $(BENCH_ARGS)

# One step of the play loop (STEP=question|answer|feedback|start) under pyinstrument, in
# process, on a fresh SQLite database: test-artifacts/profile-STEP.html and .txt.
# `python -m bench profile --help` (PROFILE_ARGS="--repetitions 2000 --database postgresql").
profile: $(VENV)/.installed-test
	@test -n "$(STEP)" || { echo "make profile: say which step: STEP=question|answer|feedback|start" >&2; exit 2; }
	$(BIN)/python -m bench profile --step $(STEP) $(PROFILE_ARGS)

check-bank: $(VENV)/.installed-run
	$(FLASK) bank check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
