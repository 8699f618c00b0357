# One command each: `make test` (set up + tests + data validation), `make demo`
# (set up + train the tiny model offline, evaluate it, tag the seed article).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# CPU build of torch by default. For CUDA: make setup TORCH="torch==2.13.0" TORCH_INDEX=https://download.pytorch.org/whl/cu128
TORCH ?= torch==2.13.0
TORCH_INDEX ?=

.PHONY: setup test demo clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH)"
	$(BIN)/pip install -c constraints.txt -e ".[test,int8,offline]"
	touch $@

test: setup
	$(BIN)/python -m model validate data/
	$(BIN)/python -m pytest -q

demo: setup
	$(BIN)/python -m train --config configs/tiny.yaml
	$(BIN)/python -m eval --model runs/tiny/model --data data/test.jsonl --out reports/tiny
	$(BIN)/python -m model tag --model runs/tiny/model seeds/000_8c93d2595ca9e1e8.txt

clean:
	rm -rf $(VENV) runs reports
