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
