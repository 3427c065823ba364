# infoloss: the two commands are `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
# The second numerical pass: OpenBLAS's SSE3 kernel (Haswell's if the first pass already used
# SSE3) and NumPy without its optional SIMD loops, so float results differ in their last bits.
ALT_CORETYPE := $(if $(filter Prescott,$(OPENBLAS_CORETYPE)),Haswell,Prescott)
NUMPY_SIMD   := import numpy._core._multiarray_umath as m; \
  print(" ".join(f for f in m.__cpu_dispatch__ if m.__cpu_features__.get(f)))

.PHONY: book test lab bench outputs student student-pdf pdf font pin clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## book: build the website into _build/html (notebooks executed, results cached)
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open file://$(CURDIR)/_build/html/index.html"

## test: unit tests, doctests, notebooks (nbval strict), the build and the browser tests, then
## the notebooks again under a second numerical environment, against the same stored outputs
test: $(STAMP)
	$(PYTEST) $(NBVAL) infoloss tests book
	OPENBLAS_CORETYPE=$(ALT_CORETYPE) NPY_DISABLE_CPU_FEATURES="$$($(BIN)/python -c '$(NUMPY_SIMD)')" \
	  $(PYTEST) $(NBVAL) book

## outputs: execute the notebooks and store their outputs, explorer outputs trimmed
## (all of book/, or NB="book/03_label_smoothing.ipynb ...")
outputs: $(STAMP)
	$(BIN)/python tools/store_outputs.py $(NB)

## student: the student edition (solutions stubbed or removed) into _build/student/html
student: $(STAMP)
	$(BIN)/python tools/student_edition.py --out _build/student
	$(BIN)/jupyter-book build _build/student/src --path-output _build/student/build -W -n --keep-going
	rm -rf _build/student/html && mv _build/student/build/_build/html _build/student/html
	@echo "Open file://$(CURDIR)/_build/student/html/index.html"

## student-pdf: the student edition as a PDF, _build/student/infoloss-student.pdf (XeLaTeX)
student-pdf: $(STAMP)
	$(BIN)/python tools/student_edition.py --out _build/student
	$(BIN)/jupyter-book build _build/student/src --path-output _build/student/build --builder pdflatex
	cp _build/student/build/_build/latex/infoloss.pdf _build/student/infoloss-student.pdf
	@echo "PDF: $(CURDIR)/_build/student/infoloss-student.pdf"

## pdf: the whole book as a PDF, _build/latex/infoloss.pdf (needs XeLaTeX: see README)
pdf: $(STAMP)
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "PDF: $(CURDIR)/_build/latex/infoloss.pdf"

## font: subset Noto Sans CJK SC to the book's Chinese characters (needs fonts-noto-cjk)
font: $(STAMP)
	$(BIN)/python tools/subset_cjk_font.py

## lab: the notebooks in JupyterLab, with live widgets
lab: $(STAMP)
	$(BIN)/jupyter lab book/

## bench: explorer latency in Jupyter, page weights and frame switches on the website (reported,
## not asserted)
bench: book
	$(BIN)/python benchmarks/explorer_latency.py
	$(BIN)/python benchmarks/site_explorers.py

## pin: re-resolve requirements.in into the exact pins of requirements.txt
pin:
	rm -rf /tmp/infoloss-pin && $(PYTHON) -m venv /tmp/infoloss-pin
	/tmp/infoloss-pin/bin/pip install --quiet -r requirements.in
	{ echo "# Exact pins of the whole resolved set (generated from requirements.in by 'make pin')."; \
	  /tmp/infoloss-pin/bin/pip freeze --exclude-editable; echo "-e ."; } > requirements.txt

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
