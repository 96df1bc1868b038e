# Two commands for a new machine:  make demo  (the main job on the bundled example)  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/suzhou-2017-173.txt
OUT := out

.PHONY: demo test lint clean

$(BIN)/policykg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/policykg
	$(BIN)/policykg build $(EXAMPLE) -o $(OUT)
	$(BIN)/policykg audit $(EXAMPLE) -o $(OUT)/audit.txt
	$(BIN)/policykg audit $(EXAMPLE) --format csv -o $(OUT)/audit.csv
	@echo "open $(OUT)/ : graph.ttl (and .nt .nq .trig .jsonld), suzhou-2017-173.json, validation.txt, audit.txt"

test: $(BIN)/policykg
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
