"""AttentionLSTMRegressor: the attention LSTM as a scikit-learn regressor."""

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin
from sklearn.utils.validation import check_array

from ._architectures import NetworkSpec, build_attention_lstm
from ._base import SequenceEstimatorBase
from ._docstrings import fill_doc
from ._training import n_held_out


class _TargetStandardizer(TransformerMixin, BaseEstimator):
    """Standardise targets for training and undo it for predictions.

    Networks train best on targets of unit scale; this keeps the estimator's
    defaults good whatever the units of ``y``.
    """

    def fit(self, y):
        self.ndim_ = y.ndim
        y2 = y.reshape(len(y), -1)
        self.mean_ = y2.mean(axis=0)
        scale = y2.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, y):
        return ((y.reshape(len(y), -1) - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y):
        y = np.asarray(y, dtype=np.float64) * self.scale_ + self.mean_
        return y.ravel() if self.ndim_ == 1 else y


class _SequenceRegressorBase(RegressorMixin, SequenceEstimatorBase):
    """What the regressor and the forecaster share: standardised targets, a time-ordered tail."""

    _fitted_attributes: ClassVar[tuple] = (*SequenceEstimatorBase._fitted_attributes, "n_outputs_")
    # score_from="auto" for one value per step (the classifiers keep "states"): see
    # resolve_score_from for what it was chosen from.
    _univariate_score_from = "inputs"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags

    @property
    def target_encoder(self):
        return _TargetStandardizer()

    def predict(self, X):
        """Predict targets for sequences ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences, as in ``fit`` (3-D input may have another number of time steps).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of ``y``, float64.
        """
        outputs = self._predict_raw(X)  # checks that the regressor is fitted
        return self.target_encoder_.inverse_transform(outputs)

    def _check_target(self, y):
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        if y.ndim > 2:
            raise ValueError(f"y must be 1-D or 2-D; received an array of shape {y.shape}.")
        return y

    def _fit_target(self, y, *, reset, classes=None):
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if reset:
            self.n_outputs_ = n_outputs
        elif n_outputs != self.n_outputs_:
            raise ValueError(
                f"y has {n_outputs} outputs, but the estimator was fitted with {self.n_outputs_}."
            )

    def _held_out_fraction(self, y):
        """``validation_fraction``, as given: the regressors have no "auto"."""
        return float(self.validation_fraction)

    def _validation_split(self, y):
        """Hold out the last rows: the future must not train the model that is judged on it."""
        n_val = n_held_out(self.validation_fraction_, len(y))
        if n_val == 0:
            return slice(None), None
        cut = len(y) - n_val
        return slice(0, cut), slice(cut, None)


@fill_doc
class AttentionLSTMRegressor(_SequenceRegressorBase):
    """Attention LSTM regressor for sequences and time-series windows.

    ``LSTM(units, return_sequences=True)`` (stacked ``n_layers`` times,
    optionally bidirectional) -> attention pooling (a score per step, softmax
    over the real steps, weighted sum) -> ``Dense``: the classic attention-LSTM
    forecaster. It is trained with Adam on the mean squared error of
    standardised targets, with early stopping on a time-ordered validation
    tail that restores the best weights.

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
    %(training_parameters)s
    validation_fraction : float, default=0.1
        Fraction of the rows, taken from the end (rows are assumed to be in
        time order), held out to monitor early stopping. ``0`` monitors the
        training loss instead.
    %(patience)s
    %(runtime_parameters)s

    Attributes
    ----------
    model_ : keras.Model
        The fitted network (float32). ``predict`` and ``explain`` run it in
        fixed-size batches, so a row's outputs do not depend on the other
        rows passed with it.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), on standardised targets.
    validation_fraction_ : float
        The fraction of the rows held out (``validation_fraction``).
    patience_ : int or None
        The patience the fit used: ``patience``, with ``"auto"`` decided.
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit`` (the number of time steps).
    X_ndim_ : int
        Dimensions of ``X`` seen in ``fit`` (2 for univariate sequences, or 3).
    n_step_features_in_ : int
        Features per time step seen in ``fit`` (1 for 2-D ``X``).
    score_from_ : {"inputs", "states"}
        What the attention pooling scores: ``score_from``, with ``"auto"``
        decided (``"inputs"``).
    n_outputs_ : int
        Number of targets.

    See Also
    --------
    SlidingWindowTransformer : Turns a series into one window per row.
    frame_supervised : Frames a series as ``(X, y)`` windows.

    Examples
    --------
    >>> from attn_sklearn import AttentionLSTMRegressor, frame_supervised
    >>> from attn_sklearn.datasets import make_sine_wave
    >>> X, y = frame_supervised(make_sine_wave(300, random_state=0), window=20)
    >>> reg = AttentionLSTMRegressor(units=8, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> reg.explain(X[:3]).shape
    (3, 20)
    """

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
        learning_rate=3e-3,
        epochs=100,
        batch_size=32,
        validation_fraction=0.1,
        patience=15,
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
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    def _keras_build_fn(self):
        return build_attention_lstm(
            n_features=self.n_step_features_in_,
            n_outputs=self.n_outputs_,
            spec=NetworkSpec.from_estimator(self),
            output_activation="linear",
            loss="mse",
            learning_rate=self.learning_rate,
            seed=self._seed,
        )
