"""The exercise checkers pass correct functions and diagnose the usual mistakes."""
import numpy as np
import pytest
import scipy.special
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
    (lambda p: exec("raise NotImplementedError"), "not implemented yet"),
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


# --- chapter 5: the Jensen–Shannon divergence and the optimal discriminator ---------------------
import scipy.spatial.distance  # noqa: E402
def good_js(p, q, base):
    m = (p + q) / 2
    return (scipy.special.rel_entr(p, m).sum() + scipy.special.rel_entr(q, m).sum()) / 2 / np.log(base)


def good_discriminator(log_p_data, log_p_g):
    return scipy.special.expit(log_p_data - log_p_g)


@pytest.mark.parametrize("checker, fn", [
    (checks.check_js_divergence, good_js),
    (checks.check_js_divergence,             # scipy's distance, squared: also right
     lambda p, q, base: scipy.spatial.distance.jensenshannon(p, q, base=base) ** 2),
    (checks.check_optimal_discriminator, good_discriminator),
    (checks.check_optimal_discriminator,     # 1 / (1 + p_g / p_data), in logs: also right
     lambda lp, lg: 1 / (1 + np.exp(np.clip(lg - lp, -700, 700)))),
])
def test_correct_ch5_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


def naive_js(p, q, base):
    m = (p + q) / 2
    return (np.sum(p * np.log(p / m)) + np.sum(q * np.log(q / m))) / 2 / np.log(base)


@pytest.mark.parametrize("fn, message", [
    (naive_js, "0·log 0 must count as 0"),
    (lambda p, q, base: np.sqrt(good_js(p, q, base)), "you returned √JS"),
    (lambda p, q, base: 2 * good_js(p, q, base), "each KL to the mixture carries a weight ½"),
    (lambda p, q, base: good_js(p, q, np.e), "this is the value in nats; divide by log(2)"),
    (lambda p, q, base: good_js(p, q, base) / np.log(base), "divide by log(base) once"),
    (lambda p, q, base: (scipy.special.rel_entr(p, q).sum() + scipy.special.rel_entr(q, p).sum())
     / 2 / np.log(base), "Compare each with the mixture"),
    (lambda p, q, base: 1 / 0, "raised ZeroDivisionError"),
    (lambda p, q, base: np.array([good_js(p, q, base)]), "expected shape ()"),
    (lambda p, q, base: good_js(p, q, base) + 0.01, "expected"),   # no hint, still caught
])
def test_wrong_js_functions_are_diagnosed(fn, message, capsys):
    with np.errstate(all="ignore"):
        checks.check_js_divergence(fn)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_js_divergence") and message in out


@pytest.mark.parametrize("fn, message", [
    (lambda lp, lg: np.exp(lp) / (np.exp(lp) + np.exp(lg)), "underflows to 0, and 0 / 0 is nan"),
    (lambda lp, lg: good_discriminator(lg, lp), "the probability that x is fake"),
    (lambda lp, lg: np.exp(lp - lg), "that is the density ratio"),
    (lambda lp, lg: np.full_like(lp, 0.5), "expected"),
    (lambda lp, lg: good_discriminator(lp, lg)[:1], "expected shape"),
    (lambda lp, lg: 1 / 0, "raised ZeroDivisionError"),
])
def test_wrong_discriminators_are_diagnosed(fn, message, capsys):
    with np.errstate(all="ignore"):
        checks.check_optimal_discriminator(fn)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_optimal_discriminator") and message in out
