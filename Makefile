# The two commands: `make run` (portal with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint bench-catalog bench-stats bench-http bench-writes stack clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# DJANGO_DEBUG is off unless set: the local commands below turn it on explicitly.
DEV := DJANGO_DEBUG=true

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=portal.settings_test
	# axe-core for the accessibility checks of tests/browser (skipped there when npm is absent).
	if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Statistics benchmark into a SEPARATE PostgreSQL database: `make bench-stats COUNT=100000`.
BENCH_DATABASE_URL ?= postgres://portal:portal@127.0.0.1:5432/portal_bench
bench-stats: install
	$(DEV) DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/stats_generate.py --count $(or $(COUNT),1000000)
	$(DEV) DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/stats_measure.py --explain

# A production-like stack without containers: PostgreSQL, Redis, gunicorn (debug off), worker, beat.
stack: install
	$(BIN)/python bench/stack.py

# HTTP benchmark with a floor measured in the same run (PostgreSQL): `make bench-http`.
BENCH_HTTP_DATABASE_URL ?= postgres://portal:portal@127.0.0.1:5432/portal_httpbench
bench-http: install
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) $(BIN)/python bench/http_load.py

# Statements and CPU per write, side effects included (a throw-away test_<name> database).
bench-writes: install
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) $(BIN)/python bench/write_cost.py

# English catalog: extract new Vietnamese msgids into locale/en/.../django.po, translate them,
# then compile the committed django.mo. Needs GNU gettext (apt-get install gettext); run/test don't.
MESSAGE_IGNORES := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var \
	--ignore=bench --ignore=tests --ignore=test-artifacts
.PHONY: messages compilemessages
messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l en --no-obsolete $(MESSAGE_IGNORES)
compilemessages: install
	$(DEV) $(BIN)/python manage.py compilemessages -l en -l vi --ignore=.venv --ignore=node_modules

clean:
	rm -rf var/test.sqlite3 var/test-media .pytest_cache
