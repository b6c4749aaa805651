"""How a fit trains: rows held out, patience, callbacks, and the pooled normalisation after it."""

import math

import keras
import numpy as np
import tensorflow as tf

from ._architectures import POOLED_NORM_LAYER_NAME
from ._network_parts import has_pooled_norm

# patience="auto": wait about this many gradient steps without improvement, counted in
# whole epochs between an estimator's bounds. Small data (up to 24 batches an epoch)
# keep the upper bound; larger data wait fewer epochs, each of many more steps.
AUTO_PATIENCE_STEPS = 350
AUTO_PATIENCE_EPOCHS = (5, 15)


def resolve_patience(patience, n_train, batch_size, bounds=None):
    """The patience, in epochs, that a fit on ``n_train`` rows uses ("auto" decided).

    ``"auto"`` counts about ``AUTO_PATIENCE_STEPS`` gradient steps, in whole
    epochs between ``bounds`` (low, high; ``None``: ``AUTO_PATIENCE_EPOCHS``): 15 epochs on
    up to 24 batches an epoch (768 rows at batch 32), fewer on more, at least 5.

    Examples
    --------
    >>> [resolve_patience("auto", n, 32) for n in (36, 768, 1404, 100_000)]
    [15, 15, 8, 5]
    >>> [resolve_patience("auto", n, 32, bounds=(5, 45)) for n in (36, 200, 768, 100_000)]
    [45, 45, 15, 5]
    >>> resolve_patience(10, 100_000, 32), resolve_patience(None, 36, 32)
    (10, None)
    """
    if patience != "auto":
        return None if patience is None else int(patience)
    steps_per_epoch = max(1, math.ceil(n_train / batch_size))
    low, high = bounds or AUTO_PATIENCE_EPOCHS
    return min(high, max(low, math.ceil(AUTO_PATIENCE_STEPS / steps_per_epoch)))


def n_held_out(fraction, n_rows):
    """Rows held out for early stopping: none when too few remain to train on."""
    n_val = int(fraction * n_rows)
    return n_val if 0 < n_val < n_rows else 0


def training_callbacks(callbacks, *, patience, learning_rate, monitor):
    """Keras callbacks for one fit, the user's ``callbacks`` first.

    With ``patience`` (not None), the learning rate is halved after ``patience // 3``
    epochs without improvement of ``monitor``, and training stops after ``patience``
    epochs without improvement, restoring the best weights. Early stopping only
    watches from epoch ``patience`` on, so the weights it restores are never
    those of the first ``patience`` epochs.
    """
    callbacks = list(callbacks or [])
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(
                "callbacks must be a list of keras.callbacks.Callback instances; received "
                f"callbacks[{i}] of type {type(callback).__name__}."
            )
    if patience is None:
        return callbacks
    return [
        *callbacks,
        # Halving the step size on plateaus lets Adam settle into the minimum
        # instead of rattling around it; stopping waits for that to pay off.
        keras.callbacks.ReduceLROnPlateau(
            monitor=monitor,
            factor=0.5,
            patience=max(1, int(patience) // 3),
            min_lr=learning_rate / 64,
        ),
        # A hold-out of a few rows can score the untrained first epoch best and
        # stop there (best epochs 1-5 on 4 of the 7 small benchmark sets); watching from
        # epoch `patience` on gives every fit that long to leave its start.
        keras.callbacks.EarlyStopping(
            monitor=monitor,
            patience=int(patience),
            start_from_epoch=int(patience),
            restore_best_weights=True,
        ),
    ]


# The pooled batch normalisation's inference statistics come from at most this many rows.
PRECISE_NORM_ROWS = 10_000


def refresh_pooled_norm(model, gather_x, rows, chunk=256):
    """Give a pooled batch normalisation the exact mean and variance of the training rows.

    Networks without one (``batch_norm=False``) are left as they are.

    Training leaves it with running averages of batch statistics, which trail
    the weights: on a few batches an epoch they still mix in early epochs'
    statistics, and early stopping restores an epoch's weights together with
    that epoch's averages. One pass of the final network over the training rows
    (an evenly spaced ``PRECISE_NORM_ROWS`` of them at most) replaces them with
    the statistics the restored weights give; ``gather_x`` is the fit's
    :func:`~attn_sklearn._batches.row_gatherer`.
    """
    if not has_pooled_norm(model):
        return
    layer = model.get_layer(POOLED_NORM_LAYER_NAME)
    pooled = keras.Model(model.input, layer.input)
    if len(rows) > PRECISE_NORM_ROWS:
        rows = rows[np.linspace(0, len(rows) - 1, PRECISE_NORM_ROWS).astype(int)]
    parts = [
        np.asarray(pooled(gather_x(tf.constant(part, tf.int64)), training=False), np.float64)
        for part in np.array_split(rows, max(1, -(-len(rows) // chunk)))
    ]
    vectors = np.concatenate(parts)
    layer.moving_mean.assign(vectors.mean(axis=0))
    layer.moving_variance.assign(vectors.var(axis=0))
