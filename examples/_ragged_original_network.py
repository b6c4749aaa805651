"""The original network of ``plot_ragged_classification.py``, rebuilt in plain Keras 3.

A question asked online (an 8-class classifier of variable-length time series
whose author saw no gain from attention) shows this model, in ``tf.keras``::

    Masking(mask_value=0.0, input_shape=(X_train.shape[1], X_train.shape[2]))
    Bidirectional(LSTM(256, dropout=dropout, return_sequences=True))
    Bidirectional(LSTM(256, dropout=dropout, return_sequences=True))
    SeqSelfAttention(attention_type=SeqSelfAttention.ATTENTION_TYPE_MUL,
                     attention_activation='sigmoid')      # from keras-self-attention
    Flatten()
    Dense(num_classes, activation='softmax')

``SeqSelfAttention`` is rewritten below with ``keras.ops``: that package is not a
dependency of this project.

The question shows the layers only. What it leaves out is chosen here
(``ORIGINAL_NETWORK``):

* ``dropout=dropout``, value not shown: 0.2.
* No optimizer, loss, epochs or batch size shown: Keras's default Adam (learning
  rate 1e-3) and batch size (32); sparse categorical cross-entropy (the
  question's softmax output implies categorical cross-entropy; ours takes
  integer labels); and the estimator's own budget and stopping rule: at most
  100 epochs (or ``--epochs``), stopping after 15 epochs without a lower loss
  on a 10% validation split, with the best weights restored.
* Padding: the question masks zeros. Our sequences are padded with
  ``MASK_VALUE``, since zero is a real value once scaled, so that is the value
  masked.
"""

# attn_sklearn before keras: TensorFlow then loads without its start-up log lines.
from attn_sklearn import MASK_VALUE

# isort: split
import keras
from keras import ops

ORIGINAL_NETWORK = {"dropout": 0.2, "batch_size": 32, "max_epochs": 100, "patience": 15}


class SeqSelfAttentionMul(keras.layers.Layer):
    """keras-self-attention's ``SeqSelfAttention``, multiplicative, sigmoid activation.

    As in that package: scores ``e[t, t'] = sigmoid(x_t . W_a x_t' + b_a)``
    (``W_a`` square, Glorot-normal at start; ``b_a`` a scalar, zero at start),
    weights ``a[t] = softmax over t' of e[t]``, and one output per step,
    ``v_t = sum over t' of a[t, t'] x_t'``. The sigmoid bounds every score to
    (0, 1), so no step can get more than e (about 2.7) times the weight of another.

    Masking is where we differ. The package (0.51) only masks pairs of two
    padded steps, so a real step also attends to padding. Here padded steps get
    no attention and output zeros: the ``Flatten -> Dense`` that follows sees
    zeros there, however much padding a sequence has. The mask ends here
    (``Flatten`` would drop it anyway).
    """

    def build(self, input_shape):
        dim = input_shape[-1]
        self.w_a = self.add_weight(shape=(dim, dim), initializer="glorot_normal", name="w_a")
        self.b_a = self.add_weight(shape=(1,), initializer="zeros", name="b_a")

    def call(self, inputs, mask=None):
        scores = ops.matmul(ops.matmul(inputs, self.w_a), ops.transpose(inputs, (0, 2, 1)))
        scores = ops.sigmoid(scores + self.b_a)
        if mask is None:
            return ops.matmul(ops.softmax(scores, axis=-1), inputs)
        scores = ops.where(ops.expand_dims(mask, 1), scores, -1e9)  # no weight on padded steps
        context = ops.matmul(ops.softmax(scores, axis=-1), inputs)
        return context * ops.expand_dims(ops.cast(mask, context.dtype), -1)  # zeros at padding

    def compute_mask(self, inputs, mask=None):
        return None


def fit_original_network(X, y, *, n_classes, units, epochs, random_state):
    """Build the original network, train it as ``ORIGINAL_NETWORK`` says; return it and its history.

    ``X``: float32 array ``(n_sequences, n_steps, n_features)``, padded with
    ``MASK_VALUE`` to a fixed ``n_steps`` (``Flatten`` needs one); ``y``:
    integer labels in ``0 .. n_classes - 1``. ``units`` is the width of each
    LSTM (the question's: 256). The validation split is the last 10% of the rows,
    as in Keras: pass them shuffled.
    """
    keras.utils.set_random_seed(random_state)
    inputs = keras.Input(shape=X.shape[1:])
    x = keras.layers.Masking(mask_value=MASK_VALUE)(inputs)
    for _ in range(2):
        lstm = keras.layers.LSTM(units, dropout=ORIGINAL_NETWORK["dropout"], return_sequences=True)
        x = keras.layers.Bidirectional(lstm)(x)
    x = keras.layers.Flatten()(SeqSelfAttentionMul()(x))
    network = keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x))
    network.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    stop = keras.callbacks.EarlyStopping(
        patience=ORIGINAL_NETWORK["patience"], restore_best_weights=True
    )
    history = network.fit(
        X,
        y,
        epochs=epochs,
        batch_size=ORIGINAL_NETWORK["batch_size"],
        validation_split=0.1,
        callbacks=[stop],
        verbose=0,
    )
    return network, history.history
