# 网店客服与客户关系管理 — two commands: `make lab` and `make test`.
# Both create the virtual environment .venv when it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Exact versions tested in CI (Python 3.11); used on 3.11, ranges from pyproject.toml elsewhere.
CONSTRAINTS := constraints.txt

.PHONY: lab test bench release lint format clean venv proxy student-pack

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS) tools/configure_lab.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[lab,test,hub]' || { \
	    echo "constraints.txt 的固定版本装不上（例如 Debian 12 的 Python 3.11.2 太旧），改用 pyproject.toml 的版本范围"; \
	    $(BIN)/python -m pip install --quiet -e '.[lab,test,hub]'; }; \
	else \
	  $(BIN)/python -m pip install --quiet -e '.[lab,test,hub]'; \
	fi
	$(BIN)/python tools/configure_lab.py
	@touch $(STAMP)

# .venv/bin on PATH: nbgrader runs its `alembic` command by name when it creates a gradebook.
lab: venv
	cd course && PATH="$(CURDIR)/$(BIN):$$PATH" ../$(BIN)/jupyter lab --allow-root

# JupyterHub's proxy (deploy/jupyterhub/), from npm into this project only (never global).
# Without npm nothing is installed and tests/test_jupyterhub.py reports itself as skipped.
PROXY_VERSION := 4.6.3
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy

proxy: $(PROXY)

$(PROXY):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV)/node --no-save --no-audit --no-fund --loglevel=error \
	    configurable-http-proxy@$(PROXY_VERSION); \
	else \
	  echo "没有找到 npm：跳过 configurable-http-proxy（JupyterHub 的测试会显示为 skipped）"; \
	fi

# Unit tests and nbgrader round trips on two workers (the CI machine has 2 cores; each
# assignment stays on one worker), then every lesson notebook with nbval: a notebook's cells
# share one kernel, so lessons run in their own, serial pass.
test: venv proxy
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadgroup tests crm_helpers crm_course
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest course/lessons

bench: venv
	$(BIN)/python benchmarks/run_benchmarks.py

release: venv
	$(BIN)/python tools/release_assignments.py

# The zip for schools without a server: lessons, homework (student versions), crm_helpers,
# start scripts and instructions in Chinese; no solutions, no hidden tests, no teacher tools.
student-pack: venv
	$(BIN)/python tools/build_student_pack.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/python tools/normalize_notebooks.py

clean:
	rm -rf $(VENV) .pytest_cache
