"""MultimodalAttentionClassifier: image sequences plus temporal side features, one label.

The estimator: parameters, and the choice of encoders. Validation of
multimodal ``X`` lives in :mod:`attn_sklearn._multimodal_data`, the network in
:mod:`attn_sklearn._multimodal_network`.
"""

from typing import ClassVar

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ._architectures import NetworkSpec
from ._classifier import _SequenceClassifierBase
from ._docstrings import fill_doc
from ._multimodal_data import check_modalities
from ._multimodal_network import ENCODERS, build_multimodal_attention_lstm


@fill_doc
class MultimodalAttentionClassifier(_SequenceClassifierBase):
    """Attention LSTM classifier for several time-aligned modalities.

    Each modality is encoded per time step (``encoder="flatten"`` feeds a
    step's values as they are; ``"conv"`` runs a small per-frame CNN over
    image modalities), the encodings are concatenated step by step, padded
    steps are masked, and the fused sequence goes through
    ``LSTM(units, return_sequences=True)`` x ``n_layers`` -> attention
    (additive pooling by default) -> ``Dense`` with a sigmoid (two classes) or
    softmax, or one sigmoid per class with ``one_vs_rest=True``.

    It generalises a published image-sequence classifier (two stacked
    ``LSTM(64)``, self-attention, then a final ``LSTM(64)``). Here attention
    *pooling* replaces that last LSTM, so that :meth:`explain` returns per-step
    weights instead of an opaque recurrent summary. By default the LSTMs are
    bidirectional and the pooling is additive, scoring each step from its
    own fused encodings (``score_from="auto"`` with several values per step).
    Measured with seeds 0, 1 and 2 against the former defaults
    (one-directional, ``attention="self"``, state scores): on a planted task
    where one step of eight decides the label, accuracy 0.97-0.975 against
    0.90-0.925 and the most-attended step was the deciding one for 54-100 %
    of held-out sequences against 9-13 %; the README's ``cross_val_score``
    example scored 0.963-0.992 per fold against 0.917-0.978. The default
    ``entropy_penalty=0.4`` then made the most-attended step the deciding one
    for 100 % on all three seeds (accuracy 0.985-1.0) and cost no accuracy
    on two real multivariate sets (mean 0.971 against 0.968 on BasicMotions
    and JapaneseVowels; see :doc:`/choosing_settings`).

    ``X`` is multimodal: a dict ``{name: array of shape (n_samples,
    n_timesteps, ...)}``, a structured array with one field per modality (see
    :func:`pack_modalities`: the form that ``train_test_split``,
    ``cross_val_score``, ``GridSearchCV`` and ``Pipeline`` can index), or one
    plain array ``(n_samples, n_timesteps, ...)``, a single modality named
    ``"x"``. All modalities share the time axis; their per-step shapes may
    differ, e.g. images ``(H, W, C)`` and features ``(hours, w_features)``.

    Padding: a modality is padding at a step when all its values there equal
    :data:`~attn_sklearn.MASK_VALUE`. A step is masked (invisible: same
    prediction and attention on the real steps however much padding a sample
    carries, exactly 0 attention) only when *every* modality is padding there.
    A modality padded at a step where another is real contributes zeros to
    that step, never the marker; the step stays real.

    The learning rate is the package default, 3e-3, not the published
    system's 1e-5, which learns far too slowly for a practical default. Measured with
    ``random_state=0`` on 600 samples of
    :func:`~attn_sklearn.datasets.make_multimodal_sequences` (``noise=0.8``;
    450 to train, 150 held out; 2 CPU cores): Adam at 1e-5 reached 0.63
    held-out accuracy after 150 epochs (100 seconds), at 1e-3 early stopping
    ended at 0.83, and at 3e-3 the model reached 0.90 within 19 epochs (20
    seconds).

    Parameters
    ----------
    %(units)s
    n_layers : int, default=2
        Number of stacked LSTM layers.
    bidirectional : bool, default=True
        Read sequences in both directions.
    %(dropout)s
    attention : {"additive", "multiplicative", "linear", "self", "multihead", "none"}, \
default="additive"
        %(attention_choices)s
    %(attention_options_multimodal)s
    encoder : {"flatten", "conv"} or dict of str to {"flatten", "conv"}, default="flatten"
        Per-step encoder of each modality. ``"flatten"`` feeds all values of
        the step to the LSTM. ``"conv"`` encodes image modalities
        (per-step shape ``(H, W, C)``) with ``Conv2D(conv_filters[0], 3,
        relu)`` -> ``MaxPooling2D(2)`` -> ``Conv2D(conv_filters[1], 3, relu)``
        ... -> global average pooling, and flattens the other modalities. A
        dict chooses per modality (modalities it omits are flattened); asking
        ``"conv"`` for a modality that is not ``(H, W, C)`` is an error.
    conv_filters : tuple of int, default=(8, 16)
        Filters of the successive convolutions of the ``"conv"`` encoder.
    %(training_parameters)s
    validation_fraction : float or "auto", default="auto"
        Fraction of the rows held out, stratified by class, to monitor early
        stopping. ``0`` monitors the training loss instead. ``"auto"`` holds
        out 10 %, or nothing when 10 % would be fewer than two rows per class
        (under 20 rows per class on average): so few rows rank epochs by
        chance. ``validation_fraction_`` is the fraction the fit used.
    %(patience)s
    %(class_weight)s
    %(one_vs_rest)s
    %(runtime_parameters)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    modalities_ : dict of str to tuple of int
        Per-step shape of each modality seen in ``fit``, by name (sorted).
        ``predict``, ``predict_proba`` and ``explain`` need exactly these.
    encoders_ : dict of str to str
        Encoder used for each modality.
    model_ : keras.Model
        The fitted network (float32); its inputs are a dict keyed by modality
        name. ``predict`` and ``explain`` run it in fixed-size batches, so a
        row's outputs do not depend on the other rows passed with it.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``).
    validation_fraction_ : float
        The fraction of the rows held out: ``validation_fraction``, with
        ``"auto"`` decided.
    patience_ : int or None
        The patience the fit used: ``patience``, with ``"auto"`` decided.
    n_features_in_ : int
        Number of time steps seen in ``fit``, as for the other estimators
        (``X.shape[1]`` of every modality). Only 2-D plain ``X`` must keep
        it at predict time; otherwise the network accepts any number of steps.
    n_timesteps_in_ : int
        Time steps per sequence seen in ``fit``.
    X_ndim_ : int or None
        2 when ``fit`` saw one plain 2-D array (one value per step), else None.
    n_step_features_in_ : int
        Values per time step over all modalities (e.g. ``8*8*1 + 4*3``).
    score_from_ : {"inputs", "states"}
        What the attention pooling scores: ``score_from``, with ``"auto"``
        decided from ``n_step_features_in_``.

    See Also
    --------
    pack_modalities : Pack per-modality arrays into a structured array.
    AttentionLSTMClassifier : The single-modality classifier.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from attn_sklearn import MultimodalAttentionClassifier, pack_modalities
    >>> from attn_sklearn.datasets import make_multimodal_sequences
    >>> X, y, planted = make_multimodal_sequences(60, random_state=0)
    >>> X = pack_modalities(**X)            # one record per sample: CV-safe
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> clf = MultimodalAttentionClassifier(units=8, epochs=2, random_state=0)
    >>> clf.fit(X_train, y_train).predict_proba(X_test).shape
    (15, 2)
    >>> clf.modalities_
    {'extra': (4, 3), 'images': (8, 8, 1)}
    >>> clf.explain(X_test).shape           # attention per time step
    (15, 12)
    """

    _parameter_constraints: ClassVar[dict] = {
        **_SequenceClassifierBase._parameter_constraints,
        "encoder": [StrOptions(set(ENCODERS)), dict],
        "conv_filters": [tuple, list],
    }
    _fitted_attributes: ClassVar[tuple] = (
        *_SequenceClassifierBase._fitted_attributes,
        "modalities_",
        "encoders_",
    )

    def __init__(
        self,
        units=64,
        *,
        n_layers=2,
        bidirectional=True,
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
        entropy_penalty=0.4,
        encoder="flatten",
        conv_filters=(8, 16),
        learning_rate=3e-3,
        epochs=100,
        batch_size=32,
        validation_fraction="auto",
        patience=15,
        class_weight=None,
        one_vs_rest=False,
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
        self.encoder = encoder
        self.conv_filters = conv_filters
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.class_weight = class_weight
        self.one_vs_rest = one_vs_rest
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    def _check_sequences(self, X, *, reset):
        """Validate multimodal ``X``; return a dict of float32 arrays, sorted by name."""
        return check_modalities(self, X, reset=reset)

    # --------------------------------------------------------------- network
    def _resolve_encoders(self):
        if isinstance(self.encoder, dict):
            unknown = sorted(set(self.encoder) - set(self.modalities_))
            if unknown:
                raise ValueError(
                    f"encoder names modality {unknown[0]!r}, which is not in X; "
                    f"the modalities are {sorted(self.modalities_)}."
                )
            bad = {k: v for k, v in self.encoder.items() if v not in ENCODERS}
            if bad:
                name, value = next(iter(bad.items()))
                raise ValueError(
                    f"Expected the encoder of each modality to be one of {set(ENCODERS)}. "
                    f"Received: encoder[{name!r}]={value!r}"
                )
            encoders = {name: self.encoder.get(name, "flatten") for name in self.modalities_}
            for name, choice in encoders.items():
                if choice == "conv" and len(self.modalities_[name]) != 3:
                    raise ValueError(
                        f'encoder "conv" needs image steps of shape (H, W, C); modality '
                        f"{name!r} has per-step shape {tuple(self.modalities_[name])}."
                    )
            return encoders
        return {
            name: "conv" if self.encoder == "conv" and len(shape) == 3 else "flatten"
            for name, shape in self.modalities_.items()
        }

    def _check_conv_filters(self):
        filters = tuple(self.conv_filters)
        if not filters or not all(
            isinstance(f, int | np.integer) and not isinstance(f, bool) and f >= 1 for f in filters
        ):
            raise ValueError(
                "conv_filters must be a non-empty tuple of positive integers; received "
                f"conv_filters={self.conv_filters!r}."
            )
        return tuple(int(f) for f in filters)

    def _keras_build_fn(self):
        self.encoders_ = self._resolve_encoders()
        return build_multimodal_attention_lstm(
            modalities={name: tuple(shape) for name, shape in self.modalities_.items()},
            encoders=self.encoders_,
            conv_filters=self._check_conv_filters(),
            spec=NetworkSpec.from_estimator(self),
            learning_rate=self.learning_rate,
            seed=self._seed,
            **self._output_head(),
        )
