"""The forecaster's network: level normalisation, a linear path, a dense or decoder head.

Also the pinball loss of quantile forecasts and what ``normalize="auto"`` decides.
"""

import keras
import numpy as np
from keras import ops
from scipy.stats import spearmanr

from ._architectures import (
    DECODER_LAYER_NAME,
    POOLING_LAYER_NAME,
    SeedStream,
    _lstm,
    _recurrent_stack,
    sequence_trunk,
    step_encoding,
)
from ._forecast_framing import FUTURE_FIELD, PAST_FIELD
from ._forecast_input import attended_windows, evenly_spaced, input_scaling
from ._layers_forecast import HorizonAttention, LastRealStep, TargetHistory
from ._layers_scaling import FeatureScaling, WindowDenormalization, WindowNormalization
from ._masking import MASK_VALUE, real_steps
from ._network_parts import has_decoder, has_layer

NORMALIZE_CHOICES = ("auto", "window", "none")
SKIP_CHOICES = ("linear", "none")
HEAD_CHOICES = ("dense", "decoder")
DECODER_ATTENTION_TYPES = ("additive", "multiplicative")
NORMALIZATION_LAYER_NAME = "window_normalization"
SKIP_LAYER_NAME = "linear_skip"
HISTORY_LAYER_NAME = "target_history"
FUTURE_SCALING_LAYER_NAME = "known_future_scaling"
WINDOW_SCALING_LAYER_NAME = "window_scaling"
# normalize="auto" picks "window" when the windows' levels trend at least this
# monotonically (|Spearman rho| of level against position). On the forecasting
# benchmark the trending series (rho >= 0.96) gained from window normalisation
# and the others (|rho| <= 0.69) lost.
TREND_THRESHOLD = 0.8


def window_levels(X, rows):
    """Mean of each feature over the real steps of windows ``X[rows]``: ``(n, n_features)``.

    Read from :func:`evenly_spaced` rows, in order.
    """
    windows = np.asarray(X[evenly_spaced(rows)])
    real = real_steps(windows)[:, :, None]
    values = np.where(real, windows, 0.0)
    return values.sum(axis=1) / np.maximum(real.sum(axis=1), 1)


def trends(levels):
    """Whether ``levels``, in time order, follow a monotonic trend (``TREND_THRESHOLD``)."""
    if len(levels) < 3 or np.ptp(levels) == 0:
        return False
    return bool(abs(spearmanr(np.arange(len(levels)), levels).statistic) >= TREND_THRESHOLD)


def resolve_normalize(normalize, target_levels):
    """``normalize`` with "auto" decided from the target's window levels in time order."""
    if normalize != "auto":
        return normalize
    return "window" if trends(target_levels) else "none"


def per_window_features(levels, target_feature):
    """Which features window normalisation takes per window: the target and trending ones.

    The others (flags, planned prices, covariates that return to their
    level) mean the same in every window, so they are standardised with
    the training data's statistics instead. Measured on
    ``make_retail_sales`` (window 28, horizon 14, decoder, 180 test origins,
    seeds 0-2): with every feature normalised per window the 14-day MAE
    averaged 20.2 (``trend=0.1``) and 28.7 (``trend=0.3``); with the target
    alone (no covariate there trends) 12.1 and 17.2.
    """
    return [
        feature == target_feature or trends(levels[:, feature])
        for feature in range(levels.shape[1])
    ]


def decide_scaling(X, rows, normalize, target_feature):
    """``(normalization, statistics)``: ``normalize`` decided, and what the network scales with.

    Both from the training rows, before the network is built; the statistics
    are :func:`input_scaling`'s.
    """
    levels = window_levels(attended_windows(X), rows)
    normalization = resolve_normalize(normalize, levels[:, target_feature])
    per_window = None
    if normalization == "window":
        per_window = per_window_features(levels, target_feature)
    return normalization, input_scaling(X, rows, normalization, per_window)


