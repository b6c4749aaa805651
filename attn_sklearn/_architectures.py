"""Pure functions: hyperparameters and input shapes in, compiled Keras model out.

The networks take inputs of shape ``(batch, None, n_features)``: the number of
time steps is not fixed, so a fitted model accepts sequences of any length.
Padded steps (every feature equal to :data:`~attn_sklearn.MASK_VALUE`) are
masked at the input and skipped by every layer after it.
"""

from dataclasses import dataclass
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._layers_attention import SELF_ATTENTION_SCORES
from ._masking import MASK_VALUE
from .layers import AttentionPooling, SequenceSelfAttention, StepPatches

POOLING_LAYER_NAME = "attention"
SELF_ATTENTION_LAYER_NAME = "self_attention"
ATTENTION_TYPES = ("additive", "multiplicative", "linear", "self", "multihead", "none")
SELF_ATTENTION_TYPES = ("self", "multihead")
SCORE_SOURCES = ("auto", "inputs", "states")
STEP_ENCODING_LAYER_NAME = "step_encoding"
STEP_SQUARE_LAYER_NAME = "step_square"
DECODER_LAYER_NAME = "decoder"
POOLED_NORM_LAYER_NAME = "pooled_batch_norm"
PATCHES_LAYER_NAME = "step_patches"

# scikit-learn parameter constraints of the NetworkSpec fields, shared by every estimator.
NETWORK_CONSTRAINTS = {
    "units": [Interval(Integral, 1, None, closed="left")],
    "n_layers": [Interval(Integral, 1, None, closed="left")],
    "bidirectional": ["boolean"],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "attention": [StrOptions(set(ATTENTION_TYPES))],
    "n_heads": [Interval(Integral, 1, None, closed="left")],
    "key_dim": [Interval(Integral, 1, None, closed="left"), None],
    "self_attention_score": [StrOptions(set(SELF_ATTENTION_SCORES))],
    "attention_width": [Interval(Integral, 1, None, closed="left"), None],
    "causal": ["boolean"],
    "residual": ["boolean"],
    "layer_norm": ["boolean"],
    "score_from": [StrOptions(set(SCORE_SOURCES))],
    "entropy_penalty": [Interval(Real, 0, None, closed="left")],
}


class SeedStream:
    """Distinct integer seeds for every random initialiser and dropout of one network.

    Keras draws the seeds it is not given from Python's global ``random``,
    which other threads (a Dask worker's event loop, say) also draw from, so
    only explicit seeds make a fit reproducible everywhere.

    Parameters
    ----------
    seed : int or None
        ``None`` gives ``None`` seeds: Keras' own unseeded behaviour.
    """

    def __init__(self, seed):
        self._rng = None if seed is None else np.random.default_rng(seed)

    def __call__(self):
        return None if self._rng is None else int(self._rng.integers(2**31 - 1))

    def initializer(self, kind="glorot_uniform"):
        """A Keras initializer of ``kind`` ("glorot_uniform" or "orthogonal") with its own seed."""
        cls = {
            "glorot_uniform": keras.initializers.GlorotUniform,
            "orthogonal": keras.initializers.Orthogonal,
        }[kind]
        return cls(seed=self())


