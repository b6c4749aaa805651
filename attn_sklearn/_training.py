"""The callbacks of a fit: the user's, then learning-rate halving and early stopping."""

import keras


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
