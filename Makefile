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
	@mkdir -p $(OUT)
	$(BIN)/policykg extract $(EXAMPLE) --format json -o $(OUT)/suzhou.json
	@echo "wrote $(OUT)/suzhou.json"

test: $(BIN)/policykg
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
