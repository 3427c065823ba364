"""The cross-entropy of language: perplexity, and character n-gram models.

:func:`perplexity` turns a model's probabilities of the observed tokens into ``e`` to the mean
negative log-likelihood. :class:`CharNgramModel` counts the n-grams of a training text (with
NumPy, not a Python loop) and gives every character of another text its probability under the
unsmoothed, add-k or interpolated Kneser–Ney model; it can also write text.
:func:`shakespeare_text` loads the book's corpus.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from infoloss._validation import as_finite_array

#: The book's corpus: the first 300,000 characters of Tiny Shakespeare (book/data/README.md).
SHAKESPEARE_FILE = Path(__file__).resolve().parents[1] / "book" / "data" / "tinyshakespeare_300k.txt"
SHAKESPEARE_URL = ("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/"
                   "tinyshakespeare/input.txt")
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
SLICE_SHA256 = "8a73136f699d7ed17260b916b0797fafdfe6213bbbcf1914ba5327134b7c863e"
SLICE_LENGTH = 300_000

_REFS = """
    References
    ----------
    .. [1] S. F. Chen and J. Goodman, "An empirical study of smoothing techniques for language
       modeling", Computer Speech & Language 13(4):359-393, 1999. doi:10.1006/csla.1999.0128
    .. [2] D. Jurafsky and J. H. Martin, *Speech and Language Processing*, 3rd ed. draft,
       ch. 3, "N-gram Language Models". https://web.stanford.edu/~jurafsky/slp3/"""


def shakespeare_text() -> str:
    """The book's corpus: the first 300,000 characters of Tiny Shakespeare (Karpathy's char-rnn).

    Read from ``book/data/tinyshakespeare_300k.txt`` of a clone of the book's repository; where
    that file is missing (an installed package, Colab), downloaded from :data:`SHAKESPEARE_URL`
    and sliced. Both the source and the slice are checked against their SHA-256 hashes.

    Returns
    -------
    text : str
        300,000 ASCII characters, 62 of them distinct.

    Raises
    ------
    ValueError
        If the text read or downloaded does not have the expected hash.
    """
    if SHAKESPEARE_FILE.exists():
        data = SHAKESPEARE_FILE.read_bytes()
    else:  # an installed package or Colab: no clone around it
        data = _download_slice()
    if hashlib.sha256(data).hexdigest() != SLICE_SHA256:
        raise ValueError(f"{SHAKESPEARE_FILE.name} does not have the expected SHA-256 hash "
                         f"{SLICE_SHA256}; restore it from the repository (git checkout)")
    return data.decode("ascii")


def _download_slice() -> bytes:
    """The first :data:`SLICE_LENGTH` bytes of the source, after checking the source's hash."""
    from urllib.request import urlopen

    with urlopen(SHAKESPEARE_URL, timeout=60) as response:
        source = response.read()
    if hashlib.sha256(source).hexdigest() != SHAKESPEARE_SHA256:
        raise ValueError(f"the file downloaded from {SHAKESPEARE_URL} does not have the expected "
                         f"SHA-256 hash {SHAKESPEARE_SHA256}")
    return source[:SLICE_LENGTH]


