"""softmax_cross_entropy, its gradient, sigmoid_binary_cross_entropy and their exercise checkers:
scipy cross-checks, the note-003 TensorFlow numbers, finite differences, huge logits, bad input."""

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from infoloss import (cross_entropy, log_softmax, sigmoid_binary_cross_entropy, softmax,
                      softmax_cross_entropy, softmax_cross_entropy_grad)


@st.composite
def labels_and_logits(draw, max_batch=4):
    """A batch of (soft or one-hot) label distributions and logits of the same shape."""
    n, k = draw(st.integers(1, max_batch)), draw(st.integers(2, 6))
    logits = draw(hnp.arrays(float, (n, k), elements=st.floats(-30, 30)))
    if draw(st.booleans()):
        labels = np.eye(k)[draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))]
    else:
        w = draw(hnp.arrays(float, (n, k), elements=st.floats(0.0, 1.0)))
        w[w.sum(axis=1) < 1e-3, 0] = 1.0
        labels = w / w.sum(axis=1, keepdims=True)
    return labels, logits


# --- cross-checks against scipy ---------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(labels_and_logits())
def test_loss_matches_scipy_logsumexp_and_log_softmax(yz):
    y, z = yz
    expected = (y * (scipy.special.logsumexp(z, axis=1, keepdims=True) - z)).sum(axis=1)
    np.testing.assert_allclose(softmax_cross_entropy(y, z), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(softmax_cross_entropy(y, z),
                               -(y * scipy.special.log_softmax(z, axis=1)).sum(axis=1),
                               rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(labels_and_logits())
def test_loss_is_the_cross_entropy_of_labels_and_softmax(yz):
    y, z = yz
    np.testing.assert_allclose(softmax_cross_entropy(y, z),
                               cross_entropy(y, scipy.special.softmax(z, axis=1)), rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(labels_and_logits())
def test_gradient_is_softmax_minus_labels(yz):
    y, z = yz
    np.testing.assert_allclose(softmax_cross_entropy_grad(y, z), scipy.special.softmax(z, axis=1) - y,
                               atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(hnp.arrays(float, st.integers(1, 8), elements=st.floats(-700, 700)), st.data())
def test_bce_matches_scipy_log_expit(z, data):
    y = data.draw(hnp.arrays(float, z.shape, elements=st.floats(0.0, 1.0)))
    expected = -y * scipy.special.log_expit(z) - (1 - y) * scipy.special.log_expit(-z)
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(y, z), expected, rtol=1e-12, atol=1e-12)


def test_bce_matches_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-10, 10, 41)
    y = np.linspace(0, 1, 41)
    s = scipy.special.expit(z)
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(y, z),
                               -y * np.log(s) - (1 - y) * np.log(1 - s), rtol=1e-9)


# --- the published example ------------------------------------------------------------------------
def test_reproduces_the_tensorflow_numbers_of_note_003():
    # Provenance: printed by TensorFlow's tf.nn.softmax_cross_entropy_with_logits in source
    # note 003 (shared/notes/003_21dada03b30d81a6.txt): tf_loss [0.16984602 0.82474489],
    # tf_loss_mean 0.4972954548475541.
    labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
    logits = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
    loss = softmax_cross_entropy(labels, logits)
    np.testing.assert_allclose(loss, [0.16984602, 0.82474489], rtol=0, atol=1e-6)
    assert abs(loss.mean() - 0.4972954548475541) < 1e-6
    # and the softmax the note prints for both implementations
    np.testing.assert_allclose(softmax(logits), [[0.84379473, 0.1141952, 0.04201007],
                                                 [0.00657326, 0.97555875, 0.01786798]], atol=1e-8)


def test_the_notes_epsilon_inside_the_log_explains_its_numpy_numbers():
    # Provenance: the note's own NumPy version, -sum(y * log(softmax + 1e-6)), printed
    # my_loss [0.16984483 0.82473288]; the epsilon, not the softmax, makes the difference.
    labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
    p = softmax(np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]]))
    fudged = -np.sum(labels * np.log(p + 1e-6), axis=1)
    np.testing.assert_allclose(fudged, [0.16984483, 0.82473288], rtol=0, atol=1e-8)


# --- closed forms and invariants ----------------------------------------------------------------
def test_uniform_logits_cost_log_k():
    for k in (2, 3, 10):
        assert np.isclose(softmax_cross_entropy(np.eye(k)[0], np.zeros(k)), np.log(k))


def test_one_hot_loss_is_the_negative_log_probability_of_the_true_class():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    for c in range(4):
        assert np.isclose(softmax_cross_entropy(np.eye(4)[c], z), -log_softmax(z)[c])


