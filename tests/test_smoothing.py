"""smooth_labels and optimal_logit_gap: the PyTorch, Keras and fairseq formulas written out in
NumPy, the closed-form gap against a numerical minimum, invariants, broadcasting, bad input."""

import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from infoloss import (entropy, optimal_logit_gap, smooth_labels, softmax, softmax_cross_entropy,
                      softmax_cross_entropy_grad)


@st.composite
def labelled_logits(draw, max_batch=5):
    """Integer labels, their number of classes K, logits (N, K) and a smoothing amount."""
    k = draw(st.integers(2, 8))
    n = draw(st.integers(1, max_batch))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    logits = draw(hnp.arrays(float, (n, k), elements=st.floats(-30, 30)))
    eps = draw(st.floats(0.0, 0.99))
    return labels, k, logits, eps


# --- the frameworks' formulas, written out in NumPy -------------------------------------------------
# Provenance: PyTorch aten/src/ATen/native/LossNLL.cpp. With class-index targets and
# label_smoothing, cross_entropy_loss_label_smoothing returns
#     (1 - label_smoothing) * nll_loss + smooth_loss * (label_smoothing / n_classes),
# smooth_loss = -log_softmax(input).sum(class_dim); with probability targets,
# cross_entropy_loss_prob_target first sets target = target * (1 - label_smoothing) + label_smoothing / n_classes.
def torch_index_target_loss(logits, labels, eps):
    log_p = scipy.special.log_softmax(logits, axis=-1)
    nll = -log_p[np.arange(len(labels)), labels]
    smooth_loss = -log_p.sum(axis=-1)
    return (1 - eps) * nll + smooth_loss * (eps / logits.shape[-1])


def torch_prob_target(onehot, eps):
    return onehot * (1 - eps) + eps / onehot.shape[-1]


# Provenance: fairseq/criterions/label_smoothed_cross_entropy.py, label_smoothed_nll_loss (the
# version with eps_i = epsilon / (lprobs.size(-1) - 1), since 2021):
#     loss = (1.0 - epsilon - eps_i) * nll_loss + eps_i * smooth_loss
def fairseq_loss(logits, labels, eps):
    log_p = scipy.special.log_softmax(logits, axis=-1)
    nll = -log_p[np.arange(len(labels)), labels]
    smooth_loss = -log_p.sum(axis=-1)
    eps_i = eps / (logits.shape[-1] - 1)
    return (1.0 - eps - eps_i) * nll + eps_i * smooth_loss


# Provenance: Keras, keras/losses.py, categorical_crossentropy:
#     y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
def keras_categorical_target(onehot, eps):
    return onehot * (1.0 - eps) + (eps / onehot.shape[-1])