@dataclass(frozen=True)
class NetworkSpec:
    """Hyperparameters of the recurrent trunk shared by every estimator.

    ``attention`` picks the attention after the LSTM stack:

    * ``"additive"``, ``"multiplicative"``, ``"linear"``: attention pooling
      with that score;
    * ``"self"``: single-head self-attention (``self_attention_score``,
      ``attention_width``, ``causal``), then additive pooling;
    * ``"multihead"``: ``n_heads``-head self-attention with ``key_dim``, then
      additive pooling;
    * ``"none"``: no attention, the last LSTM state (an ablation).

    ``score_from`` is what the pooling scores: ``"inputs"``, a per-step
    encoding of the network's input (``tanh(W x_t + b)``, which sees no other
    step), or ``"states"``, the sequence it pools (the LSTM or self-attention
    outputs). Either way the pooled vector is built from that sequence. An
    LSTM state carries what came before it, so weights scored from states can
    point at a step long after the one that decided the prediction; scores
    from the step itself cannot.

    ``entropy_penalty`` weighs a penalty on the normalised entropy of the
    pooling weights (see :class:`~attn_sklearn.layers.AttentionPooling`).

    ``patch_size`` above 1 groups that many consecutive input steps into one
    step of the network (:class:`~attn_sklearn.layers.StepPatches`, before
    the padding mask); ``score_from="auto"`` then counts a patch's values.

    ``batch_norm`` batch-normalises the pooled vector. Pooling averages the
    LSTM states over the steps, so at initialisation the pooled vectors of
    different sequences differ by a small fraction of their size (on the
    251-step ArrowHead set, 0.0016 between sequences against 0.018 in size),
    and a classifier's loss sits at chance for dozens of epochs; standardising
    each feature of the pooled vector over the batch removes that plateau.
    Estimators without a ``batch_norm`` parameter build without it.

    ``residual`` adds the self-attention output back to its input (a
    Transformer-style residual connection) and ``layer_norm`` normalises the
    sequence fed to the pooling; both only change ``"self"`` and
    ``"multihead"`` networks, apart from ``layer_norm`` which also normalises
    the LSTM outputs of the pooling types.
    """

    units: int = 64
    n_layers: int = 1
    dropout: float = 0.0
    bidirectional: bool = False
    attention: str = "additive"
    n_heads: int = 4
    key_dim: int | None = None
    self_attention_score: str = "multiplicative"
    attention_width: int | None = None
    causal: bool = False
    residual: bool = False
    layer_norm: bool = False
    score_from: str = "inputs"
    entropy_penalty: float = 0.0
    batch_norm: bool = False
    patch_size: int = 1

    @classmethod
    def from_estimator(cls, estimator):
        """The trunk hyperparameters of an estimator, as the builders take them."""
        # Plain Python numbers: grids built with NumPy give np.int64, which Keras rejects.
        optional_int = lambda value: None if value is None else int(value)  # noqa: E731
        patch_size = int(getattr(estimator, "patch_size", 1))
        return cls(
            units=int(estimator.units),
            n_layers=int(estimator.n_layers),
            dropout=float(estimator.dropout),
            bidirectional=bool(estimator.bidirectional),
            attention=estimator.attention,
            n_heads=int(estimator.n_heads),
            key_dim=optional_int(estimator.key_dim),
            self_attention_score=estimator.self_attention_score,
            attention_width=optional_int(estimator.attention_width),
            causal=bool(estimator.causal),
            residual=bool(estimator.residual),
            layer_norm=bool(estimator.layer_norm),
            score_from=resolve_score_from(
                estimator.score_from,
                estimator.n_step_features_in_,
                patch_size,
                univariate=univariate_score_from(estimator),
            ),
            entropy_penalty=float(estimator.entropy_penalty),
            batch_norm=resolve_batch_norm(
                getattr(estimator, "batch_norm", False), estimator.n_step_features_in_
            ),
            patch_size=patch_size,
        )


def univariate_score_from(estimator):
    """What ``score_from="auto"`` means for one value per step in ``estimator``'s class.

    The regressors set ``_univariate_score_from = "inputs"``; the classifiers
    keep state scores (see :func:`resolve_score_from`).
    """
    return getattr(estimator, "_univariate_score_from", "states")


