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
