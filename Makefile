# SRO Field Log: two commands.
#   make run    install, migrate, seed the demo (empty database only), serve http://127.0.0.1:8000
#   make test   install test tools (and chromium, PostgreSQL, Redis from Debian when missing),
#               then the whole suite on SQLite and again on PostgreSQL
.DEFAULT_GOAL := run
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
DEMO_PASSWORD ?= demo-pass-2026
# Local runs need no SECRET_KEY: development mode uses a fixed, not-secret key and
# plain-http cookies. Production sets SRO_ENV=production and SECRET_KEY (see README).
export SRO_ENV ?= development

ifeq ($(shell id -u),0)
SUDO :=
else
SUDO := sudo
endif

.PHONY: install install-dev system-deps run serve migrate seed-demo test test-sqlite test-postgresql clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Installing python3-venv from Debian"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y python3-venv && \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: install
	$(BIN)/pip install --quiet -r requirements-dev.txt

migrate: install
	$(FLASK) db upgrade

seed-demo: migrate
	$(FLASK) seed-demo --password '$(DEMO_PASSWORD)'

run: migrate
	@$(FLASK) seed-demo --if-empty --password '$(DEMO_PASSWORD)'
	@echo "Serving http://$(HOST):$(PORT)  (SRO_ENV=$(SRO_ENV); Ctrl+C stops)"
	$(BIN)/gunicorn --no-control-socket -w $(WORKERS) -b $(HOST):$(PORT) wsgi:app

# Debian packages the suite needs; installed only when missing (apt-get update only then too).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:$$missing"; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

# Both engines always run; the target fails when either fails. The suite never
# touches DATABASE_URL (a production database); TEST_DATABASE_URL names an
# existing PostgreSQL test database to use instead of starting one (it is emptied).
PYTEST := env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test: install-dev system-deps
	@status=0; \
	echo "=== pytest on SQLite ==="; \
	SRO_TEST_DB=sqlite $(PYTEST) || status=1; \
	echo "=== pytest on PostgreSQL ==="; \
	SRO_TEST_DB=postgresql $(PYTEST) || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see the summaries above)"; else echo "make test: both engines passed"; fi; \
	exit $$status

test-sqlite: install-dev
	SRO_TEST_DB=sqlite $(PYTEST)

test-postgresql: install-dev system-deps
	SRO_TEST_DB=postgresql $(PYTEST)

clean:
	rm -rf .pytest_cache test-results