def resolve_score_from(score_from, n_step_features, patch_size=1, *, univariate="states"):
    """``score_from`` with ``"auto"`` decided: ``univariate`` for one value per step, else "inputs".

    A step of the network holds ``n_step_features * patch_size`` values: a
    patch of ``patch_size`` input steps is scored as one step. ``univariate``
    is the estimator's choice for one value per step.

    A step-local score needs a step whose own content says whether it
    matters. Each value is scored together with its square, so a score can
    rank steps by their distance from 0 in either direction. On univariate
    planted tasks input scores then point at the deciding step (the
    classifier with its deletion penalty): 100 % of held-out rows on three
    seeds, against 29.5-100 % with state scores. They left the forecaster's
    accuracy on real series about where it was and improved the regressor's
    Covid3Month RMSE slightly, so the regressor and the forecaster take
    ``"inputs"``; they cost the classifier accuracy on univariate UCR sets
    (GunPoint 0.96 -> 0.88), so the classifiers keep ``"states"`` there (see
    Choosing settings).

    Examples
    --------
    >>> from attn_sklearn._architectures import resolve_score_from
    >>> resolve_score_from("auto", 1), resolve_score_from("auto", 1, univariate="inputs")
    ('states', 'inputs')
    >>> resolve_score_from("auto", 3), resolve_score_from("states", 3)
    ('inputs', 'states')
    """
    if score_from != "auto":
        return score_from
    return univariate if int(n_step_features) * int(patch_size) == 1 else "inputs"


def resolve_batch_norm(batch_norm, n_values_per_step):
    """``batch_norm`` with ``"auto"`` decided: on for one value per step, off for several.

    On five univariate UCR sets the normalised pooling took the classifier's
    mean accuracy from 0.636 to 0.818 (with its longer patience), and on a
    univariate planted task it made hiding the most-attended step cost 19-36
    times what hiding a random step costs (before: 1-15 times). On a planted
    task with three values per step it cost faithfulness instead: the
    top-attended step was the deciding one for 74-78 % of sequences against
    74-100 % without it.
    """
    if batch_norm != "auto":
        return bool(batch_norm)
    return int(n_values_per_step) == 1


def _lstm(spec, seeds, return_sequences, name, go_backwards=False):
    return keras.layers.LSTM(
        spec.units,
        return_sequences=return_sequences,
        dropout=spec.dropout,
        kernel_initializer=seeds.initializer(),
        recurrent_initializer=seeds.initializer("orthogonal"),
        seed=seeds(),
        go_backwards=go_backwards,
        name=name,
    )


def _recurrent_stack(x, spec, seeds, last_returns_sequences=True):
    """Stacked LSTMs; the mask flows through every layer."""
    for i in range(spec.n_layers):
        return_sequences = last_returns_sequences or i < spec.n_layers - 1
        lstm = _lstm(spec, seeds, return_sequences, f"lstm_{i}")
        if spec.bidirectional:
            # An explicit backward layer, so both directions get their own seeds.
            backward = _lstm(spec, seeds, return_sequences, f"lstm_{i}_backward", True)
            lstm = keras.layers.Bidirectional(
                lstm, backward_layer=backward, name=f"bidirectional_{i}"
            )
        x = lstm(x)
    return x


def sequence_trunk(x, spec, seeds=None):
    """LSTM stack and attention on a masked sequence tensor; returns one vector per sequence.

    The pooling scores ``spec.score_from`` (see :class:`NetworkSpec`).

    ``seeds`` is a :class:`SeedStream`; ``None`` leaves Keras' initialisers unseeded.
    """
    seeds = seeds or SeedStream(None)
    if spec.attention == "none":
        return _pooled_norm(_recurrent_stack(x, spec, seeds, last_returns_sequences=False), spec)
    steps = x
    x = _recurrent_stack(x, spec, seeds)
    if spec.attention in SELF_ATTENTION_TYPES:
        multihead = spec.attention == "multihead"
        attended, _ = SequenceSelfAttention(
            num_heads=spec.n_heads if multihead else 1,
            key_dim=spec.key_dim if multihead else None,
            score_mode="multiplicative" if multihead else spec.self_attention_score,
            attention_width=spec.attention_width,
            causal=spec.causal,
            kernel_initializer=seeds.initializer(),
            name=SELF_ATTENTION_LAYER_NAME,
        )(x, return_attention_scores=True)
        x = keras.layers.Add(name="residual")([x, attended]) if spec.residual else attended
    if spec.layer_norm:
        x = keras.layers.LayerNormalization(name="layer_norm")(x)
    score_mode = spec.attention if spec.attention not in SELF_ATTENTION_TYPES else "additive"
    pooling = AttentionPooling(
        score_mode=score_mode,
        entropy_penalty=spec.entropy_penalty,
        kernel_initializer=seeds.initializer(),
        name=POOLING_LAYER_NAME,
    )
    if spec.score_from == "inputs":
        x = [x, step_encoding(steps, spec, seeds)]
    context, _ = pooling(x, return_attention_scores=True)
    return _pooled_norm(context, spec)


