# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint format bench docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check govopt tests benchmarks scripts app.py pages
	$(BIN)/ruff format --check govopt tests benchmarks scripts app.py pages
	$(BIN)/mypy
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff format govopt tests benchmarks scripts app.py pages
	$(BIN)/ruff check --fix govopt tests benchmarks scripts app.py pages

bench: $(STAMP)
	$(BIN)/python benchmarks/solve.py

docs: $(STAMP)
	$(BIN)/python scripts/make_data_dictionary.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