def build_attention_forecaster(
    *,
    n_features,
    n_timesteps,
    spec,
    target_feature,
    normalize,
    skip,
    target_mean,
    target_scale,
    quantiles=None,
    head="dense",
    n_future_features=0,
    future_mean=None,
    future_scale=None,
    window_mean=None,
    window_scale=None,
    per_window=None,
    seed=None,
    **training,
):
    """Build and compile the forecaster's network.

    ``[WindowNormalization] -> Masking -> LSTM x n_layers -> attention ->
    Dense`` (``head="dense"``: all steps at once from the pooled vector) or
    ``-> decoder LSTM over the forecast steps, each attending over the
    encoder's steps -> Dense per step`` (``head="decoder"``), plus
    (``skip="linear"``) a ``Dense`` on the target's last ``n_timesteps``
    values added to it, and (``normalize="window"``)
    :class:`~attn_sklearn.layers.WindowDenormalization` on the sum. The
    output is in the estimator's standardised target units
    (``target_mean``, ``target_scale``: one value per output).

    Parameters
    ----------
    n_features, n_timesteps : int
        Features per step; steps the linear path reads (the fitted window).
    spec : NetworkSpec
        Trunk hyperparameters.
    target_feature : int
        Feature of the window whose future is forecast.
    normalize : {"window", "none"}
        Decided already (not "auto").
    skip : {"linear", "none"}
    target_mean, target_scale : sequence of float
        The target standardisation, per output.
    quantiles : sequence of float or None
        Quantile levels: the network then gives ``n_outputs * len(quantiles)``
        values per row, step-major (every quantile of step 0, then of step
        1, ...), trained with the pinball loss instead of ``training["loss"]``.
    head : {"dense", "decoder"}
    n_future_features : int, default=0
        Known-future covariates per forecast step: with any, the network
        takes a second input ``"future"`` ``(batch, n_outputs, n_future_features)``,
        standardised with ``future_mean`` and ``future_scale``. The dense
        head adds a per-step effect of them (a small MLP of the step's
        covariates and the pooled window, shared by the steps); the decoder
        reads them at each step, beside its start state, and its output
        layer sees them too.
    future_mean, future_scale : sequence of float, default=None
        Per-covariate statistics of the training horizons.
    window_mean, window_scale : sequence of float, default=None
        Per-feature statistics of the training windows: given, the windows
        are standardised with them first (with ``normalize="window"``, mean
        0 and scale 1 for the features normalised per window).
    per_window : list of bool, default=None
        With ``normalize="window"``: the features normalised per window
        (:func:`per_window_features`); ``None`` means all of them.
    seed : int, default=None
        Seed of every initialiser and dropout.
    **training
        ``n_outputs``, ``output_activation``, ``loss`` and ``learning_rate``.
    """
    training = dict(training)
    n_steps = training.pop("n_outputs")
    # Windows alone keep the input name of the other estimators.
    sequence = keras.Input(
        shape=(None, n_features), name=PAST_FIELD if n_future_features else "sequence"
    )
    inputs, future = sequence, None
    if n_future_features:
        future_input = keras.Input(shape=(n_steps, n_future_features), name=FUTURE_FIELD)
        inputs = {PAST_FIELD: sequence, FUTURE_FIELD: future_input}
        future = FeatureScaling(future_mean, scale=future_scale, name=FUTURE_SCALING_LAYER_NAME)(
            future_input
        )
    seeds = SeedStream(seed)
    steps = sequence
    if window_mean is not None:
        steps = FeatureScaling(window_mean, scale=window_scale, name=WINDOW_SCALING_LAYER_NAME)(
            steps
        )
    if normalize == "window":
        steps, stats = WindowNormalization(per_window, name=NORMALIZATION_LAYER_NAME)(steps)
    x = keras.layers.Masking(mask_value=MASK_VALUE, name="padding_mask")(steps)
    n_levels = 1 if quantiles is None else len(quantiles)
    n_outputs = n_steps * n_levels
    if quantiles is not None:
        target_mean = np.repeat(target_mean, n_levels).tolist()
        target_scale = np.repeat(target_scale, n_levels).tolist()
        training["loss"] = PinballLoss(quantiles)
    if head == "decoder":
        outputs = _decoder(x, spec, seeds, n_steps=n_steps, n_levels=n_levels, future=future)
    else:
        pooled = sequence_trunk(x, spec, seeds)
        outputs = keras.layers.Dense(
            n_outputs, kernel_initializer=seeds.initializer(), name="recurrent_output"
        )(pooled)
        if future is not None:
            effects = _known_future_effects(pooled, future, spec, seeds, n_steps, n_levels)
            outputs = keras.layers.Add(name="plus_known_future")([outputs, effects])
    if skip == "linear":
        # In window or scaled units the history is already standardised; raw windows are
        # standardised with the target's fitted statistics instead.
        standardised = normalize == "window" or window_mean is not None
        offset, scale = (0.0, 1.0) if standardised else (target_mean[0], target_scale[0])
        history = TargetHistory(
            n_timesteps,
            target_feature=target_feature,
            offset=offset,
            scale=scale,
            name=HISTORY_LAYER_NAME,
        )(steps)
        linear = keras.layers.Dense(n_outputs, kernel_initializer="zeros", name=SKIP_LAYER_NAME)(
            history
        )
        outputs = keras.layers.Add(name="recurrent_plus_linear")([outputs, linear])
    if normalize == "window":
        outputs = WindowDenormalization(
            target_feature,
            target_mean=target_mean,
            target_scale=target_scale,
            name="window_denormalization",
        )([outputs, stats])
    return _compile(inputs, outputs, **training)


