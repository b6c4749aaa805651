"""Shared estimator plumbing: the one module that imports scikeras.

Every estimator is a scikeras ``BaseWrapper`` (the project's chosen wrapper
library). Of it we use exactly these hooks, so that a switch to another
wrapper (say ``keras.wrappers``) stays local to this module:

* ``BaseWrapper`` as the base class;
* ``_build_keras_model()``, which checks the ``model``/``build_fn`` slots
  (both ``None`` here) and calls our ``_keras_build_fn()``;
* the ``target_encoder`` slot: an object fitted on ``y`` that encodes it for
  the network and decodes the network's outputs (defined by each estimator).

Everything else is ours: scikeras' versions do not fit a scikit-learn citizen today:

* ``fit`` reads top to bottom: validate once, encode, build, train;
* parameters come from the ``__init__`` signature (scikit-learn's rule), not
  from ``vars(self)``; tags come from ``__sklearn_tags__``;
* seeding is explicit: every initialiser and dropout of the network gets its
  own seed drawn from ``random_state``, and each epoch's mini-batch order is a
  NumPy permutation of that seed. Nothing process-wide (NumPy or Python random
  state, TensorFlow's global seed or determinism flag) is read or changed by
  ``fit`` with an integer ``random_state``;
* inference runs in fixed-shape float32 batches (see ``_inference.py``), so a
  row's prediction and attention weights do not depend on the rows beside it;
* overlapping windows stay views of their series (see ``_windows.py``);
* scikeras' public extras (``initialize``, ``initialized_``, ``current_epoch``,
  ``scorer``, ``feature_encoder``) are not offered: they raise ``AttributeError``.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_consistent_length, check_is_fitted

from ._architectures import NETWORK_CONSTRAINTS, NetworkSpec
from ._batches import evaluation_batches, n_samples, row_gatherer, training_batches
from ._explain import attention_frame, check_explain_request, step_weights
from ._inference import run_inference
from ._keras_files import model_from_bytes, model_to_bytes
from ._masking import real_steps
from ._persistence import register_estimator, save_estimator
from ._tensorflow import no_retracing_warnings
from ._training import refresh_pooled_norm, resolve_patience, training_callbacks
from ._validation import check_sequences


class _NotOffered:
    """A scikeras attribute this package does not offer: reading it raises AttributeError."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        raise AttributeError(f"{owner.__name__!r} object has no attribute {self.name!r}")


