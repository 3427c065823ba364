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


def as_num_classes(num_classes, name: str = "num_classes") -> int:
    """``num_classes`` as a Python int >= 2 (an integer, or a float with a whole-number value)."""
    whole = (isinstance(num_classes, (int, np.integer)) and not isinstance(num_classes, (bool, np.bool_))) \
        or (isinstance(num_classes, (float, np.floating)) and float(num_classes).is_integer())
    if not whole or num_classes < 2:
        raise ValueError(f"{name} must be an integer >= 2, got {num_classes!r}; "
                         "a classifier needs at least two classes")
    return int(num_classes)


def as_class_labels(labels, num_classes: int | None, name: str = "labels") -> np.ndarray:
    """``labels`` as an integer array of class indices in ``[0, num_classes)``.

    Integer dtypes pass; floats pass only when every value is a whole number. ``num_classes=None``
    checks only that the labels are non-negative integers.
    """
    arr = np.asarray(labels)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must be integer class indices, got an array of dtype {arr.dtype}; "
                         f"pass e.g. np.asarray({name}, dtype=int)")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any():
            bad = arr[~np.isfinite(arr) | (arr != np.round(arr))].ravel()[0]
            raise ValueError(f"{name} must be integer class indices, got the value {bad}; "
                             "labels are indices 0, 1, ..., K - 1, not probabilities or one-hot rows")
        arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} has a negative class index ({arr.min()}); classes are numbered "
                         "0, 1, ..., K - 1 (drop padding entries such as PyTorch's ignore_index -100 first)")
    if num_classes is not None and arr.size and arr.max() >= num_classes:
        raise ValueError(f"{name} has the class index {arr.max()}, but there are only {num_classes} "
                         f"classes (indices 0 to {num_classes - 1})")
    return arr


def as_smoothing_amount(eps, name: str = "eps") -> np.ndarray:
    """``eps`` as a float array (0-d for a number) with every entry in [0, 1): a smoothing amount."""
    if isinstance(eps, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number in [0, 1), got {eps!r}")
    try:
        e = np.asarray(eps, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1), got {eps!r}") from None
    if not (np.isfinite(e) & (e >= 0) & (e < 1)).all():
        bad = e[~(np.isfinite(e) & (e >= 0) & (e < 1))].ravel()[0]
        raise ValueError(f"{name} must lie in [0, 1), got {float(bad)}; eps = 0 is no smoothing and "
                         "eps = 1 would throw the label away")
    return e
