"""Lossless codes: Huffman's optimal prefix-free code and its expected length.

Entropy is the limit of lossless compression: no prefix-free binary code has an expected length
below H(p) bits, and Huffman's code gets below H(p) + 1. Derived in {doc}`01_entropy`.
"""
from __future__ import annotations

import heapq
import itertools

import numpy as np

from infoloss._validation import as_distribution

__all__ = ["huffman_code", "expected_code_length"]


def huffman_code(p) -> list[str]:
    r"""A binary Huffman code for the distribution ``p``: one codeword per outcome, in order.

    Huffman's algorithm repeatedly merges the two least probable nodes into one whose
    probability is their sum; the two merged nodes become siblings, so every outcome below them
    gains one bit (``"0"`` on the first, ``"1"`` on the second). The result is a prefix-free code
    with the smallest expected length :math:`L = \sum_k p_k \ell_k` among all prefix-free binary
    codes (for the given outcomes), and :math:`H_2(p) \le L < H_2(p) + 1` bits when no
    :math:`p_k` is 0 and ``K >= 2``.

    Parameters
    ----------
    p : (K,) array_like
        A probability distribution over ``K >= 1`` outcomes: finite, non-negative, summing to 1.

    Returns
    -------
    code : list of str
        ``code[k]`` is the codeword (a string of ``"0"`` and ``"1"``) of outcome ``k``.
        ``K = 1`` gives ``["0"]``: one bit per symbol, although the outcome is certain.

    Raises
    ------
    ValueError
        If ``p`` is not 1-D, is empty, has a negative, NaN or infinite entry, or does not sum to 1.

    Notes
    -----
    *Ties* are broken deterministically, so the same ``p`` always gives the same code: among nodes
    of equal probability, outcomes are merged before merged nodes, the last outcome first, and
    merged nodes in the order they were made. Of two equally probable outcomes, the earlier one
    thus never gets the longer codeword: for ``p`` sorted in decreasing order the codeword lengths
    never decrease with the index (the fair die gets lengths 2, 2, 3, 3, 3, 3).

    *Outcomes with* ``p[k] == 0`` still get a codeword, so a code built for a model ``q`` can
    encode any data, even an outcome ``q`` calls impossible. Being the least probable, they are
    merged first and get the longest codewords. Reserving them costs exactly :math:`p_{\min}`
    bits per symbol, the smallest positive probability: the zeros merge into one node of
    probability 0, which then hangs beside the least probable outcome, one bit deeper; the rest
    of the tree is the code without them. Outcomes with ``p[k] > 0`` always have
    :math:`\ell_k < \infty`, so the code can encode everything; its cost under another
    distribution is :func:`expected_code_length`.

    The code is *complete*: the codeword lengths satisfy Kraft's inequality with equality,
    :math:`\sum_k 2^{-\ell_k} = 1` (every node of the code tree has two children).

    References
    ----------
    .. [1] D. A. Huffman, "A method for the construction of minimum-redundancy codes",
       Proc. IRE 40(9), 1098-1101 (1952). https://doi.org/10.1109/JRPROC.1952.273898
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley (2006),
       sec. 5.6-5.8. https://doi.org/10.1002/047174882X

    Examples
    --------
    Cover and Thomas's distribution is dyadic (every probability a power of 1/2), so each
    codeword has length :math:`-\log_2 p_k` and the expected length equals the entropy, 1.75 bits:

    >>> code = huffman_code([1/2, 1/4, 1/8, 1/8])
    >>> [len(c) for c in code]
    [1, 2, 3, 3]
    >>> float(expected_code_length([1/2, 1/4, 1/8, 1/8], code))
    1.75
    """
    p = as_distribution(p, "p")
    if p.ndim != 1:
        raise ValueError(f"p must be 1-D, one probability per outcome; got shape {p.shape}. "
                         "Build one code per distribution.")
    if p.size == 1:
        return ["0"]
    K = p.size
    heap = [(float(w), K - 1 - k, [k]) for k, w in enumerate(p)]  # (probability, tie-break, outcomes)
    order = itertools.count(K)  # merged nodes rank after the outcomes, in order of creation
    heapq.heapify(heap)
    code = [""] * p.size
    while len(heap) > 1:
        w0, _, first = heapq.heappop(heap)   # the two least probable nodes become siblings:
        w1, _, second = heapq.heappop(heap)
        for k in first:                      # every outcome below them gains one bit in front
            code[k] = "0" + code[k]
        for k in second:
            code[k] = "1" + code[k]
        heapq.heappush(heap, (w0 + w1, next(order), first + second))
    return code


def expected_code_length(p, code) -> float:
    r"""The expected codeword length, in bits per symbol, of ``code`` on data drawn from ``p``.

    .. math:: L(p, \text{code}) = \sum_{k=1}^{K} p_k\, \ell_k, \qquad \ell_k = \text{len(code[k])}.

    With ``code = huffman_code(q)`` built for another distribution ``q``, this is the cost of
    coding with the wrong model; its gap to :math:`H_2(p)` is, up to rounding to whole bits,
    the KL divergence (the next chapter's cross-entropy).

    Parameters
    ----------
    p : (K,) array_like
        The distribution the symbols are drawn from: finite, non-negative, summing to 1.
    code : sequence of str, length K
        One non-empty codeword of ``"0"``/``"1"`` per outcome, e.g. from :func:`huffman_code`.

    Returns
    -------
    float
        Expected length in bits per symbol.

    Raises
    ------
    ValueError
        If ``p`` is not a 1-D distribution, if ``code`` does not have one codeword per outcome,
        or if a codeword is empty or contains characters other than ``"0"`` and ``"1"``.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley (2006),
       sec. 5.3-5.4. https://doi.org/10.1002/047174882X

    Examples
    --------
    For the eight-horse race of Cover and Thomas (Example 2.1.2) the Huffman code spends exactly
    the entropy, 2 bits per race:

    >>> p = [1/2, 1/4, 1/8, 1/16, 1/64, 1/64, 1/64, 1/64]
    >>> float(expected_code_length(p, huffman_code(p)))
    2.0
    """
    p = as_distribution(p, "p")
    if p.ndim != 1:
        raise ValueError(f"p must be 1-D, one probability per outcome; got shape {p.shape}")
    if isinstance(code, str) or len(code) != p.size:
        got = "a single string" if isinstance(code, str) else f"{len(code)} codewords"
        raise ValueError(f"code must have one codeword per outcome ({p.size}); got {got}. "
                         "Pass a list such as huffman_code(p).")
    for k, word in enumerate(code):
        if not isinstance(word, str) or not word or set(word) - {"0", "1"}:
            raise ValueError(f"code[{k}] = {word!r} is not a non-empty string of '0' and '1'")
    lengths = np.array([len(word) for word in code], dtype=float)
    return float(p @ lengths)
