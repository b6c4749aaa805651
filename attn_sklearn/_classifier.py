"""AttentionLSTMClassifier, and the private base shared by the sequence classifiers."""

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from ._architectures import NetworkSpec, build_attention_lstm, resolve_batch_norm
from ._base import SequenceEstimatorBase
from ._deletion_training import deletion_trainer, resolve_deletion_penalty
from ._docstrings import fill_doc
from ._label_encoding import _class_indices, _LabelEncoder
from ._training import n_held_out

# validation_fraction="auto" holds out this fraction when it gives two rows per class.
AUTO_VALIDATION_FRACTION = 0.1


def _is_weight(value):
    return isinstance(value, Real) and not isinstance(value, bool) and 0 <= value < np.inf


class _SequenceClassifierBase(ClassifierMixin, SequenceEstimatorBase):
    """Labels, class weights, stratified early stopping and the output head of a classifier.

    Subclasses define ``__init__`` and ``_keras_build_fn`` (using
    :meth:`_output_head`).
    """

    _parameter_constraints: ClassVar[dict] = {
        **SequenceEstimatorBase._parameter_constraints,
        "validation_fraction": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "one_vs_rest": ["boolean"],
    }
    _fitted_attributes: ClassVar[tuple] = (*SequenceEstimatorBase._fitted_attributes, "classes_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags

    @property
    def target_encoder(self):
        return _LabelEncoder(self.classes_, one_vs_rest=bool(self.one_vs_rest))

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one more epoch, keeping the current weights.

        The first call initialises the network as ``fit`` would.

        Parameters
        ----------
        X, y
            As for :meth:`fit`.
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
            classes = np.unique(self._check_target(classes))
        return self._partial_fit(X, y, sample_weight, classes=classes)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or multimodal input
            Sequences in the form :meth:`fit` took.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The most probable class of each sample, one of ``classes_``.
        """
        proba = self.predict_proba(X)  # checks that the classifier is fitted
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like or multimodal input
            Sequences in the form :meth:`fit` took; 3-D input may have another
            number of time steps.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; rows sum to 1.
        """
        outputs = self._predict_raw(X)  # checks that the classifier is fitted
        return self.target_encoder_.inverse_transform(outputs, return_proba=True)

    def _check_target(self, y):
        missing = np.atleast_1d(pd.isna(np.asarray(y, dtype=object)))
        if missing.any():
            first = ", ".join(map(str, np.argwhere(missing)[0]))
            raise ValueError(
                f"y contains {int(missing.sum())} missing label(s) (NaN or None), the first at "
                f"y[{first}]; every sample needs a class label."
            )
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return y

    def _loss_weights(self, y, sample_weight):
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
        weights = compute_sample_weight(self.class_weight, y)
        return weights if sample_weight is None else weights * sample_weight

    def _fit_target(self, y, *, reset, classes=None):
        seen = np.unique(y)
        if reset:
            classes = seen if classes is None else classes
            unseen = set(seen.tolist()) - set(classes.tolist())
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
            return
        if classes is not None and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"classes must match the first call's {self.classes_.tolist()}; "
                f"received {classes.tolist()}."
            )
        unseen = set(seen.tolist()) - set(self.classes_.tolist())
        if unseen:
            raise ValueError(
                f"y contains labels the classifier was not fitted with: {sorted(unseen, key=str)}; "
                f"expected labels among {self.classes_.tolist()}."
            )

    def _held_out_fraction(self, y):
        """``validation_fraction``; "auto": 10 %, or none below two held-out rows per class.

        Two rows of a class cannot rank epochs: on the small benchmark sets
        early stopping on them chose noise (see Choosing settings).
        """
        if self.validation_fraction != "auto":
            return float(self.validation_fraction)
        enough = n_held_out(AUTO_VALIDATION_FRACTION, len(y)) >= 2 * len(self.classes_)
        return AUTO_VALIDATION_FRACTION if enough else 0.0

    def _validation_split(self, y):
        """Stratified, shuffled hold-out: data sorted by class must not leave a class out."""
        n_val = n_held_out(self.validation_fraction_, len(y))
        if n_val == 0:
            return slice(None), None
        labels = _class_indices(y)
        counts = np.bincount(labels)
        enough = counts.min() >= 2 and min(n_val, len(y) - n_val) >= len(counts)
        if enough:
            splitter = StratifiedShuffleSplit(n_splits=1, test_size=n_val, random_state=self._seed)
            train, val = next(splitter.split(labels, labels))
        else:
            order = np.random.RandomState(self._seed).permutation(len(y))
            train, val = order[n_val:], order[:n_val]
        return train, val

    def _output_head(self):
        """``n_outputs``, output activation and loss for the fitted classes."""
        if self.one_vs_rest:
            return {
                "n_outputs": len(self.classes_),
                "output_activation": "sigmoid",
                "loss": "binary_crossentropy",
            }
        if len(self.classes_) == 2:
            return {"n_outputs": 1, "output_activation": "sigmoid", "loss": "binary_crossentropy"}
        return {
            "n_outputs": len(self.classes_),
            "output_activation": "softmax",
            "loss": "sparse_categorical_crossentropy",
        }


