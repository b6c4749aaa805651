"""Docstring fragments for what means the same in every estimator (or transformer).

A class docstring writes ``%(name)s`` where a fragment goes (one parameter, or
a group of parameters that always come together); :func:`fill_doc` fills them
in. Parameters whose default or meaning differ between estimators
(``n_layers``, ``attention``, ``validation_fraction``) are written in each
class, ``attention`` around the shared ``%(attention_choices)s`` description.
"""

# What patience means; the estimators differ in its default and in what "auto" waits.
_PATIENCE_HEAD = """Epochs without improvement of the monitored loss before training stops
        and the best weights are restored; the learning rate is halved after
        ``patience // 3`` such epochs. Early stopping watches from epoch
        ``patience`` on, so a fit runs at least ``2 * patience`` epochs (or all
        ``epochs``) and never keeps the weights of its first ``patience``
        epochs. ``"auto"`` waits about 350 gradient steps, in whole epochs"""
_PATIENCE_TAIL = """ ``None`` trains for all
        ``epochs`` at a constant learning rate. ``patience_`` is the patience
        the fit used."""
_PATIENCE_AUTO = """: 15
        on up to 768 training rows at ``batch_size=32`` (24 batches an epoch),
        fewer on more rows (8 on 1,400), at least 5."""
_PATIENCE = _PATIENCE_HEAD + _PATIENCE_AUTO + _PATIENCE_TAIL
# AttentionLSTMClassifier waits longer when it normalises its pooling (_auto_patience_epochs).
_PATIENCE_CLASSIFIER = (
    _PATIENCE_HEAD
    + """. With the
        pooled vector normalised (``batch_norm_``; the normalised loss is
        noisier), 45 on up to 224 training rows (7 batches an epoch), 15 on
        768, at least 5; otherwise 15"""
    + _PATIENCE_AUTO.removeprefix(": 15")
    + _PATIENCE_TAIL
)

# What entropy_penalty does; its default differs (0.4 for the multimodal classifier).
_ENTROPY_PENALTY = """Weight of a penalty, added to the training loss, on the entropy of
        the attention weights (the pooling's, or the forecaster decoder's at
        every forecast step), divided by its maximum so that it lies
        between 0 (all weight on one step) and 1 (spread evenly) for any
        length. It makes the weights concentrate on few steps: use it
        when one or a few steps decide the prediction but every LSTM state
        carries them (a bidirectional trunk, short sequences), so the
        weights have no reason to single them out. Where what matters is
        spread over many steps it can cost accuracy. See :doc:`/attention` for
        the measurements."""

