"""infoloss.coding: Huffman codes are prefix-free, complete and optimal, with H <= L < H + 1."""
import heapq
import itertools
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from infoloss.coding import expected_code_length, huffman_code


# --- strategies -----------------------------------------------------------------------------
@st.composite
def distributions(draw, min_size=1, max_size=12, zeros=True):
    """Random distributions; some entries may be exactly 0, some tied."""
    lo = 0 if zeros else 1
    weights = draw(st.lists(st.integers(lo, 20), min_size=min_size, max_size=max_size)
                   .filter(lambda w: sum(w) > 0))
    w = np.array(weights, dtype=float)
    return w / w.sum()


@st.composite
def dyadic_distributions(draw, max_splits=10):
    """Every probability a power of 1/2: split a random leaf of the tree {1} into two halves."""
    probs = [Fraction(1)]
    for _ in range(draw(st.integers(0, max_splits))):
        k = draw(st.integers(0, len(probs) - 1))
        half = probs.pop(k) / 2
        probs[k:k] = [half, half]
    perm = draw(st.permutations(range(len(probs))))
    return np.array([float(probs[i]) for i in perm])


def lengths(code):
    return np.array([len(word) for word in code])


def entropy_bits(p):
    return scipy.stats.entropy(p, base=2)   # independent implementation


# --- the code is a prefix-free, complete binary code ----------------------------------------
@given(distributions())
def test_one_binary_codeword_per_outcome(p):
    code = huffman_code(p)
    assert len(code) == len(p)
    assert all(word and set(word) <= {"0", "1"} for word in code)


@given(distributions())
def test_prefix_free(p):
    code = huffman_code(p)
    for a, b in itertools.permutations(code, 2):
        assert not b.startswith(a), f"{a!r} is a prefix of {b!r}"


@given(distributions(min_size=2))
def test_kraft_inequality_holds_with_equality(p):
    # exact arithmetic: a full binary tree has sum 2^-l = 1 exactly
    assert sum(Fraction(1, 2 ** len(word)) for word in huffman_code(p)) == 1


# --- H <= L < H + 1, and L = H for dyadic p -------------------------------------------------
@given(distributions(min_size=2, zeros=False))
def test_source_coding_bounds(p):
    H, L = entropy_bits(p), expected_code_length(p, huffman_code(p))
    assert H - 1e-12 <= L < H + 1


@given(dyadic_distributions())
def test_dyadic_distributions_are_coded_at_exactly_their_entropy(p):
    code = huffman_code(p)
    if len(p) > 1:
        np.testing.assert_array_equal(lengths(code), -np.log2(p))
        assert expected_code_length(p, code) == pytest.approx(entropy_bits(p), abs=1e-12)


# --- optimality, checked independently --------------------------------------------------------
def merged_weight_sum(p):
    """Huffman's cost without codewords: each merge adds its weight once per bit below it,
    so the expected length is the sum of the merged weights (Cover & Thomas, sec. 5.8)."""
    heap = sorted(p)
    total = 0.0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        total += merged
        heapq.heappush(heap, merged)
    return total


@given(distributions(min_size=2))
def test_expected_length_is_the_sum_of_merged_weights(p):
    assert expected_code_length(p, huffman_code(p)) == pytest.approx(merged_weight_sum(p))


def brute_force_optimum(p):
    """Smallest sum p_k l_k over all length vectors with sum 2^-l <= 1 (Kraft: exactly the
    lengths of some prefix-free code)."""
    K = len(p)
    return min(float(np.dot(p, ls)) for ls in itertools.product(range(1, K), repeat=K)
               if sum(Fraction(1, 2 ** l) for l in ls) <= 1)


@settings(max_examples=40, deadline=None)
@given(distributions(min_size=2, max_size=5))
def test_no_prefix_free_code_is_shorter_brute_force(p):
    assert expected_code_length(p, huffman_code(p)) == pytest.approx(brute_force_optimum(p))


@given(distributions(min_size=2))
def test_likelier_outcomes_never_get_longer_codewords(p):
    ls = lengths(huffman_code(p))
    for i, j in itertools.permutations(range(len(p)), 2):
        if p[i] > p[j] or (p[i] == p[j] and i < j):   # ties: the earlier outcome (documented)
            assert ls[i] <= ls[j]


# --- known examples ---------------------------------------------------------------------------
def test_cover_thomas_example_5_6_1():
    # Cover & Thomas (2006), Example 5.6.1: lengths (2, 2, 2, 3, 3), expected length 2.3 bits
    p = [0.25, 0.25, 0.2, 0.15, 0.15]
    code = huffman_code(p)
    np.testing.assert_array_equal(lengths(code), [2, 2, 2, 3, 3])
    assert expected_code_length(p, code) == pytest.approx(2.3)


