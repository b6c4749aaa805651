"""attn_sklearn: scikit-learn estimators built on attention LSTMs.

Fit, predict and score like any scikit-learn estimator, and ask
``explain(X)`` which time steps mattered.
"""

import os

# Keras 3 picks its backend at import; this package is built and tested on TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from ._classifier import AttentionLSTMClassifier
from ._masking import MASK_VALUE
from ._multimodal import MultimodalAttentionClassifier
from ._multimodal_data import pack_modalities
from ._padding import SequencePadder
from ._persistence import load
from ._regressor import AttentionLSTMRegressor
from ._sequences import SequenceMasker, SequenceScaler
from ._windowing import SlidingWindowTransformer, frame_supervised

__version__ = "0.1.0"

__all__ = [
    "MASK_VALUE",
    "AttentionLSTMClassifier",
    "AttentionLSTMRegressor",
    "MultimodalAttentionClassifier",
    "SequenceMasker",
    "SequencePadder",
    "SequenceScaler",
    "SlidingWindowTransformer",
    "__version__",
    "frame_supervised",
    "load",
    "pack_modalities",
]
