# The two commands: `make dev` runs the whole product locally, `make test` runs every test.
# Both set up what they need (.venv, npm ci, the frontend build) on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json

.PHONY: dev test lint bench fuzz frontend layers package deploy clean

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

# ---- AWS (README: Deployment). STAGE names the Chalice stage and the stack teamdrive-$(STAGE).
STAGE ?= dev
LAYER_ARM64 := layers/dist/ffmpeg-arm64.zip

$(LAYER_ARM64): requirements.txt requirements-dev.txt layers/ffmpeg/build.py | $(VENV)/.installed
	$(BIN)/python -m layers.ffmpeg.build --arch arm64

# dist/$(STAGE)/: Chalice's template with infra/*.yaml merged in, the code, the layer; cfn-lint'ed.
package: $(VENV)/.installed $(LAYER_ARM64)
	$(BIN)/python -m infra.package --stage $(STAGE)

# Needs the AWS CLI and the deployer's credentials; DRY_RUN=1 prints the commands instead.
deploy: package frontend/dist/index.html
	$(if $(DEPLOY_BUCKET),,$(error set DEPLOY_BUCKET to a bucket for the stack's artifacts))
	$(BIN)/python -m infra.deploy --stage $(STAGE) --bucket $(DEPLOY_BUCKET) \
		--site-domain "$(SITE_DOMAIN)" --certificate-arn "$(SITE_CERTIFICATE_ARN)" \
		--alarm-email "$(ALARM_EMAIL)" --mail-from "$(MAIL_FROM)" \
		--mail-identity "$(MAIL_IDENTITY)" --google-client-id "$(GOOGLE_CLIENT_ID)" \
		--media-concurrency "$(MEDIA_CONCURRENCY)" $(if $(DRY_RUN),--dry-run)

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache dist