_FRAGMENTS = {
    "units": """units : int, default=64
        LSTM units per layer (and direction).""",
    "bidirectional": """bidirectional : bool, default=False
        Read sequences in both directions.""",
    "dropout": """dropout : float, default=0.0
        Dropout rate on the inputs of every LSTM layer.""",
    "attention_choices": """The attention after the LSTM stack. Pooling types score each step and
        pool with a softmax over the real steps: ``"additive"`` (Bahdanau)
        ``v . tanh(W h_t + b)``; ``"multiplicative"`` (Luong)
        ``h_t . W q / sqrt(d)`` with the last real step as query;
        ``"linear"`` ``w . h_t + b``, the single-layer score of the classic
        attention-LSTM forecaster. ``"self"`` and ``"multihead"`` put a masked
        self-attention block before additive pooling. ``"none"`` uses the last
        LSTM state (an ablation without attention; :meth:`explain` then has
        nothing to report).""",
    "n_heads": """n_heads : int, default=4
        Heads of ``attention="multihead"``.""",
    "key_dim": """key_dim : int, default=None
        Query/key/value size per head for ``"multihead"``; ``None`` uses
        the LSTM output width divided by ``n_heads``.""",
    "self_attention_score": """self_attention_score : {"multiplicative", "additive"}, \
default="multiplicative"
        Score of ``attention="self"``.""",
    "attention_width": """attention_width : int, default=None
        Local self-attention: each step attends only to steps at most
        ``attention_width // 2`` away (the last ``attention_width`` steps when
        ``causal``). ``None`` attends to the whole sequence.""",
    "causal": """causal : bool, default=False
        Self-attention sees only the current and earlier steps (history only).""",
    "residual": """residual : bool, default=False
        Add the self-attention output to its input (a residual connection).
        Only used with ``"self"`` and ``"multihead"``.""",
    "layer_norm": """layer_norm : bool, default=False
        Layer-normalise the sequence before pooling.""",
    "score_from": """score_from : {"auto", "inputs", "states"}, default="auto"
        What the attention pooling scores. ``"inputs"``: each step's own
        input, through a per-step layer ``tanh(W x_t + b)`` that sees no
        other step, so the weights point at the steps whose content decided
        the prediction (see :func:`attn_sklearn.inspection.deletion_curve`).
        ``"states"``: the LSTM (or self-attention) outputs, which carry
        earlier steps forward, so the weights may land after the deciding
        step (the scoring of the classic attention LSTM). Either way the
        pooled vector is a weighted sum of the LSTM (or self-attention)
        outputs. A step of one value is encoded together with its square,
        so that its score can rank steps by their distance from 0 in either
        direction. ``"auto"`` takes ``"inputs"``, except for the classifiers
        on univariate sequences, where input scores cost accuracy on real data
        sets and ``"auto"`` takes ``"states"`` (see :doc:`/choosing_settings`);
        ``score_from_`` says which was used.""",
    "entropy_penalty": "entropy_penalty : float, default=0.0\n        " + _ENTROPY_PENALTY,
    "entropy_penalty_multimodal": "entropy_penalty : float, default=0.4\n        "
    + _ENTROPY_PENALTY
    + """ The default is 0.4 here: every state of the bidirectional
        trunk carries the deciding steps, and on each of four planted
        multimodal tasks the penalty made the weights point at them more
        often on average, at the same or better accuracy, while on real
        multivariate sets it cost no accuracy. On one single-modality task
        it locked the weights on steps that did not decide;
        :doc:`/choosing_settings` has the figures.""",
    "learning_rate": """learning_rate : float, default=3e-3
        Adam learning rate.""",
    "epochs": """epochs : int, default=100
        Maximum number of passes over the training data.""",
    "batch_size": """batch_size : int, default=32
        Mini-batch size.""",
    "patience": f"""patience : int, "auto" or None, default=15
        {_PATIENCE}""",
    "patience_auto": f"""patience : int, "auto" or None, default="auto"
        {_PATIENCE}""",
    "patience_classifier": f"""patience : int, "auto" or None, default="auto"
        {_PATIENCE_CLASSIFIER}""",
    "batch_norm": """batch_norm : bool or "auto", default="auto"
        Batch-normalise the pooled vector (the attention's output, or the
        last state with ``attention="none"``) before the output layer.
        Pooling averages states over many steps, so at initialisation the
        pooled vectors of different sequences barely differ and the loss can
        sit at chance for dozens of epochs; normalising removes that plateau.
        Its inference statistics are the training rows' own, computed after
        training. ``"auto"`` normalises univariate sequences (one value per
        step), where with the longer patience it came with it took the mean
        accuracy on five UCR sets from 0.636 to 0.818 and made the attention
        more faithful, and not sequences of several values per step, where it
        made the attention less faithful on a planted task (see
        :doc:`/choosing_settings`). ``batch_norm_`` says which was used.""",
    "patch_size": """patch_size : int, default=1
        Group every ``patch_size`` consecutive steps into one step of the
        network, with ``patch_size`` times the values, counted from each
        sequence's first real step (see :class:`~attn_sklearn.layers.StepPatches`).
        The LSTM then runs over ``patch_size`` times fewer steps, so long
        sequences fit faster, and ``score_from="auto"`` scores each patch
        from its own values. :meth:`explain` still gives one weight per
        step: a patch's weight shared evenly by its real steps. Inside a patch
        that has real steps, a padded or missing step counts as 0. On four
        univariate UCR sets of 150-427 steps, about 64 patches per series
        fitted up to 3 times faster; mean accuracy rose on ArrowHead (0.617
        to 0.710 with 4 steps per patch) and fell 1-5 points on the other
        three (see :doc:`/choosing_settings`), so it is a setting to search
        on long series, not a default.""",
    "class_weight": """class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn.""",
    "one_vs_rest": """one_vs_rest : bool, default=False
        Give every class its own sigmoid output, trained against the rest
        (binary cross-entropy on one-hot targets), instead of one softmax
        (one sigmoid for two classes). With a softmax a class can be
        recognised by the absence of the other classes' evidence, and its
        attention then points at no step in particular; one-vs-rest outputs
        make every class find evidence of its own, so the weights point at it.
        It can cost accuracy where a class is told by what it lacks (see
        :doc:`/attention` for both measurements). Probabilities are the
        outputs' odds ``p / (1 - p)``, normalised to sum to 1.""",
    "deletion_penalty": """deletion_penalty : float or "auto", default="auto"
        Weight of two training terms that tie the answer to the attended
        steps: with each step blended towards 0 in proportion to its
        attention weight (the top-attended step removed), the prediction must
        become uncertain, while the same blend on random other steps must
        leave it right. A softmax can otherwise tell one class by the absence
        of the others' evidence, and that class's weights then point at no
        step in particular. It runs the network three times per training
        step instead of once; 0 turns it off. ``"auto"`` is 1.0 when the
        attention scores each step's own input (``score_from_`` is
        ``"inputs"``: by default when a step has several values): on a planted
        4-class task the top-attended step became the deciding one for 99.5
        per cent of sequences on every seed, against 74 on one seed without
        it, and BasicMotions and JapaneseVowels kept their mean accuracy
        (0.971); on a univariate planted task with ``score_from="inputs"``,
        100 per cent on every seed. It is 0 with state scores, where it made
        the attention less faithful, for ``patch_size`` above 1 and for
        ``attention="none"`` (see :doc:`/choosing_settings`).
        ``deletion_penalty_`` says which was used.""",
    "callbacks": """callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training (checkpoints, TensorBoard, ...).
        They are not saved by :meth:`save`.""",
    "random_state": """random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, dropout, shuffling and the validation
        split. With an int, ``fit`` is reproducible on CPU and leaves NumPy's,
        Python's and TensorFlow's global random state untouched; ``None``
        draws the seed from NumPy's global generator.""",
    "padded_input_attributes": """n_features_in_ : int
        ``X.shape[1]`` in ``fit``, scikit-learn's definition: for 2-D
        (univariate) input, the number of time steps, which ``transform`` then
        requires again. Not checked for 3-D input, whose length may vary.
    n_timesteps_in_ : int
        Number of time steps seen in ``fit``.
    n_step_features_in_ : int
        Number of features per time step.
    X_ndim_ : int
        Number of dimensions of ``X`` in ``fit`` (2 or 3).""",
    "verbose": """verbose : int, default=0
        Keras' training verbosity.""",
}

# Parameters that always come together, in this order, in every estimator.
_GROUPS = {
    "attention_options": (
        "n_heads",
        "key_dim",
        "self_attention_score",
        "attention_width",
        "causal",
        "residual",
        "layer_norm",
        "score_from",
        "entropy_penalty",
    ),
    "training_parameters": ("learning_rate", "epochs", "batch_size"),
    "runtime_parameters": ("callbacks", "random_state", "verbose"),
}
# The multimodal classifier's attention options differ only in entropy_penalty's default.
_GROUPS["attention_options_multimodal"] = tuple(
    "entropy_penalty_multimodal" if name == "entropy_penalty" else name
    for name in _GROUPS["attention_options"]
)
_FRAGMENTS.update(
    {group: "\n    ".join(_FRAGMENTS[name] for name in names) for group, names in _GROUPS.items()}
)


def fill_doc(cls):
    """Replace the ``%(name)s`` markers in ``cls.__doc__`` with the shared fragments."""
    doc = cls.__doc__
    for name, text in _FRAGMENTS.items():
        doc = doc.replace(f"%({name})s", text)
    if "%(" in doc:
        raise ValueError(f"{cls.__name__}'s docstring names an unknown fragment: {doc}")
    cls.__doc__ = doc
    return cls
