"""Docstring fragments shared by the estimators, so each parameter is documented once."""

_FRAGMENTS = {
    "network_parameters": """units : int, default=64
        LSTM units per layer (and direction).
    n_layers : int, default=1
        Number of stacked LSTM layers.
    bidirectional : bool, default=False
        Read sequences in both directions.
    dropout : float, default=0.0
        Dropout rate on the inputs of every LSTM layer.
    attention : {"additive", "multiplicative", "linear", "self", "multihead", "none"}, \
default="additive"
        The attention after the LSTM stack. Pooling types score each step and
        pool with a softmax over the real steps: ``"additive"`` (Bahdanau,
        seed 003) ``v . tanh(W h_t + b)``; ``"multiplicative"`` (Luong)
        ``h_t . W q / sqrt(d)`` with the last real step as query;
        ``"linear"`` (seed 001) ``w . h_t + b``. ``"self"`` and ``"multihead"``
        put a masked self-attention block before additive pooling. ``"none"``
        uses the last LSTM state (an ablation without attention).
    n_heads : int, default=4
        Heads of ``attention="multihead"``.
    key_dim : int, default=None
        Query/key/value size per head for ``"multihead"``; ``None`` uses
        the LSTM output width divided by ``n_heads``.
    self_attention_score : {"multiplicative", "additive"}, default="multiplicative"
        Score of ``attention="self"``.
    attention_width : int, default=None
        Local self-attention: each step attends only to steps at most
        ``attention_width // 2`` away (the last ``attention_width`` steps when
        ``causal``). ``None`` attends to the whole sequence.
    causal : bool, default=False
        Self-attention sees only the current and earlier steps (history only).
    residual : bool, default=False
        Add the self-attention output to its input (seed 002's residual
        variant). Only used with ``"self"`` and ``"multihead"``.
    layer_norm : bool, default=False
        Layer-normalise the sequence before pooling.""",
    "training_parameters": """learning_rate : float, default=3e-3
        Adam learning rate.
    epochs : int, default=100
        Maximum number of passes over the training data.
    batch_size : int, default=32
        Mini-batch size.""",
    "patience": """patience : int or None, default=15
        Epochs without improvement of the monitored loss before training stops
        and the best weights are restored; the learning rate is halved after
        ``patience // 3`` such epochs. ``None`` trains for all ``epochs`` at a
        constant learning rate.""",
    "runtime_parameters": """callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training (checkpoints, TensorBoard, ...).
        They are not saved by :meth:`save`.
    random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, dropout, shuffling and the validation
        split. With an int, ``fit`` is reproducible on CPU and leaves NumPy's,
        Python's and TensorFlow's global random state untouched; ``None``
        draws the seed from NumPy's global generator.
    verbose : int, default=0
        Keras' training verbosity.""",
}


def fill_doc(cls):
    """Replace ``%(name)s`` markers in ``cls.__doc__`` with the shared fragments."""
    doc = cls.__doc__
    for name, text in _FRAGMENTS.items():
        doc = doc.replace(f"%({name})s", text)
    cls.__doc__ = doc
    return cls
