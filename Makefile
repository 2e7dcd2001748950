# Two entry points for a machine that has never seen the project:
#   make demo   builds the sample briefs into out/
#   make test   runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint wheel bench clean

$(BIN)/briefgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/briefgen
	$(BIN)/briefgen build briefs/alibaba-one-ai.yaml briefs/cloud-infrastructure.yaml --out out

test: $(BIN)/briefgen
	$(BIN)/pytest

# The edit-test loop: everything but the LibreOffice renders, subprocess builds and fuzzers.
test-fast: $(BIN)/briefgen
	$(BIN)/pytest -m "not slow"

lint: $(BIN)/briefgen
	$(BIN)/ruff check briefgen tests bench
	$(BIN)/mypy briefgen

wheel: $(BIN)/briefgen
	rm -rf dist
	$(BIN)/pip wheel --quiet --no-deps -w dist .
	$(BIN)/python .ci/check_wheel.py dist/briefgen-*.whl

bench: $(BIN)/briefgen
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out build dist *.egg-info
