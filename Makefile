# The portal's commands. A newcomer needs two: `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test bench bench-load bench-social-value bench-documents install system-packages migrate seed lint format check assets lock clean

help:
	@echo "make run     set up, load demo data and serve the portal on http://$(HOST):$(PORT) (Ctrl-C stops it)"
	@echo "make test    set up and run every check and test (PostgreSQL, S3 and browser tests included)"
	@echo "make bench   print the load test, social value and printed documents benchmarks (needs PostgreSQL on 127.0.0.1:5432)"
	@echo "             one of them: make bench-load, make bench-social-value, make bench-documents"
	@echo "make lint    ruff lint and format check, then mypy;  make format  reformat the code"
	@echo "make assets  rebuild static/portal from govuk-frontend (needs npm)"
	@echo "make lock    refresh requirements.lock from pyproject.toml"

# The virtualenv, rebuilt when requirements.lock changes or its Python is too old.
$(INSTALLED): requirements.lock
	@python="$$(scripts/find-python)" || exit 1; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

install: $(INSTALLED)

system-packages:
	@scripts/install-system-packages

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# The web server and the task worker together; honcho stops both on Ctrl-C.
run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ with the task worker. Ctrl-C stops both."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: install system-packages lint check
	@url="$$($(PY) scripts/test-database-url)"; \
	if [ -n "$$url" ]; then echo "Testing on PostgreSQL ($$url)"; else echo "Testing on SQLite"; fi; \
	DATABASE_URL="$$url" $(PY) -m pytest --numprocesses=auto $(PYTEST_ARGS)

# Both benches on one database: the load test keeps the fund it made, the social value bench
# reuses it and drops it at the end (even when the load test found errors, whose status is kept).
bench: install system-packages
	@$(PY) benchmarks/load.py --keep; load=$$?; $(PY) benchmarks/social_value.py --reuse && $(PY) benchmarks/documents.py && exit $$load

bench-load: install
	$(PY) benchmarks/load.py

bench-social-value: install system-packages
	$(PY) benchmarks/social_value.py

bench-documents: install system-packages
	$(PY) benchmarks/documents.py

assets:
	cd frontend && npm ci --no-audit --no-fund && npm run build

lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache test-results
