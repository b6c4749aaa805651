"""How a fit trains: rows held out, patience, callbacks (user's, halving, early stopping)."""

import math

import keras

# patience="auto": wait about this many gradient steps without improvement, counted in
# whole epochs between these bounds. Small data (up to 24 batches an epoch) keep 15
# epochs; larger data wait fewer epochs, each of many more steps.
AUTO_PATIENCE_STEPS = 350
AUTO_PATIENCE_EPOCHS = (5, 15)


def resolve_patience(patience, n_train, batch_size):
    """The patience, in epochs, that a fit on ``n_train`` rows uses ("auto" decided).

    ``"auto"`` counts about ``AUTO_PATIENCE_STEPS`` gradient steps: 15 epochs on
    up to 24 batches an epoch (768 rows at batch 32), fewer on more, at least 5.

    Examples
    --------
    >>> [resolve_patience("auto", n, 32) for n in (36, 768, 1404, 100_000)]
    [15, 15, 8, 5]
    >>> resolve_patience(10, 100_000, 32), resolve_patience(None, 36, 32)
    (10, None)
    """
    if patience != "auto":
        return None if patience is None else int(patience)
    steps_per_epoch = max(1, math.ceil(n_train / batch_size))
    low, high = AUTO_PATIENCE_EPOCHS
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
