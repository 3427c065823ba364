"""Calibration of a classifier's probabilities: reliability-diagram bins and the expected
calibration error (ECE).

A classifier is calibrated when, among the examples it predicts with confidence about 0.8,
about 80% are right. Both functions bin the examples by their top-class confidence on equal-width
bins of [0, 1] (Naeini et al. 2015; Guo et al. 2017). Derived in {doc}`03_label_smoothing`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from infoloss._validation import as_class_labels, as_distribution

__all__ = ["expected_calibration_error", "reliability_bins", "ReliabilityBins"]

_REFS = """
    References
    ----------
    .. [1] M. P. Naeini, G. F. Cooper and M. Hauskrecht, "Obtaining Well Calibrated Probabilities
       Using Bayesian Binning", AAAI 2015, pp. 2901-2907. doi:10.1609/aaai.v29i1.9602
    .. [2] C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern Neural
       Networks", ICML 2017, PMLR 70:1321-1330, sec. 2. doi:10.48550/arXiv.1706.04599"""


class ReliabilityBins(NamedTuple):
    """Per-bin statistics of a reliability diagram (see :func:`reliability_bins`)."""

    edges: np.ndarray       #: (n_bins + 1,) bin edges, 0 to 1
    counts: np.ndarray      #: (n_bins,) number of examples whose confidence falls in each bin
    accuracy: np.ndarray    #: (n_bins,) fraction predicted right in each bin (0 if empty)
    confidence: np.ndarray  #: (n_bins,) mean top-class confidence in each bin (0 if empty)


def _checked(probs, labels, n_bins):
    p = as_distribution(probs, "probs")
    if p.ndim != 2:
        raise ValueError(f"probs must be a 2-D array (N examples, K classes), got shape {p.shape}; "
                         "for one example use probs[None, :]")
    y = as_class_labels(labels, p.shape[1])
    if y.shape != (p.shape[0],):
        raise ValueError(f"labels must have shape (N,) = ({p.shape[0]},) to match probs with shape "
                         f"{p.shape}, got {y.shape}; pass one integer class index per row of probs")
    if isinstance(n_bins, (bool, np.bool_)) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be an integer >= 1, got {n_bins!r} (Guo et al. use 15)")
    return p, y, int(n_bins)


def reliability_bins(probs, labels, *, n_bins=15):
    r"""Bin examples by their top-class confidence: count, accuracy and mean confidence per bin.

    Parameters
    ----------
    probs : (N, K) array_like
        Predicted distributions, one row per example (entries >= 0 summing to 1 within 1e-6).
    labels : (N,) array_like of int
        The true classes, in ``[0, K)``.
    n_bins : int
        Number of equal-width bins of [0, 1]; bin :math:`m` is :math:`((m-1)/M, m/M]`.

    Returns
    -------
    ReliabilityBins
        ``edges`` (n_bins + 1,), and per bin ``counts``, ``accuracy`` (the fraction of its
        examples whose arg-max class is the label) and ``confidence`` (their mean top-class
        probability); accuracy and confidence are 0 in an empty bin.

    Raises
    ------
    ValueError
        If a row of ``probs`` is not a distribution or ``probs`` is not 2-D, if ``labels`` are not
        integers in ``[0, K)`` or not one per row, or if ``n_bins`` is not an integer >= 1.

    Notes
    -----
    The prediction of an example is :math:`\hat y = \arg\max_k p_k` (the first, on ties) and its
    confidence :math:`\max_k p_k`. A bin's gap :math:`|\text{accuracy} - \text{confidence}|` is
    what a reliability diagram shows. Derived in {doc}`03_label_smoothing`.
    {refs}

    Examples
    --------
    Confidences 0.9, 0.8 and 0.7: the last two share the bin (0.6, 0.8], where one of two is
    right.

    >>> bins = reliability_bins([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=5)
    >>> bins.counts.tolist(), bins.accuracy.tolist()
    ([0, 0, 0, 2, 1], [0.0, 0.0, 0.0, 0.5, 1.0])
    >>> bool(np.isclose(bins.confidence[3], 0.75))
    True
    """
    p, y, M = _checked(probs, labels, n_bins)
    edges = np.linspace(0.0, 1.0, M + 1)
    confidence, correct = p.max(axis=1), (p.argmax(axis=1) == y).astype(float)
    # bin m holds edges[m] < confidence <= edges[m + 1]
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, M - 1)
    counts = np.bincount(which, minlength=M)
    filled = np.maximum(counts, 1)
    return ReliabilityBins(edges, counts, np.bincount(which, correct, M) / filled,
                           np.bincount(which, confidence, M) / filled)


def expected_calibration_error(probs, labels, *, n_bins=15):
    r"""Expected calibration error: the weighted mean gap between accuracy and confidence.

    :math:`\mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{N}\,\bigl|\mathrm{acc}(B_m) -
    \mathrm{conf}(B_m)\bigr|` over equal-width bins :math:`B_m` of the top-class confidence.

    Parameters
    ----------
    probs : (N, K) array_like
        Predicted distributions, one row per example (entries >= 0 summing to 1 within 1e-6).
    labels : (N,) array_like of int
        The true classes, in ``[0, K)``.
    n_bins : int
        Number :math:`M` of equal-width bins of [0, 1] (default 15, as in Guo et al. 2017).

    Returns
    -------
    ece : float
        In [0, 1], a probability (not nats): 0 when every bin's accuracy equals its mean
        confidence.

    Raises
    ------
    ValueError
        For the inputs :func:`reliability_bins` rejects: rows of ``probs`` that are not
        distributions, ``probs`` not 2-D, ``labels`` not integers in ``[0, K)`` or not one per
        row, ``n_bins`` not an integer >= 1.

    Notes
    -----
    Bin :math:`m` holds the examples with confidence in :math:`((m-1)/M, m/M]`. The estimate
    depends on ``n_bins`` and is biased upwards for small bins: a perfectly calibrated model
    has a positive ECE on a finite sample. Derived in {doc}`03_label_smoothing`.
    {refs}

    Examples
    --------
    Confidence 0.8 on every example, and 8 of 10 right: calibrated.

    >>> probs = np.tile([0.8, 0.2], (10, 1))
    >>> labels = [0] * 8 + [1] * 2
    >>> round(expected_calibration_error(probs, labels), 12)
    0.0
    >>> round(expected_calibration_error(probs, [0] * 10), 12)  # 100% right, 80% sure
    0.2
    """
    bins = reliability_bins(probs, labels, n_bins=n_bins)
    weights = bins.counts / bins.counts.sum()
    return float(np.sum(weights * np.abs(bins.accuracy - bins.confidence)))


for _f in (reliability_bins, expected_calibration_error):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
del _f
