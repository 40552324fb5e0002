# OSM — the two commands people need: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := osm.settings

# Test services (PostgreSQL and Redis on loopback); override when yours differ.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/osm
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run worker test install system-deps services lint messages vendor bench seed-scale clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Run the app with demo data on http://127.0.0.1:8000 (SQLite, Celery eager: no server needed).
## DEBUG is off unless set; the demo sets it (and with it the development SECRET_KEY).
run: export DEBUG ?= true
run: install
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## A Celery worker with its beat on both queues (default "celery" and "pdf"), for
## development against Redis: REDIS_URL=redis://127.0.0.1:6379/0 make worker
worker: export DEBUG ?= true
worker: install
	$(PY) -m celery -A osm worker --beat -Q celery,pdf --loglevel=INFO --concurrency=1

## System packages the suite needs: PDF libraries, Thai font tools, Chromium, gettext, services.
system-deps:
	@bash scripts/system_deps.sh

## Make sure PostgreSQL and Redis run (start them, or install them with apt when missing).
services:
	@bash scripts/services.sh

## Run the whole suite on PostgreSQL with real Redis, a real Celery worker and real Chromium.
test: system-deps install services
	$(PY) manage.py compilemessages --ignore=.venv -v0
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=true \
		$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy osm strategy scorecard projects committee
	$(VENV)/bin/lint-imports

## Refresh the message catalogues after changing user-facing strings.
messages: install
	$(PY) manage.py makemessages -l th -l en --ignore=.venv --ignore=node_modules --ignore=static --ignore=artifacts --ignore=bench --no-obsolete --no-location
	$(PY) scripts/po_english.py locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore=.venv

## Re-vendor the pinned front-end packages (package.json) into static/vendor/ (and Sarabun as
## TrueType into osm/data/fonts/ for LibreOffice).
vendor: install
	bash scripts/vendor_assets.sh

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
