"""infoloss: the companion library of the infoloss book.

Information measures (nats by default, ``base=2`` for bits), the softmax family,
explorers (interactive figures for the chapters) and self-checks for the exercises.
"""
from infoloss.measures import cross_entropy, entropy, js_divergence, kl_divergence
from infoloss.notebook import setup_notebook
from infoloss.coding import expected_code_length, huffman_code

__all__ = ["entropy", "cross_entropy", "kl_divergence", "js_divergence",
           "setup_notebook",
           "huffman_code", "expected_code_length"]
__version__ = "0.1.0"
