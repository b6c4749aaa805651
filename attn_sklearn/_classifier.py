"""AttentionLSTMClassifier: attention LSTM for binary and multiclass sequence labels."""

from numbers import Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, column_or_1d

from ._architectures import build_attention_lstm
from ._base import SequenceEstimatorBase
from ._data import take_rows
from ._docstrings import fill_doc


def _is_weight(value):
    return isinstance(value, Real) and not isinstance(value, bool) and 0 <= value < np.inf


class _LabelEncoder(TransformerMixin, BaseEstimator):
    """Map labels to class indices and network outputs back to labels or probabilities."""

    def __init__(self, classes):
        self.classes = classes

    def fit(self, y):
        return self

    def transform(self, y):
        indices = np.searchsorted(self.classes, y)
        if len(self.classes) == 2:
            return indices.astype(np.float32).reshape(-1, 1)
        return indices.astype(np.int32)

    def inverse_transform(self, outputs, return_proba=False):
        outputs = np.asarray(outputs, dtype=np.float64)
        if len(self.classes) == 2:
            proba = np.hstack([1.0 - outputs, outputs])
        else:
            proba = outputs / outputs.sum(axis=1, keepdims=True)
        if return_proba:
            return proba
        return self.classes[np.argmax(proba, axis=1)]


@fill_doc
class AttentionLSTMClassifier(ClassifierMixin, SequenceEstimatorBase):
    """Attention LSTM classifier for (possibly padded) sequences.

    ``LSTM(units, return_sequences=True)`` (stacked ``n_layers`` times,
    optionally bidirectional) -> attention pooling over the real steps ->
    ``Dense`` with a sigmoid (two classes) or softmax (more). Padded steps
    (every feature equal to :data:`~attn_sklearn.MASK_VALUE`, as written by
    :class:`~attn_sklearn.SequencePadder`) are invisible to the network: a
    sequence gets the same prediction however much padding it carries.

    Parameters
    ----------
    %(network_parameters)s
    %(training_parameters)s
    validation_fraction : float, default=0.1
        Fraction of the rows held out, stratified by class, to monitor early
        stopping. ``0`` monitors the training loss instead.
    %(patience)s
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn.
    %(runtime_parameters)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    model_ : keras.Model
        The fitted network (float32). ``predict`` and ``explain`` run a
        float64 copy of it, so a row's outputs do not depend on the other
        rows passed with it.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``).
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit`` (the number of time steps).
    n_timesteps_in_ : int
        Time steps per sequence seen in ``fit``.
    n_step_features_in_ : int
        Features per time step seen in ``fit`` (1 for 2-D ``X``).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import AttentionLSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 10))
    >>> y = np.where(X[:, 3] > 0, "up", "down")
    >>> clf = AttentionLSTMClassifier(units=8, epochs=2, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> clf.classes_.tolist()
    ['down', 'up']
    """

    _parameter_constraints: ClassVar[dict] = {
        **SequenceEstimatorBase._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
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
        class_weight=None,
        callbacks=None,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            units=units,
            n_layers=n_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            attention=attention,
            n_heads=n_heads,
            key_dim=key_dim,
            self_attention_score=self_attention_score,
            attention_width=attention_width,
            causal=causal,
            residual=residual,
            layer_norm=layer_norm,
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            validation_fraction=validation_fraction,
            patience=patience,
            callbacks=callbacks,
            random_state=random_state,
            verbose=verbose,
        )
        self.class_weight = class_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags

    @property
    def target_encoder(self):
        return _LabelEncoder(self.classes_)

    def fit(self, X, y, sample_weight=None):
        """Fit the network to sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences; 2-D input holds univariate sequences.
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, multiplied by ``class_weight``'s.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        self._declared_classes = None
        return super().fit(X, y, sample_weight=sample_weight)

    def _training_sample_weight(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        if isinstance(self.class_weight, dict):
            bad = {k: v for k, v in self.class_weight.items() if not _is_weight(v)}
            if bad:
                raise ValueError(
                    "class_weight values must be finite numbers >= 0; received "
                    + ", ".join(f"{k!r}: {v!r}" for k, v in bad.items())
                    + "."
                )
        weights = compute_sample_weight(self.class_weight, self._labels(y))
        return weights if sample_weight is None else weights * sample_weight

    @staticmethod
    def _labels(y):
        """Validated 1-D class labels."""
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return y

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one more epoch, keeping the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every label the classifier will see, for a first call whose ``y``
            lacks some; later calls may omit it (or must repeat the same set).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, multiplied by ``class_weight``'s.

        Returns
        -------
        self : object
            The classifier, trained one epoch more.
        """
        if classes is not None:
            classes = np.unique(self._labels(classes))
            if hasattr(self, "classes_") and not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"classes must match the first call's {self.classes_.tolist()}; "
                    f"received {classes.tolist()}."
                )
        self._declared_classes = classes
        return super().partial_fit(X, y, sample_weight=sample_weight)

    def _check_target(self, y, *, reset):
        y = self._labels(y)
        if reset:
            declared = getattr(self, "_declared_classes", None)
            classes = np.unique(y) if declared is None else declared
            unseen = set(np.unique(y).tolist()) - set(classes.tolist())
            if unseen:
                raise ValueError(
                    f"y contains labels missing from classes: {sorted(unseen, key=str)}; "
                    f"received classes={classes.tolist()}."
                )
            if len(classes) < 2:
                raise ValueError(
                    "y must contain at least 2 classes to train a classifier; received 1 class: "
                    f"{classes[0].item()!r}."
                )
            self.classes_ = classes
            return y
        unseen = set(np.unique(y).tolist()) - set(self.classes_.tolist())
        if unseen:
            raise ValueError(
                f"y contains labels the classifier was not fitted with: {sorted(unseen, key=str)}; "
                f"expected labels among {self.classes_.tolist()}."
            )
        return y

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; rows sum to 1.
        """
        outputs = self._predict_raw(X)  # checks that the classifier is fitted
        return self.target_encoder_.inverse_transform(outputs, return_proba=True)

    def _validation_split(self, X, y, sample_weight):
        """Stratified, shuffled hold-out: data sorted by class must not leave a class out."""
        n_val = self._n_validation(len(y))
        if n_val == 0:
            return (X, y, sample_weight), None
        labels = y.ravel()
        counts = np.bincount(labels.astype(int))
        enough = counts.min() >= 2 and min(n_val, len(y) - n_val) >= len(counts)
        stratify = labels if enough else None
        if stratify is None:
            order = np.random.RandomState(self._seed).permutation(len(y))
            train, val = order[n_val:], order[:n_val]
        else:
            splitter = StratifiedShuffleSplit(n_splits=1, test_size=n_val, random_state=self._seed)
            train, val = next(splitter.split(labels, stratify))
        return (
            (take_rows(X, train), y[train], sample_weight[train]),
            (take_rows(X, val), y[val], sample_weight[val]),
        )

    def _keras_build_fn(self):
        binary = len(self.classes_) == 2
        return build_attention_lstm(
            n_features=self.n_step_features_in_,
            n_outputs=1 if binary else len(self.classes_),
            spec=self._network_spec(),
            output_activation="sigmoid" if binary else "softmax",
            loss="binary_crossentropy" if binary else "sparse_categorical_crossentropy",
            learning_rate=self.learning_rate,
            seed=self._seed,
        )
