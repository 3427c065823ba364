"""Input checks shared by the library: every ValueError names the argument, the problem and a fix."""
from __future__ import annotations

import numpy as np

#: Absolute tolerance on ``sum(p) == 1`` along the distribution axis.
SUM_TOL = 1e-6


def as_finite_array(x, name: str) -> np.ndarray:
    """``x`` as a float array with at least one dimension and only finite entries."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers ({err})") from None
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar; "
                         f"wrap it in a list, e.g. [{name}]")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; remove or replace those entries")
    return arr


def check_axis(arr: np.ndarray, name: str, axis: int) -> None:
    """``axis`` exists in ``arr`` and is not empty."""
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis={axis} is out of range for {name} with {arr.ndim} dimension(s)")
    if arr.shape[axis] == 0:
        raise ValueError(f"{name} is empty along axis {axis}; a distribution needs at least one outcome")


def as_distribution(p, name: str, *, axis: int = -1) -> np.ndarray:
    """``p`` as a float array of probability vectors along ``axis``.

    Raises ValueError for NaN/inf, negative entries, an empty or missing axis, or sums that
    differ from 1 by more than ``SUM_TOL``. Nothing is normalized silently.
    """
    arr = as_finite_array(p, name)
    check_axis(arr, name, axis)
    if (arr < 0).any():
        raise ValueError(f"{name} has negative entries (min {arr.min():.3g}); probabilities are >= 0")
    sums = arr.sum(axis=axis)
    if not np.allclose(sums, 1.0, rtol=0, atol=SUM_TOL):
        raise ValueError(
            f"{name} must sum to 1 along axis {axis} (got sums in [{sums.min():.6g}, {sums.max():.6g}]); "
            f"normalize it first, e.g. {name} / {name}.sum(axis={axis}, keepdims=True)")
    return arr


def broadcast_pair(p: np.ndarray, q: np.ndarray, names: tuple[str, str]):
    """``p`` and ``q`` broadcast against each other, or a ValueError naming both shapes."""
    try:
        return np.broadcast_arrays(p, q)
    except ValueError:
        raise ValueError(f"{names[0]} with shape {p.shape} and {names[1]} with shape {q.shape} "
                         "do not broadcast; give them the same number of outcomes on the last axis") from None


def log_base(base) -> float:
    """``log(base)`` for a valid base (finite, > 0, != 1); 1.0 for ``base=None`` (nats)."""
    if base is None:
        return 1.0
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base must be a finite number > 0 and != 1, got {base}; "
                         "use base=2 for bits or None for nats")
    return float(np.log(b))