@fill_doc
class AttentionLSTMClassifier(_SequenceClassifierBase):
    """Attention LSTM classifier for (possibly padded) sequences.

    ``LSTM(units, return_sequences=True)`` (stacked ``n_layers`` times,
    optionally bidirectional) -> attention pooling over the real steps ->
    (batch normalisation, for univariate sequences) -> ``Dense`` with a
    sigmoid (two classes) or softmax (more), or one sigmoid per class with
    ``one_vs_rest=True``. Padded steps
    (every feature equal to :data:`~attn_sklearn.MASK_VALUE`, as written by
    :class:`~attn_sklearn.SequencePadder`) are invisible to the network: a
    sequence gets the same prediction however much padding it carries.

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
    %(batch_norm)s
    %(patch_size)s
    %(learning_rate)s
    epochs : int, default=200
        Maximum number of passes over the training data.
    %(batch_size)s
    validation_fraction : float or "auto", default="auto"
        Fraction of the rows held out, stratified by class, to monitor early
        stopping. ``0`` monitors the training loss instead. ``"auto"`` holds
        out 10 %, or nothing when 10 % would be fewer than two rows per class
        (under 20 rows per class on average): so few rows rank epochs by
        chance. ``validation_fraction_`` is the fraction the fit used.
    %(patience_classifier)s
    %(class_weight)s
    %(one_vs_rest)s
    %(deletion_penalty)s
    %(runtime_parameters)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    model_ : keras.Model
        The fitted network (float32). ``predict`` and ``explain`` run it in
        fixed-size batches, so a row's outputs do not depend on the other
        rows passed with it.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``).
    validation_fraction_ : float
        The fraction of the rows held out: ``validation_fraction``, with
        ``"auto"`` decided.
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
        decided from ``n_step_features_in_``.
    batch_norm_ : bool
        Whether the network batch-normalises its pooled vector:
        ``batch_norm``, with ``"auto"`` decided from ``n_step_features_in_``.
    deletion_penalty_ : float
        The deletion penalty the fit trained with (``"auto"`` decided).

    See Also
    --------
    SequencePadder : Pads ragged sequences into the 3-D array this classifier takes.
    MultimodalAttentionClassifier : For several time-aligned modalities.

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
        **_SequenceClassifierBase._parameter_constraints,
        "batch_norm": ["boolean", StrOptions({"auto"})],
        "patch_size": [Interval(Integral, 1, None, closed="left")],
        "deletion_penalty": [Interval(Real, 0, np.inf, closed="left"), StrOptions({"auto"})],
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
        batch_norm="auto",
        patch_size=1,
        learning_rate=3e-3,
        epochs=200,
        batch_size=32,
        validation_fraction="auto",
        patience="auto",
        class_weight=None,
        one_vs_rest=False,
        deletion_penalty="auto",
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
        self.batch_norm = batch_norm
        self.patch_size = patch_size
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.class_weight = class_weight
        self.one_vs_rest = one_vs_rest
        self.deletion_penalty = deletion_penalty
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    @property
    def batch_norm_(self):
        """Whether the fitted network batch-normalises its pooled vector ("auto" decided)."""
        check_is_fitted(self, "n_step_features_in_")
        return resolve_batch_norm(self.batch_norm, self.n_step_features_in_)

    @property
    def deletion_penalty_(self):
        """The deletion penalty the fit trained with ("auto" decided)."""
        check_is_fitted(self, "n_step_features_in_")
        given, score_from = self.deletion_penalty, self.score_from_
        return resolve_deletion_penalty(given, score_from, self.patch_size, self.attention)

    @property
    def _auto_patience_epochs(self):
        # The normalised pooling's loss is noisy from batch to batch: 15 epochs without
        # improvement stopped GunPoint at 0.69-0.71 where 45 reach 0.96. Unnormalised,
        # 45 cost accuracy (the ragged-sequence example: 0.85 -> 0.81), so 15 stays.
        return (5, 45) if self.batch_norm_ else None

    def _training_network(self):
        return deletion_trainer(self)

    def _keras_build_fn(self):
        return build_attention_lstm(
            n_features=self.n_step_features_in_,
            spec=NetworkSpec.from_estimator(self),
            learning_rate=self.learning_rate,
            seed=self._seed,
            **self._output_head(),
        )
