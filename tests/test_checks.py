"""The exercise checkers pass correct functions and diagnose the usual mistakes."""
import numpy as np
import pytest
import scipy.special
import scipy.stats
from scipy.special import xlogy

from infoloss import checks


def good_entropy(p):
    return -xlogy(p, p).sum()


@pytest.mark.parametrize("checker, fn", [
    (checks.check_entropy, good_entropy),
    (checks.check_cross_entropy, lambda p, q: -xlogy(p, q).sum()),
    (checks.check_kl_divergence, lambda p, q: (xlogy(p, p) - xlogy(p, q)).sum()),
    (checks.check_binary_entropy, lambda p: -xlogy(p, p) - xlogy(1 - p, 1 - p)),
])
def test_correct_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


@pytest.mark.parametrize("fn, message", [
    (lambda p: -(p * np.log2(p, where=p > 0, out=np.zeros_like(p))).sum(), "did you use log base 2"),
    (lambda p: -(p * np.log(p)).sum(), "0·log 0 must count as 0"),
    (lambda p: -good_entropy(p), "the sign is flipped"),
    (lambda p: 1 / 0, "raised ZeroDivisionError"),
    (lambda p: np.array([good_entropy(p)]), "expected shape ()"),
])
def test_wrong_functions_are_diagnosed(fn, message, capsys):
    with np.errstate(all="ignore"):
        checks.check_entropy(fn)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_entropy") and message in out


# --- chapter 2: softmax cross-entropy and its gradient -------------------------------------------
def stable_loss(labels, logits):
    shifted = logits - logits.max()
    return -(labels * (shifted - np.log(np.exp(shifted).sum()))).sum()


def stable_grad(labels, logits):
    e = np.exp(logits - logits.max())
    return e / e.sum() - labels


def naive_loss(labels, logits):
    return -(labels * np.log(np.exp(logits) / np.exp(logits).sum())).sum()


@pytest.mark.parametrize("checker, fn", [
    (checks.check_softmax_cross_entropy, stable_loss),
    (checks.check_softmax_cross_entropy_grad, stable_grad),
])
def test_stable_logit_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


@pytest.mark.parametrize("checker, fn, message", [
    (checks.check_softmax_cross_entropy, naive_loss, "subtract the largest logit"),
    (checks.check_softmax_cross_entropy, lambda y, z: -stable_loss(y, z), "expected"),
    (checks.check_softmax_cross_entropy, lambda y, z: stable_loss(y, z) / np.log(2), "expected"),
    (checks.check_softmax_cross_entropy,     # ignores soft labels
     lambda y, z: -scipy.special.log_softmax(z)[np.argmax(y)], "expected"),
    (checks.check_softmax_cross_entropy_grad, lambda y, z: -stable_grad(y, z), "expected"),
    (checks.check_softmax_cross_entropy_grad,
     lambda y, z: np.exp(z) / np.exp(z).sum() - y, "subtract the largest logit"),
    (checks.check_softmax_cross_entropy_grad, lambda y, z: 1 / 0, "ZeroDivisionError"),
])
def test_wrong_logit_functions_are_diagnosed(checker, fn, message, capsys):
    with np.errstate(all="ignore"):
        checker(fn)
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {checker.__name__}") and message in out


# --- chapter 6: the Wasserstein distance and optimal transport -----------------------------------
def w1_by_cdfs(u, v, uw, vw, *, normalize=True, sort=True, side="right"):
    """W_1 = sum over the merged points of |F - G| times the gap to the next point."""
    if normalize:
        uw, vw = uw / uw.sum(), vw / vw.sum()
    if sort:
        iu, iv = np.argsort(u), np.argsort(v)
        u, uw, v, vw = u[iu], uw[iu], v[iv], vw[iv]
    xs = np.sort(np.concatenate([u, v]))
    F = np.concatenate([[0], np.cumsum(uw)])[np.searchsorted(u, xs[:-1], side=side)]
    G = np.concatenate([[0], np.cumsum(vw)])[np.searchsorted(v, xs[:-1], side=side)]
    return np.sum(np.abs(F - G) * np.diff(xs))


def log_sinkhorn(a, b, cost, reg, iters=20_000, transpose=False):
    f, g = np.zeros(len(a)), np.zeros(len(b))
    for _ in range(iters):
        f = np.log(a) - scipy.special.logsumexp(g[None, :] - cost / reg, axis=1)
        g = np.log(b) - scipy.special.logsumexp(f[:, None] - cost / reg, axis=0)
        plan = np.exp(f[:, None] + g[None, :] - cost / reg)
        if np.abs(plan.sum(axis=1) - a).sum() < 1e-12:
            break
    return plan.T if transpose else plan


def classic_sinkhorn(a, b, cost, reg):
    K, v = np.exp(-cost / reg), np.ones(len(b))
    for _ in range(2000):
        u = a / (K @ v)
        v = b / (K.T @ u)
    return u[:, None] * K * v[None, :]


@pytest.mark.parametrize("checker, fn", [
    (checks.check_wasserstein_1d, w1_by_cdfs),
    (checks.check_wasserstein_1d, lambda u, v, uw, vw: scipy.stats.wasserstein_distance(u, v, uw, vw)),
    (checks.check_sinkhorn, log_sinkhorn),
])
def test_correct_transport_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


@pytest.mark.parametrize("checker, fn, message", [
    (checks.check_wasserstein_1d, lambda *args: w1_by_cdfs(*args, normalize=False),
     "divide each sample's weights by their sum"),
    (checks.check_wasserstein_1d, lambda *args: w1_by_cdfs(*args, sort=False), "sort them"),
    (checks.check_wasserstein_1d, lambda *args: w1_by_cdfs(*args, side="left"), "side='right'"),
    (checks.check_wasserstein_1d,   # the chapter's pitfall: values without their weights
     lambda u, v, uw, vw: scipy.stats.wasserstein_distance(u, v), "use the weights"),
    (checks.check_wasserstein_1d,   # pairs the i-th smallest values: breaks on unequal sizes
     lambda u, v, uw, vw: np.mean(np.abs(np.sort(u) - np.sort(v))), "raised ValueError"),
    (checks.check_sinkhorn, classic_sinkhorn, "work in the log domain"),
    (checks.check_sinkhorn, lambda *args: log_sinkhorn(*args, transpose=True), "transposed"),
    (checks.check_sinkhorn, lambda *args: log_sinkhorn(*args, iters=3), "only one marginal fits"),
    (checks.check_sinkhorn, lambda a, b, cost, reg: log_sinkhorn(a, b, cost, 1 / reg, iters=2000),
     "reg dividing the cost"),
    (checks.check_sinkhorn, lambda a, b, cost, reg: np.outer(a, b), "the marginals fit"),
    (checks.check_sinkhorn, lambda a, b, cost, reg: np.ones_like(cost), "row sums must be a"),
])
def test_wrong_transport_functions_are_diagnosed(checker, fn, message, capsys):
    with np.errstate(all="ignore"):
        checker(fn)
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {checker.__name__}") and message in out
