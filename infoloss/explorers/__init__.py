"""Interactive figures for the chapters: live sliders in Jupyter, a control per parameter over
pre-rendered frames on the website, small multiples in print.

Each chapter shows one with a single cell, e.g. ``explorers.binary_entropy_explorer()``.
The mechanism is in :mod:`infoloss.explorers.core`; :data:`REGISTRY` lists every explorer.
"""
from infoloss.explorers.core import REGISTRY, Choice, Explorer, Slider, register
from infoloss.explorers.entropy import binary_entropy_explorer
from infoloss.explorers.entropy import temperature_entropy_explorer
from infoloss.explorers.cross_entropy import ce_vs_mse_explorer, logits_temperature_explorer
from infoloss.explorers.label_smoothing import (calibration_explorer, gap_loss_explorer,
                                                smoothed_targets_explorer)
from infoloss.explorers.kl_divergence import (distillation_explorer, kl_coins_explorer,
                                              kl_direction_explorer)
from infoloss.explorers.js_divergence import gan_discriminator_explorer, js_shift_explorer
from infoloss.explorers.wasserstein import (cdf_area_explorer, parallel_lines_explorer,
                                            sinkhorn_explorer)
from infoloss.explorers.joint import mutual_information_explorer
from infoloss.explorers.language import ngram_smoothing_explorer

__all__ = ["Explorer", "Slider", "Choice", "register", "REGISTRY", "binary_entropy_explorer",
           "temperature_entropy_explorer",
           "logits_temperature_explorer", "ce_vs_mse_explorer",
           "smoothed_targets_explorer", "gap_loss_explorer", "calibration_explorer",
           "kl_coins_explorer", "kl_direction_explorer", "distillation_explorer",
           "js_shift_explorer", "gan_discriminator_explorer",
           "parallel_lines_explorer", "cdf_area_explorer", "sinkhorn_explorer",
           "mutual_information_explorer", "ngram_smoothing_explorer"]
