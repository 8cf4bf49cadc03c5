# Sujarit — developer and CI entry points.
#
#   make run        serve the app locally on SQLite with a demo organisation (Python only, no apt)
#   make reset-demo delete the local SQLite database, then `make run` again
#   make test       install what the tests need (apt + pip) and run the whole suite
#   make test-pg    the same suite on a throwaway PostgreSQL 15 cluster
#   make clean      remove caches and the venv stamp (keeps .venv and instance/)
#   make messages   extract the translatable strings and merge them into the catalogues (then translate the .po)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON      ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
FLASK       := $(VENV)/bin/flask --app wsgi
STAMP       := $(VENV)/.requirements.stamp
HOST        ?= 127.0.0.1
PORT        ?= 5000
PYTEST_ARGS ?=
PYTEST      := $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# Debian packages the test suite needs: the browser (the PDF engine of app/documents and the e2e tests),
# pdftotext for PDF checks, Thai fonts for screenshots of the pages, redis-server for the shared rate-limit
# store of the reliability tests. postgresql-15 is added only when no initdb can be found. A production
# server needs chromium (README, Documents) and, with several workers, Redis.
APT_PACKAGES := chromium poppler-utils fonts-thai-tlwg fonts-tlwg-laksaman-ttf redis-server
PG_BINDIR    := /usr/lib/postgresql/15/bin

.PHONY: help venv translations run reset-demo test test-pg system-deps clean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------- Python environment

venv: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip runs again only when a requirements file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Compiled catalogues (*.mo) are not committed; build them from the .po files when there are any.
translations: venv
	@if compgen -G "app/translations/*/LC_MESSAGES/*.po" >/dev/null; then \
	  $(VENV)/bin/pybabel compile -d app/translations; \
	fi

# ---------------------------------------------------------------- local server

run: venv translations
	$(FLASK) db upgrade
	@out=$$($(FLASK) seed-demo) || { echo "$$out"; exit 1; }; \
	echo "$$out"; \
	echo; \
	echo "================================================================"; \
	echo " Sujarit is starting:  http://$(HOST):$(PORT)/"; \
	echo " Staff sign-in:        http://$(HOST):$(PORT)/auth/login"; \
	if echo "$$out" | grep -q "already present"; then \
	  echo " The demo data already existed, so no passwords were printed this time."; \
	  echo " To start over with fresh demo logins:  make reset-demo"; \
	else \
	  echo " The demo logins (username / password / role) are printed above."; \
	fi; \
	echo " Stop with Ctrl+C."; \
	echo "================================================================"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Deletes only the local SQLite file (in SUJARIT_INSTANCE_PATH, default instance/); the keyring stays.
reset-demo:
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "reset-demo: DATABASE_URL is set; refusing to touch that database" >&2; exit 1; fi
	rm -f "$${SUJARIT_INSTANCE_PATH:-instance}"/sujarit.sqlite3{,-wal,-shm,-journal}
	$(MAKE) --no-print-directory run

# ---------------------------------------------------------------- tests

# Installs (as root, or through sudo) only what is missing; no apt-get at all when everything is there.
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if ! command -v initdb >/dev/null 2>&1 && [ ! -x $(PG_BINDIR)/initdb ]; then missing="$$missing postgresql-15"; fi; \
	if [ -z "$$missing" ]; then echo "system-deps: all present"; exit 0; fi; \
	echo "system-deps: installing$$missing"; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; \
	else echo "system-deps: need root (or sudo) to install:$$missing" >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get update -qq && \
	$$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null && \
	echo "system-deps: done"

test: system-deps venv translations
	$(PYTEST)

# A throwaway cluster for this run only; it is stopped and deleted whatever the tests do.
test-pg: system-deps venv translations
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/sujarit-pg.XXXXXX"); \
	trap 'scripts/pg-temp.sh stop "$$dir"' EXIT; \
	trap 'exit 130' INT TERM; \
	scripts/pg-temp.sh start "$$dir" || exit 1; \
	echo "test-pg: DATABASE_URL=$$(cat "$$dir/url")"; \
	DATABASE_URL="$$(cat "$$dir/url")" $(PYTEST)

clean:
	rm -rf .pytest_cache $(STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# ---------------------------------------------------------------- translations (source strings are Thai)

# Collect every _(), _l() and lazy_gettext() string of app/ and templates/ into messages.pot, then merge it
# into each catalogue (app/translations/<lang>/LC_MESSAGES/messages.po). Translate the new or fuzzy
# entries in the .po afterwards; tests/unit/test_translations.py fails while any is left.
.PHONY: messages
messages: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations
