# The two commands: `make dev` runs the whole product locally, `make test` runs every test.
# Both set up what they need (.venv, npm ci, the frontend build) on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json

.PHONY: dev test lint bench fuzz frontend layers clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/index.html

dev: $(VENV)/.installed frontend/dist/index.html
	PORT=$(PORT) $(BIN)/python -m infra.local

lint: $(VENV)/.installed frontend/node_modules/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	cd frontend && npm run lint && npm run typecheck

test: lint frontend/dist/index.html
	cd frontend && npm test
	$(BIN)/pytest -n auto --dist loadscope

fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=300 $(BIN)/pytest -m fuzz -p no:cacheprovider

bench: $(VENV)/.installed frontend/dist/index.html
	$(BIN)/python -m bench

# The media function's ffmpeg layer, one zip per architecture, in layers/dist/.
layers: $(VENV)/.installed
	$(BIN)/python -m layers.ffmpeg.build --arch x86_64
	$(BIN)/python -m layers.ffmpeg.build --arch arm64

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache
