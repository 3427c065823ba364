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


def _raised(name: str, err: Exception, args: Case) -> str:
    """The verdict when the reader's function raised ``err``."""
    if isinstance(err, NotImplementedError):
        return (f"✗ {name}: not implemented yet. Replace `raise NotImplementedError` in your "
                "function with your code, then run this cell again.")
    return f"✗ {name}: your function raised {type(err).__name__}: {err}\n  for input {_fmt(args)}"


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
            print(_raised(name, err, args))
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


# --- chapter 3: label smoothing and calibration --------------------------------------------------
def _run_check_with_mistakes(name: str, fn: Callable, cases: Sequence[Case], reference: Callable,
                             mistakes: Sequence[tuple[str, Callable]],
                             exception_hints: dict | None = None) -> None:
    """:func:`_run_check`, but when ``fn`` first disagrees with ``reference`` on a case where it
    reproduces one of the usual ``mistakes`` (hint, wrong function), print that hint instead, and
    when it raises an exception listed in ``exception_hints`` (type: hint), print that hint.
    The reader's NumPy warnings (e.g. dividing by eps = 0) are kept quiet."""
    with np.errstate(all="ignore"):
        for args in cases:
            try:
                got = np.asarray(fn(*args), dtype=float)
            except Exception as err:
                hint = (exception_hints or {}).get(type(err))
                if hint is None:
                    break  # reported by _run_check below
                print(f"✗ {name}: your function raised {type(err).__name__}: {err}\n"
                      f"  for input {_fmt(args)}\n  Hint: {hint}")
                return
            expected = np.asarray(reference(*args), dtype=float)
            if got.shape == expected.shape and np.allclose(got, expected, atol=1e-8, rtol=1e-6):
                continue
            for hint, wrong in mistakes:
                w = np.asarray(wrong(*args), dtype=float)
                if w.shape == got.shape and np.allclose(got, w, atol=1e-8, rtol=1e-6):
                    print(f"✗ {name}: for input {_fmt(args)}\n  expected "
                          f"{np.array2string(expected, precision=6)}, got "
                          f"{np.array2string(got, precision=6)}\n  Hint: {hint}")
                    return
            break
        return _run_check(name, fn, cases, reference)


def _smoothing_cases(seed: int) -> list[Case]:
    """(labels, num_classes, eps, convention) for both conventions, eps = 0 and a large eps."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = []
    for K, eps in ((3, 0.1), (2, 0.2), (5, 0.3), (10, 0.05), (4, 0.0), (3, 0.9), (7, 0.5)):
        labels = rng.integers(K, size=int(rng.integers(1, 6)))
        cases += [(labels, K, eps, "uniform"), (labels, K, eps, "others")]
    return cases


def check_smooth_labels(fn: Callable) -> None:
    """Check ``fn(labels, num_classes, eps, convention)``: for 1-D integer ``labels`` of shape
    (N,), the smoothed targets (N, K) under ``convention`` "uniform" ((1 − eps)·onehot + eps/K)
    or "others" (1 − eps on the true class, eps/(K − 1) on each other class)."""
    from infoloss.smoothing import smooth_labels

    def reference(labels, K, eps, convention):
        return smooth_labels(labels, K, eps, convention=convention)

    def swapped(labels, K, eps, convention):
        return reference(labels, K, eps, "others" if convention == "uniform" else "uniform")

    def true_gets_one_minus_eps_others_eps_over_k(labels, K, eps):
        y = np.full((len(labels), K), eps / K)
        y[np.arange(len(labels)), labels] = 1 - eps
        return y

    def uniform_without_true_share(labels, K, eps, convention):  # the mistake under "uniform"
        if convention != "uniform":
            return np.full((len(labels), K), np.nan)
        return true_gets_one_minus_eps_others_eps_over_k(labels, K, eps)

    def others_over_k(labels, K, eps, convention):               # the mistake under "others"
        if convention != "others":
            return np.full((len(labels), K), np.nan)
        return true_gets_one_minus_eps_others_eps_over_k(labels, K, eps)

    mistakes = [
        ("this is the other convention. 'uniform' is (1 − ε)·onehot + ε/K, so the true class keeps "
         "1 − ε + ε/K; 'others' gives the true class 1 − ε and each other class ε/(K − 1).", swapped),
        ("with convention='uniform' the true class gets its share ε/K too: 1 − ε + ε/K. Your rows "
         "sum to 1 − ε/K instead of 1.", uniform_without_true_share),
        ("with convention='others' the ε taken off the true class is shared by the K − 1 other "
         "classes: ε/(K − 1) each, not ε/K.", others_over_k),
        ("these are the one-hot labels: eps was not applied.",
         lambda labels, K, eps, convention: np.eye(K)[labels]),
    ]
    return _run_check_with_mistakes("check_smooth_labels", fn, _smoothing_cases(seed=5), reference,
                                    mistakes)


def check_optimal_logit_gap(fn: Callable) -> None:
    """Check ``fn(num_classes, eps, convention)``: the gap z_true − z_other (a float, natural
    log) at the minimum of the smoothed softmax cross-entropy, for "uniform" and "others"
    smoothing; ``inf`` at eps = 0."""
    from infoloss.smoothing import optimal_logit_gap

    def reference(K, eps, convention):
        return optimal_logit_gap(K, eps, convention=convention)

    def swapped(K, eps, convention):
        return reference(K, eps, "others" if convention == "uniform" else "uniform")

    cases = [(K, eps, c) for K, eps in ((3, 0.1), (10, 0.1), (2, 0.3), (5, 0.01), (1000, 0.1), (4, 0.6))
             for c in ("uniform", "others")]
    cases += [(5, 0.0, "uniform"), (5, 0.0, "others")]
    mistakes = [
        ("this is the gap of the other convention: 'uniform' puts 1 − ε + ε/K on the true class "
         "and ε/K on each other one; 'others' puts 1 − ε and ε/(K − 1).", swapped),
        ("off by a factor 1/ln 2: logits are natural-log odds, so use np.log, not np.log2.",
         lambda K, eps, c: reference(K, eps, c) / np.log(2)),
        ("this is the probability ratio y_true / y_other; the gap between the logits is its log.",
         lambda K, eps, c: np.exp(reference(K, eps, c))),
        ("under 'uniform' the true class keeps 1 − ε + ε/K, not 1 − ε: the gap is "
         "log((1 − ε + ε/K)/(ε/K)).", lambda K, eps, c: np.log(K * (1 - eps) / eps)),
        ("the sign is flipped: the true logit ends up above the others, so the gap is positive "
         "for small ε.", lambda K, eps, c: -reference(K, eps, c)),
    ]
    zero = {ZeroDivisionError: "without smoothing the loss has no minimum at finite logits, so "
                               "the gap is infinite: return np.inf when eps == 0."}
    return _run_check_with_mistakes("check_optimal_logit_gap", fn, cases, reference, mistakes, zero)


def _calibration_cases(seed: int) -> list[Case]:
    """(probs, labels, n_bins): random predictions of varied sharpness, and confidences that sit
    exactly on bin edges."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = []
    for i, n_bins in enumerate((15, 10, 5, 1, 15, 20, 10, 3)):
        n, K = int(rng.integers(20, 200)), int(rng.integers(2, 6))
        probs = rng.dirichlet(np.full(K, (0.3, 1.0, 3.0)[i % 3]), size=n)
        labels = rng.integers(K, size=n) if i % 2 else (rng.uniform(size=(n, 1)) > probs.cumsum(1)).sum(1)
        cases.append((probs, labels, n_bins))
    # confidences 0.75, 1.0 and 0.5 on the edges of 4 bins (exact in binary), under- and
    # overconfident bins mixed (one-signed gaps would give the same ECE for any binning)
    on_edges = np.array([[0.75, 0.25]] * 3 + [[1.0, 0.0]] + [[0.5, 0.5]] * 2)
    cases.append((on_edges, np.array([0, 0, 0, 1, 0, 0]), 4))
    return cases


def check_expected_calibration_error(fn: Callable) -> None:
    """Check ``fn(probs, labels, n_bins)``: the expected calibration error of predictions
    ``probs`` (N, K) for integer ``labels`` (N,), with ``n_bins`` equal-width bins
    ((m − 1)/M, m/M] of the top-class confidence."""
    from infoloss.calibration import expected_calibration_error

    def reference(probs, labels, n_bins):
        return expected_calibration_error(probs, labels, n_bins=n_bins)

    def per_bin(probs, labels, n_bins, *, conf=None, weighted=True, signed=False, lower_closed=False):
        conf = probs.max(axis=1) if conf is None else conf
        right = probs.argmax(axis=1) == labels
        edges = np.linspace(0, 1, n_bins + 1)
        total, used = 0.0, 0
        for lo, hi in zip(edges[:-1], edges[1:]):
            inside = (conf >= lo) & (conf < hi) if lower_closed else (conf > lo) & (conf <= hi)
            if lower_closed and hi == 1.0:
                inside |= conf == 1.0
            if inside.any():
                gap = right[inside].mean() - conf[inside].mean()
                gap = gap if signed else abs(gap)
                total += gap * (inside.mean() if weighted else 1.0)
                used += 1
        return total if weighted else total / used

    mistakes = [
        ("weight each bin by its share of the examples, |B_m| / N; a plain mean over the bins "
         "lets a bin with two examples count as much as one with two thousand.",
         lambda p, y, m: per_bin(p, y, m, weighted=False)),
        ("use the confidence in the predicted class, max_k p_k, not the probability of the true "
         "class.", lambda p, y, m: per_bin(p, y, m, conf=p[np.arange(len(y)), y])),
        ("take the absolute gap |accuracy − confidence| in each bin, so that over- and "
         "underconfident bins cannot cancel.", lambda p, y, m: abs(per_bin(p, y, m, signed=True))),
        ("the bins are ((m − 1)/M, m/M], closed on the right: a confidence of exactly 0.75 with "
         "M = 4 belongs to (0.5, 0.75].", lambda p, y, m: per_bin(p, y, m, lower_closed=True)),
    ]
    with np.printoptions(threshold=12, edgeitems=2):  # show the inputs in brief
        return _run_check_with_mistakes("check_expected_calibration_error", fn,
                                        _calibration_cases(seed=6), reference, mistakes)


# --- chapter 4: KL divergence, Gaussians, distillation ------------------------------------------
def _kl_support_cases(seed: int = 5) -> list[Case]:
    """(p, q) pairs where zeros matter: p = 0 terms vanish, q = 0 < p gives +inf."""
    a = np.array
    cases: list[Case] = [(a([0.5, 0.5]), a([0.5, 0.5])),
                         (a([0.5, 0.5, 0.0]), a([0.25, 0.25, 0.5])),     # p = 0: the term is 0
                         (a([0.5, 0.5, 0.0]), a([0.5, 0.5, 0.0])),       # 0 log(0/0) = 0 too
                         (a([0.25, 0.75]), a([0.75, 0.25])),
                         (a([0.5, 0.5]), a([1.0, 0.0])),                 # q = 0 < p: inf
                         (a([1.0, 0.0, 0.0, 0.0]), a([0.0, 0.0, 0.5, 0.5])),   # disjoint: inf
                         (a([0.0, 0.5, 0.5]), a([0.5, 0.0, 0.5]))]
    rng = np.random.default_rng(seed)
    for i, p in enumerate(_random_distributions(16, seed)):
        q = rng.dirichlet(np.ones(len(p)))
        if i % 3 == 1:                   # q misses an outcome p has: inf (p > 0 after index 0)
            q[-1] = 0.0
            q /= q.sum()
        cases.append((p, q))
    return cases


def _kl_support_hint(expected: float, got: float) -> str:
    """What a wrong answer on a case with zeros usually means."""
    if np.isinf(expected) and np.isfinite(got):
        return ("where q_k = 0 < p_k the divergence is +inf: an outcome the model calls "
                "impossible happens. Do not add an epsilon or skip those terms.")
    if np.isnan(got):
        return ("terms with p_k = 0 must count as 0, even where q_k = 0 too (0·log(0/q) and "
                "0·log(0/0) give nan in NumPy); use np.where(p > 0, ...) or "
                "scipy.special.rel_entr.")
    if np.isfinite(expected) and np.isinf(got):
        return "a term with p_k = 0 contributes 0, whatever q_k is; only q_k = 0 < p_k gives inf."
    return ""


def check_kl_divergence_support(fn: Callable) -> None:
    """Check ``fn(p, q)``: the KL divergence in nats of 1-D probability vectors, with the
    conventions 0·log(0/q) = 0 (also for q = 0) and p·log(p/0) = +inf for p > 0."""
    cases = _kl_support_cases()
    with np.errstate(all="ignore"):
        for p, q in cases:
            expected = float(kl_divergence(p, q))
            try:
                got = float(np.asarray(fn(p, q), dtype=float))
            except Exception:  # reported by _run_check below
                break
            same = got == expected or np.isclose(got, expected, rtol=1e-6, atol=1e-8)
            hint = "" if same else _kl_support_hint(expected, got)
            if hint:
                print(f"✗ check_kl_divergence_support: for p = {_fmt((p,))}, q = {_fmt((q,))}\n"
                      f"  expected {expected}, got {got}\n  Hint: {hint}")
                return
        return _run_check("check_kl_divergence_support", fn, cases, kl_divergence)


def check_gaussian_kl_divergence(fn: Callable) -> None:
    """Check ``fn(mu_p, sigma_p, mu_q, sigma_q)``: KL(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²)) in
    nats for scalar means and standard deviations."""
    from infoloss.gaussians import gaussian_kl_divergence as kl

    rng = np.random.default_rng(6)
    cases: list[Case] = [(0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 0.0, 2.0),
                         (0.0, 2.0, 0.0, 1.0), (1.0, 0.5, -1.0, 3.0)]
    cases += [(float(rng.normal(0, 2)), float(rng.uniform(0.2, 4)), float(rng.normal(0, 2)),
               float(rng.uniform(0.2, 4))) for _ in range(20)]
    mistakes = [
        ("sigma_p and sigma_q are standard deviations; the formula needs the variances sigma².",
         lambda m1, s1, m2, s2: kl(m1, np.sqrt(s1), m2, np.sqrt(s2))),
        ("you computed KL(q ‖ p): the divergence averages over p, so sigma_q goes in the "
         "denominators and log(sigma_q / sigma_p) comes first.",
         lambda m1, s1, m2, s2: kl(m2, s2, m1, s1)),
        ("the constant -1/2 is missing: KL(p ‖ p) must be 0.",
         lambda m1, s1, m2, s2: kl(m1, s1, m2, s2) + 0.5),
        ("the log term is log(sigma_q / sigma_p) = ½ log(sigma_q² / sigma_p²): check the ½.",
         lambda m1, s1, m2, s2: kl(m1, s1, m2, s2) + np.log(s2 / s1)),
    ]
    return _run_check_with_mistakes("check_gaussian_kl_divergence", fn, cases, kl, mistakes)


def check_distillation_loss_grad(fn: Callable) -> None:
    """Check ``fn(teacher_logits, student_logits, temperature)``: the gradient (K,) of
    T²·KL(softmax(t/T) ‖ softmax(s/T)) with respect to 1-D student logits s, stable for logits
    near ±1000."""
    from infoloss.losses import distillation_loss_grad
    from infoloss.softmax import softmax

    def reference(t, s, T):
        return distillation_loss_grad(t, s, temperature=T)

    def q_minus_p(t, s, T):
        return softmax(s, temperature=T) - softmax(t, temperature=T)

    rng = np.random.default_rng(7)
    cases: list[Case] = [(np.array([2.0, 1.0, 0.0]), np.array([0.0, 1.0, 2.0]), 4.0),
                         (np.array([5.0, 1.0, -2.0, 0.0]), np.array([3.0, 2.0, 0.0, 0.0]), 2.0)]
    for i in range(14):
        K = int(rng.integers(2, 7))
        cases.append((3 * rng.standard_normal(K), 3 * rng.standard_normal(K),
                      float(rng.choice([1.0, 2.0, 5.0, 10.0]))))
    cases += [(np.array([1000.0, 0.0, -1000.0]), np.array([0.0, 1000.0, 0.0]), 1.0),
              (np.array([0.0, -900.0]), np.array([800.0, 0.0]), 0.5)]      # overflow bait
    with np.errstate(all="ignore"):
        for t, s, T in cases[-2:]:
            try:
                got = np.asarray(fn(t, s, T), dtype=float)
            except Exception:  # reported below
                break
            if not np.isfinite(got).all():
                print(f"✗ check_distillation_loss_grad: for teacher {_fmt((t,))}, student "
                      f"{_fmt((s,))} and T = {T} your function returned {got}.\n  Hint: np.exp "
                      "overflows above about 709; subtract the largest logit / T first.")
                return
    mistakes = [
        ("that is the gradient of the KL without the factor T²; the loss carries T², so the "
         "gradient is T² · (q - p) / T = T (q - p).",
         lambda t, s, T: q_minus_p(t, s, T) / T),
        ("the factor T is missing: the chain rule through s / T gives 1/T, and the "
         "loss carries T², so the gradient is T (q - p).",
         q_minus_p),
        ("the chain rule through s / T contributes a factor 1/T: T² · (1/T) = T.",
         lambda t, s, T: T**2 * q_minus_p(t, s, T)),
        ("the sign is flipped: the gradient is T (q - p), the student's probabilities minus the "
         "teacher's, as p - y in chapter 2.",
         lambda t, s, T: -T * q_minus_p(t, s, T)),
        ("soften both distributions: divide the logits by T before the softmax.",
         lambda t, s, T: T * q_minus_p(t, s, 1.0)),
    ]
    return _run_check_with_mistakes("check_distillation_loss_grad", fn, cases, reference, mistakes)


# --- chapter 5: the Jensen–Shannon divergence and the optimal discriminator ----------------------
def _js_cases(seed: int) -> list[Case]:
    """(p, q, base) triples: bits first, then nats and base 10; disjoint, equal, zeros, random."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = [(np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.2, 0.8]), 2),
                         (np.array([1.0, 0.0]), np.array([0.0, 1.0]), 2),        # disjoint
                         (np.array([0.3, 0.7]), np.array([0.3, 0.7]), 2),        # equal
                         (np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.e)]
    for i, p in enumerate(_random_distributions(18, seed)):
        q = rng.dirichlet(np.ones(len(p)))
        if i % 3 == 1:
            q[-1] = 0.0
            q /= q.sum()
        cases.append((p, q, (2, np.e, 10)[i % 3]))
    return cases


def _js_hint(got: float, expected: float, base: float) -> str:
    """The usual mistakes in a JS divergence, from how ``got`` differs from ``expected``."""
    if np.isnan(got):
        return ("nan: 0·log 0 must count as 0. Sum only over the outcomes where p (or q) > 0, "
                "or use scipy.special.xlogy or rel_entr.")
    if np.isinf(got):
        return ("inf: did you compare p with q directly (KL(p‖q) is infinite where q = 0 < p)? "
                "Compare each with the mixture m = (p + q) / 2, which is > 0 wherever p or q is.")
    if expected > 0:
        ratio = got / expected
        if np.isclose(got, np.sqrt(expected)):
            return ("you returned √JS, the Jensen–Shannon distance (what "
                    "scipy.spatial.distance.jensenshannon returns); square it.")
        if np.isclose(ratio, 2):
            return "twice the answer: each KL to the mixture carries a weight ½."
        if np.isclose(ratio, np.log(base)) and base != np.e:
            return f"this is the value in nats; divide by log({base:g}) for base {base:g}."
        if np.isclose(ratio, 1 / np.log(base)) and base != np.e:
            return f"off by a factor 1/log({base:g}): divide by log(base) once, not twice."
    return ""


def check_js_divergence(fn: Callable) -> None:
    """Check ``fn(p, q, base)``: the Jensen–Shannon divergence of 1-D probability vectors ``p``
    and ``q`` in units of ``log base`` (2 for bits, ``np.e`` for nats), zeros and disjoint
    supports included."""
    from infoloss.measures import js_divergence

    cases = _js_cases(seed=5)
    for p, q, base in cases:
        expected = float(js_divergence(p, q, base=base))
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(fn(p, q, base), dtype=float)
        except Exception:  # reported by _run_check below
            break
        if got.shape != () or np.isclose(got, expected, rtol=1e-6, atol=1e-8):
            continue
        hint = _js_hint(float(got), expected, base)
        if hint:
            unit = "e" if base == np.e else f"{base:g}"
            print(f"✗ check_js_divergence: for p = {_fmt((p,))}, q = {_fmt((q,))}, "
                  f"base {unit}\n  expected {expected:.6f}, got {float(got):.6f}\n  Hint: {hint}")
            return
    return _run_check("check_js_divergence", fn, cases,
                      lambda p, q, base: js_divergence(p, q, base=base))


def _log_density_pairs(seed: int) -> list[Case]:
    """(log p_data(x), log p_g(x)) on grids of points: ordinary, far tails, and zero densities."""
    from scipy.stats import norm

    rng = np.random.default_rng(seed)
    x = np.linspace(-4, 6, 11)
    cases: list[Case] = [(norm.logpdf(x, 0, 1), norm.logpdf(x, 2, 1)),
                         (norm.logpdf(x, 0, 1), norm.logpdf(x, 0, 1)),             # p_g = p_data
                         (np.array([-800.0, -805.0, -2000.0]), np.array([-805.0, -800.0, -1990.0])),
                         (np.array([-np.inf, -1.0, 0.5]), np.array([-2.0, -np.inf, 0.5]))]
    for _ in range(8):
        cases.append((rng.normal(-3, 4, size=6), rng.normal(-3, 4, size=6)))
    return cases


def check_optimal_discriminator(fn: Callable) -> None:
    """Check ``fn(log_p_data, log_p_g)``: the optimal discriminator D*(x) at each point, from
    1-D arrays of log-densities (``-inf`` where a density is 0), finite for log-densities
    near -1000 where ``np.exp`` underflows."""
    from scipy.special import expit

    def reference(log_p_data, log_p_g):
        return expit(log_p_data - log_p_g)

    cases = _log_density_pairs(seed=6)
    for log_p, log_g in cases:
        expected = reference(log_p, log_g)
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(fn(log_p, log_g), dtype=float)
        except Exception:  # reported by _run_check below
            break
        if got.shape != expected.shape or np.allclose(got, expected, rtol=1e-6, atol=1e-8):
            continue
        where = f"for log p_data = {_fmt((log_p,))}, log p_g = {_fmt((log_g,))}"
        hint = ""
        if np.isnan(got).any() and np.isfinite(log_p).all() and np.abs(log_p).max() > 700:
            hint = ("np.exp of a log-density below about -745 underflows to 0, and 0 / 0 is nan. "
                    "D* = 1 / (1 + p_g / p_data) is the logistic sigmoid of log p_data - log p_g "
                    "(scipy.special.expit).")
        elif np.allclose(got, 1 - expected, atol=1e-8):
            hint = ("you returned p_g / (p_data + p_g), the probability that x is fake; D(x) is "
                    "the probability that x is real, that it came from p_data.")
        elif np.allclose(got, np.exp(log_p - log_g), rtol=1e-6):
            hint = "that is the density ratio r = p_data / p_g; D* = r / (1 + r)."
        print(f"✗ check_optimal_discriminator: {where}\n  expected "
              f"{np.array2string(expected, precision=6)}, got {np.array2string(got, precision=6)}"
              + (f"\n  Hint: {hint}" if hint else ""))
        return
    return _run_check("check_optimal_discriminator", fn, cases, reference)


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
                print(_raised(name, err, args))
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


# --- chapter 7: mutual information and perplexity ------------------------------------------------
def _diagnose(name: str, fn: Callable, cases: Sequence[Case], reference: Callable,
              mistakes: Callable[..., dict]) -> bool:
    """Print a plain-words diagnosis if ``fn`` matches one of the named ``mistakes(*case)``
    (a dict from a description to the value that mistake gives) where it misses ``reference``;
    return whether it did."""
    with np.errstate(all="ignore"):
        for args in cases:
            try:
                got = float(np.asarray(fn(*args), dtype=float))
            except Exception:  # reported by _run_check
                return False
            expected = float(reference(*args))
            if np.isclose(got, expected, rtol=1e-6, atol=1e-8):
                continue
            for description, value in mistakes(*args).items():
                if np.isclose(got, value, rtol=1e-6, atol=1e-8):
                    print(f"✗ {name}: for input {_fmt(args)}\n  expected {expected:.6g}, got "
                          f"{got:.6g}.\n  Hint: {description}")
                    return True
    return False


def _joint_tables(seed: int) -> list[Case]:
    """Joint tables: Cover & Thomas 2.2.1, independent, a copy, a function, random with zeros."""
    rng = np.random.default_rng(seed)
    cover_thomas = np.array([[1/8, 1/16, 1/32, 1/32], [1/16, 1/8, 1/32, 1/32],
                             [1/16, 1/16, 1/16, 1/16], [1/4, 0, 0, 0]]).T
    die_parity = np.zeros((6, 2))
    die_parity[np.arange(6), np.arange(1, 7) % 2] = 1 / 6
    cases: list[Case] = [(cover_thomas,), (np.outer([0.2, 0.8], [0.5, 0.3, 0.2]),),
                         (np.diag([0.5, 0.25, 0.25]),), (die_parity,),
                         (np.array([[0.3, 0.1], [0.2, 0.4]]),)]
    for i in range(12):
        joint = rng.dirichlet(np.ones(rng.integers(2, 6) * rng.integers(2, 6)))
        if i % 3 == 2:
            joint[rng.integers(joint.size)] = 0.0
            joint /= joint.sum()
        rows = [r for r in range(2, 6) if joint.size % r == 0][0]
        cases.append((joint.reshape(rows, -1),))
    return cases


def check_mutual_information(fn: Callable) -> None:
    """Check ``fn(joint)``: the mutual information I(X; Y) in nats of a 2-D table
    ``joint[x, y] = p(x, y)``, X along axis 0. Independent tables must give 0."""
    from infoloss.joint import conditional_entropy, joint_entropy, mutual_information

    def mistakes(joint):
        h_x, h_y = entropy(joint.sum(axis=1)), entropy(joint.sum(axis=0))
        return {"this is H(Y | X), the uncertainty left in Y; I(X; Y) = H(Y) − H(Y | X) is "
                "what knowing X removes.": conditional_entropy(joint),
                "this is H(X | Y); I(X; Y) = H(X) − H(X | Y).": conditional_entropy(joint.T),
                "this is the joint entropy H(X, Y); I(X; Y) = H(X) + H(Y) − H(X, Y).":
                    joint_entropy(joint),
                "this is H(X) − H(Y | X), which mixes the two variables; use H(Y) − H(Y | X) "
                "or H(X) − H(X | Y).": h_x - conditional_entropy(joint),
                "this is H(Y) − H(X | Y), which mixes the two variables; use H(Y) − H(Y | X) "
                "or H(X) − H(X | Y).": h_y - conditional_entropy(joint.T)}

    cases = _joint_tables(seed=7)
    if not _diagnose("check_mutual_information", fn, cases, mutual_information, mistakes):
        with np.errstate(all="ignore"):
            return _run_check("check_mutual_information", fn, cases, mutual_information,
                              atol=1e-9)


def _token_prob_cases(seed: int) -> list[Case]:
    """Observed-token probabilities: tiny cases, a zero, and long texts whose product underflows."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = [(np.full(4, 0.25),), (np.array([0.5, 0.125]),), (np.array([1.0, 1.0]),),
                         (np.array([0.9, 0.0, 0.5]),), (np.full(5_000, 0.01),)]
    for n in (3, 10, 200, 20_000):
        cases.append((rng.uniform(0.001, 1.0, size=n),))
    return cases


def check_perplexity(fn: Callable) -> None:
    """Check ``fn(token_probs)``: the perplexity e^(mean −log p) of a 1-D array of the
    probabilities a model gave to the observed tokens; a zero gives inf."""
    from infoloss.language import perplexity

    def mistakes(p):
        with np.errstate(divide="ignore"):
            nats = -np.mean(np.log(p))
        found = {"you returned the cross-entropy, the mean −log p; the perplexity is its "
                 "exponential, e^(nats) or 2^(bits).": nats,
                 "this is 1 / (arithmetic mean of p). The reciprocal of the perplexity is the "
                 "geometric mean of the probabilities, (Π p)^(1/N), not their average.":
                     1 / np.mean(p),
                 "the base of the exponential does not match the logarithm: with natural logs "
                 "use e^(mean −ln p), with log2 use 2^(mean −log2 p).": 2.0 ** nats}
        if np.isfinite(nats) and p.size > 1000:
            found["the product of thousands of probabilities underflows to 0 in floating "
                  "point; average the logs instead: exp(−mean(log p))."] = np.inf
        return found

    cases = _token_prob_cases(seed=8)
    if not _diagnose("check_perplexity", fn, cases, perplexity, mistakes):
        with np.errstate(all="ignore"):
            return _run_check("check_perplexity", fn, cases, perplexity)
