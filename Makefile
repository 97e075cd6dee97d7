# Solidar: `make run` starts everything on SQLite with demo data; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-browser lint fmt messages compilemessages migrate demo bench check-deploy clean

# Test tools from the npm registry (package-lock.json): axe-core for the accessibility checks,
# vnu-jar for the HTML checker. Installed only where npm exists: without them those tests skip
# locally and fail in CI (SOLIDAR_REQUIRE_BROWSER=1).
NODE_STAMP := node_modules/.installed
TEST_TOOLS := $(if $(shell command -v npm 2>/dev/null),$(NODE_STAMP))

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $(NODE_STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

compilemessages: $(STAMP)
	@$(PY) -m solidar.core.i18n compile

run: $(STAMP) compilemessages
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py seed_demo
	@$(PY) -m solidar.serve --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(PY) manage.py migrate

demo: $(STAMP)
	$(PY) manage.py seed_demo

# The whole suite, in parallel. Browser tests run when Chromium is installed
# (CI sets SOLIDAR_REQUIRE_BROWSER=1 so that they can never be skipped there).
test: $(STAMP) compilemessages $(TEST_TOOLS)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: $(STAMP) compilemessages $(TEST_TOOLS)
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP) compilemessages $(TEST_TOOLS)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract new strings into the .po files (de, ru, uk), then translate them.
messages: $(STAMP)
	$(PY) -m solidar.core.i18n extract

check-deploy: $(STAMP)
	@key=$$($(PY) -c "import secrets;print(secrets.token_urlsafe(64))"); \
	datakey=$$($(PY) -c "import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())"); \
	SOLIDAR_PRODUCTION=1 SECRET_KEY=$$key SOLIDAR_DATA_KEYS=k1:$$datakey EMAIL_HOST=localhost \
	SOLIDAR_AID_CODENAME_KEY=$$key \
	ALLOWED_HOSTS=solidar.example $(PY) manage.py check --deploy --fail-level WARNING

bench: $(STAMP) compilemessages
	$(PY) bench/run.py $(B)

clean:
	rm -rf $(VENV) data bench/.venv node_modules
