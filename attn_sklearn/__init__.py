"""attn_sklearn: scikit-learn estimators built on attention LSTMs."""

from ._masking import MASK_VALUE

__version__ = "0.1.0"

__all__ = ["MASK_VALUE", "__version__"]
