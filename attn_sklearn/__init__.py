"""attn_sklearn: scikit-learn estimators built on attention LSTMs.

Fit, predict and score like any scikit-learn estimator, and ask
``explain(X)`` which time steps mattered.
"""

# First: TensorFlow (Keras' backend here) loads quietly before any module imports it.
from . import _tensorflow  # noqa: F401
from ._classifier import AttentionLSTMClassifier
from ._forecast_framing import ForecastFramer
from ._forecaster import AttentionLSTMForecaster
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
    "AttentionLSTMForecaster",
    "AttentionLSTMRegressor",
    "ForecastFramer",
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
