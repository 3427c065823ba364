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


# --- chapter 7: mutual information and perplexity ------------------------------------------------
def good_mutual_information(joint):
    product = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    return (xlogy(joint, joint) - xlogy(joint, product)).sum()


def good_perplexity(p):
    with np.errstate(divide="ignore"):
        return np.exp(-np.mean(np.log(p)))


@pytest.mark.parametrize("checker, fn", [
    (checks.check_mutual_information, good_mutual_information),
    (checks.check_mutual_information,          # H(X) + H(Y) - H(X, Y), from the entropies
     lambda j: (good_entropy(j.sum(axis=0)) + good_entropy(j.sum(axis=1))
                - good_entropy(j.ravel()))),
    (checks.check_perplexity, good_perplexity),
    (checks.check_perplexity,                  # in bits: 2 ** (mean -log2 p)
     lambda p: 2 ** -np.mean(np.log2(p))),
])
def test_chapter_7_correct_functions_pass(checker, fn, capsys):
    with np.errstate(divide="ignore"):
        checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


def conditional_entropy_y_given_x(j):
    return good_entropy(j.ravel()) - good_entropy(j.sum(axis=1))


@pytest.mark.parametrize("checker, fn, message", [
    (checks.check_mutual_information, lambda j: good_mutual_information(j) / np.log(2),
     "did you use log base 2"),
    (checks.check_mutual_information,          # np.log of the zero entries
     lambda j: (j * np.log(j / (j.sum(axis=1, keepdims=True) * j.sum(axis=0, keepdims=True))))
     .sum(), "0·log 0 must count as 0"),
    (checks.check_mutual_information, conditional_entropy_y_given_x, "this is H(Y | X)"),
    (checks.check_mutual_information, lambda j: good_entropy(j.ravel()), "joint entropy"),
    (checks.check_mutual_information,
     lambda j: good_entropy(j.sum(axis=1)) - conditional_entropy_y_given_x(j),
     "mixes the two variables"),
    (checks.check_mutual_information, lambda j: 1 / 0, "raised ZeroDivisionError"),
    (checks.check_perplexity, lambda p: np.prod(p) ** (-1 / len(p)), "underflows to 0"),
    (checks.check_perplexity, lambda p: 1 / np.mean(p), "geometric mean"),
    (checks.check_perplexity, lambda p: -np.mean(np.log(p)), "returned the cross-entropy"),
    (checks.check_perplexity, lambda p: 2 ** -np.mean(np.log(p)), "base of the exponential"),
    (checks.check_perplexity, lambda p: np.exp(-np.mean(np.log(p))) + 0.5, "expected"),
])
def test_chapter_7_wrong_functions_are_diagnosed(checker, fn, message, capsys):
    with np.errstate(all="ignore"):
        checker(fn)
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {checker.__name__}") and message in out
