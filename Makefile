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
	$(BIN)/policykg html $(OUT) -o $(OUT)/graph.html
	$(BIN)/policykg audit $(EXAMPLE) -o $(OUT)/audit.txt
	$(BIN)/policykg audit $(EXAMPLE) --format csv -o $(OUT)/audit.csv
	$(BIN)/policykg report $(OUT) -o $(OUT)/report.md
	$(BIN)/policykg report $(OUT) -o $(OUT)/report.html
	$(BIN)/policykg table $(OUT) -o $(OUT)/tasks.xlsx
	@echo "open $(OUT)/ : graph.ttl (and .nt .nq .trig .jsonld), suzhou-2017-173.json, validation.txt, audit.txt"
	@echo "  and the accountability report.md (plots beside it), report.html and the task table tasks.xlsx"

test: $(BIN)/policykg
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
