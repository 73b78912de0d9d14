# Single entry point of the toolkit. Every target does its own set-up first.
SHELL := /bin/bash
VENV ?= $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
export PYTHONPATH := $(CURDIR)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
PYTEST ?= pytest
SCENARIO ?= common

.PHONY: help setup images artifact-minio artifact-web artifacts lint unit apps molecule molecule-all test lab lab-down clean-images

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

setup: ## Host packages, Docker engine, virtualenv with the pinned toolchain (idempotent)
	@scripts/setup.sh

images: setup ## Build the lab base images (cached by recipe hash)
	@python -m lab.images

artifact-minio: setup ## The MinIO server binary and its SDK wheels (dist/minio), built once and cached
	@python -m buildtools.minio --out dist/minio

artifact-web: setup ## The SPA tarball and its sha256 (dist/web)
	@python app_src/web/build_artifact.py --out dist/web

artifacts: artifact-minio artifact-web ## Build the artifacts the roles install (dist/): MinIO binary, SPA, app wheelhouses, sentiment model
	@python app_src/linguistics/build_artifact.py --out dist/linguistics
	@python app_src/api/build_artifact.py --out dist/api

lint: setup ## yamllint, ansible-lint (production profile), ruff
	@$(PYTEST) tests/lint

unit: setup ## Unit tests of pure logic (no servers)
	@$(PYTEST) tests/unit tests/roles

apps: setup ## The applications' test suites (real services; the SPA in headless chromium)
	@$(PYTEST) app_src/linguistics/tests app_src/api/tests app_src/web/tests

molecule: images artifact-minio ## One Molecule scenario: make molecule SCENARIO=common
	@molecule test -s $(SCENARIO)

molecule-all: images artifact-minio ## Every Molecule scenario
	@$(PYTEST) tests/molecule

test: images artifact-minio ## The whole test suite: lint, unit, applications, every Molecule scenario
	@$(PYTEST) --durations=25 tests/lint tests/unit tests/roles app_src/linguistics/tests app_src/api/tests app_src/web/tests tests/molecule

lab: images ## Bring up the local lab and deploy the platform; prints the URL
	@python -m lab.stack up

lab-down: setup ## Remove the local lab hosts
	@python -m lab.stack down

clean-images: setup ## Remove lab images of older recipes
	@python -m lab.images --prune
