"""Shared estimator plumbing: the one module that touches scikeras.

scikeras' ``BaseWrapper`` gives us the fit/predict skeleton, the target
encoders and the in-memory ``.keras`` pickling of ``keras.Model``. We replace
the parts that do not fit a scikit-learn citizen on current versions:

* parameters come from the ``__init__`` signature (scikit-learn's rule), not
  from ``vars(self)``;
* tags come from ``__sklearn_tags__`` (scikeras 0.13 only defines the legacy
  ``_more_tags``, so scikit-learn >= 1.6 sees no estimator type);
* seeding is explicit: every initialiser and dropout of the network gets its
  own seed drawn from ``random_state`` (see ``SeedStream``), and each epoch's
  mini-batch order is a NumPy permutation of that seed. Nothing process-wide
  (NumPy or Python random state, TensorFlow's global seed or determinism flag)
  is read or changed by ``fit`` with an integer ``random_state``, so fits are
  reproducible even while other threads use those states;
* input validation knows about sequences and the padding marker;
* inference runs in a float64 twin of the trained float32 network, so a row's
  prediction and attention weights do not depend on the other rows passed
  with it (see ``attn_sklearn._inference``).
"""

from numbers import Integral, Real
from typing import ClassVar

import keras
import numpy as np
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
)

from ._architectures import (
    ATTENTION_TYPES,
    NetworkSpec,
    has_attention,
    has_self_attention,
)
from ._data import (
    draw_seed,
    evaluation_batches,
    n_input_rows,
    predict_in_batches,
    take_rows,
    training_batches,
)
from ._explain import attention_frame, step_importance
from ._inference import inference_networks
from ._masking import step_mask
from ._persistence import save_estimator
from ._validation import check_sequences


