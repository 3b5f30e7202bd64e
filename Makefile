# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# `make run` installs the app alone; `make test` adds the test tools (the `test` extra).
RUN_STAMP  := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp
# With wheels in wheelhouse/ (`make wheelhouse`), installs use them alone: no index, no internet.
WHEELHOUSE ?= wheelhouse
PIP_FROM   := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))

# The dashboard listens on this machine only unless GOVOPT_ADDRESS says otherwise
# (0.0.0.0: every interface, for colleagues on the intranet; there is no login).
GOVOPT_ADDRESS ?= 127.0.0.1
GOVOPT_PORT    ?= 8501
WILDCARD  := $(filter 0.0.0.0 ::,$(GOVOPT_ADDRESS))
# The address to open; naming it keeps Streamlit from looking up this machine's external IP.
OPEN_HOST := $(if $(WILDCARD),$(or $(firstword $(shell hostname -I 2>/dev/null)),$(shell hostname)),$(GOVOPT_ADDRESS))

.PHONY: run test check-install wheelhouse lint format bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q $(PIP_FROM) --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q $(PIP_FROM) -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q $(PIP_FROM) -e ".[test]"
	touch $@

run: $(RUN_STAMP)
	@echo "govopt: open http://$(OPEN_HOST):$(GOVOPT_PORT) in a browser (Ctrl+C stops)"
	$(BIN)/streamlit run app.py --server.address $(GOVOPT_ADDRESS) --server.port $(GOVOPT_PORT) \
		--browser.serverAddress $(OPEN_HOST)

test: $(TEST_STAMP)
	$(BIN)/ruff check govopt tests benchmarks scripts app.py pages
	$(BIN)/ruff format --check govopt tests benchmarks scripts app.py pages
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Build the wheel, install it with its dependencies into a fresh virtualenv from a
# wheelhouse (--no-index), and use it from outside the checkout (see scripts/check_install.py).
check-install: | $(BIN)/python
	$(BIN)/python scripts/check_install.py

# Every wheel an offline machine needs (same OS, CPU and Python version as this one).
wheelhouse: | $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip wheel -q -w $(WHEELHOUSE) . "setuptools>=77"

format: $(TEST_STAMP)
	$(BIN)/ruff format govopt tests benchmarks scripts app.py pages
	$(BIN)/ruff check --fix govopt tests benchmarks scripts app.py pages

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/solve.py

docs: $(RUN_STAMP)
	$(BIN)/python scripts/make_data_dictionary.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
