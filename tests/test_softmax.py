"""softmax, log_softmax, softmax_jacobian: cross-checks against scipy, invariants, temperature,
huge logits, finite-difference Jacobian, and every error case."""
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from infoloss import log_softmax, softmax, softmax_jacobian

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
logit_arrays = hnp.arrays(float, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                          elements=finite)
temperatures = st.floats(0.05, 20.0)


# --- cross-checks against scipy ---------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(logit_arrays, st.data())
def test_softmax_and_log_softmax_match_scipy(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    np.testing.assert_allclose(softmax(z, axis=axis), scipy.special.softmax(z, axis=axis),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(log_softmax(z, axis=axis), scipy.special.log_softmax(z, axis=axis),
                               rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(logit_arrays, temperatures)
def test_temperature_divides_the_logits(z, t):
    np.testing.assert_allclose(softmax(z, temperature=t), scipy.special.softmax(z / t, axis=-1),
                               rtol=1e-10, atol=1e-15)
    lse = scipy.special.logsumexp(z / t, axis=-1, keepdims=True)
    np.testing.assert_allclose(log_softmax(z, temperature=t), z / t - lse, rtol=1e-10, atol=1e-10)


# --- invariants ---------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(logit_arrays, st.floats(-1e3, 1e3))
def test_adding_a_constant_to_the_logits_changes_nothing(z, c):
    np.testing.assert_allclose(softmax(z + c), softmax(z), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(log_softmax(z + c), log_softmax(z), rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(logit_arrays)
def test_softmax_is_a_distribution_and_exp_of_log_softmax(z):
    p = softmax(z)
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(z)), p, rtol=1e-12, atol=1e-15)


def test_softmax_preserves_the_order_of_the_logits():
    p = softmax([3.0, -1.0, 0.5, 2.0])
    assert list(np.argsort(p)) == [1, 2, 3, 0]


def test_temperature_limits():
    z = np.array([2.0, 1.0, -1.0])
    np.testing.assert_allclose(softmax(z, temperature=1e-3), [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(softmax(z, temperature=1e6), np.full(3, 1 / 3), atol=1e-5)
    # equal logits stay uniform at every temperature
    for t in (0.01, 1.0, 100.0):
        np.testing.assert_allclose(softmax(np.zeros(4), temperature=t), np.full(4, 0.25))


def test_closed_form_for_two_classes_is_the_sigmoid():
    z = np.linspace(-30, 30, 61)
    p = softmax(np.stack([z, np.zeros_like(z)], axis=-1))[:, 0]
    np.testing.assert_allclose(p, scipy.special.expit(z), rtol=1e-12)
    # atol: log p of the top class is -log(1 + e^-|z|), computed as a log of a sum near 1
    np.testing.assert_allclose(log_softmax(np.stack([z, 0 * z], -1))[:, 0], scipy.special.log_expit(z),
                               rtol=1e-12, atol=1e-15)


# --- huge logits ----------------------------------------------------------------------------------
def test_logits_of_magnitude_1e4_are_finite_and_exact():
    z = np.array([1e4, 0.0, -1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):   # no overflow, 0 * inf, log 0
        logp = log_softmax(z)
        p = softmax(z)
        J = softmax_jacobian(z)
    # exact values: log p = z - 1e4 - log(1 + e^-1e4 + e^-2e4) and e^-1e4 is 0 in floating point
    np.testing.assert_array_equal(logp, [0.0, -1e4, -2e4])
    np.testing.assert_array_equal(p, [1.0, 0.0, 0.0])
    assert np.isfinite(J).all() and np.abs(J).max() == 0.0


def test_large_equal_logits_give_the_uniform_distribution():
    np.testing.assert_allclose(softmax([1e4, 1e4]), [0.5, 0.5])
    np.testing.assert_allclose(log_softmax([-1e4, -1e4]), np.log([0.5, 0.5]))


# --- the Jacobian ---------------------------------------------------------------------------------
def numerical_jacobian(z, h=1e-6):
    """Central differences, column j = (softmax(z + h e_j) - softmax(z - h e_j)) / 2h."""
    cols = [(softmax(z + h * e) - softmax(z - h * e)) / (2 * h) for e in np.eye(z.size)]
    return np.stack(cols, axis=-1)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(float, st.integers(2, 6), elements=st.floats(-5, 5)))
def test_jacobian_matches_central_differences(z):
    np.testing.assert_allclose(softmax_jacobian(z), numerical_jacobian(z), atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(float, st.integers(2, 6), elements=st.floats(-5, 5)))
def test_jacobian_is_symmetric_with_zero_row_sums_and_rank_k_minus_1(z):
    J = softmax_jacobian(z)
    p = softmax(z)
    np.testing.assert_allclose(J, J.T, atol=0)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(J, np.diag(p) - np.outer(p, p), atol=1e-15)
    assert np.linalg.matrix_rank(J, tol=1e-12) == z.size - 1
    assert (np.linalg.eigvalsh(J) > -1e-15).all()        # positive semi-definite


def test_jacobian_of_a_batch_has_shape_batch_k_k():
    z = np.random.default_rng(0).normal(size=(4, 2, 5))
    J = softmax_jacobian(z)
    assert J.shape == (4, 2, 5, 5)
    np.testing.assert_allclose(J[3, 1], softmax_jacobian(z[3, 1]))


def test_jacobian_of_one_class_is_zero():
    np.testing.assert_array_equal(softmax_jacobian([7.0]), [[0.0]])


# --- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [softmax, log_softmax])
@pytest.mark.parametrize("kwargs, match", [
    ({"logits": [1.0, np.nan]}, "logits contains NaN or inf"),
    ({"logits": [1.0, np.inf]}, "logits contains NaN or inf"),
    ({"logits": 3.0}, "logits must have at least one dimension"),
    ({"logits": np.zeros((2, 0))}, "logits is empty along axis -1"),
    ({"logits": [1.0, 2.0], "axis": 1}, "axis=1 is out of range"),
    ({"logits": [1.0, 2.0], "temperature": 0.0}, "temperature must be a finite number > 0"),
    ({"logits": [1.0, 2.0], "temperature": -1.0}, "temperature must be a finite number > 0"),
    ({"logits": [1.0, 2.0], "temperature": np.inf}, "temperature must be a finite number > 0"),
    ({"logits": [1.0, 2.0], "temperature": np.nan}, "temperature must be a finite number > 0"),
    ({"logits": [1.0, 2.0], "temperature": "hot"}, "temperature must be a number"),
    ({"logits": [1e300, 2.0], "temperature": 1e-10}, "overflows"),
    ({"logits": ["a", "b"]}, "logits must be an array of numbers"),
])
def test_bad_input_raises_a_clear_value_error(fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(**kwargs)


@pytest.mark.parametrize("logits, match", [
    ([np.nan, 1.0], "logits contains NaN or inf"),
    (2.0, "logits must have at least one dimension"),
    (np.zeros((3, 0)), "logits is empty"),
])
def test_jacobian_bad_input(logits, match):
    with pytest.raises(ValueError, match=match):
        softmax_jacobian(logits)