class SequenceEstimatorBase(BaseWrapper, metaclass=ABCMeta):
    """Base class of the attention-LSTM estimators (not for direct use).

    Subclasses define ``__init__`` (their hyperparameters, keyword-only after
    the first), ``target_encoder``, ``_check_target``, ``_fit_target``,
    ``_validation_split`` and ``_keras_build_fn``.
    """

    # scikeras' model slots: our network always comes from ``_keras_build_fn``.
    model = None
    build_fn = None
    # Read by scikeras' ``_build_keras_model``: None means "leave TensorFlow's global seed alone".
    _random_state = None
    # Public fitted attributes every estimator has (``feature_names_in_`` only for
    # DataFrame input); subclasses add theirs. ``save``/``load`` read this list.
    _fitted_attributes: ClassVar[tuple] = (
        "n_features_in_",
        "n_timesteps_in_",
        "X_ndim_",
        "n_step_features_in_",
        "history_",
        "validation_fraction_",
        "patience_",
        "feature_names_in_",
    )

    # scikeras' public extras: not part of this package's API.
    initialize = _NotOffered()
    initialized_ = _NotOffered()
    current_epoch = _NotOffered()
    scorer = _NotOffered()
    feature_encoder = _NotOffered()  # X is validated by us, not encoded

    _parameter_constraints: ClassVar[dict] = {
        **NETWORK_CONSTRAINTS,
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "callbacks": [list, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    # Bounds, in epochs, of patience="auto" (see ``resolve_patience``); None: its default.
    _auto_patience_epochs = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            register_estimator(cls)

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
            are padding and are ignored. (The multimodal classifier and the
            forecaster take structured arrays too: see their docstrings.)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets: class labels (numbers or strings) for the classifiers,
            one or several numbers per sample for the regressor.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights for the loss, multiplied by ``class_weight``'s
            for the classifiers. Rows of weight 0 are left out entirely.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, rows, y, sample_weight = self._validate_training_data(X, y, sample_weight, reset=True)
        self._initialize(y)
        self._train(X, rows, y, sample_weight, epochs=int(self.epochs), initial_epoch=0)
        return self

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch, keeping the current weights.

        The first call initialises the network as ``fit`` would. Later calls
        must bring the same kind of ``X`` and the same number of outputs.

        Parameters
        ----------
        X, y, sample_weight
            As for :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, trained one epoch more.
        """
        return self._partial_fit(X, y, sample_weight)

    def _partial_fit(self, X, y, sample_weight, classes=None):
        first = not hasattr(self, "model_")
        X, rows, y, sample_weight = self._validate_training_data(
            X, y, sample_weight, reset=first, classes=classes
        )
        if first:
            self._initialize(y)
        trained = 0 if first else len(self.history_.get("loss", []))
        self._train(X, rows, y, sample_weight, epochs=1, initial_epoch=trained)
        return self

    def _validate_training_data(self, X, y, sample_weight, *, reset, classes=None):
        """Validate everything ``fit`` takes, once; drop zero-weight rows.

        Returns ``(X, rows, y, sample_weight)``: the validated ``X``, the
        indices of the rows to train on, and ``y`` and ``sample_weight`` of
        those rows. ``X`` keeps all its rows, so that overlapping windows stay
        a view of their series (see ``_windows.py``). Dropping zero-weight
        rows before any fitted statistic (the target scaling, the classes) is
        computed makes a zero weight mean exactly "not in the data".
        """
        self._validate_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X = self._check_sequences(X, reset=reset)
        y = self._check_target(y)
        check_consistent_length(range(n_samples(X)), y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, y, dtype=np.float64, ensure_non_negative=True
            )
        sample_weight = self._loss_weights(y, sample_weight)
        rows = np.arange(len(y))
        if sample_weight is not None:
            if not np.any(sample_weight > 0):
                raise ValueError(
                    "sample_weight must give at least one sample a positive weight; "
                    "received only zeros."
                )
            rows = np.flatnonzero(sample_weight > 0)
            y, sample_weight = y[rows], sample_weight[rows]
        self._fit_target(y, reset=reset, classes=classes)
        return X, rows, y, sample_weight

    def _loss_weights(self, y, sample_weight):
        """Per-sample loss weights; classifiers fold in ``class_weight``."""
        return sample_weight

    def _initialize(self, y):
        """Draw the seed, fit the target encoder and build the network."""
        self._seed = _draw_seed(self.random_state)
        self.target_encoder_ = self.target_encoder.fit(y)
        self.model_ = self._build_keras_model()  # scikeras: calls _keras_build_fn

    def _train(self, X, rows, y, sample_weight, *, epochs, initial_epoch):
        """Run Keras' training loop on ``X[rows]``; ``history_`` restarts with epoch 0."""
        y = self.target_encoder_.transform(y)
        weights = np.ones(len(y)) if sample_weight is None else sample_weight
        sample_weight = np.asarray(weights, np.float32)
        self.validation_fraction_ = self._held_out_fraction(y)
        train, val = self._validation_split(y)
        monitor = "val_loss" if val is not None else "loss"
        self.patience_ = resolve_patience(
            self.patience, len(rows[train]), int(self.batch_size), self._auto_patience_epochs
        )
        gather_x = row_gatherer(X)
        batches = training_batches(
            gather_x,
            rows[train],
            y[train],
            sample_weight[train],
            batch_size=int(self.batch_size),
            seed=self._seed,
            first_epoch=initial_epoch,
        )
        if val is not None:
            val = evaluation_batches(
                gather_x, rows[val], y[val], sample_weight[val], batch_size=int(self.batch_size)
            )
        with no_retracing_warnings():
            history = self._training_network().fit(
                batches,
                validation_data=val,
                epochs=initial_epoch + epochs,
                initial_epoch=initial_epoch,
                callbacks=training_callbacks(
                    self.callbacks,
                    patience=self.patience_,
                    learning_rate=float(self.learning_rate),
                    monitor=monitor,
                ),
                shuffle=False,  # training_batches shuffles, with our seed
                verbose=self.verbose,
            )
        refresh_pooled_norm(self.model_, gather_x, rows[train])
        if initial_epoch == 0:
            self.history_ = {}
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    # ------------------------------------------------------------ subclass hooks
    def _training_network(self):
        """The Keras model that ``fit`` trains: ``model_``, or one that trains it."""
        return self.model_

    def _check_sequences(self, X, *, reset):
        """Validate ``X``; return it as float32 ``(n_samples, n_timesteps, n_features)``."""
        return check_sequences(self, X, reset=reset)

    @abstractmethod
    def _check_target(self, y):
        """Validate ``y`` (type and shape only; nothing is recorded)."""

    @abstractmethod
    def _fit_target(self, y, *, reset, classes=None):
        """Record (``reset``) or check the target's fitted attributes."""

    @abstractmethod
    def _validation_split(self, y):
        """``(train, validation)`` positions in ``y``; ``validation`` may be None."""

    @abstractmethod
    def _keras_build_fn(self):
        """The compiled network for the recorded input and target shapes."""

    @property
    def score_from_(self):
        """What the fitted network's attention pooling scores: ``score_from``, "auto" decided."""
        check_is_fitted(self, "n_step_features_in_")
        return NetworkSpec.from_estimator(self).score_from

    def _attended(self, X):
        """The sequences of validated ``X`` that attention runs over (all of it here)."""
        return X

    # --------------------------------------------------------------- predict
    def _predict_raw(self, X):
        check_is_fitted(self, "model_")
        X = self._check_sequences(X, reset=False)
        return run_inference(self.model_, X)[0]

    def explain(self, X, *, full=False, as_frame=False, step_labels=None):
        """Attention each time step received.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences, as for ``predict``. Rows are processed in batches, so
            any number of rows fits in memory.
        full : bool, default=False
            Return the self-attention weights ``(n_samples, n_heads, T, T)``
            (rows are query steps; ``attention="self"`` or ``"multihead"``),
            or a forecaster decoder's map ``(n_samples, H, T)`` (which steps
            each forecast step looked at; ``head="decoder"``), instead of
            per-step importances.
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
            head-averaged self-attention (attention rollout); for a decoder,
            its map averaged over the forecast steps.
        """
        check_is_fitted(self, "model_")
        check_explain_request(self.model_, full=full, as_frame=as_frame, step_labels=step_labels)
        X = self._check_sequences(X, reset=False)
        outputs = [out.astype(np.float64) for out in run_inference(self.model_, X, "explain")]
        real = real_steps(self._attended(X))
        weights = step_weights(self.model_, outputs, full=full, real=real)
        return attention_frame(weights, real, step_labels) if as_frame else weights

    # ------------------------------------------------------------ persistence
    def __getstate__(self):
        # The network travels as Keras' own ``.keras`` bytes (loaded in safe mode): no internals.
        state = dict(super().__getstate__())  # object.__getstate__ returns __dict__ itself
        if "model_" in state:
            state["model_"] = model_to_bytes(state["model_"])
        return state

    def __setstate__(self, state):
        state = dict(state)
        if isinstance(state.get("model_"), bytes):
            state["model_"] = model_from_bytes(state["model_"])
        super().__setstate__(state)

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

        Raises
        ------
        ValueError
            When the estimator holds something :func:`attn_sklearn.load` would
            refuse (parameters changed to invalid values after ``fit``, say);
            nothing is written then.
        """
        check_is_fitted(self, "model_")
        return save_estimator(self, path)


def _draw_seed(random_state):
    """An int seed from ``random_state``; ``None`` draws from NumPy's global RNG, as in sklearn."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
