"""Self-checks for the code exercises: run the reader's function, compare with the library,
and say in plain words what is wrong.

Each public checker prints one success line (starting with ✓) or a short diagnosis (✗) and
returns nothing, so a check cell shows just that line. It never raises because the reader's
function is wrong: an exception inside it is reported.
Add a checker by listing cases and a reference function, then calling :func:`_run_check`.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from infoloss.measures import cross_entropy, entropy, kl_divergence

Case = tuple  # the positional arguments of one call


def _random_distributions(n: int, seed: int = 0) -> list[np.ndarray]:
    """Seeded Dirichlet samples of 2 to 6 outcomes, some with an exact zero."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        p = rng.dirichlet(np.ones(rng.integers(2, 7)))
        if i % 4 == 3:
            p[0] = 0.0
            p /= p.sum()
        out.append(p)
    return out


def _pairs_with_positive_q(seed: int) -> list[Case]:
    """(p, q) pairs with q > 0 everywhere, so every answer is finite."""
    rng = np.random.default_rng(seed)
    return [(p, rng.dirichlet(np.ones(len(p)))) for p in _random_distributions(20, seed)]


def _hint(args: Case, got: float, expected: float) -> str:
    """A guess at the usual mistakes, from how ``got`` differs from ``expected``."""
    if np.isnan(got):
        if any(np.any(np.asarray(a) == 0) for a in args):
            return "0·log 0 must count as 0; np.log(0) is -inf and 0 * -inf is nan (try scipy.special.xlogy)."
        return "your function returned nan."
    if expected != 0 and np.isfinite(expected):
        ratio = got / expected
        if np.isclose(ratio, 1 / np.log(2)):
            return "off by a factor 1/ln 2: did you use log base 2? This exercise wants nats (np.log)."
        if np.isclose(ratio, -1):
            return "the sign is flipped: entropy-like quantities carry a minus sign in front of the sum."
    return ""


def _fmt(args: Case) -> str:
    return ", ".join(np.array2string(np.asarray(a), precision=4, separator=", ") for a in args)


def _run_check(name: str, fn: Callable, cases: Sequence[Case], reference: Callable,
               *, atol: float = 1e-8) -> None:
    """Call ``fn(*case)`` for every case, compare with ``reference(*case)``, print the verdict."""
    for args in cases:
        expected = np.asarray(reference(*args), dtype=float)
        try:
            got = np.asarray(fn(*args), dtype=float)
        except Exception as err:  # the reader's bug, reported rather than raised
            print(f"✗ {name}: your function raised {type(err).__name__}: {err}\n  for input {_fmt(args)}")
            return
        if got.shape != expected.shape:
            print(f"✗ {name}: for input {_fmt(args)} expected shape {expected.shape}, got {got.shape}")
            return
        if not np.allclose(got, expected, atol=atol, rtol=1e-6, equal_nan=False):
            hint = _hint(args, float(got.ravel()[0]), float(expected.ravel()[0])) if got.size == 1 else ""
            print(f"✗ {name}: for input {_fmt(args)}\n  expected {np.array2string(expected, precision=6)}, "
                  f"got {np.array2string(got, precision=6)}" + (f"\n  Hint: {hint}" if hint else ""))
            return
    print(f"✓ {name}: all {len(cases)} cases match the library.")


def check_entropy(fn: Callable) -> None:
    """Check ``fn(p)``: the entropy in nats of a 1-D probability vector ``p``.

    Prints a success line when every case matches :func:`infoloss.entropy`, else what is wrong.
    """
    cases = [(np.array([0.5, 0.5]),), (np.array([1.0, 0.0]),), (np.full(6, 1 / 6),)]
    cases += [(p,) for p in _random_distributions(20)]
    return _run_check("check_entropy", fn, cases, entropy)


def check_cross_entropy(fn: Callable) -> None:
    """Check ``fn(p, q)``: the cross-entropy in nats of 1-D probability vectors, q > 0."""
    cases = [(np.array([1.0, 0.0]), np.array([0.5, 0.5]))] + _pairs_with_positive_q(seed=1)
    return _run_check("check_cross_entropy", fn, cases, cross_entropy)


def check_kl_divergence(fn: Callable) -> None:
    """Check ``fn(p, q)``: the KL divergence in nats of 1-D probability vectors, q > 0."""
    cases = [(np.array([0.5, 0.5]), np.array([0.5, 0.5])), (np.array([1.0, 0.0]), np.array([0.9, 0.1]))]
    cases += _pairs_with_positive_q(seed=2)
    return _run_check("check_kl_divergence", fn, cases, kl_divergence)


def check_binary_entropy(fn: Callable) -> None:
    """Check ``fn(p)``: the entropy in nats of a coin with P(heads) = p, for a scalar p in [0, 1]."""
    cases = [(p,) for p in (0.0, 1.0, 0.5, 0.1, 0.9, 1e-9, 0.3, 0.7, 0.25)]
    return _run_check("check_binary_entropy", fn, cases, lambda p: entropy([p, 1 - p]))


def _expected_length_of_prefix_free(fn: Callable) -> Callable:
    """``p -> expected length of fn(p)``, refusing a code that is not a prefix-free binary code."""
    import itertools

    from infoloss.coding import expected_code_length

    def cost(p):
        code = list(fn(p))
        for a, b in itertools.permutations(code, 2):
            if b.startswith(a):
                raise ValueError(f"the code is not prefix-free: {a!r} is a prefix of {b!r}")
        return expected_code_length(p, code)  # checks one '0'/'1' codeword per outcome

    return cost


def check_huffman_code(fn: Callable) -> None:
    """Check ``fn(p)``: one codeword (a string of '0' and '1') per outcome of ``p``, forming a
    prefix-free code of the smallest expected length. Ties may be broken any way."""
    from infoloss.coding import expected_code_length, huffman_code

    cases = [(np.array([0.5, 0.25, 0.125, 0.125]),), (np.full(6, 1 / 6),), (np.array([0.9, 0.1]),),
             (np.array([0.25, 0.25, 0.2, 0.15, 0.15]),)]
    cases += [(p,) for p in _random_distributions(16, seed=3)]
    return _run_check("check_huffman_code", _expected_length_of_prefix_free(fn), cases,
                      lambda p: expected_code_length(p, huffman_code(p)), atol=1e-9)


# --- chapter 2: softmax cross-entropy -----------------------------------------------------------
def _label_logit_pairs(seed: int) -> list[Case]:
    """(labels, logits) pairs: one-hot and soft labels, small logits and logits near ±1000."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = [(np.array([1.0, 0.0, 0.0]), np.array([4.0, 2.0, 1.0])),   # note 003
                         (np.array([0.0, 0.8, 0.2]), np.array([0.0, 5.0, 1.0])),
                         (np.array([0.0, 1.0]), np.array([1000.0, -1000.0])),        # overflow bait
                         (np.array([0.5, 0.5]), np.array([-1000.0, -1000.0]))]
    for i in range(16):
        K = int(rng.integers(2, 7))
        labels = np.eye(K)[rng.integers(K)] if i % 2 else rng.dirichlet(np.ones(K))
        scale = 800.0 if i % 4 == 3 else 3.0
        cases.append((labels, scale * rng.standard_normal(K)))
    return cases


def _run_logit_check(name: str, fn: Callable, cases: Sequence[Case], reference: Callable) -> None:
    """:func:`_run_check`, first naming the usual bug (exp overflows at large logits) and keeping
    the reader's overflow warnings quiet."""
    with np.errstate(all="ignore"):
        for labels, logits in cases:
            if np.abs(logits).max() < 100:
                continue
            try:
                got = np.asarray(fn(labels, logits), dtype=float)
            except Exception:  # reported by _run_check below
                break
            if not np.isfinite(got).all():
                print(f"✗ {name}: for labels {_fmt((labels,))} and logits {_fmt((logits,))} your "
                      f"function returned {got}.\n  Hint: np.exp overflows above about 709; subtract "
                      "the largest logit first (the log-sum-exp trick).")
                return
        return _run_check(name, fn, cases, reference)


def check_softmax_cross_entropy(fn: Callable) -> None:
    """Check ``fn(labels, logits)``: the softmax cross-entropy in nats of 1-D ``labels``
    (a one-hot or soft distribution) against 1-D ``logits``, stable for logits near ±1000."""
    from infoloss.losses import softmax_cross_entropy

    return _run_logit_check("check_softmax_cross_entropy", fn, _label_logit_pairs(seed=3),
                            softmax_cross_entropy)


def check_softmax_cross_entropy_grad(fn: Callable) -> None:
    """Check ``fn(labels, logits)``: the gradient (K,) of the softmax cross-entropy with respect
    to 1-D ``logits``, for one-hot and soft ``labels`` and logits near ±1000."""
    from infoloss.losses import softmax_cross_entropy_grad

    return _run_logit_check("check_softmax_cross_entropy_grad", fn, _label_logit_pairs(seed=4),
                            softmax_cross_entropy_grad)


# --- chapter 6: the Wasserstein distance and optimal transport ----------------------------------
def _run_tagged_check(name: str, fn: Callable, cases: Sequence[tuple[Case, frozenset]],
                      reference: Callable, hints: dict, *, atol: float, rtol: float = 1e-6,
                      diagnose: Callable | None = None) -> None:
    """Like :func:`_run_check`, but every case is tagged with what makes it hard ("unsorted",
    "unnormalized", ...). When it fails, the hint of the first tag that every failing case
    carries explains the likely mistake (``hints["*"]`` when none does);
    ``diagnose(args, got, expected)`` may name one first."""
    failures = []
    with np.errstate(all="ignore"):
        for args, tags in cases:
            expected = np.asarray(reference(*args), dtype=float)
            try:
                got = np.asarray(fn(*args), dtype=float)
            except Exception as err:  # the reader's bug, reported rather than raised
                print(f"✗ {name}: your function raised {type(err).__name__}: {err}\n"
                      f"  for input {_fmt(args)}")
                return
            if got.shape != expected.shape or not np.allclose(got, expected, atol=atol, rtol=rtol):
                failures.append((args, tags, got, expected))
    if not failures:
        print(f"✓ {name}: all {len(cases)} cases match the library.")
        return
    args, _, got, expected = failures[0]
    hint = diagnose(args, got, expected) if diagnose else ""
    if not hint:
        common = frozenset.intersection(*(tags for _, tags, _, _ in failures))
        hint = next((text for tag, text in hints.items() if tag in common), hints.get("*", ""))
    shown = (f"expected shape {expected.shape}, got {got.shape}" if got.shape != expected.shape
             else f"expected {np.array2string(expected, precision=6)}, "
                  f"got {np.array2string(got, precision=6)}")
    print(f"✗ {name}: {len(failures)} of {len(cases)} cases fail; the first, for input "
          f"{_fmt(args)}:\n  {shown}" + (f"\n  Hint: {hint}" if hint else ""))


def _wasserstein_cases() -> list[tuple[Case, frozenset]]:
    """(u_values, v_values, u_weights, v_weights) with tags: sorted and unsorted values, equal
    and different sizes, weights that sum to 1 and counts that do not, ties."""
    rng = np.random.default_rng(6)
    cases = [((np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]), np.array([0.5, 0.5, 0.0]),
               np.array([0.0, 0.5, 0.5])), frozenset()),                         # the chapter's
             ((np.array([0.0, 1.0]), np.array([5.0]), np.array([0.5, 0.5]), np.array([1.0])),
              frozenset({"sizes"}))]
    for i in range(14):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        u, v = np.round(rng.normal(size=n) * 3, 1), np.round(rng.normal(1, 2, size=m), 1)
        uw, vw = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(m))
        tags = {"sizes"} if n != m else set()
        if i % 5 == 4 and n > 1:
            u[-1] = u[0]
            tags.add("ties")
        if i % 2 == 0:
            u, v = np.sort(u), np.sort(v)
        elif not (np.all(np.diff(u) >= 0) and np.all(np.diff(v) >= 0)):
            tags.add("unsorted")
        if i % 3 == 2:
            uw, vw = rng.integers(1, 5, size=n).astype(float), rng.integers(1, 5, size=m).astype(float)
            tags.add("unnormalized")
        cases.append(((u, v, uw, vw), frozenset(tags)))
    return cases


def check_wasserstein_1d(fn: Callable) -> None:
    """Check ``fn(u_values, v_values, u_weights, v_weights)``: W_1 between two weighted samples
    on the line (1-D arrays; weights >= 0, normalized by ``fn`` if they do not sum to 1)."""
    from infoloss.transport import wasserstein_1d

    hints = {"unnormalized": "the weights of some cases are counts that do not sum to 1: divide "
                             "each sample's weights by their sum first.",
             "unsorted": "the values of some cases are not sorted: sort them (np.argsort) and "
                         "reorder the weights with them before accumulating the CDF.",
             "ties": "with repeated values, F jumps once by their total weight: evaluate the "
                     "CDFs with np.searchsorted(..., side='right') on the merged sorted values.",
             "sizes": "the samples have different sizes: integrate |F - G| over the merged "
                      "sorted values instead of pairing the i-th smallest values.",
             "*": "F(x) is the total weight of the values <= x, so on [x_k, x_(k+1)) between "
                  "merged points use np.searchsorted(sorted_values, x_k, side='right')."}

    def diagnose(args, got, expected):
        unweighted = wasserstein_1d(args[0], args[1])
        if got.shape == () and np.isclose(got, unweighted) and not np.isclose(expected, unweighted):
            return ("your result is W_1 of the values with equal weights: use the weights (values "
                    "are positions, weights their masses).")
        return ""

    return _run_tagged_check("check_wasserstein_1d", fn, _wasserstein_cases(), wasserstein_1d,
                             hints, atol=1e-9, diagnose=diagnose)


def _sinkhorn_cases() -> list[tuple[Case, frozenset]]:
    """(a, b, cost, reg): small problems, one square, and two where exp(-cost / reg) underflows."""
    rng = np.random.default_rng(7)
    cases = []
    for i in range(8):
        n, m = (4, 4) if i == 0 else (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
        x, y = np.sort(rng.uniform(0, 1, n)), np.sort(rng.uniform(0, 1, m))
        cost = np.abs(x[:, None] - y[None, :]) * (10.0 if i % 2 else 1.0)
        tags = set()
        reg = 0.2 * cost.max()
        if i >= 6:   # C / reg up to 1000: the classic scaling form underflows
            reg, tags = cost.max() / 1000, {"underflow"}
        cases.append(((rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(m)), cost, reg),
                      frozenset(tags)))
    return cases


def _diagnose_plan(args, got, expected) -> str:
    a, b, cost, reg = args
    if not np.isfinite(got).all():
        return ("your plan has inf or nan: exp(-cost / reg) underflows to 0 when cost / reg is "
                "large; iterate on the log potentials with scipy.special.logsumexp instead.")
    if got.shape == expected.T.shape and np.allclose(got.T, expected, atol=1e-6, rtol=1e-4):
        return "your plan is transposed: plan[i, j] moves a[i] to b[j], shape (len(a), len(b))."
    if got.shape != expected.shape:
        return ""
    if (cost / reg).max() > 700:
        return ("this case has cost / reg up to {:.0f}, where exp(-cost / reg) underflows: work in "
                "the log domain (scipy.special.logsumexp).".format((cost / reg).max()))
    rows_ok = np.allclose(got.sum(axis=1), a, atol=1e-6)
    cols_ok = np.allclose(got.sum(axis=0), b, atol=1e-6)
    if rows_ok != cols_ok:
        return ("only one marginal fits: iterate until both the row sums (a) and the column sums "
                "(b) match, e.g. to 1e-9.")
    if not (rows_ok and cols_ok):
        return "the plan's row sums must be a and its column sums b."
    return ("the marginals fit but the plan differs: use the kernel exp(-cost / reg), with reg "
            "dividing the cost (not multiplying it).")


def check_sinkhorn(fn: Callable) -> None:
    """Check ``fn(a, b, cost, reg)``: the entropic plan (n, m) between histograms ``a`` (n,)
    and ``b`` (m,), converged, including costs where exp(-cost / reg) underflows."""
    from infoloss.transport import sinkhorn

    hints = {"underflow": "the cases that fail have cost / reg near 1000, where exp(-cost / reg) "
                          "underflows: work in the log domain (scipy.special.logsumexp)."}
    return _run_tagged_check("check_sinkhorn", fn, _sinkhorn_cases(),
                             lambda a, b, cost, reg: sinkhorn(a, b, cost, reg, tol=1e-12,
                                                              max_iter=100_000),
                             hints, atol=1e-6, rtol=1e-4, diagnose=_diagnose_plan)