def test_cover_thomas_horse_race():
    # Cover & Thomas (2006), Example 2.1.2: the code 0, 10, 110, 1110, 111100, ..., 111111
    # describes the winner in 2 bits on average, the entropy of the race
    p = [1/2, 1/4, 1/8, 1/16, 1/64, 1/64, 1/64, 1/64]
    code = huffman_code(p)
    assert code[:4] == ["0", "10", "110", "1110"]   # the last four: 1111xx, in some order
    assert sorted(code[4:]) == ["111100", "111101", "111110", "111111"]
    assert expected_code_length(p, code) == 2.0 == pytest.approx(entropy_bits(p))


def test_fair_die_and_deterministic_ties():
    # six equal weights: two codewords of 2 bits, four of 3 (L = 8/3), the first two outcomes short
    code = huffman_code(np.full(6, 1 / 6))
    np.testing.assert_array_equal(lengths(code), [2, 2, 3, 3, 3, 3])
    assert expected_code_length(np.full(6, 1 / 6), code) == pytest.approx(8 / 3)
    assert huffman_code(np.full(6, 1 / 6)) == code


def test_single_outcome_gets_one_bit():
    assert huffman_code([1.0]) == ["0"]
    assert expected_code_length([1.0], ["0"]) == 1.0


def test_impossible_outcomes_get_the_longest_codewords():
    p = [0.5, 0.0, 0.3, 0.2, 0.0]
    ls = lengths(huffman_code(p))
    assert ls[[1, 4]].min() >= ls[[0, 2, 3]].max()
    # without them: lengths (1, 2, 2), L = 1.5; reserving them pushes 0.2 one bit deeper
    assert expected_code_length(p, huffman_code(p)) == pytest.approx(1.5 + 0.2)


@given(distributions(min_size=1, zeros=False), st.integers(1, 5), st.randoms())
def test_reserving_impossible_outcomes_costs_the_smallest_probability(p, n_zeros, random):
    with_zeros = np.concatenate([p, np.zeros(n_zeros)])
    order = list(range(len(with_zeros)))
    random.shuffle(order)
    with_zeros = with_zeros[order]
    L_support = merged_weight_sum(p)  # 0 for a single outcome: a certain outcome needs no bits
    L = expected_code_length(with_zeros, huffman_code(with_zeros))
    assert L == pytest.approx(L_support + p.min())


def test_code_for_the_wrong_distribution_costs_the_cross_entropy():
    # for a dyadic q, lengths are -log2 q, so coding p with q's code costs -sum p log2 q bits
    p, q = np.array([1/2, 1/4, 1/8, 1/8]), np.array([1/8, 1/8, 1/4, 1/2])
    cost = expected_code_length(p, huffman_code(q))
    assert cost == pytest.approx(-np.sum(p * np.log2(q)))
    assert cost == pytest.approx(2.625)
    assert cost > expected_code_length(p, huffman_code(p))


def test_accepts_lists_tuples_and_arrays_alike():
    p = [0.1, 0.6, 0.3]
    assert huffman_code(p) == huffman_code(tuple(p)) == huffman_code(np.array(p))


# --- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("p, match", [
    ([0.5, -0.1, 0.6], "negative"),
    ([0.5, np.nan, 0.5], "NaN|finite"),
    ([0.5, np.inf], "NaN|finite|inf"),
    ([0.2, 0.3], "sum"),
    ([], "empty"),
    ([[0.5, 0.5], [0.5, 0.5]], "1-D"),
])
def test_bad_distributions(p, match):
    with pytest.raises(ValueError, match=match):
        huffman_code(p)
    with pytest.raises(ValueError, match=match):
        expected_code_length(p, ["0"] * max(1, len(p)))


@pytest.mark.parametrize("code, match", [
    (["0", "1"], "one codeword per outcome"),
    ("0101", "one codeword per outcome"),
    (["0", "", "1"], r"code\[1\]"),
    (["0", "12", "11"], r"code\[1\]"),
    (["0", "10", 3], r"code\[2\]"),
])
def test_bad_codes(code, match):
    with pytest.raises(ValueError, match=match):
        expected_code_length([0.5, 0.25, 0.25], code)


# --- the exercise checker ---------------------------------------------------------------------
def test_checker_passes_huffman_codes(capsys):
    from infoloss import checks

    checks.check_huffman_code(huffman_code)
    assert capsys.readouterr().out.startswith("✓ check_huffman_code: all ")


def fixed_length_code(p):
    width = max(1, int(np.ceil(np.log2(len(p)))))
    return [format(k, f"0{width}b") for k in range(len(p))]


@pytest.mark.parametrize("fn, message", [
    (fixed_length_code, "expected"),                                     # valid but not optimal
    (lambda p: ["0"] * len(p), "not prefix-free"),
    (lambda p: huffman_code(p)[:-1], "one codeword per outcome"),
    (lambda p: [w.replace("1", "2") for w in huffman_code(p)], "is not a non-empty string"),
])
def test_checker_diagnoses_wrong_codes(fn, message, capsys):
    from infoloss import checks

    checks.check_huffman_code(fn)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_huffman_code") and message in out
