# newsqa: `make run` opens the chat, `make test` runs the tests. Both set up .venv from nothing.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint index clean

install: $(STAMP)

# torch is installed first and pinned: the CPU wheel lies on this disk, anything else pulls CUDA.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

index: install
	$(PY) -m app index

run: index
	$(VENV)/bin/streamlit run app/ui.py --server.headless true --server.address 127.0.0.1 \
		--server.port $${PORT:-8501} --browser.gatherUsageStats false

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check app retrieval tests

clean:
	rm -rf $(VENV) .newsqa
