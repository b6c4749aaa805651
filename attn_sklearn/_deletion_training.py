"""Training that ties a classifier's answer to the steps its attention pools.

A softmax can tell one class by the *absence* of the others' evidence, and
its attention then points at nothing in particular for that class. The
deletion penalty takes that shortcut away during training: with the attended
steps blended away the prediction must become uncertain, while the same
blend on other steps must leave it right (so that "something was hidden" is
no cue). The network itself is unchanged: only its training adds the two terms.
"""

import math

import keras
import tensorflow as tf
from keras import ops

from ._architectures import POOLING_LAYER_NAME
from ._layers_scaling import real_flags

# deletion_penalty="auto": this weight where the attention scores each step's own input.
AUTO_DELETION_PENALTY = 1.0

# Where deletion_trainer keeps a network's trainer between fits.
_TRAINER_ATTRIBUTE = "_attn_sklearn_deletion_trainer"

_LOSSES = {
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
}


def resolve_deletion_penalty(deletion_penalty, score_from, patch_size, attention):
    """``deletion_penalty`` with ``"auto"`` decided: on for step-local scores, else off.

    ``score_from`` is the fitted one (``"inputs"`` or ``"states"``). Measured
    on 2026-12-02 (seeds 0, 1 and 2; see Choosing settings): on a planted
    4-class task with three features, the top-attended step became the
    deciding one for 99.5 % of held-out sequences on every seed (before: 99 /
    98.5 / 74 %), and BasicMotions and JapaneseVowels kept their mean accuracy
    (0.971); on a univariate planted task with ``score_from="inputs"``, 100 /
    100 / 100 % (the univariate default, state scores without it: 45.5 / 55.5
    / 99.5 %). With state scores it made the univariate attention less
    faithful (22-69 %): a state carries earlier steps, so hiding the input
    under the top weight need not hide what the state holds. Patches change
    which input steps a weight covers, so ``patch_size`` above 1 keeps it off
    too, and ``attention="none"`` has no weights to train.

    Examples
    --------
    >>> from attn_sklearn._deletion_training import resolve_deletion_penalty
    >>> [resolve_deletion_penalty("auto", s, 1, "additive") for s in ("inputs", "states")]
    [1.0, 0.0]
    >>> resolve_deletion_penalty("auto", "inputs", 4, "additive")  # patches
    0.0
    >>> resolve_deletion_penalty(0.5, "states", 1, "self")
    0.5
    """
    if deletion_penalty != "auto":
        return float(deletion_penalty)
    applies = score_from == "inputs" and int(patch_size) == 1 and attention != "none"
    return AUTO_DELETION_PENALTY if applies else 0.0


def _uncertainty_loss(y_pred, softmax):
    """How far predictions are from knowing nothing (0 at the uniform prediction).

    A softmax is compared with the uniform distribution; sigmoid outputs with
    ``1 / n_outputs`` each (one sigmoid for two classes: 0.5), the prior of a
    class under uniform ignorance.
    """
    n_outputs = y_pred.shape[-1]
    y_pred = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
    if softmax:
        return -ops.mean(ops.log(y_pred), axis=-1) - math.log(n_outputs)
    prior = 0.5 if n_outputs == 1 else 1.0 / n_outputs
    floor = -(prior * math.log(prior) + (1.0 - prior) * math.log(1.0 - prior))
    cross = -(prior * ops.log(y_pred) + (1.0 - prior) * ops.log(1.0 - y_pred))
    return ops.mean(cross, axis=-1) - floor


def _blend(x, real, weights):
    """Each real step of ``x`` moved towards 0 by its weight (0: unchanged, 1: zeroed).

    ``real`` is :func:`real_flags` of ``x``: padded steps keep their marker.
    """
    return x * (1.0 - real * weights[..., None])


class DeletionTrainer(keras.Model):
    """Trains ``network`` (a compiled attention classifier) with the deletion penalty.

    Every training step runs the network three times: on the batch (the
    usual loss); on the batch with each step blended towards 0 by its
    attention weight relative to the row's largest (``x * (1 - w / max w)``,
    so the top-attended step is removed), with ``penalty`` times the distance
    of that prediction from the uniform one; and on the batch with the same
    blend rolled to random other steps, with ``penalty`` times the usual
    loss. Gradients reach the attention through the blend, so it moves to the
    steps whose removal takes the answer away. Padded steps are never
    changed. Validation and the reported ``loss`` are the usual loss alone.

    The trainer shares the network's variables and optimizer; fitting it
    trains the network, which is what the estimator keeps.
    """

    def __init__(self, network, *, penalty, loss, seed):
        super().__init__(name="deletion_trainer")
        self.network = network
        self.penalty = float(penalty)
        self.loss_name = loss
        self._softmax = loss == "sparse_categorical_crossentropy"
        self._loss = _LOSSES[loss]()
        pooling = network.get_layer(POOLING_LAYER_NAME)
        self._with_weights = keras.Model(network.inputs, [network.outputs[0], pooling.output[1]])
        self._seeds = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        real = real_flags(x)
        n_steps = ops.shape(x)[1]
        # A different shift per row; 0 only when a row has a single step.
        shifts = keras.random.randint(
            (ops.shape(x)[0], 1), 1, ops.maximum(n_steps, 2), seed=self._seeds
        )
        rolled = ops.mod(ops.arange(n_steps)[None, :] + shifts, n_steps)
        with tf.GradientTape() as tape:
            y_pred, weights = self._with_weights(x, training=True)
            # First, while the layers hold this pass's own losses (an entropy penalty).
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
            relative = weights / (ops.max(weights, axis=1, keepdims=True) + 1e-9)
            hidden = self.network(_blend(x, real, relative), training=True)
            uncertain = _uncertainty_loss(hidden, self._softmax)
            if sample_weight is not None:
                uncertain = uncertain * ops.reshape(sample_weight, ops.shape(uncertain))
            elsewhere = ops.stop_gradient(ops.take_along_axis(relative, rolled, axis=1))
            control = self.network(_blend(x, real, elsewhere), training=True)
            total = loss + self.penalty * (
                ops.mean(uncertain) + self._loss(y, control, sample_weight=sample_weight)
            )
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(total, variables), variables, strict=True))
        # Keras' own train_step feeds the epoch's mean "loss" through this tracker.
        self._loss_tracker.update_state(loss, sample_weight=ops.shape(x)[0])
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def deletion_trainer(classifier):
    """What a classifier's fit trains: its network, or a :class:`DeletionTrainer` of it."""
    penalty = classifier.deletion_penalty_
    if not penalty:
        return classifier.model_
    if classifier.attention == "none":
        raise ValueError(
            "deletion_penalty needs attention weights to train; received "
            f"deletion_penalty={classifier.deletion_penalty!r} with attention='none'."
        )
    loss = classifier._output_head()["loss"]
    network = classifier.model_
    trainer = getattr(network, _TRAINER_ATTRIBUTE, None)
    if trainer is not None and (trainer.penalty, trainer.loss_name) == (penalty, loss):
        return trainer
    trainer = DeletionTrainer(network, penalty=penalty, loss=loss, seed=classifier._seed)
    # The network's own optimizer: its state carries over between partial_fit calls.
    trainer.compile(optimizer=network.optimizer, loss=loss)
    # Kept on the network, past Keras' layer tracking (so never saved), for the next
    # partial_fit: a new trainer would trace its train_step again on every call.
    object.__setattr__(network, _TRAINER_ATTRIBUTE, trainer)
    return trainer
