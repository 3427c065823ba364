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


# --- chapter 4: KL divergence with zeros, Gaussian KL, distillation gradient ---------------------
def kl_with_zeros(p, q):
    return scipy.special.rel_entr(p, q).sum()


def kl_naive(p, q):
    return np.sum(p * np.log(p / q))


def kl_epsilon(p, q):
    return np.sum(xlogy(p, p) - xlogy(p, q + 1e-12))


def kl_skipping_zeros(p, q):
    keep = (p > 0) & (q > 0)
    return np.sum(p[keep] * np.log(p[keep] / q[keep]))


def kl_zero_p_as_inf(p, q):
    terms = p * np.log(p / q)
    terms[np.isnan(terms)] = np.inf
    return terms.sum()


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    return np.log(sigma_q / sigma_p) + (sigma_p**2 + (mu_p - mu_q)**2) / (2 * sigma_q**2) - 0.5


def distill_grad(t, s, T):
    return T * (scipy.special.softmax(s / T) - scipy.special.softmax(t / T))


@pytest.mark.parametrize("checker, fn", [
    (checks.check_kl_divergence_support, kl_with_zeros),
    (checks.check_gaussian_kl_divergence, gaussian_kl),
    (checks.check_distillation_loss_grad, distill_grad),
])
def test_chapter_4_correct_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


@pytest.mark.parametrize("checker, fn, message", [
    (checks.check_kl_divergence_support, kl_naive, "terms with p_k = 0 must count as 0"),
    (checks.check_kl_divergence_support, kl_epsilon, "Do not add an epsilon"),
    (checks.check_kl_divergence_support, kl_skipping_zeros, "the divergence is +inf"),
    (checks.check_kl_divergence_support, kl_zero_p_as_inf, "contributes 0, whatever q_k is"),
    (checks.check_kl_divergence_support, lambda p, q: kl_with_zeros(q, p), "expected"),
    (checks.check_gaussian_kl_divergence,
     lambda m1, s1, m2, s2: gaussian_kl(m1, np.sqrt(s1), m2, np.sqrt(s2)), "standard deviations"),
    (checks.check_gaussian_kl_divergence, lambda m1, s1, m2, s2: gaussian_kl(m2, s2, m1, s1),
     "you computed KL(q ‖ p)"),
    (checks.check_gaussian_kl_divergence,
     lambda m1, s1, m2, s2: gaussian_kl(m1, s1, m2, s2) + 0.5, "the constant -1/2 is missing"),
    (checks.check_gaussian_kl_divergence,
     lambda m1, s1, m2, s2: gaussian_kl(m1, s1, m2, s2) + np.log(s2 / s1), "check the ½"),
    (checks.check_gaussian_kl_divergence,
     lambda m1, s1, m2, s2: gaussian_kl(m1, s1, m2, s2) / np.log(2), "log base 2"),
    (checks.check_distillation_loss_grad, lambda t, s, T: distill_grad(t, s, T) / T**2,
     "without the factor T²"),
    (checks.check_distillation_loss_grad, lambda t, s, T: distill_grad(t, s, T) / T,
     "the factor T is missing"),
    (checks.check_distillation_loss_grad, lambda t, s, T: distill_grad(t, s, T) * T,
     "contributes a factor 1/T"),
    (checks.check_distillation_loss_grad, lambda t, s, T: -distill_grad(t, s, T),
     "the sign is flipped"),
    (checks.check_distillation_loss_grad,
     lambda t, s, T: T * (scipy.special.softmax(s) - scipy.special.softmax(t)),
     "divide the logits by T"),
    (checks.check_distillation_loss_grad,
     lambda t, s, T: T * (np.exp(s / T) / np.exp(s / T).sum() - np.exp(t / T) / np.exp(t / T).sum()),
     "subtract the largest logit"),
    (checks.check_distillation_loss_grad, lambda t, s, T: 1 / 0, "ZeroDivisionError"),
])
def test_chapter_4_wrong_functions_are_diagnosed(checker, fn, message, capsys):
    with np.errstate(all="ignore"):
        checker(fn)
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {checker.__name__}") and message in out