@settings(max_examples=40, deadline=None)
@given(labels_and_logits(), st.floats(-1e3, 1e3))
def test_adding_a_constant_to_the_logits_changes_neither_loss_nor_gradient(yz, c):
    y, z = yz
    np.testing.assert_allclose(softmax_cross_entropy(y, z + c), softmax_cross_entropy(y, z),
                               rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(softmax_cross_entropy_grad(y, z + c), softmax_cross_entropy_grad(y, z),
                               atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(labels_and_logits())
def test_loss_is_at_least_the_entropy_of_the_labels(yz):
    y, z = yz
    h = -scipy.special.xlogy(y, y).sum(axis=1)
    assert (softmax_cross_entropy(y, z) >= h - 1e-9).all()


def test_axis_argument_equals_transposing():
    rng = np.random.default_rng(0)
    y = rng.dirichlet(np.ones(4), size=3)
    z = rng.normal(size=(3, 4))
    np.testing.assert_allclose(softmax_cross_entropy(y.T, z.T, axis=0), softmax_cross_entropy(y, z))
    np.testing.assert_allclose(softmax_cross_entropy_grad(y.T, z.T, axis=0),
                               softmax_cross_entropy_grad(y, z).T)


def test_one_label_broadcasts_over_a_batch_of_logits():
    z = np.random.default_rng(1).normal(size=(5, 3))
    y = np.array([0.0, 1.0, 0.0])
    np.testing.assert_allclose(softmax_cross_entropy(y, z), softmax_cross_entropy(np.tile(y, (5, 1)), z))


# --- finite differences -----------------------------------------------------------------------------
def central_difference(f, z, h=1e-6):
    """d f / d z_k by (f(z + h e_k) - f(z - h e_k)) / 2h, for every k."""
    return np.array([(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(z.size)])


@settings(max_examples=40, deadline=None)
@given(labels_and_logits(max_batch=1))
def test_gradient_matches_central_differences(yz):
    y, z = yz[0][0], yz[1][0] / 6           # logits in [-5, 5]
    numeric = central_difference(lambda v: float(softmax_cross_entropy(y, v)), z)
    np.testing.assert_allclose(softmax_cross_entropy_grad(y, z), numeric, atol=1e-7)


def test_bce_gradient_is_sigmoid_minus_label():
    z, y = np.array([-3.0, -0.2, 0.0, 1.5, 4.0]), np.array([1.0, 0.3, 0.5, 0.0, 1.0])
    h = 1e-6
    numeric = (sigmoid_binary_cross_entropy(y, z + h) - sigmoid_binary_cross_entropy(y, z - h)) / (2 * h)
    np.testing.assert_allclose(numeric, scipy.special.expit(z) - y, atol=1e-8)


# --- huge logits ----------------------------------------------------------------------------------
def test_logits_of_magnitude_1e4_stay_finite_and_exact():
    z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, 1e4]])
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = softmax_cross_entropy(y, z)
        grad = softmax_cross_entropy_grad(y, z)
    # analytic: row 1 is lse - z_1 = 1e4 (e^-1e4 terms vanish in float); row 2 is 0.5 * 2e4 + 0.5 * 0
    np.testing.assert_array_equal(loss, [1e4, 1e4])
    np.testing.assert_array_equal(grad, [[1.0, -1.0, 0.0], [-0.5, 0.0, 0.5]])


def test_bce_for_logits_of_magnitude_1e4():
    z = np.array([1e4, -1e4, 1e4, -1e4, 1e4])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.25])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = sigmoid_binary_cross_entropy(y, z)
    # analytic: confident and right costs log(1 + e^-1e4) = 0; confident and wrong costs |z|;
    # a soft label 0.25 against z = 1e4 costs (1 - 0.25) * 1e4
    np.testing.assert_array_equal(loss, [0.0, 0.0, 1e4, 1e4, 7500.0])


def test_bce_keeps_tiny_losses_accurate():
    # log1p(exp(-30)) = 9.357622968840175e-14 to double precision; log(1 + e^-30) would lose digits
    assert np.isclose(sigmoid_binary_cross_entropy([1.0], [30.0])[0], np.log1p(np.exp(-30.0)), rtol=1e-14)
    assert sigmoid_binary_cross_entropy([1.0], [30.0])[0] > 0


