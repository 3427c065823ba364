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
