# newsqa: `make run` opens the chat, `make test` runs the tests. Both set up .venv from nothing.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# llama.cpp is compiled once per machine into a wheel cache, for AVX2 (plus AVX-512 where the CPU
# has it: 1.5x faster prompts) and without AMX: the AMX kernels of a -march=native build crash on
# VMs that expose AMX but don't enable it.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_FLAVOUR     := $(shell grep -qw avx512bw /proc/cpuinfo 2>/dev/null && echo avx512 || echo avx2)
LLAMA_AVX512      := $(if $(filter avx512,$(LLAMA_FLAVOUR)),ON,OFF)
LLAMA_CMAKE_ARGS  := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=$(LLAMA_AVX512) -DGGML_AVX512_VNNI=$(LLAMA_AVX512) \
	-DGGML_AVX512_BF16=$(LLAMA_AVX512) -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
WHEEL_CACHE       := $(HOME)/.cache/newsqa/wheels/$(LLAMA_FLAVOUR)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser run test lint index clean

install: $(STAMP)

# torch is installed first and pinned: the CPU wheel lies on this disk, anything else pulls CUDA.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	@ls $(WHEEL_CACHE)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || { \
		echo "compiling llama.cpp $(LLAMA_CPP_VERSION) once for this machine (about 6 minutes)..."; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip wheel --quiet --no-deps --no-cache-dir \
			-w $(WHEEL_CACHE) llama-cpp-python==$(LLAMA_CPP_VERSION); }
	$(PY) -m pip install --quiet --disable-pip-version-check --only-binary llama-cpp-python \
		--find-links $(WHEEL_CACHE) \
		llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,milvus]'
	@rm -f $(VENV)/.installed-*
	@touch $@

index: install
	$(PY) -m app index

run: index
	$(VENV)/bin/streamlit run app/ui.py --server.headless true --server.address 127.0.0.1 \
		--server.port $${PORT:-8501} --browser.gatherUsageStats false

# The browser tests drive Debian's chromium (browser downloads are impossible here).
browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser tests..."; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

test: install browser
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check app retrieval tests

clean:
	rm -rf $(VENV) .newsqa
