"""AttentionLSTMForecaster: the regressor for windows of a series, on the window's own level."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._architectures import NetworkSpec
from ._docstrings import fill_doc
from ._forecast_framing import FUTURE_FIELD
from ._forecast_input import (
    attended_windows,
    check_forecast_input,
    raise_horizon_mismatch,
)
from ._forecast_network import (
    DECODER_ATTENTION_TYPES,
    HEAD_CHOICES,
    NORMALIZATION_LAYER_NAME,
    NORMALIZE_CHOICES,
    SKIP_CHOICES,
    build_attention_forecaster,
    decide_scaling,
)
from ._forecast_quantiles import QuantileForecastsMixin
from ._network_parts import has_layer
from ._regressor import _SequenceRegressorBase


@fill_doc
class AttentionLSTMForecaster(QuantileForecastsMixin, _SequenceRegressorBase):
    """Attention LSTM that forecasts the next steps of a series from a window of it.

    Takes what :func:`~attn_sklearn.frame_supervised` returns: windows ``X``
    of a series and ``y``, the next value(s) of the window's feature
    ``target_feature`` after each window (one column per forecast step).
    Unlike :class:`AttentionLSTMRegressor`, which learns a map from sequences
    to any target, the forecaster knows ``y`` continues ``X`` and uses it:

    * ``normalize="window"``: each window's target (and every covariate
      whose level trends too) is expressed relative to the window's own mean
      and spread before the network, and the forecast is put back on the
      window's level afterwards (reversible instance normalisation, RevIN).
      A trending series forecasts from a level it never reached in
      training. Flags, planned prices and other covariates that keep their
      level are standardised with the training data's statistics instead,
      so a promotion means the same in every window. The default ``"auto"``
      does this when the training windows' levels trend, and leaves the
      windows as they are for series that return to their level (cycles,
      stationary seasonality), where the level itself tells what comes next.
    * ``skip="linear"``: a linear map of the target's recent history is
      added to the attention LSTM's output. On short series (a few hundred
      observations) a linear forecaster is hard to beat; the network learns
      what it leaves.

    Covariates: the other features of a multivariate window are past
    covariates, known up to the forecast origin. Known-future covariates
    (calendar, holidays, planned promotions or prices) come as a structured
    ``X`` with fields ``"past"`` (the windows) and ``"future"`` ``(H, K)``
    (their values for the ``H`` forecast steps), as
    :class:`~attn_sklearn.ForecastFramer` builds it from a DataFrame; the
    dense head adds a per-step effect of them, the decoder reads them at
    every step. Such input comes in a DataFrame's own units, so the network
    standardises it with per-feature statistics of the training rows
    (the windows too, but for the features normalised per window).

    The network is trained with Adam on the mean squared error of
    standardised targets, with early stopping on the last windows.

    Parameters
    ----------
    %(units)s
    n_layers : int, default=1
        Number of stacked LSTM layers.
    %(bidirectional)s
    %(dropout)s
    attention : {"additive", "multiplicative", "linear", "self", "multihead", "none"}, \