# --- bad input ------------------------------------------------------------------------------------
GOOD_Y, GOOD_Z = np.array([0.0, 1.0, 0.0]), np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("fn", [softmax_cross_entropy, softmax_cross_entropy_grad])
@pytest.mark.parametrize("labels, logits, kwargs, match", [
    ([0.5, 0.6, 0.0], GOOD_Z, {}, "labels must sum to 1"),
    ([2.0, 0.0, 0.0], GOOD_Z, {}, "labels must sum to 1"),
    ([1.5, -0.5, 0.0], GOOD_Z, {}, "labels has negative entries"),
    ([np.nan, 1.0, 0.0], GOOD_Z, {}, "labels contains NaN or inf"),
    (GOOD_Y, [1.0, np.nan, 3.0], {}, "logits contains NaN or inf"),
    (GOOD_Y, [1.0, -np.inf, 3.0], {}, "logits contains NaN or inf"),
    (GOOD_Y, [1.0, 2.0], {}, "same number of classes"),
    (np.eye(3)[:2], np.zeros((3, 3)), {}, "do not broadcast"),
    (np.zeros((2, 0)), np.zeros((2, 0)), {}, "labels is empty along axis -1"),
    (GOOD_Y, GOOD_Z, {"axis": 1}, "axis=1 is out of range"),
    (1.0, 2.0, {}, "labels must have at least one dimension"),
    (GOOD_Y, 2.0, {}, "logits must have at least one dimension"),
])
def test_bad_input_raises_a_clear_value_error(fn, labels, logits, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(labels, logits, **kwargs)


@pytest.mark.parametrize("labels, logits, match", [
    ([1.5, 0.0], [0.0, 1.0], r"labels must lie in \[0, 1\]"),
    ([-0.1, 0.0], [0.0, 1.0], r"labels must lie in \[0, 1\]"),
    ([np.nan, 0.0], [0.0, 1.0], "labels contains NaN or inf"),
    ([1.0, 0.0], [np.inf, 1.0], "logits contains NaN or inf"),
    ([1.0, 0.0, 1.0], [0.0, 1.0], "do not broadcast"),
    (1.0, [0.0], "labels must have at least one dimension"),
])
def test_bce_bad_input(labels, logits, match):
    with pytest.raises(ValueError, match=match):
        sigmoid_binary_cross_entropy(labels, logits)


# --- distillation (chapter 4) -------------------------------------------------------------------
from infoloss import distillation_loss, distillation_loss_grad, kl_divergence  # noqa: E402


@st.composite
def teacher_student(draw, max_batch=4, scale=10.0):
    """Teacher and student logits of the same shape (n, K) and a temperature."""
    n, k = draw(st.integers(1, max_batch)), draw(st.integers(2, 6))
    t = draw(hnp.arrays(float, (n, k), elements=st.floats(-scale, scale)))
    s = draw(hnp.arrays(float, (n, k), elements=st.floats(-scale, scale)))
    return t, s, draw(st.floats(0.5, 20.0))


@settings(max_examples=80, deadline=None)
@given(teacher_student())
def test_distillation_loss_is_t_squared_times_the_kl_of_the_softened_outputs(tst):
    t, s, T = tst
    p, q = scipy.special.softmax(t / T, axis=-1), scipy.special.softmax(s / T, axis=-1)
    expected = T**2 * scipy.special.rel_entr(p, q).sum(axis=-1)        # scipy's KL terms
    np.testing.assert_allclose(distillation_loss(t, s, temperature=T), expected,
                               rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(distillation_loss(t, s, temperature=T),
                               T**2 * kl_divergence(p, q), rtol=1e-9, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(teacher_student())
def test_distillation_is_cross_entropy_minus_the_teachers_entropy(tst):
    # T^2 [H(p, q) - H(p)]: the cross-entropy of chapter 2 on the logits s / T, minus a constant
    t, s, T = tst
    p = scipy.special.softmax(t / T, axis=-1)
    ce = softmax_cross_entropy(p, s / T)
    h = -scipy.special.xlogy(p, p).sum(axis=-1)
    np.testing.assert_allclose(distillation_loss(t, s, temperature=T), T**2 * (ce - h),
                               rtol=1e-8, atol=1e-8 * T**2)


@settings(max_examples=60, deadline=None)
@given(teacher_student(max_batch=1, scale=5.0))
def test_distillation_gradient_matches_central_differences(tst):
    t, s, T = tst[0][0], tst[1][0], tst[2]
    numeric = central_difference(lambda v: float(distillation_loss(t, v, temperature=T)), s)
    np.testing.assert_allclose(distillation_loss_grad(t, s, temperature=T), numeric,
                               atol=1e-6 * max(T, 1.0))


@settings(max_examples=40, deadline=None)
@given(teacher_student())
def test_distillation_gradient_is_t_times_q_minus_p_and_sums_to_zero(tst):
    t, s, T = tst
    grad = distillation_loss_grad(t, s, temperature=T)
    p, q = scipy.special.softmax(t / T, axis=-1), scipy.special.softmax(s / T, axis=-1)
    np.testing.assert_allclose(grad, T * (q - p), atol=1e-12 * T)
    np.testing.assert_allclose(grad.sum(axis=-1), 0.0, atol=1e-12 * T)


def test_high_temperature_limit_of_hinton_et_al():
    # Hinton, Vinyals and Dean (2015), eq. (4): for zero-mean logits and large T the unscaled
    # gradient is (s - t) / (K T^2), so the T^2-scaled gradient tends to (s - t) / K.
    rng = np.random.default_rng(0)
    t, s = rng.normal(size=5), rng.normal(size=5)
    t, s = t - t.mean(), s - s.mean()
    limit = (s - t) / 5
    errors = [np.abs(distillation_loss_grad(t, s, temperature=T) - limit).max()
              for T in (10.0, 100.0, 1000.0)]
    assert errors[-1] < 1e-3 * np.abs(limit).max()
    assert errors[0] > errors[1] > errors[2]                  # it converges, like 1/T
    # the unscaled KL's gradient, grad / T^2, shrinks like 1/T^2
    unscaled = [np.abs(distillation_loss_grad(t, s, temperature=T)).max() / T**2
                for T in (100.0, 1000.0)]
    assert np.isclose(unscaled[0] / unscaled[1], 100.0, rtol=0.01)


def test_distillation_is_zero_only_when_the_softened_outputs_agree():
    t = np.array([3.0, -1.0, 0.5])
    assert distillation_loss(t, t + 7.0, temperature=2.0) == 0.0   # a shift changes nothing
    assert distillation_loss(t, t + [0.0, 0.0, 1e-3], temperature=2.0) > 0
    np.testing.assert_allclose(distillation_loss_grad(t, t - 3.0, temperature=5.0), 0.0, atol=1e-15)


def test_distillation_with_logits_of_magnitude_1e3():
    t = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    s = np.array([[0.0, 1000.0, -1000.0], [1000.0, -1000.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = distillation_loss(t, s, temperature=1.0)
        grad = distillation_loss_grad(t, s, temperature=1.0)
    # analytic: row 1, p = e_1 and log q_1 = -1000 (the other terms underflow to 0);
    # row 2, p uniform and log q = (0, -2000, -1000): KL = -log 3 + (0 + 2000 + 1000) / 3
    np.testing.assert_allclose(loss, [1000.0, 1000.0 - np.log(3)], rtol=1e-14)
    np.testing.assert_allclose(grad, [[-1.0, 1.0, 0.0], [1 - 1 / 3, -1 / 3, -1 / 3]], atol=1e-15)


def test_one_teacher_broadcasts_over_a_batch_of_students():
    rng = np.random.default_rng(4)
    t, s = rng.normal(size=4), rng.normal(size=(3, 4))
    np.testing.assert_allclose(distillation_loss(t, s, temperature=3.0),
                               distillation_loss(np.tile(t, (3, 1)), s, temperature=3.0))
    assert distillation_loss_grad(t, s, temperature=3.0).shape == (3, 4)


@pytest.mark.parametrize("fn", [distillation_loss, distillation_loss_grad])
@pytest.mark.parametrize("teacher, student, T, match", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], 1.0, "same number of classes"),
    ([[1.0, 2.0]] * 2, [[1.0, 2.0]] * 3, 1.0, "do not broadcast"),
    ([1.0, np.nan], [1.0, 2.0], 1.0, "teacher_logits contains NaN or inf"),
    ([1.0, 2.0], [np.inf, 2.0], 1.0, "student_logits contains NaN or inf"),
    (1.0, [1.0], 1.0, "teacher_logits must have at least one dimension"),
    ([1.0, 2.0], [1.0, 2.0], 0.0, "temperature must be a finite number > 0"),
    ([1.0, 2.0], [1.0, 2.0], -2.0, "temperature must be a finite number > 0"),
    ([1.0, 2.0], [1.0, 2.0], np.inf, "temperature must be a finite number > 0"),
    ([1.0, 2.0], [1.0, 2.0], np.nan, "temperature must be a finite number > 0"),
    ([1.0, 2.0], [1.0, 2.0], "hot", "temperature must be a number"),
    ([1e300, 2.0], [1.0, 2.0], 1e-10, "overflows"),
])
def test_distillation_bad_input(fn, teacher, student, T, match):
    with pytest.raises(ValueError, match=match):
        fn(teacher, student, temperature=T)


def test_temperature_is_keyword_only():
    with pytest.raises(TypeError):
        distillation_loss([1.0, 2.0], [2.0, 1.0], 2.0)
