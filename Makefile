# Two commands on a fresh machine with only python3: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# setuptools prints a warning box on every editable install ("be careful with folders … same name"):
# noise for someone trying the demo, so warnings are silenced for pip only (never for the tests).
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip
DEMO_DB := demo.db

.PHONY: demo test messages clean

$(BIN)/wksbm: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[web]'
	touch $@

$(VENV)/.test-extras: $(BIN)/wksbm
	$(PIP) install --quiet -e '.[test,web]'
	touch $@

demo: $(BIN)/wksbm
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/wksbm --db $(DEMO_DB) import sample_data/
	$(BIN)/wksbm --db $(DEMO_DB) summary --as-of 2022-12-31

test: $(VENV)/.test-extras
	$(BIN)/python -m pytest

# After marking or changing interface strings: re-extract, merge into the Indonesian catalog, compile
# the .mo that ships in the package (translate the new entries in wksbm_cli/locale/id/LC_MESSAGES/wksbm.po).
messages: $(VENV)/.test-extras
	$(BIN)/python tools/i18n.py extract
	$(BIN)/python tools/i18n.py update
	$(BIN)/python tools/i18n.py compile
	$(BIN)/python tools/i18n.py check

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
