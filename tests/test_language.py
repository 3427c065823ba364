"""perplexity and CharNgramModel: scipy's geometric mean, dictionary-based reference models
(collections.Counter counts, a recursive Kneser–Ney), normalization, sampling, the corpus, and
every error case."""
import hashlib
import io
import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import infoloss.language as language
from infoloss import CharNgramModel, perplexity, shakespeare_text

probabilities = st.lists(st.floats(1e-300, 1.0), min_size=1, max_size=50).map(np.array)
texts = st.text(alphabet="abc", min_size=6, max_size=40)


# --- perplexity --------------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(probabilities)
def test_perplexity_is_the_reciprocal_geometric_mean(p):
    # scipy.stats.gmean is an independent implementation of (prod p_i)^(1/N)
    assert perplexity(p) == pytest.approx(1 / scipy.stats.gmean(p), rel=1e-9)
    assert perplexity(p) == pytest.approx(2 ** np.mean(-np.log2(p)), rel=1e-9)
    assert perplexity(p) >= 1 / np.mean(p) * (1 - 1e-12)   # AM >= GM: 1/PP <= mean(p)


@pytest.mark.parametrize("p, expected", [
    ([0.25] * 8, 4.0),                      # uniform over 4: the branching factor
    ([1.0, 1.0], 1.0),                      # a model that is always sure and right
    ([0.5, 0.125], 4.0),                    # (1/2 * 1/8)^(-1/2) = 16^(1/2)
    ([1 / 62] * 3, 62.0),                   # uniform over the book's 62 characters
])
def test_perplexity_known_values(p, expected):
    assert perplexity(p) == pytest.approx(expected, rel=1e-14)


def test_perplexity_of_an_impossible_token_is_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert perplexity([0.5, 0.0, 0.9]) == np.inf
        assert perplexity([5e-324] * 3) == np.inf          # e^744 overflows: also inf
        assert perplexity(np.full(100_000, 1e-3)) == pytest.approx(1e3)  # no underflow


@pytest.mark.parametrize("p, match", [
    ([], "token_probs is empty"),
    ([[0.5, 0.5]], r"must be one-dimensional \(N,\), got shape \(1, 2\)"),
    (0.5, "token_probs must have at least one dimension"),
    ([0.5, 1.5], r"must lie in \[0, 1\] .*not logits or log-probabilities"),
    ([-0.1, 0.5], r"must lie in \[0, 1\]"),
    ([0.5, np.nan], "token_probs contains NaN or inf"),
    (["a"], "token_probs must be an array of numbers"),
])
def test_perplexity_bad_input(p, match):
    with pytest.raises(ValueError, match=match):
        perplexity(p)


# --- reference models with dictionaries ----------------------------------------------------------
def reference_counts(train, order, text, context):
    """N(hc) and N(h) for each character of text, by collections.Counter."""
    grams = Counter(train[i:i + order] for i in range(len(train) - order + 1))
    contexts = Counter()
    for g, n in grams.items():
        contexts[g[:-1]] += n
    full = context[len(context) - (order - 1):] + text if order > 1 else text
    pairs = [(full[i:i + order], full[i:i + order - 1]) for i in range(len(text))]
    return (np.array([grams[g] for g, _ in pairs]), np.array([contexts[h] for _, h in pairs]))


def reference_kneser_ney(train, order, D, V):
    """q(c | h) of interpolated Kneser–Ney, by the recursive definition over dictionaries."""
    grams = {m: Counter(train[i:i + m] for i in range(len(train) - m + 1))
             for m in range(1, order + 1)}
    continuation = {m: Counter(g[1:] for g in grams[m + 1]) for m in range(1, order)}

    def q(m, h, c):  # h: the m - 1 characters before c
        if m == 0:
            return 1 / V
        table = grams[m] if m == order else continuation[m]
        total = sum(n for g, n in table.items() if g[:-1] == h)
        if total == 0:
            return q(m - 1, h[1:], c)
        types = sum(1 for g in table if g[:-1] == h)
        return max(table[h + c] - D, 0) / total + D * types / total * q(m - 1, h[1:], c)

    return lambda h, c: q(order, h, c)


