"""expected_calibration_error and reliability_bins: against a direct loop over the bins (the
reference implementation of Guo et al.), closed forms, invariants and every error case."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from infoloss import expected_calibration_error, reliability_bins


def ece_loop(probs, labels, n_bins):
    """A direct loop, after the reference code of Guo et al. (2017), github.com/gpleiss/
    temperature_scaling, _ECELoss: bins (lower, upper] on linspace(0, 1, n_bins + 1), each adding
    prop_in_bin * |avg_confidence_in_bin - accuracy_in_bin|."""
    confidences, predictions = probs.max(axis=1), probs.argmax(axis=1)
    accuracies = predictions == labels
    edges = np.linspace(0, 1, n_bins + 1)
    ece = 0.0
    for lower, upper in zip(edges[:-1], edges[1:]):
        in_bin = (confidences > lower) & (confidences <= upper)
        if in_bin.mean() > 0:
            ece += in_bin.mean() * abs(confidences[in_bin].mean() - accuracies[in_bin].mean())
    return ece


@st.composite
def predictions(draw, max_n=60):
    """Probability rows (some with ties and exact zeros, some sharp) and integer labels."""
    n, k = draw(st.integers(1, max_n)), draw(st.integers(2, 6))
    w = draw(hnp.arrays(float, (n, k), elements=st.floats(0.0, 1.0)))
    sharpness = draw(st.sampled_from([1.0, 5.0, 40.0]))
    w = w ** sharpness
    w[w.sum(axis=1) < 1e-6, 0] = 1.0
    probs = w / w.sum(axis=1, keepdims=True)
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return probs, labels


@settings(max_examples=120, deadline=None)
@given(predictions(), st.sampled_from([1, 2, 10, 15, 100]))
def test_ece_matches_a_direct_loop(case, n_bins):
    probs, labels = case
    np.testing.assert_allclose(expected_calibration_error(probs, labels, n_bins=n_bins),
                               ece_loop(probs, labels, n_bins), rtol=1e-12, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(predictions(), st.sampled_from([3, 15]))
def test_bins_hold_every_example_once_and_their_means(case, n_bins):
    probs, labels = case
    bins = reliability_bins(probs, labels, n_bins=n_bins)
    assert bins.counts.sum() == len(labels) and bins.edges.shape == (n_bins + 1,)
    conf = probs.max(axis=1)
    for m in np.flatnonzero(bins.counts):
        lo, hi = bins.edges[m], bins.edges[m + 1]
        inside = (conf > lo) & (conf <= hi) if m else (conf <= hi)
        assert inside.sum() == bins.counts[m]
        assert np.isclose(bins.confidence[m], conf[inside].mean())
        assert lo - 1e-12 <= bins.confidence[m] <= hi + 1e-12
    assert (bins.accuracy[bins.counts == 0] == 0).all() and (bins.confidence[bins.counts == 0] == 0).all()


@settings(max_examples=60, deadline=None)
@given(predictions())
def test_ece_is_a_probability_and_invariant_to_the_order_of_examples(case):
    probs, labels = case
    ece = expected_calibration_error(probs, labels)
    assert 0.0 <= ece <= 1.0
    order = np.random.default_rng(0).permutation(len(labels))
    assert np.isclose(expected_calibration_error(probs[order], labels[order]), ece, rtol=1e-12, atol=1e-15)


# --- closed forms ----------------------------------------------------------------------------------
def test_one_bin_is_the_gap_between_mean_accuracy_and_mean_confidence():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(4), size=200)
    labels = rng.integers(4, size=200)
    acc, conf = np.mean(probs.argmax(1) == labels), probs.max(1).mean()
    assert np.isclose(expected_calibration_error(probs, labels, n_bins=1), abs(acc - conf))


def test_constant_confidence_and_a_known_accuracy():
    # Provenance: by hand. Every example 70% sure of class 0; 7 of 10 are class 0: calibrated.
    # With all 10 of class 0 the model is underconfident by 0.3; with none, overconfident by 0.7.
    probs = np.tile([0.7, 0.2, 0.1], (10, 1))
    assert expected_calibration_error(probs, [0] * 7 + [1] * 3) == pytest.approx(0.0, abs=1e-15)
    assert expected_calibration_error(probs, [0] * 10) == pytest.approx(0.3)
    assert expected_calibration_error(probs, [2] * 10) == pytest.approx(0.7)


def test_two_bins_by_hand():
    # Provenance: by hand, 5 bins of width 0.2. Confidences 0.95 (right), 0.9 (wrong) in
    # (0.8, 1]: accuracy 1/2, confidence 0.925, weight 2/4. Confidences 0.7, 0.65 (both right)
    # in (0.6, 0.8]: accuracy 1, confidence 0.675, weight 2/4. ECE = 0.5 * 0.425 + 0.5 * 0.325.
    probs = np.array([[0.95, 0.05], [0.1, 0.9], [0.7, 0.3], [0.35, 0.65]])
    labels = np.array([0, 0, 0, 1])
    assert expected_calibration_error(probs, labels, n_bins=5) == pytest.approx(0.375)


def test_a_perfectly_calibrated_model_has_a_small_ece_that_shrinks_with_n():
    # labels drawn from the predicted distributions themselves: calibrated by construction, and
    # the estimate is noise of order 1/sqrt(N) (positive: the ECE estimator is biased upwards)
    rng = np.random.default_rng(2)
    eces = []
    for n in (1_000, 100_000):
        probs = rng.dirichlet(np.full(3, 0.5), size=n)
        labels = (rng.uniform(size=(n, 1)) > probs.cumsum(axis=1)).sum(axis=1)
        eces.append(expected_calibration_error(probs, labels))
    assert 0 < eces[1] < eces[0] < 0.06 and eces[1] < 0.01


def test_a_confidence_on_a_bin_edge_goes_to_the_lower_bin():
    # 0.6 = 3/5 belongs to (0.4, 0.6], as in Guo et al.'s (lower, upper] bins
    bins = reliability_bins([[0.6, 0.4]], [0], n_bins=5)
    assert bins.counts.tolist() == [0, 0, 1, 0, 0]
    assert reliability_bins([[1.0, 0.0]], [0], n_bins=5).counts.tolist() == [0, 0, 0, 0, 1]


def test_ties_predict_the_first_class():
    assert expected_calibration_error([[0.5, 0.5]], [0], n_bins=10) == pytest.approx(0.5)
    assert expected_calibration_error([[0.5, 0.5]], [1], n_bins=10) == pytest.approx(0.5)
    assert reliability_bins([[0.5, 0.5]], [0], n_bins=10).accuracy[4] == 1.0


# --- bad input -------------------------------------------------------------------------------------
GOOD = np.array([[0.7, 0.3], [0.4, 0.6]])


@pytest.mark.parametrize("call, match", [
    (lambda: expected_calibration_error([[0.7, 0.2], [0.4, 0.6]], [0, 1]), "probs must sum to 1"),
    (lambda: expected_calibration_error([[1.2, -0.2], [0.4, 0.6]], [0, 1]), "probs has negative entries"),
    (lambda: expected_calibration_error([[np.nan, 1.0], [0.4, 0.6]], [0, 1]), "probs contains NaN"),
    (lambda: expected_calibration_error([0.7, 0.3], [0]), "probs must be a 2-D array"),
    (lambda: expected_calibration_error(GOOD[None], [0, 1]), "probs must be a 2-D array"),
    (lambda: expected_calibration_error(GOOD, [0, 1, 1]), r"labels must have shape \(N,\) = \(2,\)"),
    (lambda: expected_calibration_error(GOOD, [[0, 1]]), r"labels must have shape \(N,\)"),
    (lambda: expected_calibration_error(GOOD, [0, 2]), "class index 2, but there are only 2 classes"),
    (lambda: expected_calibration_error(GOOD, [0, -1]), "negative class index"),
    (lambda: expected_calibration_error(GOOD, [0, 0.5]), "must be integer class indices"),
    (lambda: expected_calibration_error(GOOD, GOOD), "must be integer class indices"),
    (lambda: expected_calibration_error(GOOD, [0, 1], n_bins=0), "n_bins must be an integer >= 1"),
    (lambda: expected_calibration_error(GOOD, [0, 1], n_bins=2.5), "n_bins must be an integer >= 1"),
    (lambda: expected_calibration_error(GOOD, [0, 1], n_bins=True), "n_bins must be an integer >= 1"),
    (lambda: reliability_bins(GOOD, [0, 1], n_bins=-3), "n_bins must be an integer >= 1"),
    (lambda: reliability_bins(GOOD, [0, 5]), "class index 5"),
])
def test_bad_input_raises_a_helpful_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
