"""Smoothing a character n-gram model (chapter 7, {doc}`07_mutual_information_perplexity`):
held-out and training bits per character against the add-k constant, for each order, with a
sample of the text the model writes, and the held-out score of Kneser–Ney at the same order."""
from __future__ import annotations

import functools

import numpy as np

from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.language import CharNgramModel, shakespeare_text
from infoloss.plotting import COLORS, decorate

#: The chapter's split of the corpus: training, validation (to choose k) and test characters.
TRAIN_END, VALIDATION_END = 240_000, 270_000
ORDERS = (1, 2, 3, 4, 5, 6, 7)
LOG_K_RANGE = (-4.0, 1.0)          # k from 1e-4 to 10
PROMPT = "\n\nGLOUCESTER:\n"       # every sample starts after this speaker's name
SAMPLE_LINES, LINE_WIDTH = 6, 40   # the sample fills a fixed box of 6 lines of 40 characters
BITS_MAX = 7.0
#: The Kneser–Ney discount the chapter chooses on the validation text.
KN_DISCOUNT = 0.9


@functools.lru_cache(maxsize=1)
def corpus_split() -> tuple[str, str, str, str]:
    """(alphabet, train, validation, test) of the book's corpus."""
    text = shakespeare_text()
    return ("".join(sorted(set(text))), text[:TRAIN_END], text[TRAIN_END:VALIDATION_END],
            text[VALIDATION_END:])


@functools.lru_cache(maxsize=None)
def ngram_model(order: int) -> CharNgramModel:
    """The n-gram counts of the training text (built once per order)."""
    alphabet, train, _, _ = corpus_split()
    return CharNgramModel(train, order, alphabet=alphabet)


def bits_per_char(counts, k, V: int) -> np.ndarray:
    """Mean -log2 of the add-k probabilities (N(hc) + k) / (N(h) + kV), for each k of ``k``.

    ``counts`` is the pair (N(hc), N(h)) of :meth:`CharNgramModel.counts`; the mean runs over
    the distinct pairs, weighted by how often each occurs, so a grid of k costs little.
    """
    pairs, weight = np.unique(np.column_stack(counts), axis=0, return_counts=True)
    k = np.atleast_1d(np.asarray(k, dtype=float))[:, None]
    with np.errstate(divide="ignore"):  # k = 0 and an unseen n-gram: infinitely many bits
        logs = np.log2((pairs[:, 0] + k) / (pairs[:, 1] + k * V))
    return -(logs * weight).sum(axis=1) / weight.sum()


@functools.lru_cache(maxsize=None)
def smoothing_curves(order: int) -> dict:
    """Training and validation bits per character over a fine grid of log10 k (cached), and
    the validation bits per character of Kneser–Ney (discount :data:`KN_DISCOUNT`)."""
    _, train, validation, _ = corpus_split()
    model = ngram_model(order)
    log_k = np.linspace(*LOG_K_RANGE, 126)   # steps of 0.04: the slider's 0.2 steps are on it
    # the training text scores its own n-grams: the first order - 1 characters are context
    train_counts = model.counts(train[order - 1:], context=train[:order - 1])
    kneser_ney = model.kneser_ney_probs(validation, discount=KN_DISCOUNT)
    return {"log_k": log_k,
            "train": bits_per_char(train_counts, 10 ** log_k, model.V),
            "validation": bits_per_char(model.counts(validation), 10 ** log_k, model.V),
            "kneser_ney": float(-np.mean(np.log2(kneser_ney)))}


def smoothing_data(log_k: float, order: int) -> dict:
    """The curves of ``order``, the point at k = 10**log_k and a seeded sample of the model."""
    model, curves = ngram_model(order), smoothing_curves(order)
    k = 10.0 ** log_k
    at = {name: float(np.interp(log_k, curves["log_k"], curves[name]))
          for name in ("train", "validation")}
    sample = model.sample(SAMPLE_LINES * LINE_WIDTH, k=k, prompt=PROMPT, seed=0)
    return {"log_k": log_k, "k": k, "order": order, "curves": curves, "at": at, "V": model.V,
            "sample": sample}


def sample_box_text(sample: str) -> str:
    """The sample as fixed lines of :data:`LINE_WIDTH` characters, a newline shown as ¶."""
    flat = sample.replace("\n", "¶")
    return "\n".join(flat[i:i + LINE_WIDTH].ljust(LINE_WIDTH)
                     for i in range(0, SAMPLE_LINES * LINE_WIDTH, LINE_WIDTH))


