"""infoloss: the companion library of the infoloss book.

Information measures (nats by default, ``base=2`` for bits), the softmax family and its losses,
label smoothing and calibration, Gaussians and distillation, optimal transport (the Wasserstein
distance, exact and entropic plans), explorers (interactive figures for the chapters) and
self-checks for the exercises.
"""
from infoloss.measures import cross_entropy, entropy, js_divergence, kl_divergence
from infoloss.measures import total_variation_distance, weighted_js_divergence
from infoloss.notebook import setup_notebook
from infoloss.coding import expected_code_length, huffman_code
from infoloss.softmax import log_softmax, softmax, softmax_jacobian
from infoloss.losses import (sigmoid_binary_cross_entropy, softmax_cross_entropy,
                             softmax_cross_entropy_grad)
from infoloss.smoothing import optimal_logit_gap, smooth_labels
from infoloss.calibration import expected_calibration_error, reliability_bins
from infoloss.losses import distillation_loss, distillation_loss_grad
from infoloss.gaussians import fit_gaussian, gaussian_kl_divergence, mvn_kl_divergence
from infoloss.transport import optimal_transport, sinkhorn, wasserstein_1d
from infoloss.joint import conditional_entropy, joint_entropy, mutual_information
from infoloss.language import CharNgramModel, perplexity, shakespeare_text

__all__ = ["entropy", "cross_entropy", "kl_divergence", "js_divergence",
           "weighted_js_divergence", "total_variation_distance",
           "setup_notebook",
           "huffman_code", "expected_code_length",
           "softmax", "log_softmax", "softmax_jacobian",
           "softmax_cross_entropy", "softmax_cross_entropy_grad", "sigmoid_binary_cross_entropy",
           "smooth_labels", "optimal_logit_gap",
           "expected_calibration_error", "reliability_bins",
           "distillation_loss", "distillation_loss_grad",
           "gaussian_kl_divergence", "mvn_kl_divergence", "fit_gaussian",
           "wasserstein_1d", "optimal_transport", "sinkhorn",
           "joint_entropy", "conditional_entropy", "mutual_information",
           "perplexity", "CharNgramModel", "shakespeare_text"]
__version__ = "0.1.0"