def perplexity(token_probs):
    r"""Perplexity :math:`e^{-\frac1N \sum_i \log p_i}` of the probabilities of observed tokens.

    The exponential of the cross-entropy (the mean negative log-likelihood in nats) of a model on
    a text: the number of equally likely choices that would be as surprising, on average, as the
    model finds the text. It is independent of the base of the logarithm
    (:math:`2^{H_\text{bits}} = e^{H_\text{nats}}`).

    Parameters
    ----------
    token_probs : (N,) array_like
        The probability the model gave to each token that actually occurred,
        :math:`p_i = q(x_i \mid x_{<i})`, each in [0, 1].

    Returns
    -------
    perplexity : float
        At least 1 (1 only if every token had probability 1); ``inf``, without a warning, if
        some token had probability 0 (or the mean log-likelihood is below ``-log(max float)``).

    Raises
    ------
    ValueError
        If ``token_probs`` is empty, not one-dimensional, not numeric, or has NaN/inf entries or
        entries outside [0, 1].

    Notes
    -----
    Computed from the mean of :math:`-\log p_i`, never as the product
    :math:`\prod_i p_i^{-1/N}`, whose factors underflow to 0 for a text of a few hundred tokens.
    Its reciprocal, :math:`(\prod_i p_i)^{1/N}`, is the *geometric* mean of the token
    probabilities, which is at most their arithmetic mean. Derived in the book chapter
    {doc}`07_mutual_information_perplexity`.
    {refs}

    Examples
    --------
    A model that spreads its bets evenly over 4 tokens has perplexity 4, whatever happens:

    >>> perplexity([0.25, 0.25, 0.25])
    4.0

    It is e to the cross-entropy in nats, or 2 to the cross-entropy in bits:

    >>> p = np.array([0.5, 0.1, 0.9, 0.3])
    >>> bool(np.isclose(perplexity(p), 2 ** np.mean(-np.log2(p))))
    True

    One impossible token makes it infinite, and a long text does not underflow:

    >>> perplexity([0.5, 0.0])
    inf
    >>> bool(np.isclose(perplexity(np.full(100_000, 0.01)), 100.0))
    True
    """
    p = as_finite_array(token_probs, "token_probs")
    if p.ndim != 1:
        raise ValueError(f"token_probs must be one-dimensional (N,), got shape {p.shape}; "
                         "flatten it first, e.g. token_probs.ravel()")
    if p.size == 0:
        raise ValueError("token_probs is empty; the perplexity of no tokens is undefined")
    if (p < 0).any() or (p > 1).any():
        raise ValueError(f"token_probs must lie in [0, 1] (got values in [{p.min():.3g}, "
                         f"{p.max():.3g}]); pass probabilities, not logits or log-probabilities")
    with np.errstate(divide="ignore", over="ignore"):  # log 0 = -inf and e^inf = inf: deserved
        return float(np.exp(-np.log(p).mean()))


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """``values`` of the sorted ``keys`` at ``queries``, 0 for a query that is not a key."""
    if keys.size == 0:
        return np.zeros(queries.shape, dtype=values.dtype)
    i = np.minimum(np.searchsorted(keys, queries), keys.size - 1)
    return np.where(keys[i] == queries, values[i], 0)