default="additive"
        %(attention_choices)s
    %(attention_options)s
    target_feature : int, default=0
        Feature of the windows whose future ``y`` holds (the column
        ``frame_supervised``'s ``target`` picked). Its last ``n_timesteps_in_``
        values feed the linear path, and its level and spread undo the
        window normalisation.
    normalize : {"auto", "window", "none"}, default="auto"
        ``"window"``: reversible per-window normalisation (above). ``"none"``
        feeds the windows as they are. ``"auto"`` takes ``"window"`` when the
        mean of the target over each training window, taken in row order,
        follows a monotonic trend (absolute Spearman correlation with the row
        position of at least 0.8), else ``"none"``; ``normalize_`` says which.
        Rows must be in time order, as ``frame_supervised`` gives them.
    skip : {"linear", "none"}, default="linear"
        ``"linear"`` adds a linear path from the target's last
        ``n_timesteps_in_`` values; ``"none"`` leaves the attention LSTM alone.
    head : {"dense", "decoder"}, default="dense"
        How the forecast steps are produced. ``"dense"``: one ``Dense`` layer
        gives all of them from the attention-pooled window. ``"decoder"``: an
        encoder–decoder; an LSTM decoder steps through the horizon and at
        every step attends over the window's steps (``attention`` must be
        ``"additive"``, Bahdanau's score, or ``"multiplicative"``, Luong's),
        so ``explain(X, full=True)`` gives the map ``(n_samples, n_outputs,
        n_timesteps)`` of which steps each forecast step looked at.
    quantiles : sequence of float or None, default=None
        Quantile levels in (0, 1), increasing, e.g. ``(0.1, 0.5, 0.9)`` for
        an 80 % prediction interval. The network then learns each of them
        (and the median) with the pinball loss; :meth:`predict_quantiles`
        returns them and :meth:`predict` the median. ``None`` trains on the
        squared error and ``predict`` gives the mean.
    calibrate_quantiles : bool, default=True
        With ``quantiles``: after training, shift each forecast step's
        quantile forecasts so that on the held-out windows (the last
        ``validation_fraction_`` of them, which follow the training windows
        in time) a fraction ``q`` of the targets falls under the level-``q``
        forecast (split-conformal calibration, one level at a time; the
        shifts are ``quantile_shifts_``). The median, and so ``predict``,
        stays the network's. Without a hold-out nothing is shifted. On the
        retail example the 80 % band held 64 % of the test windows
        uncalibrated and 79 % calibrated.
    %(training_parameters)s
    validation_fraction : float, default=0.1
        Fraction of the windows, taken from the end (windows are assumed to
        be in time order), held out to monitor early stopping. ``0``
        monitors the training loss instead.
    %(patience_auto)s
    %(runtime_parameters)s

    Attributes
    ----------
    model_ : keras.Model
        The fitted network (float32).
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), on standardised targets.
    validation_fraction_ : float
        The fraction of the rows held out (``validation_fraction``).
    patience_ : int or None
        The patience the fit used: ``patience``, with ``"auto"`` decided.
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit`` (the window length).
    n_timesteps_in_ : int
        The window length seen in ``fit``; later windows need at least as
        many steps when ``skip="linear"``.
    X_ndim_ : int
        Dimensions of ``X`` seen in ``fit`` (2 for a univariate series, or 3).
    n_step_features_in_ : int
        Features per time step seen in ``fit``.
    normalize_ : {"window", "none"}
        The window normalisation used (``normalize`` with "auto" decided).
    per_window_features_ : tuple of int
        The window's features normalised per window: the target and the
        covariates whose mean over the training windows trends (the rule of
        ``normalize="auto"``); empty without window normalisation.
    score_from_ : {"inputs", "states"}
        What the attention pooling scores (``score_from`` with ``"auto"``
        decided: ``"inputs"``).
    n_outputs_ : int
        Number of forecast steps (columns of ``y``).
    n_future_features_in_ : int
        Known-future covariates per forecast step seen in ``fit`` (0 for
        plain windows).
    quantile_shifts_ : ndarray of shape (n_outputs, len(quantiles)) or None
        What ``calibrate_quantiles`` adds to each step's quantile forecasts,
        in the units of ``y``; None when nothing was calibrated.

    See Also
    --------
    frame_supervised : Frames a series as ``(X, y)`` windows.
    ForecastFramer : Frames a DataFrame with known-future columns.
    AttentionLSTMRegressor : For targets that are not the series' own future.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import AttentionLSTMForecaster, frame_supervised
    >>> t = np.arange(240.0)
    >>> series = 0.05 * t + np.sin(2 * np.pi * t / 12)  # trend and a 12-step season
    >>> X, y = frame_supervised(series[:216], window=24, horizon=12)
    >>> forecaster = AttentionLSTMForecaster(units=8, epochs=3, random_state=0).fit(X, y)
    >>> forecast = forecaster.predict(series[None, 192:216])  # the 12 steps after step 215
    >>> forecast.shape
    (1, 12)
    >>> forecaster.explain(series[None, 192:216]).shape
    (1, 24)
    """

    _fitted_attributes: ClassVar[tuple] = (
        *_SequenceRegressorBase._fitted_attributes,
        "n_future_features_in_",
        "quantile_shifts_",
    )

    _parameter_constraints: ClassVar[dict] = {
        **_SequenceRegressorBase._parameter_constraints,
        "target_feature": [Interval(Integral, 0, None, closed="left")],
        "normalize": [StrOptions(set(NORMALIZE_CHOICES))],
        "skip": [StrOptions(set(SKIP_CHOICES))],
        "quantiles": ["array-like", None],
        "calibrate_quantiles": ["boolean"],
        "head": [StrOptions(set(HEAD_CHOICES))],
    }

    def __init__(
        self,
        units=64,
        *,
        n_layers=1,
        bidirectional=False,
        dropout=0.0,
        attention="additive",
        n_heads=4,
        key_dim=None,
        self_attention_score="multiplicative",
        attention_width=None,
        causal=False,
        residual=False,
        layer_norm=False,
        score_from="auto",
        entropy_penalty=0.0,
        target_feature=0,
        normalize="auto",
        skip="linear",
        quantiles=None,
        calibrate_quantiles=True,
        head="dense",
        learning_rate=3e-3,
        epochs=100,
        batch_size=32,
        validation_fraction=0.1,
        patience="auto",
        callbacks=None,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.n_layers = n_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.attention = attention
        self.n_heads = n_heads
        self.key_dim = key_dim
        self.self_attention_score = self_attention_score
        self.attention_width = attention_width
        self.causal = causal
        self.residual = residual
        self.layer_norm = layer_norm
        self.score_from = score_from
        self.entropy_penalty = entropy_penalty
        self.target_feature = target_feature
        self.normalize = normalize
        self.skip = skip
        self.quantiles = quantiles
        self.calibrate_quantiles = calibrate_quantiles
        self.head = head
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    def _check_sequences(self, X, *, reset):
        X = check_forecast_input(self, X, reset=reset)
        windows = attended_windows(X)
        if self.target_feature >= self.n_step_features_in_:
            raise ValueError(
                f"target_feature must be a feature of the windows, in "
                f"[0, {self.n_step_features_in_ - 1}]; received "
                f"target_feature={self.target_feature!r}."
            )
        if not reset and self.skip == "linear" and windows.shape[1] < self.n_timesteps_in_:
            raise ValueError(
                f"X has windows of {windows.shape[1]} steps, but the forecaster's linear path "
                f"reads the last {self.n_timesteps_in_} (the window length seen in fit); "
                "pad shorter windows at the front with MASK_VALUE (SequencePadder)."
            )
        return X

    def _validate_training_data(self, X, y, sample_weight, *, reset, classes=None):
        self._quantile_levels()  # a bad quantile fails before anything is fitted
        self._check_head()
        X, rows, y, sample_weight = super()._validate_training_data(
            X, y, sample_weight, reset=reset, classes=classes
        )
        if isinstance(X, dict) and X[FUTURE_FIELD].shape[1] != self.n_outputs_:
            raise_horizon_mismatch(X[FUTURE_FIELD].shape[1], self.n_outputs_)
        if reset:  # decided from the rows that train, before the network is built
            self._normalization, self._input_scaling = decide_scaling(
                X, rows, self.normalize, int(self.target_feature)
            )
        return X, rows, y, sample_weight

    def _attended(self, X):
        return attended_windows(X)

    @property
    def normalize_(self):
        """The window normalisation of the fitted network: "window" or "none"."""
        check_is_fitted(self, "model_")
        return "window" if has_layer(self.model_, NORMALIZATION_LAYER_NAME) else "none"

    @property
    def per_window_features_(self):
        """The window's features that window normalisation expresses per window."""
        check_is_fitted(self, "model_")
        if not has_layer(self.model_, NORMALIZATION_LAYER_NAME):
            return ()
        flags = self.model_.get_layer(NORMALIZATION_LAYER_NAME).per_window
        if flags is None:  # every feature (also networks saved before the flags existed)
            return tuple(range(self.n_step_features_in_))
        return tuple(int(feature) for feature in np.flatnonzero(flags))

    def _keras_build_fn(self):
        return build_attention_forecaster(
            n_features=self.n_step_features_in_,
            n_timesteps=self.n_timesteps_in_,
            spec=NetworkSpec.from_estimator(self),
            target_feature=int(self.target_feature),
            normalize=self._normalization,
            skip=self.skip,
            target_mean=self.target_encoder_.mean_.tolist(),
            target_scale=self.target_encoder_.scale_.tolist(),
            quantiles=self._quantile_levels(),
            head=self.head,
            n_future_features=self.n_future_features_in_,
            **self._input_scaling,
            n_outputs=self.n_outputs_,
            output_activation="linear",
            loss="mse",
            learning_rate=self.learning_rate,
            seed=self._seed,
        )

    def _check_head(self):
        if self.head == "decoder" and self.attention not in DECODER_ATTENTION_TYPES:
            raise ValueError(
                f"head='decoder' attends with attention in {list(DECODER_ATTENTION_TYPES)}; "
                f"received attention={self.attention!r}. Use head='dense' for the others."
            )
