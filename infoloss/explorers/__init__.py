"""Interactive figures for the chapters: live sliders in Jupyter, scrubbers on the website.

Each chapter shows one with a single cell, e.g. ``explorers.binary_entropy_explorer()``.
The mechanism is in :mod:`infoloss.explorers.core`; :data:`REGISTRY` lists every explorer.
"""
from infoloss.explorers.core import REGISTRY, Explorer, Slider, register
from infoloss.explorers.entropy import binary_entropy_explorer
from infoloss.explorers.entropy import temperature_entropy_explorer

__all__ = ["Explorer", "Slider", "register", "REGISTRY", "binary_entropy_explorer",
           "temperature_entropy_explorer"]