class _Table:
    """Counts of m-grams (sorted integer codes) and, per context, their total and distinct types."""

    def __init__(self, codes: np.ndarray, counts: np.ndarray, V: int):
        self.codes, self.counts = codes, counts
        self.contexts, inverse = np.unique(codes // V, return_inverse=True)
        self.totals = np.bincount(inverse, weights=counts).astype(np.int64)  # N(h)
        self.types = np.bincount(inverse)                                     # N1+(h •)

    def at(self, codes: np.ndarray, V: int):
        """N(h c), N(h) and N1+(h •) at the m-gram ``codes`` (0 where unseen)."""
        contexts = codes // V
        return (_lookup(self.codes, self.counts, codes), _lookup(self.contexts, self.totals, contexts),
                _lookup(self.contexts, self.types, contexts))


class CharNgramModel:
    r"""A character n-gram language model: the n-gram counts of a training text.

    The model predicts each character from the ``order - 1`` characters before it. With the
    counts :math:`N(h c)` of each n-gram (context :math:`h`, next character :math:`c`) and
    :math:`N(h) = \sum_c N(h c)`, add-k smoothing gives

    .. math:: q(c \mid h) = \frac{N(h c) + k}{N(h) + k V}

    over an alphabet of :math:`V` characters: :math:`k = 0` is the maximum-likelihood
    (unsmoothed) model, :math:`k = 1` Laplace's rule. :meth:`kneser_ney_probs` gives the
    interpolated Kneser–Ney model instead.

    Parameters
    ----------
    train : str
        The training text, at least ``order`` characters long.
    order : int
        n: 1 for a unigram model, 2 for a bigram model, ...
    alphabet : str, optional
        The characters the model knows, each once; default: the sorted characters of ``train``.
        Every text the model scores must use only these.

    Attributes
    ----------
    alphabet : str
    V : int
        The size of the alphabet.
    order : int
    train : str

    Raises
    ------
    ValueError
        If ``order`` is not an integer >= 1, ``train`` is not a string at least ``order``
        characters long, ``alphabet`` repeats a character or misses one of ``train``, or
        ``V ** order`` does not fit in a 64-bit integer code.

    Notes
    -----
    An n-gram is coded as the integer :math:`\sum_j c_j V^{n-1-j}` of its character indices, so
    counting is ``np.unique`` over the codes and looking up is ``np.searchsorted``: a few
    hundred thousand characters take milliseconds. Derived in the book chapter
    {doc}`07_mutual_information_perplexity`.
    {refs}

    Examples
    --------
    >>> model = CharNgramModel("abracadabra", order=2)
    >>> model.alphabet, model.V
    ('abcdr', 5)

    After "a" the training text has "b" twice, "c" once, "d" once (and "a" ends it):

    >>> model.probs("ab", context="a")          # q(a | a) = 0, q(b | a) = 2/4
    array([0. , 0.5])
    >>> model.probs("ab", context="a", k=1) * 9  # (0 + 1)/(4 + 5), (2 + 1)/(4 + 5)
    array([1., 3.])

    Every smoothed conditional distribution sums to 1:

    >>> bool(np.isclose(model.next_char_probs("a", k=0.5).sum(), 1.0))
    True
    """

    def __init__(self, train: str, order: int, *, alphabet: str | None = None):
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
            raise ValueError(f"order must be an integer >= 1 (1 for unigrams, 2 for bigrams...), "
                             f"got {order!r}")
        if not isinstance(train, str) or len(train) < order:
            raise ValueError(f"train must be a string of at least order = {order} characters, got "
                             f"{type(train).__name__} of length {len(train) if isinstance(train, str) else '?'}")
        if alphabet is None:
            alphabet = "".join(sorted(set(train)))
        elif not isinstance(alphabet, str) or len(set(alphabet)) != len(alphabet):
            raise ValueError("alphabet must be a string of distinct characters, e.g. "
                             "''.join(sorted(set(text)))")
        self.alphabet, self.V, self.order, self.train = alphabet, len(alphabet), int(order), train
        if self.V ** self.order >= 2 ** 63:
            raise ValueError(f"order = {order} is too high for an alphabet of {self.V} characters: "
                             "the n-gram codes would overflow 64-bit integers")
        self._index = {c: i for i, c in enumerate(alphabet)}
        self.train_ids = self.encode(train, name="train")
        self._tables: dict[tuple[str, int], _Table] = {}

    def __repr__(self) -> str:
        return f"CharNgramModel(order={self.order}, V={self.V}, {len(self.train)} training characters)"

    # -- text <-> integer codes ----------------------------------------------------------------
    def encode(self, text: str, *, name: str = "text") -> np.ndarray:
        """The characters of ``text`` as indices into :attr:`alphabet`, an (N,) int64 array.

        Raises
        ------
        ValueError
            If ``text`` is not a string or has characters outside the alphabet (they are named).
        """
        if not isinstance(text, str):
            raise ValueError(f"{name} must be a string, got {type(text).__name__}")
        try:
            return np.fromiter((self._index[c] for c in text), dtype=np.int64, count=len(text))
        except KeyError:
            unknown = sorted(set(text) - set(self._index))
            raise ValueError(f"{name} has characters outside the model's alphabet: {unknown!r}; "
                             "build the model with an alphabet that includes them") from None

    def _grams(self, ids: np.ndarray, m: int) -> np.ndarray:
        """The (N - m + 1, m) windows of m consecutive characters of ``ids``."""
        if ids.size < m:
            return np.zeros((0, m), dtype=np.int64)
        return np.lib.stride_tricks.sliding_window_view(ids, m)

    def _code(self, grams: np.ndarray) -> np.ndarray:
        """The integer code sum_j g_j V^(m-1-j) of each row of an (N, m) array of n-grams."""
        codes = np.zeros(grams.shape[0], dtype=np.int64)
        for j in range(grams.shape[1]):
            codes = codes * self.V + grams[:, j]
        return codes

    def _raw(self, m: int) -> _Table:
        """The counts of the m-grams of the training text (computed once per m)."""
        if ("raw", m) not in self._tables:
            codes = self._code(self._grams(self.train_ids, m))
            self._tables["raw", m] = _Table(*np.unique(codes, return_counts=True), self.V)
        return self._tables["raw", m]

    def _continuation(self, m: int) -> _Table:
        """Kneser–Ney's continuation counts N1+(• g): how many characters precede the m-gram g."""
        if ("continuation", m) not in self._tables:
            # the distinct (m+1)-grams, cut to their last m characters
            suffixes = self._raw(m + 1).codes % self.V ** m
            self._tables["continuation", m] = _Table(*np.unique(suffixes, return_counts=True),
                                                     self.V)
        return self._tables["continuation", m]

    def _history(self, history: str | None, name: str) -> np.ndarray:
        """The last ``order - 1`` character indices of ``history`` (default: of the training text)."""
        need = self.order - 1
        ids = self.train_ids if history is None else self.encode(history, name=name)
        if ids.size < need:
            raise ValueError(f"{name} must have at least order - 1 = {need} characters, got "
                             f"{ids.size}")
        return ids[ids.size - need:]

    def _text_grams(self, text: str, context: str | None) -> np.ndarray:
        """The (N, order) n-grams that end at each character of ``text``."""
        ids = self.encode(text)
        if ids.size == 0:
            raise ValueError("text is empty; give at least one character to score")
        return self._grams(np.concatenate([self._history(context, "context"), ids]), self.order)

    def _next_grams(self, history: str) -> np.ndarray:
        """The (V, order) n-grams of ``history``'s context followed by each character."""
        context = np.tile(self._history(history, "history"), (self.V, 1))
        return np.column_stack([context, np.arange(self.V)])

    def _add_k(self, grams: np.ndarray, k: float) -> np.ndarray:
        ngram, total, _ = self._raw(self.order).at(self._code(grams), self.V)
        denominator = total + k * self.V
        return np.divide(ngram + k, denominator, out=np.zeros(ngram.shape), where=denominator > 0)

    def _kneser_ney(self, grams: np.ndarray, discount: float) -> np.ndarray:
        q = np.full(grams.shape[0], 1.0 / self.V)  # below order 1: uniform
        for m in range(1, self.order + 1):
            table = self._raw(m) if m == self.order else self._continuation(m)
            count, total, types = table.at(self._code(grams[:, self.order - m:]), self.V)
            seen = total > 0
            q = np.where(seen, (np.maximum(count - discount, 0) + discount * types * q)
                         / np.where(seen, total, 1), q)
        return q

    # -- probabilities -------------------------------------------------------------------------
    def counts(self, text: str, *, context: str | None = None):
        """The training counts :math:`N(h c)` and :math:`N(h)` behind each character of ``text``.

        Parameters
        ----------
        text : str
            The characters to score.
        context : str, optional
            The text that precedes ``text`` (its last ``order - 1`` characters are the context of
            the first character); default: the end of the training text, as for a held-out part
            that follows it.

        Returns
        -------
        ngram_counts, context_counts : (N,) int64 ndarray
            For each character c of ``text`` with context h: how often the training text has
            the n-gram hc, and how often it has h followed by any character.

        Raises
        ------
        ValueError
            If ``text`` is empty or has characters outside the alphabet, or ``context`` is
            shorter than ``order - 1`` characters.
        """
        ngram, total, _ = self._raw(self.order).at(
            self._code(self._text_grams(text, context)), self.V)
        return ngram, total

    def probs(self, text: str, *, k: float = 0.0, context: str | None = None) -> np.ndarray:
        r"""The add-k probability :math:`(N(h c) + k) / (N(h) + k V)` of each character.

        Parameters
        ----------
        text : str
            The characters to score.
        k : float
            The pseudo-count added to every n-gram, >= 0; 0 gives the unsmoothed
            (maximum-likelihood) model, whose probability is 0 for an n-gram the training text
            lacks, and also for a context it lacks.
        context : str, optional
            The text before ``text`` (see :meth:`counts`).

        Returns
        -------
        probs : (N,) ndarray
            :math:`q(c_i \mid h_i)` for each character of ``text``; feed it to
            :func:`perplexity`.

        Raises
        ------
        ValueError
            As :meth:`counts`, or if ``k`` is negative or not finite.
        """
        return self._add_k(self._text_grams(text, context), _check_k(k))

    def kneser_ney_probs(self, text: str, *, discount: float = 0.75,
                         context: str | None = None) -> np.ndarray:
        r"""The interpolated Kneser–Ney probability of each character of ``text``.

        .. math::

            q_n(c \mid h) = \frac{\max(N(h c) - D, 0)}{N(h)}
                          + \frac{D\, N_{1+}(h\, \bullet)}{N(h)}\, q_{n-1}(c \mid h')

        where :math:`h'` drops the first character of :math:`h` and :math:`N_{1+}(h\, \bullet)`
        counts the distinct characters seen after :math:`h`. The lower orders use continuation
        counts :math:`N_{1+}(\bullet\, h' c)` (how many distinct characters precede
        :math:`h' c`) in place of :math:`N(h' c)`, the lowest order interpolates with the
        uniform :math:`1/V`, and an unseen context passes the whole mass to the order below.

        Parameters
        ----------
        text : str
            The characters to score.
        discount : float
            The absolute discount :math:`D`, the same at every order, in (0, 1].
        context : str, optional
            The text before ``text`` (see :meth:`counts`).

        Returns
        -------
        probs : (N,) ndarray
            Every entry is > 0: the model never calls a character impossible.

        Raises
        ------
        ValueError
            As :meth:`counts`, or if ``discount`` is not in (0, 1].

        Notes
        -----
        This is the interpolated Kneser–Ney of Chen and Goodman (1999), with one
        discount for all orders (their modified version uses three per order). With
        :math:`D \le 1` every seen count keeps a non-negative remainder, so each conditional
        distribution sums to exactly 1.
        """
        return self._kneser_ney(self._text_grams(text, context), _check_discount(discount))

    # -- generation ----------------------------------------------------------------------------
    def next_char_probs(self, history: str, *, k: float | None = None,
                        discount: float | None = None) -> np.ndarray:
        """The distribution (V,) of the character after ``history`` (its last ``order - 1``).

        Give exactly one of ``k`` (add-k smoothing, k > 0) and ``discount`` (Kneser–Ney).

        Raises
        ------
        ValueError
            If both or neither of ``k`` and ``discount`` are given, ``k`` is not > 0 (the
            unsmoothed model has no distribution after an unseen context), ``discount`` is not
            in (0, 1], or ``history`` is shorter than ``order - 1`` or leaves the alphabet.
        """
        smooth = self._smoother(k, discount)
        return smooth(self._next_grams(history))

    def _smoother(self, k, discount):
        """The function from (N, order) n-grams to probabilities that ``k`` or ``discount`` names."""
        if (k is None) == (discount is None):
            raise ValueError("give exactly one of k (add-k smoothing) and discount (Kneser–Ney)")
        if discount is not None:
            D = _check_discount(discount)
            return lambda grams: self._kneser_ney(grams, D)
        k = _check_k(k)
        if k == 0:
            raise ValueError("k must be > 0 to generate text: with k = 0 an unseen context has "
                             "no next-character distribution")
        return lambda grams: self._add_k(grams, k)

    def sample(self, length: int, *, prompt: str, k: float | None = None,
               discount: float | None = None, seed: int = 0) -> str:
        """``length`` characters written by the model after ``prompt``.

        Give exactly one of ``k`` (add-k smoothing) and ``discount`` (Kneser–Ney). Each
        character is drawn from :meth:`next_char_probs` by inverting its cumulative distribution
        at a uniform number; the uniforms come from ``np.random.default_rng(seed)``, so the same
        seed gives the same text, and models that differ a little write texts that differ a
        little.

        Raises
        ------
        ValueError
            As :meth:`next_char_probs`, or if ``length`` is not an integer >= 0.
        """
        if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
            raise ValueError(f"length must be an integer >= 0, got {length!r}")
        smooth = self._smoother(k, discount)
        history = self._history(prompt, "prompt")
        out = []
        for u in np.random.default_rng(seed).random(length):
            grams = np.column_stack([np.tile(history, (self.V, 1)), np.arange(self.V)])
            cdf = np.cumsum(smooth(grams))
            c = min(int(np.searchsorted(cdf, u * cdf[-1], side="right")), self.V - 1)
            out.append(self.alphabet[c])
            history = np.append(history, c)[1:]
        return "".join(out)


def _check_discount(discount) -> float:
    try:
        D = float(discount)
    except (TypeError, ValueError):
        raise ValueError(f"discount must be a number in (0, 1], got {discount!r}") from None
    if not 0 < D <= 1:
        raise ValueError(f"discount must lie in (0, 1], got {discount}; 0.75 is the usual choice")
    return D


def _check_k(k) -> float:
    try:
        k = float(k)
    except (TypeError, ValueError):
        raise ValueError(f"k must be a number >= 0, got {k!r}") from None
    if not np.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0 (0: no smoothing, 1: Laplace), got {k}")
    return k


for _f in (perplexity, CharNgramModel):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
