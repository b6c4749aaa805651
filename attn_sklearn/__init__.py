"""attn_sklearn: scikit-learn estimators built on attention LSTMs."""

import os

# Keras 3 picks its backend at import; this package is built and tested on TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from ._masking import MASK_VALUE
from ._regressor import AttentionLSTMRegressor

__version__ = "0.1.0"

__all__ = ["MASK_VALUE", "AttentionLSTMRegressor", "__version__"]
