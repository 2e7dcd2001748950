# Two entry points for a machine that has never seen the project:
#   make demo   builds the sample brief into out/
#   make test   runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/briefgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/briefgen
	$(BIN)/briefgen build briefs/alibaba-one-ai.yaml --out out

test: $(BIN)/briefgen
	$(BIN)/pytest

lint: $(BIN)/briefgen
	$(BIN)/ruff check briefgen tests bench
	$(BIN)/mypy briefgen

bench: $(BIN)/briefgen
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out build dist *.egg-info