@settings(max_examples=60, deadline=None)
@given(texts, texts, st.integers(1, 4), st.floats(0, 3))
def test_counts_and_add_k_match_counter(train, text, order, k):
    model = CharNgramModel(train, order, alphabet="abc")
    context = train  # the default: text follows the training text
    ngram, total = reference_counts(train, order, text, context)
    got_ngram, got_total = model.counts(text)
    np.testing.assert_array_equal(got_ngram, ngram)
    np.testing.assert_array_equal(got_total, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(total + 3 * k > 0, (ngram + k) / (total + 3 * k), 0.0)
    np.testing.assert_allclose(model.probs(text, k=k), expected, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(texts, texts, st.integers(1, 4), st.sampled_from([0.1, 0.5, 0.75, 1.0]))
def test_kneser_ney_matches_the_recursive_definition(train, text, order, D):
    model = CharNgramModel(train, order, alphabet="abc")
    q = reference_kneser_ney(train, order, D, V=3)
    full = train[len(train) - (order - 1):] + text if order > 1 else text
    expected = [q(full[i:i + order - 1], full[i + order - 1]) for i in range(len(text))]
    np.testing.assert_allclose(model.kneser_ney_probs(text, discount=D), expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(texts, st.integers(1, 5), st.text(alphabet="abc", min_size=4, max_size=4),
       st.floats(1e-3, 5))
def test_next_character_distributions_sum_to_one(train, order, history, k):
    model = CharNgramModel(train, order, alphabet="abcd")     # "d" is never seen
    for probs in (model.next_char_probs(history, k=k),
                  model.next_char_probs(history, discount=0.75)):
        assert probs.shape == (4,) and (probs > 0).all()
        assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    # scoring the four candidates one at a time gives the same numbers
    np.testing.assert_allclose(
        [model.probs(c, k=k, context=history)[0] for c in "abcd"],
        model.next_char_probs(history, k=k), rtol=1e-12)
    np.testing.assert_allclose(
        [model.kneser_ney_probs(c, context=history)[0] for c in "abcd"],
        model.next_char_probs(history, discount=0.75), rtol=1e-12)


def test_docstring_example_by_hand():
    # "abracadabra": after "a" come b, c, d, b (and the text ends): N(a) = 4 over V = 5
    model = CharNgramModel("abracadabra", order=2)
    after_a = [model.probs(c, context="a")[0] for c in "abcdr"]
    np.testing.assert_allclose(after_a, [0, 2 / 4, 1 / 4, 1 / 4, 0])
    np.testing.assert_allclose(model.next_char_probs("a", k=1), np.array([1, 3, 2, 2, 1]) / 9)
    # scored as a text, each character's context is the one before it: a|a, b|a, c|b, d|c, r|d
    np.testing.assert_allclose(model.probs("abcdr", context="a"), [0, 2 / 4, 0, 0, 0])
    # unigram: counts a5 b2 c1 d1 r2 over 11 characters; no context needed
    unigram = CharNgramModel("abracadabra", order=1)
    np.testing.assert_allclose(unigram.probs("abcdr"), np.array([5, 2, 1, 1, 2]) / 11)


def test_unseen_context_is_zero_without_smoothing_and_uniform_with():
    model = CharNgramModel("aaab", order=2, alphabet="abc")
    assert model.probs("a", context="c")[0] == 0.0          # context "c" never seen
    assert model.probs("a", context="c", k=0.5)[0] == pytest.approx(1 / 3)
    assert perplexity(model.probs("ab", context="b")) == np.inf
    # Kneser–Ney passes an unseen context to the lower order: never 0
    assert model.kneser_ney_probs("c", context="c")[0] > 0


def test_default_context_is_the_end_of_the_training_text():
    model = CharNgramModel("abcabcab", order=3)
    np.testing.assert_array_equal(model.probs("cab"), model.probs("cab", context="xab"[1:]))
    np.testing.assert_array_equal(model.probs("cab", k=1), model.probs("cab", k=1,
                                                                       context="ab"))
    assert model.probs("c")[0] == 1.0                        # "ab" is always followed by "c"


def test_lower_orders_are_the_kneser_ney_continuation_counts():
    # "the" ends four times with "e", but "e" follows only one distinct character (h); "a"
    # follows three distinct characters. The unigram continuation distribution prefers "a".
    train = "thexthexthexthe ba ca da"
    model = CharNgramModel(train, order=2)
    table = model._continuation(1)
    count = dict(zip((model.alphabet[c] for c in table.codes), table.counts))
    assert count["e"] == 1 and count["a"] == 3


def test_sampling_is_seeded_and_follows_the_model():
    model = CharNgramModel("abracadabra" * 20, order=2)
    first = model.sample(50, k=0.1, prompt="a", seed=3)
    assert first == model.sample(50, k=0.1, prompt="a", seed=3) and len(first) == 50
    assert set(first) <= set(model.alphabet)
    # order 1 with k = 1: character frequencies follow (N(c) + 1) / (N + V)
    unigram = CharNgramModel("aaaaaaab", order=1, alphabet="ab")
    text = unigram.sample(20_000, k=1, prompt="", seed=0)
    expected = (7 + 1) / (8 + 2)
    assert text.count("a") / len(text) == pytest.approx(expected, abs=0.01)
    # a deterministic continuation: after "ab" in "abcabc..." comes "c", almost surely
    model = CharNgramModel("abc" * 100, order=3)
    assert model.sample(9, k=1e-6, prompt="ab", seed=0) == "cabcabcab"
    assert model.sample(12, discount=0.5, prompt="bc", seed=1).startswith("abc")


def test_long_texts_are_fast_enough_to_count_in_one_pass():
    # a regression guard on the vectorized counts: every n-gram is counted exactly once
    rng = np.random.default_rng(0)
    train = "".join(rng.choice(list("abcdefgh"), size=20_000))
    model = CharNgramModel(train, order=5)
    table = model._raw(5)
    assert table.counts.sum() == len(train) - 4
    assert table.totals.sum() == len(train) - 4


# --- the corpus ----------------------------------------------------------------------------------
def test_shakespeare_text_is_the_documented_slice():
    text = shakespeare_text()
    assert len(text) == 300_000 and len(set(text)) == 62
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")
    assert hashlib.sha256(text.encode()).hexdigest() == language.SLICE_SHA256


def test_shakespeare_text_downloads_and_checks_when_the_file_is_missing(monkeypatch, tmp_path):
    source = language.SHAKESPEARE_FILE.read_bytes()
    monkeypatch.setattr(language, "SHAKESPEARE_FILE", tmp_path / "missing.txt")
    # a stand-in source: the real slice plus a tail; its hash must be the documented one
    monkeypatch.setattr(language, "SHAKESPEARE_SHA256",
                        hashlib.sha256(source + b"tail").hexdigest())
    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: io.BytesIO(source + b"tail"))
    assert shakespeare_text() == source.decode()
    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: io.BytesIO(b"other"))
    with pytest.raises(ValueError, match="does not have the expected SHA-256 hash"):
        shakespeare_text()


def test_a_corrupted_file_is_refused(monkeypatch, tmp_path):
    bad = tmp_path / "tinyshakespeare_300k.txt"
    bad.write_bytes(b"First Citizen:\n")
    monkeypatch.setattr(language, "SHAKESPEARE_FILE", bad)
    with pytest.raises(ValueError, match="restore it from the repository"):
        shakespeare_text()


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, kwargs, match", [
    (("abc", 0), {}, "order must be an integer >= 1"),
    (("abc", 2.0), {}, "order must be an integer >= 1"),
    (("abc", True), {}, "order must be an integer >= 1"),
    (("ab", 3), {}, "train must be a string of at least order = 3 characters"),
    ((["a", "b"], 1), {}, "train must be a string"),
    (("abc", 1), {"alphabet": "aab"}, "alphabet must be a string of distinct characters"),
    (("abc", 1), {"alphabet": "ab"}, r"train has characters outside the model's alphabet: \['c'\]"),
    (("abc", 40), {}, "order must be an integer|train must be a string"),
])
def test_bad_model(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        CharNgramModel(*args, **kwargs)


def test_codes_that_would_overflow_are_refused():
    with pytest.raises(ValueError, match="order = 11 is too high for an alphabet of 62"):
        text = shakespeare_text()
        CharNgramModel(text[:1000], 11, alphabet="".join(sorted(set(text))))
    CharNgramModel(text[:1000], 10, alphabet="".join(sorted(set(text))))  # 62^10 < 2^63


@pytest.mark.parametrize("call, match", [
    (lambda m: m.probs("abz"), r"text has characters outside the model's alphabet: \['z'\]"),
    (lambda m: m.probs(""), "text is empty"),
    (lambda m: m.probs(b"ab"), "text must be a string"),
    (lambda m: m.probs("ab", context="a"), "context must have at least order - 1 = 2 characters"),
    (lambda m: m.counts("ab", context="zz"), "context has characters outside"),
    (lambda m: m.probs("ab", k=-1), "k must be a finite number >= 0"),
    (lambda m: m.probs("ab", k=np.nan), "k must be a finite number >= 0"),
    (lambda m: m.probs("ab", k="one"), "k must be a number >= 0"),
    (lambda m: m.kneser_ney_probs("ab", discount=0), r"discount must lie in \(0, 1\]"),
    (lambda m: m.kneser_ney_probs("ab", discount=1.5), r"discount must lie in \(0, 1\]"),
    (lambda m: m.kneser_ney_probs("ab", discount=None), r"discount must be a number"),
    (lambda m: m.next_char_probs("ab"), "give exactly one of k"),
    (lambda m: m.next_char_probs("ab", k=1, discount=0.5), "give exactly one of k"),
    (lambda m: m.next_char_probs("ab", k=0), "k must be > 0 to generate text"),
    (lambda m: m.next_char_probs("a", k=1), "history must have at least order - 1 = 2"),
    (lambda m: m.sample(-1, k=1, prompt="ab"), "length must be an integer >= 0"),
    (lambda m: m.sample(2.5, k=1, prompt="ab"), "length must be an integer >= 0"),
    (lambda m: m.sample(5, k=1, prompt="a"), "prompt must have at least order - 1 = 2"),
    (lambda m: m.sample(5, k=0, prompt="ab"), "k must be > 0 to generate text"),
])
def test_bad_scoring_input(call, match):
    model = CharNgramModel("abcabcabc", order=3)
    with pytest.raises(ValueError, match=match):
        call(model)