def _pooled_norm(context, spec):
    """Batch-normalise the pooled vector when ``spec.batch_norm`` (see :class:`NetworkSpec`)."""
    if not spec.batch_norm:
        return context
    # Momentum 0.9: small sets train 2-7 batches an epoch, too few for the inference
    # statistics to follow the weights at Keras' 0.99.
    return keras.layers.BatchNormalization(momentum=0.9, name=POOLED_NORM_LAYER_NAME)(context)


def step_encoding(steps, spec, seeds):
    """The keys of ``score_from="inputs"``: ``tanh(W x_t + b)`` of each step alone.

    A step of one value is encoded with its square beside it: a tanh of a
    linear map of one value starts out monotone in it, so its scores could
    only rank steps from low to high, and a classifier then told a step below
    the rest from "no step above it" (the univariate planted task of "Is the
    attention faithful?" in Getting started). With the square a score can
    rank steps by their distance from 0 (the training mean, once scaled) in
    either direction. Keras' ``Masking`` has set padded steps to 0, so their
    square is 0 too.
    """
    if steps.shape[-1] == 1:
        squares = keras.layers.Multiply(name=STEP_SQUARE_LAYER_NAME)([steps, steps])
        steps = keras.layers.Concatenate(name=f"{STEP_SQUARE_LAYER_NAME}_beside")([steps, squares])
    return keras.layers.Dense(
        spec.units,
        activation="tanh",
        kernel_initializer=seeds.initializer(),
        name=STEP_ENCODING_LAYER_NAME,
    )(steps)


def compile_head(
    inputs, context, *, n_outputs, output_activation, loss, learning_rate, name, seeds=None
):
    """Add the output layer and compile with Adam.

    ``n_outputs`` is the output width, ``output_activation`` its activation
    (``"linear"``, ``"sigmoid"``, ``"softmax"``), ``loss`` a Keras loss name and
    ``learning_rate`` Adam's; the builders pass these through as ``**head``.
    """
    seeds = seeds or SeedStream(None)
    outputs = keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=seeds.initializer(),
        name="output",
    )(context)
    model = keras.Model(inputs, outputs, name=name)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss)
    return model


def build_attention_lstm(*, n_features, spec, seed=None, **head):
    """Build and compile ``Masking -> LSTM x n_layers -> attention -> Dense``.

    :class:`NetworkSpec` generalises the network of the next-step sine
    forecaster (``LSTM(64, return_sequences=True)`` -> attention pooling ->
    ``Dense``).

    Parameters
    ----------
    n_features : int
        Features per time step.
    spec : NetworkSpec
        Trunk hyperparameters.
    seed : int, default=None
        Seed of every initialiser and dropout; ``None`` leaves them unseeded.
    **head
        ``n_outputs``, ``output_activation``, ``loss`` and ``learning_rate``,
        as :func:`compile_head` takes them.

    Returns
    -------
    model : keras.Model
        Compiled model with one output, the prediction. Attention weights are
        the second outputs of the layers named ``"attention"`` (pooling) and
        ``"self_attention"``.
    """
    inputs = keras.Input(shape=(None, n_features), name="sequence")
    x = inputs
    if spec.patch_size > 1:
        x = StepPatches(spec.patch_size, name=PATCHES_LAYER_NAME)(x)
    x = keras.layers.Masking(mask_value=MASK_VALUE, name="padding_mask")(x)
    seeds = SeedStream(seed)
    context = sequence_trunk(x, spec, seeds)
    return compile_head(inputs, context, name="attention_lstm", seeds=seeds, **head)
