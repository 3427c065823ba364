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


# --- chapter 3: label smoothing and calibration --------------------------------------------------
def good_smooth_labels(labels, K, eps, convention):
    onehot = np.eye(K)[labels]
    if convention == "uniform":
        return onehot * (1 - eps) + eps / K
    return np.where(onehot == 1, 1 - eps, eps / (K - 1))


def good_gap(K, eps, convention):
    if eps == 0:
        return np.inf
    if convention == "uniform":
        return np.log(1 + K * (1 - eps) / eps)
    return np.log((K - 1) * (1 - eps) / eps)


def ece_by_bins(probs, labels, n_bins, *, weighted=True, lower_closed=False, conf=None):
    conf = probs.max(axis=1) if conf is None else conf
    right = probs.argmax(axis=1) == labels
    if lower_closed:   # [lo, hi) bins, the last one closed
        which = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    else:              # (lo, hi] bins
        which = np.clip(np.ceil(conf * n_bins).astype(int) - 1, 0, n_bins - 1)
    gaps, weights = [], []
    for m in range(n_bins):
        inside = which == m
        if inside.any():
            gaps.append(abs(right[inside].mean() - conf[inside].mean()))
            weights.append(inside.mean())
    return float(np.dot(gaps, weights)) if weighted else float(np.mean(gaps))


@pytest.mark.parametrize("checker, fn", [
    (checks.check_smooth_labels, good_smooth_labels),
    (checks.check_optimal_logit_gap, good_gap),
    (checks.check_expected_calibration_error, ece_by_bins),
])
def test_correct_chapter_3_functions_pass(checker, fn, capsys):
    checker(fn)
    assert capsys.readouterr().out.startswith(f"✓ {checker.__name__}: all ")


def swap(convention):
    return "others" if convention == "uniform" else "uniform"


def missing_true_share(labels, K, eps, convention):
    y = np.full((len(labels), K), eps / K)
    y[np.arange(len(labels)), labels] = 1 - eps
    return y


@pytest.mark.parametrize("checker, fn, message", [
    (checks.check_smooth_labels, lambda y, K, e, c: good_smooth_labels(y, K, e, swap(c)),
     "this is the other convention"),
    (checks.check_smooth_labels, missing_true_share, "the true class gets its share ε/K too"),
    (checks.check_smooth_labels,
     lambda y, K, e, c: good_smooth_labels(y, K, e, c) if c == "uniform" else missing_true_share(y, K, e, c),
     "shared by the K − 1 other classes"),
    (checks.check_smooth_labels, lambda y, K, e, c: np.eye(K)[y], "eps was not applied"),
    (checks.check_smooth_labels, lambda y, K, e, c: good_smooth_labels(y, K, e, c).T, "expected"),
    (checks.check_optimal_logit_gap, lambda K, e, c: good_gap(K, e, swap(c)), "the other convention"),
    (checks.check_optimal_logit_gap, lambda K, e, c: good_gap(K, e, c) / np.log(2), "use np.log, not np.log2"),
    (checks.check_optimal_logit_gap, lambda K, e, c: np.exp(good_gap(K, e, c)), "its log"),
    (checks.check_optimal_logit_gap, lambda K, e, c: -good_gap(K, e, c), "the sign is flipped"),
    (checks.check_optimal_logit_gap,
     lambda K, e, c: np.log(K * (1 - e) / e) if c == "uniform" else good_gap(K, e, c),
     "keeps 1 − ε + ε/K, not 1 − ε"),
    (checks.check_optimal_logit_gap,
     lambda K, e, c: float(np.log((K - 1) * (1 - e) / e)) if c == "others" else good_gap(K, e, c),
     "return np.inf when eps == 0"),
    (checks.check_optimal_logit_gap, lambda K, e, c: 1 / 0 if e == 0 else good_gap(K, e, c),
     "ZeroDivisionError"),
    (checks.check_expected_calibration_error, lambda p, y, m: ece_by_bins(p, y, m, weighted=False),
     "weight each bin by its share"),
    (checks.check_expected_calibration_error,
     lambda p, y, m: ece_by_bins(p, y, m, conf=p[np.arange(len(y)), y]), "not the probability of the true class"),
    (checks.check_expected_calibration_error, lambda p, y, m: ece_by_bins(p, y, m, lower_closed=True),
     "closed on the right"),
    (checks.check_expected_calibration_error, lambda p, y, m: 1 / 0, "raised ZeroDivisionError"),
])
def test_wrong_chapter_3_functions_are_diagnosed(checker, fn, message, capsys):
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