def _known_future_effects(pooled, future, spec, seeds, n_steps, n_levels):
    """Each forecast step's outputs from its known-future covariates and the pooled window.

    One small MLP shared by the steps: ``[pooled, future[h]] -> Dense(units,
    relu) -> Dense(n_levels)``, so a covariate's effect (a promotion's lift,
    say) may depend on the window it follows.
    """
    repeated = keras.layers.RepeatVector(n_steps, name="pooled_per_step")(pooled)
    per_step = keras.layers.Concatenate(name="pooled_and_known_future")([repeated, future])
    hidden = keras.layers.Dense(
        spec.units,
        activation="relu",
        kernel_initializer=seeds.initializer(),
        name="known_future_hidden",
    )(per_step)
    effects = keras.layers.Dense(
        n_levels, kernel_initializer=seeds.initializer(), name="known_future_output"
    )(hidden)
    return keras.layers.Reshape((n_steps * n_levels,), name="known_future_effects")(effects)


def _decoder(x, spec, seeds, *, n_steps, n_levels, future=None):
    """Encoder states -> a decoder LSTM over the forecast steps, each attending over them.

    The decoder starts from the encoder's last real state, repeated once per
    forecast step, beside that step's known-future covariates (``future``,
    when given); its state at step ``h`` queries the encoder's steps
    (:class:`~attn_sklearn.layers.HorizonAttention`, the layer named
    "attention", whose weights ``(batch, n_steps, T)`` ``explain`` reads), and
    ``[state, context]`` gives that step's outputs. Keys follow ``score_from``
    as for pooling: a per-step encoding of the inputs, or the encoder states.
    """
    encoder = _recurrent_stack(x, spec, seeds)
    start = LastRealStep(name="encoder_last_state")(encoder)
    repeated = keras.layers.RepeatVector(n_steps, name="decoder_inputs")(start)
    if future is not None:
        repeated = keras.layers.Concatenate(name="decoder_inputs_and_known_future")(
            [repeated, future]
        )
    decoder = _lstm(spec, seeds, True, DECODER_LAYER_NAME)(repeated)
    attention_inputs = [decoder, encoder]
    if spec.score_from == "inputs":
        attention_inputs.append(step_encoding(x, spec, seeds))
    context, _ = HorizonAttention(
        score_mode=spec.attention,
        entropy_penalty=spec.entropy_penalty,
        kernel_initializer=seeds.initializer(),
        name=POOLING_LAYER_NAME,
    )(attention_inputs, return_attention_scores=True)
    parts = [decoder, context] if future is None else [decoder, context, future]
    combined = keras.layers.Concatenate(name="decoder_state_and_context")(parts)
    per_step = keras.layers.Dense(
        n_levels, kernel_initializer=seeds.initializer(), name="recurrent_output"
    )(combined)
    return keras.layers.Reshape((n_steps * n_levels,), name="steps_by_levels")(per_step)


def _compile(inputs, outputs, *, output_activation, loss, learning_rate):
    del output_activation  # always linear for forecasts
    model = keras.Model(inputs, outputs, name="attention_forecaster")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss)
    return model


@keras.saving.register_keras_serializable(package="attn_sklearn")
class PinballLoss(keras.losses.Loss):
    """Mean pinball (quantile) loss; predictions are step-major ``(batch, n_steps * n_quantiles)``.

    For level ``q`` and error ``e = y - prediction`` the loss is
    ``max(q * e, (q - 1) * e)``, minimised by the ``q`` quantile of ``y``.
    """

    def __init__(self, quantiles, *, name="pinball", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.quantiles = [float(q) for q in quantiles]

    def call(self, y_true, y_pred):
        levels = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        y_pred = ops.reshape(y_pred, (ops.shape(y_pred)[0], -1, len(self.quantiles)))
        error = ops.expand_dims(ops.cast(y_true, y_pred.dtype), -1) - y_pred
        return ops.mean(ops.maximum(levels * error, (levels - 1.0) * error), axis=(1, 2))

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}


def forecasting_layers_problem(model, estimator, n_timesteps):
    """What in a forecaster's loaded network disagrees with its parameters, or None."""
    found = (
        has_layer(model, NORMALIZATION_LAYER_NAME),
        has_layer(model, SKIP_LAYER_NAME),
        has_decoder(model),
    )
    normalized = estimator.normalize == "window" or (estimator.normalize == "auto" and found[0])
    if found != (normalized, estimator.skip == "linear", estimator.head == "decoder"):
        return (
            "the network's window normalisation, linear path and decoder do not match "
            f"normalize={estimator.normalize!r}, skip={estimator.skip!r} and "
            f"head={estimator.head!r}."
        )
    if found[1]:
        history = model.get_layer(HISTORY_LAYER_NAME)
        reads = (history.window, history.target_feature)
        expected = (n_timesteps, estimator.target_feature)
        if reads != expected:
            return (
                f"the linear path reads (window, feature) = {reads}, but the file says "
                f"{expected} (n_timesteps_in_, target_feature)."
            )
    return None
