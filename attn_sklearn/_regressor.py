"""AttentionLSTMRegressor: seed 001's attention LSTM as a scikit-learn regressor."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin
from sklearn.utils.validation import check_array

from ._architectures import build_attention_lstm
from ._base import SequenceEstimatorBase
from ._data import take_rows
from ._docstrings import fill_doc


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


@fill_doc
class AttentionLSTMRegressor(RegressorMixin, SequenceEstimatorBase):
    """Attention LSTM regressor for sequences and time-series windows.

    The network is seed 001's: ``LSTM(units, return_sequences=True)`` (stacked
    ``n_layers`` times, optionally bidirectional) -> attention pooling (a
    score per step, softmax over the real steps, weighted sum) -> ``Dense``.
    It is trained with Adam on the mean squared error of standardised targets,
    with early stopping on a time-ordered validation tail that restores the
    best weights.

    Parameters
    ----------
    %(network_parameters)s
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
        The fitted network (float32). ``predict`` and ``explain`` run a
        float64 copy of it, so a row's outputs do not depend on the other
        rows passed with it.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), on standardised targets.
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit`` (the number of time steps).
    n_timesteps_in_ : int
        Time steps per sequence seen in ``fit``.
    n_step_features_in_ : int
        Features per time step seen in ``fit`` (1 for 2-D ``X``).
    n_outputs_ : int
        Number of targets.

    See Also
    --------
    SlidingWindowTransformer : Turns a series into one window per row.

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags

    @property
    def target_encoder(self):
        return _TargetStandardizer()

    def _check_target(self, y, *, reset):
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        if y.ndim > 2:
            raise ValueError(f"y must be 1-D or 2-D; received an array of shape {y.shape}.")
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if reset:
            self.n_outputs_ = n_outputs
        elif n_outputs != self.n_outputs_:
            raise ValueError(
                f"y has {n_outputs} outputs, but the estimator was fitted with {self.n_outputs_}."
            )
        return y

    def _validation_split(self, X, y, sample_weight):
        """Hold out the last rows: the future must not train the model that is judged on it."""
        n_val = self._n_validation(len(y))
        if n_val == 0:
            return (X, y, sample_weight), None
        train, val = slice(0, len(y) - n_val), slice(len(y) - n_val, None)
        return (
            (take_rows(X, train), y[train], sample_weight[train]),
            (take_rows(X, val), y[val], sample_weight[val]),
        )

    def _keras_build_fn(self):
        return build_attention_lstm(
            n_features=self.n_step_features_in_,
            n_outputs=self.n_outputs_,
            spec=self._network_spec(),
            output_activation="linear",
            loss="mse",
            learning_rate=self.learning_rate,
            seed=self._seed,
        )
