# Two commands on a fresh machine with only python3: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo.db

.PHONY: demo test clean

$(BIN)/wksbm: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-extras: $(BIN)/wksbm
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/wksbm
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/wksbm --db $(DEMO_DB) import sample_data/
	$(BIN)/wksbm --db $(DEMO_DB) summary --as-of 2022-12-31

test: $(VENV)/.test-extras
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
