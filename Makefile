# CRSS Prep: `make run` serves the app on SQLite; `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
DEV := DJANGO_DEBUG=1

.PHONY: install run test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .

test: lint test-sqlite test-postgres

test-sqlite: install
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest
	@echo "== quick benchmark (report only: never fails the tests) =="
	$(PY) -m benchmarks --quick || true

test-postgres: install
	@if DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m tests.database_ready; then \
		echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
		DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "FAIL: PostgreSQL at $(TEST_DATABASE_URL) is not reachable, and CI=true requires it."; \
		exit 1; \
	else \
		echo "!! PostgreSQL at $(TEST_DATABASE_URL) is not reachable: the PostgreSQL run was SKIPPED."; \
	fi

# The load benchmark (benchmarks/README.md): the quick tier with --check, then wrk against
# gunicorn. Ends with the RESULT line.
bench: install
	$(PY) -m benchmarks --quick --check
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3* staticfiles