def draw_smoothing(fig, data):
    """Left: bits per character against k (training dashed, validation solid, Kneser–Ney's
    validation score dotted). Right: the numbers at the current k and the sample."""
    curve_ax, text_ax = fig.subplots(1, 2, width_ratios=[1, 1])
    (validation,) = curve_ax.plot([], [], color=COLORS["p"], label="validation (held out)")
    (train,) = curve_ax.plot([], [], color=COLORS["q"], ls="--", label="training")
    (kneser_ney,) = curve_ax.plot([], [], color=COLORS["grad"], ls=":", lw=2,
                                  label=f"Kneser–Ney (D = {KN_DISCOUNT}), validation")
    (dot_v,) = curve_ax.plot([], [], "o", color=COLORS["p"])
    (dot_t,) = curve_ax.plot([], [], "o", color=COLORS["q"])
    curve_ax.axhline(np.log2(data["V"]), color=COLORS["neutral"], lw=0.8, ls=":")
    curve_ax.text(LOG_K_RANGE[1], np.log2(data["V"]) + 0.1,
                  f"uniform guess: log₂ {data['V']} bits", fontsize="x-small", ha="right")
    decorate(curve_ax, xlabel="log₁₀ k", ylabel="bits per character",
             xlim=(LOG_K_RANGE[0] - 0.15, LOG_K_RANGE[1] + 0.15), ylim=(0, BITS_MAX),
             legend=False)
    curve_ax.legend(loc="upper left", fontsize="x-small")

    text_ax.set_axis_off()
    text_ax.set_xlim(0, 1)
    text_ax.set_ylim(0, 1)
    readout = text_ax.text(0.0, 1.02, "", fontsize="small", va="top", linespacing=1.4)
    text_ax.text(0.0, 0.69, f"it writes, after “{PROMPT.strip()}”:", fontsize="small",
                 va="top")
    box = text_ax.text(0.0, 0.57, sample_box_text(""), family="monospace", fontsize=9,
                       va="top", linespacing=1.45,
                       bbox={"boxstyle": "square,pad=0.5", "facecolor": "#f5f5f5",
                             "edgecolor": "#cccccc"})

    def update(data):
        curves = data["curves"]
        validation.set_data(curves["log_k"], curves["validation"])
        train.set_data(curves["log_k"], curves["train"])
        kneser_ney.set_data(LOG_K_RANGE, [curves["kneser_ney"]] * 2)
        dot_v.set_data([data["log_k"]], [data["at"]["validation"]])
        dot_t.set_data([data["log_k"]], [data["at"]["train"]])
        bits = data["at"]["validation"]
        readout.set_text(f"order {data['order']}, k = {data['k']:.2g}\n"
                         f"validation: {bits:.3f} bits/char (perplexity {2 ** bits:.2f})\n"
                         f"training: {data['at']['train']:.3f} bits/char\n"
                         f"Kneser–Ney, validation: {curves['kneser_ney']:.3f} bits/char")
        box.set_text(sample_box_text(data["sample"]))
        return [validation, train, kneser_ney, dot_v, dot_t, readout, box]

    update(data)
    return update


@register
def ngram_smoothing_explorer() -> Explorer:
    """An add-k character n-gram model of Shakespeare: bits per character on the training text
    and on held-out validation text against the smoothing constant k (log scale), for n-gram
    orders 1 to 7, the held-out score of a Kneser–Ney model of the same order, and the start of
    a text the add-k model writes (seeded).

    Try: at order 4, drag log₁₀ k from 1 down to −4: the training bits fall steadily, while
    the held-out bits fall, bottom out and rise again. At the smallest k, raise the order: at
    order 6 the training text costs about 1 bit per character and the sample stitches together
    fragments of the play, but the held-out text costs more than at order 4: over-fitting,
    measured in bits. At order 7 the sample soon reaches a context the training text lacks,
    where add-k guesses uniformly, and turns to noise. Kneser–Ney, which backs off to shorter
    contexts instead, keeps improving with the order.
    """
    return Explorer(smoothing_data, draw_smoothing,
                    # k starts at its largest value, so that the page opens on one end
                    {"log_k": Slider("log₁₀ k", *LOG_K_RANGE, LOG_K_RANGE[1], steps=26),
                     "order": Choice("order", list(ORDERS), 4)},
                    figsize=(9.0, 3.4))