@settings(max_examples=80, deadline=None)
@given(labelled_logits())
def test_uniform_targets_give_pytorchs_label_smoothing_loss(case):
    labels, k, logits, eps = case
    targets = smooth_labels(labels, k, eps)
    np.testing.assert_allclose(softmax_cross_entropy(targets, logits),
                               torch_index_target_loss(logits, labels, eps), rtol=1e-10, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(labelled_logits())
def test_uniform_targets_are_pytorchs_and_keras_smoothed_probability_targets(case):
    labels, k, _, eps = case
    onehot = np.eye(k)[labels]
    np.testing.assert_array_equal(smooth_labels(labels, k, eps), torch_prob_target(onehot, eps))
    np.testing.assert_allclose(smooth_labels(labels, k, eps), keras_categorical_target(onehot, eps),
                               rtol=0, atol=1e-15)


@settings(max_examples=80, deadline=None)
@given(labelled_logits())
def test_others_targets_give_fairseqs_label_smoothed_nll_loss(case):
    labels, k, logits, eps = case
    targets = smooth_labels(labels, k, eps, convention="others")
    np.testing.assert_allclose(softmax_cross_entropy(targets, logits), fairseq_loss(logits, labels, eps),
                               rtol=1e-10, atol=1e-10)


def test_note_000_equation_27():
    # Provenance: source note 000, eq. (27): y_i = 1 - eps for the true label, eps / (K - 1)
    # otherwise. K = 5, eps = 0.2: (0.8, 0.05, 0.05, 0.05, 0.05) for class 0.
    np.testing.assert_allclose(smooth_labels(0, 5, 0.2, convention="others"), [0.8, 0.05, 0.05, 0.05, 0.05])


def test_szegedy_example():
    # Provenance: Szegedy et al. (2016), sec. 7: ImageNet with K = 1000 and eps = 0.1, so every
    # wrong class gets u(k) * eps = 1e-4 and the true one 0.9 + 1e-4.
    y = smooth_labels(3, 1000, 0.1)
    assert np.isclose(y[3], 0.9001) and np.allclose(np.delete(y, 3), 1e-4)


# --- invariants ------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(labelled_logits(), st.sampled_from(["uniform", "others"]))
def test_targets_are_distributions_symmetric_in_the_wrong_classes(case, convention):
    labels, k, _, eps = case
    y = smooth_labels(labels, k, eps, convention=convention)
    assert y.shape == (len(labels), k) and (y >= 0).all()
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    wrong = y[np.arange(k)[None, :] != labels[:, None]].reshape(len(labels), k - 1)
    assert (wrong == wrong[:, :1]).all()
    true = y[np.arange(len(labels)), labels]
    expected = 1 - eps + eps / k if convention == "uniform" else 1 - eps
    np.testing.assert_allclose(true, expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(labelled_logits())
def test_the_conventions_are_one_family(case):
    labels, k, _, eps = case
    np.testing.assert_allclose(smooth_labels(labels, k, eps),
                               smooth_labels(labels, k, eps * (k - 1) / k, convention="others"),
                               rtol=1e-12, atol=1e-15)


def test_eps_zero_is_one_hot_under_both_conventions():
    labels = np.array([0, 3, 1])
    for convention in ("uniform", "others"):
        np.testing.assert_array_equal(smooth_labels(labels, 4, 0.0, convention=convention), np.eye(4)[labels])


def test_two_classes_others_is_one_minus_eps_and_eps():
    np.testing.assert_allclose(smooth_labels([0, 1], 2, 0.1, convention="others"), [[0.9, 0.1], [0.1, 0.9]])
    # Keras's binary_crossentropy smooths towards 1/2: y * (1 - eps) + 0.5 * eps, the uniform K = 2 case
    np.testing.assert_allclose(smooth_labels([0, 1], 2, 0.1)[:, 0], np.array([1.0, 0.0]) * 0.9 + 0.05)


def test_broadcasting_over_any_label_shape():
    labels = np.array([[0, 2, 1], [1, 1, 0]])
    y = smooth_labels(labels, 3, 0.3)
    assert y.shape == (2, 3, 3)
    np.testing.assert_array_equal(y[1, 2], smooth_labels(0, 3, 0.3))
    assert smooth_labels(1, 3, 0.3).shape == (3,)
    assert smooth_labels(np.array([], dtype=int), 3, 0.3).shape == (0, 3)


def test_whole_number_floats_and_numpy_integers_are_accepted():
    np.testing.assert_array_equal(smooth_labels([0.0, 2.0], 3, 0.3), smooth_labels([0, 2], 3, 0.3))
    np.testing.assert_array_equal(smooth_labels(np.int8(1), np.int64(3), np.float32(0.25)),
                                  smooth_labels(1, 3, 0.25))


# --- the optimal gap -------------------------------------------------------------------------------
def minimize_full_loss(y, seed=0):
    """The minimizer of softmax_cross_entropy(y, z) over all of R^K, by BFGS from a random start."""
    z0 = np.random.default_rng(seed).normal(size=y.size)
    res = scipy.optimize.minimize(lambda z: float(softmax_cross_entropy(y, z)), z0,
                                  jac=lambda z: softmax_cross_entropy_grad(y, z), method="BFGS",
                                  options={"gtol": 1e-12})
    return res.x


@pytest.mark.parametrize("convention", ["uniform", "others"])
@pytest.mark.parametrize("k, eps", [(2, 0.1), (3, 0.05), (5, 0.3), (10, 0.1), (10, 0.6)])
def test_gap_is_the_numerical_minimum_of_the_full_loss(k, eps, convention):
    y = smooth_labels(1, k, eps, convention=convention)
    z = minimize_full_loss(y)
    gaps = z[1] - np.delete(z, 1)
    np.testing.assert_allclose(gaps, optimal_logit_gap(k, eps, convention=convention), atol=1e-6)
    assert np.isclose(softmax_cross_entropy(y, z), entropy(y), atol=1e-12)  # the floor H(y)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 50), st.floats(1e-6, 0.99), st.sampled_from(["uniform", "others"]))
def test_softmax_at_the_gap_is_the_smoothed_label_and_the_gradient_vanishes(k, eps, convention):
    z = np.zeros(k)
    z[0] = optimal_logit_gap(k, eps, convention=convention)
    y = smooth_labels(0, k, eps, convention=convention)
    np.testing.assert_allclose(softmax(z), y, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(softmax_cross_entropy_grad(y, z), 0.0, atol=1e-12)


def test_closed_forms():
    # Provenance: the formulas derived in book chapter 3; K = 10, eps = 0.1 gives
    # log(9 * 0.9 / 0.1) = log 81 ("others") and log(1 + 10 * 0.9 / 0.1) = log 91 ("uniform").
    assert np.isclose(optimal_logit_gap(10, 0.1, convention="others"), np.log(81), rtol=1e-14)
    assert np.isclose(optimal_logit_gap(10, 0.1), np.log(91), rtol=1e-14)
    # note 000: e^{z_i} = (1 - eps)/eps * sum_{j != i} e^{z_j}, with the K - 1 wrong logits equal
    k, eps = 7, 0.2
    g = optimal_logit_gap(k, eps, convention="others")
    assert np.isclose(np.exp(g), (1 - eps) / eps * (k - 1) * np.exp(0.0))


def test_gap_is_infinite_without_smoothing_and_falls_as_eps_grows():
    eps = np.linspace(0, 0.95, 40)
    for convention in ("uniform", "others"):
        gap = optimal_logit_gap(5, eps, convention=convention)
        assert gap[0] == np.inf and np.all(np.diff(gap) < 0)
    assert optimal_logit_gap(4, 0.0) == np.inf and isinstance(optimal_logit_gap(4, 0.0), float)
    # "others" at eps = (K - 1)/K is the uniform label, so every logit is equal; beyond, negative
    assert np.isclose(optimal_logit_gap(4, 0.75, convention="others"), 0.0, atol=1e-15)
    assert optimal_logit_gap(4, 0.9, convention="others") < 0 < optimal_logit_gap(4, 0.9)


def test_gap_grows_like_log_of_one_over_eps():
    # g = log((K - 1)(1 - eps)/eps): ten times smaller eps, about log 10 more gap
    small = optimal_logit_gap(10, np.array([1e-4, 1e-5]), convention="others")
    assert np.isclose(np.diff(small)[0], np.log(10), atol=1e-4)


def test_gap_broadcasts_over_eps():
    eps = np.array([[0.1, 0.2], [0.3, 0.0]])
    gap = optimal_logit_gap(3, eps)
    assert gap.shape == (2, 2) and gap[1, 1] == np.inf
    assert gap[0, 1] == optimal_logit_gap(3, 0.2)


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: smooth_labels([0, 1], 3, 1.0), r"eps must lie in \[0, 1\)"),
    (lambda: smooth_labels([0, 1], 3, -0.1), r"eps must lie in \[0, 1\)"),
    (lambda: smooth_labels([0, 1], 3, np.nan), r"eps must lie in \[0, 1\)"),
    (lambda: smooth_labels([0, 1], 3, "0.1x"), "eps must be a number"),
    (lambda: smooth_labels([0, 1], 3, True), "eps must be a number"),
    (lambda: smooth_labels([0, 1], 3, [0.1, 0.2]), "eps must be a single number"),
    (lambda: smooth_labels([0, 3], 3, 0.1), "class index 3, but there are only 3 classes"),
    (lambda: smooth_labels([0, -100], 3, 0.1), "negative class index"),
    (lambda: smooth_labels([0.5, 1.0], 3, 0.1), "must be integer class indices, got the value 0.5"),
    (lambda: smooth_labels([[0.9, 0.1]], 2, 0.1), "must be integer class indices"),
    (lambda: smooth_labels([True, False], 2, 0.1), "must be integer class indices, got an array of dtype bool"),
    (lambda: smooth_labels(["a"], 2, 0.1), "must be integer class indices"),
    (lambda: smooth_labels([0], 1, 0.1), "num_classes must be an integer >= 2"),
    (lambda: smooth_labels([0], 2.5, 0.1), "num_classes must be an integer >= 2"),
    (lambda: smooth_labels([0], "3", 0.1), "num_classes must be an integer >= 2"),
    (lambda: smooth_labels([0], None, 0.1), "num_classes must be an integer >= 2"),
    (lambda: smooth_labels([0], 3, 0.1, convention="fairseq"), "convention must be 'uniform'"),
    (lambda: optimal_logit_gap(1, 0.1), "num_classes must be an integer >= 2"),
    (lambda: optimal_logit_gap(3, 1.0), r"eps must lie in \[0, 1\)"),
    (lambda: optimal_logit_gap(3, [0.1, -0.1]), r"eps must lie in \[0, 1\), got -0.1"),
    (lambda: optimal_logit_gap(3, 0.1, convention="Uniform"), "convention must be 'uniform'"),
])
def test_bad_input_raises_a_helpful_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