class SequenceEstimatorBase(BaseWrapper):
    """Base class of the attention-LSTM estimators (not for direct use).

    Subclasses define ``__init__`` (their hyperparameters), ``_check_target``,
    ``_validation_split`` and ``_keras_build_fn``.
    """

    # scikeras reads these; our network always comes from ``_keras_build_fn``.
    model = None
    build_fn = None
    warm_start = False

    _parameter_constraints: ClassVar[dict] = {
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "attention": [StrOptions(set(ATTENTION_TYPES))],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "key_dim": [Interval(Integral, 1, None, closed="left"), None],
        "self_attention_score": [StrOptions({"multiplicative", "additive"})],
        "attention_width": [Interval(Integral, 1, None, closed="left"), None],
        "causal": ["boolean"],
        "residual": ["boolean"],
        "layer_norm": ["boolean"],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left"), None],
        "callbacks": [list, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        units=64,
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
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    # scikit-learn's rules for parameters and their display, not scikeras' ``vars(self)``.
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params
    __repr__ = BaseEstimator.__repr__

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        return tags

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None):
        """Fit the network to sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences in time order. 2-D input holds univariate sequences.
            Steps whose features all equal :data:`~attn_sklearn.MASK_VALUE`
            are padding and are ignored.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights for the loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y, sample_weight = self._prepare_training_inputs(X, y, sample_weight)
        return super().fit(X, y, sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch, keeping the current weights.

        The first call initialises the network as ``fit`` would. Later calls
        must bring the same kind of ``X`` and, for classifiers, no label that
        the first call did not see.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights for the loss.

        Returns
        -------
        self : object
            The estimator, trained one epoch more.
        """
        X, y, sample_weight = self._prepare_training_inputs(X, y, sample_weight)
        return super().partial_fit(X, y, sample_weight=sample_weight)

    def _prepare_training_inputs(self, X, y, sample_weight):
        """Check parameters and weights; drop zero-weight rows before anything is fitted.

        Dropping them first keeps them out of every fitted statistic (the target
        scaling too), so a zero weight means exactly "not in the data".
        """
        self._validate_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, y, dtype=np.float64, ensure_non_negative=True
            )
        sample_weight = self._training_sample_weight(y, sample_weight)
        if sample_weight is None:
            return X, y, None
        if not np.any(sample_weight > 0):
            raise ValueError(
                "sample_weight must give at least one sample a positive weight; "
                "received only zeros."
            )
        keep = np.flatnonzero(sample_weight > 0)
        if len(keep) < len(sample_weight) and n_input_rows(X) == len(sample_weight):
            X, y, sample_weight = take_rows(X, keep), take_rows(y, keep), sample_weight[keep]
        return X, y, sample_weight

    def _training_sample_weight(self, y, sample_weight):
        """Per-sample loss weights; subclasses fold in class weights."""
        return sample_weight

    def _network_spec(self):
        """The trunk hyperparameters, as the architecture builders take them."""
        # Plain Python numbers: grids built with NumPy give np.int64, which Keras rejects.
        optional_int = lambda value: None if value is None else int(value)  # noqa: E731
        return NetworkSpec(
            units=int(self.units),
            n_layers=int(self.n_layers),
            dropout=float(self.dropout),
            bidirectional=bool(self.bidirectional),
            attention=self.attention,
            n_heads=int(self.n_heads),
            key_dim=optional_int(self.key_dim),
            self_attention_score=self.self_attention_score,
            attention_width=optional_int(self.attention_width),
            causal=bool(self.causal),
            residual=bool(self.residual),
            layer_norm=bool(self.layer_norm),
        )

    def _initialize(self, X, y=None):
        # Replaces scikeras' version, which seeds NumPy/TF process-wide.
        self._random_state = None
        self._seed = draw_seed(self.random_state)
        X, y = self._validate_data(X, y, reset=True)
        self.target_encoder_ = self.target_encoder.fit(y)
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        if sample_weight is None:
            sample_weight = np.ones(len(y), dtype=np.float32)
        train, val = self._validation_split(X, y, np.asarray(sample_weight, np.float32))
        callbacks = list(self._fit_callbacks)
        if self.patience is not None:
            monitor = "val_loss" if val is not None else "loss"
            callbacks += [
                # Halving the step size on plateaus lets Adam settle into the minimum
                # instead of rattling around it; stopping waits for that to pay off.
                keras.callbacks.ReduceLROnPlateau(
                    monitor=monitor,
                    factor=0.5,
                    patience=max(1, int(self.patience) // 3),
                    min_lr=float(self.learning_rate) / 64,
                ),
                keras.callbacks.EarlyStopping(
                    monitor=monitor, patience=int(self.patience), restore_best_weights=True
                ),
            ]
        history = self.model_.fit(
            training_batches(train, int(self.batch_size), self._seed, initial_epoch),
            validation_data=None if val is None else evaluation_batches(val),
            epochs=initial_epoch + int(epochs),
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            shuffle=False,  # _training_batches shuffles, with our seed
            verbose=self.verbose,
        )
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        # Zero-weight rows were dropped in _prepare_training_inputs; scikeras' version
        # would size the weights from X, which may be a dict of modalities.
        return X, y, _check_sample_weight(sample_weight, y, dtype=np.float32)

    def _n_validation(self, n_samples):
        """Rows held out for early stopping: none when too few remain to train on."""
        n_val = int(np.floor(self.validation_fraction * n_samples))
        return n_val if 0 < n_val < n_samples else 0

    # ------------------------------------------------------------ validation
    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        if X is not None:
            X = self._check_sequences(X, reset=reset)
        if y is not None:
            y = self._check_target(y, reset=reset)
        if X is not None and y is not None:
            # len() of a dict of modalities counts modalities: compare sample counts.
            check_consistent_length(range(self._n_rows(X)), y)
        return X, y

    def _check_sequences(self, X, *, reset):
        """Validate ``X`` and return it as float32 ``(n_samples, n_timesteps, n_features)``."""
        return check_sequences(self, X, reset=reset)

    # --------------------------------------------------------------- predict
    def _predict_raw(self, X, **kwargs):
        check_is_fitted(self, "model_")
        X, _ = self._validate_data(X)
        network, _ = inference_networks(self.model_)
        return predict_in_batches(network, X, self._n_rows(X))[0]

    def explain(self, X, *, full=False, as_frame=False, step_labels=None):
        """Attention each time step received.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences, as for ``predict``. Rows are processed in batches, so
            any number of rows fits in memory.
        full : bool, default=False
            Return the self-attention weights ``(n_samples, n_heads, T, T)``
            (rows are query steps) instead of per-step importances; only for
            ``attention="self"`` or ``"multihead"``.
        as_frame : bool, default=False
            Return a tidy ``pandas.DataFrame`` (``sample, step, weight``, or
            ``sample, head, query_step, step, weight`` with ``full``) with one
            row per real step.
        step_labels : array-like of shape (n_timesteps,), default=None
            Labels for the ``step`` columns of the frame, e.g. timestamps.

        Returns
        -------
        weights : ndarray of shape (n_samples, n_timesteps) or DataFrame
            Non-negative per-step importances aligned with the time steps of
            ``X``: each row sums to 1 over its real steps and is exactly 0 on
            padding. For pooling attention they are the pooling weights; for
            self-attention, the pooling weights carried back through the
            head-averaged self-attention (attention rollout).
        """
        check_is_fitted(self, "model_")
        if not has_attention(self.model_):
            raise ValueError(
                "explain() needs an attention layer, but this estimator's network has none "
                "(it was fitted with attention='none'); refit it with another attention type."
            )
        if full and not has_self_attention(self.model_):
            raise ValueError(
                "full=True needs self-attention weights (attention='self' or 'multihead'); "
                f"this estimator was fitted with attention={self.attention!r}."
            )
        if step_labels is not None and not as_frame:
            raise ValueError(
                "step_labels label the rows of the frame returned with as_frame=True; "
                "received step_labels without as_frame=True."
            )
        X, _ = self._validate_data(X)
        _, explainer = inference_networks(self.model_)
        outputs = predict_in_batches(explainer, X, self._n_rows(X))
        weights = outputs[1] if full else step_importance(*outputs)
        if as_frame:
            return attention_frame(weights, self._real_steps(X), step_labels)
        return weights

    @staticmethod
    def _n_rows(X):
        """Number of samples of validated ``X`` (an array, or a dict of modalities)."""
        return len(next(iter(X.values()))) if isinstance(X, dict) else len(X)

    @staticmethod
    def _real_steps(X):
        """Boolean (n_samples, n_timesteps): the non-padded steps of validated ``X``."""
        return step_mask(X)

    def save(self, path):
        """Save the fitted estimator to one file, without pickle.

        The file holds the network in Keras' ``.keras`` format and the
        estimator's parameters and fitted attributes as JSON; load it with
        :func:`attn_sklearn.load`, which uses Keras' safe mode and needs no
        custom objects. ``callbacks`` are not saved.

        Parameters
        ----------
        path : str or path-like
            Destination file.

        Returns
        -------
        path : pathlib.Path
            The file written.
        """
        check_is_fitted(self, "model_")
        return save_estimator(self, path)
