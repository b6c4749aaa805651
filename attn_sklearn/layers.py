"""Keras 3 layers of the estimators' networks, written with ``keras.ops`` only.

Attention, exact under padding (padded steps get exactly zero weight, and a
sequence's result does not depend on how much padding it carries):

* :class:`AttentionPooling` pools a sequence into one vector;
* :class:`SequenceSelfAttention` is masked (multi-head) self-attention;
* :func:`masked_softmax` and :func:`last_real_step` are the tensor functions
  they share;
* :class:`StepPatches` groups consecutive steps of long sequences into one
  step each, before the recurrent layers.

Multimodal inputs, aligned step by step:

* :class:`ModalityPadding` replaces the padding marker
  :data:`~attn_sklearn.MASK_VALUE` of one modality and flags its real steps;
* :class:`ModalityFusion` concatenates the encoded modalities and masks a
  step only where every modality is padding.

Forecasting windows of a series:

* :class:`WindowNormalization` expresses each window relative to its own
  mean and spread, and :class:`WindowDenormalization` puts a forecast back
  on the window's level (reversible instance normalisation);
* :class:`TargetHistory` gives a linear path the target's last steps;
* :class:`HorizonAttention` is the attention of each forecast step over the
  window (encoder–decoder attention), and :class:`LastRealStep` picks each
  sequence's last real step.

The layers follow Keras' conventions (``score_mode``, ``num_heads``,
``kernel_initializer``, ``bias_initializer``, ``return_attention_scores``,
``compute_output_shape``, a complete ``get_config``) and are registered under
the ``attn_sklearn`` package, so models that contain them pickle, save to
``.keras`` and load under Keras' safe mode without ``custom_objects``.

Examples
--------
>>> import keras
>>> from attn_sklearn.layers import AttentionPooling, SequenceSelfAttention
>>> inputs = keras.Input((None, 8))
>>> sequence = SequenceSelfAttention(num_heads=2, causal=True)(inputs)
>>> context, scores = AttentionPooling()(sequence, return_attention_scores=True)
>>> context.shape, scores.shape
((None, 8), (None, None))
"""

from ._layers_attention import AttentionPooling, SequenceSelfAttention
from ._layers_base import last_real_step, masked_softmax
from ._layers_forecast import HorizonAttention, LastRealStep, TargetHistory
from ._layers_modality import ModalityFusion, ModalityPadding
from ._layers_patches import StepPatches
from ._layers_scaling import FeatureScaling, WindowDenormalization, WindowNormalization

__all__ = [
    "AttentionPooling",
    "FeatureScaling",
    "HorizonAttention",
    "LastRealStep",
    "ModalityFusion",
    "ModalityPadding",
    "SequenceSelfAttention",
    "StepPatches",
    "TargetHistory",
    "WindowDenormalization",
    "WindowNormalization",
    "last_real_step",
    "masked_softmax",
]
