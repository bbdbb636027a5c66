# Two commands do all the set-up on a fresh machine:
#   make run    virtual environment, install, database, demo data, then serve on 127.0.0.1:$(PORT)
#   make test   install what the tests need and run the whole suite
# Both are quick when run again: installs happen only when setup.cfg changes.

# The newest Python 3.12 or later the machine has, else python3. CPython 3.11.7 corrupted its heap
# under sustained search traffic (a crash in its garbage collector, never seen on 3.12): see
# docs/architecture.md, "Which Python".
PYTHON ?= $(shell for p in python3.12 python3.13 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; exit; }; done; echo python3)
VENV ?= .venv
PORT ?= 5000
# Test processes: one per core (pytest-xdist); `make test JOBS=0` runs the suite in this process.
JOBS ?= auto
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
MUTATION_INSTALLED := $(VENV)/.installed-mutation

.PHONY: run test lint bench mutation db clean

run: db
	PIONEER_ENV=development $(BIN)/flask --app pioneer run --debug --host 127.0.0.1 --port $(PORT)

db: $(INSTALLED)
	$(BIN)/pioneer init
	$(BIN)/pioneer demo --if-empty

test: $(TEST_INSTALLED)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS)

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .

# Slow (about 20 minutes on two cores), so not part of `make test`: run it after changing a domain module
# or its tests, e.g. `make mutation MODULES="workflow claims"`. See docs/testing.md.
mutation: $(MUTATION_INSTALLED)
	$(BIN)/python mutation/run.py $(MODULES)

bench: $(TEST_INSTALLED)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(MUTATION_INSTALLED): $(TEST_INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mutation
