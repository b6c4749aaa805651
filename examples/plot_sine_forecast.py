"""
Next-step forecasting of a noisy sine wave
==========================================

This example reproduces a published attention-LSTM forecasting script, written
in plain Keras, that predicts the next value of a generated noisy sine wave: a
window of 50 values -> ``LSTM(64, return_sequences=True)`` -> attention (a
``Dense(1)`` score per step, softmax over time, weighted sum of the LSTM
states) -> ``Dense(1)``; 17,026 parameters, trained with Adam and the mean
squared error for up to 50 epochs, batch 32, with early stopping and a
checkpoint of the best model. Its write-up reports, on its own validation
data, an MSE of 0.0039, MAE 0.0505, R² 0.984 and a correlation of 0.992
between forecast and actual values.

Here ``AttentionLSTMRegressor`` at its defaults (only ``random_state`` set)
runs the same pipeline and writes the same artefacts as that script, under
``outputs/sine_forecast/`` (``--out-dir``):

* ``logs/training_logs.json``: per-epoch losses, metrics, timings
* ``models/best_model.keras``: weights of the epoch with the lowest validation loss
* ``models/final_model.keras``: weights after the last epoch
* ``predictions/dataset_preview.csv`` and ``predictions/val_predictions.csv``
* ``predictions/attention_weights.npy``: attention of every held-out window
* ``plots/training_loss_curve.png``, ``plots/forecast_plot.png``,
  ``plots/attention_sample0.png``

The metrics (MSE, MAE, R², correlation) are measured on the last 20% of the
series, which the model never sees, and compared with the noise floor: no
forecaster can beat an MSE of ``noise ** 2`` (0.0025 at the default noise of
0.05) on the noisy target.

``--compare-original`` also trains the original script, rebuilt as written
(window of 50 -> ``LSTM(64)`` -> attention -> ``Dense(1)``; Adam with learning
rate 1e-3, up to 50 epochs, batch 32, early stopping with patience 5, a value
its write-up does not give; and its two checkpoints, written to
``models/original_best.keras`` and ``models/original_final.keras``), on the
same data, and reports ``fit_time_ratio``: our fit time over the original's.
Measured on 2026-12-02 at the default settings with ``random_state`` 0 and 1,
the original script's held-out MSE was 2.13 and 1.39 times the noise floor
(about 0.0053 and 0.0035, beside the 0.0039 its write-up reports on its own
data), ours 1.08 and 1.23 times (about 0.0027 and 0.0031), in 3.3 and 2.4
times the original's fit time.

``--estimator forecaster`` fits ``AttentionLSTMForecaster`` (a linear path
beside the network, early stopping counted in gradient steps) instead of the
regressor; it reached 1.02 and 1.09 times the floor, in 0.92 and 0.75 times
the original's fit time (more runs and settings in "Choosing settings",
``docs/choosing_settings.md``).

Run ``python examples/plot_sine_forecast.py --help`` for options; ``--quick``
(300 values, windows of 10, 2 epochs) runs in seconds.
"""

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: files only

# attn_sklearn before keras: TensorFlow then loads without its start-up log lines.
import attn_sklearn  # noqa: F401

# isort: split
import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from attn_sklearn import AttentionLSTMForecaster, AttentionLSTMRegressor, frame_supervised
from attn_sklearn.datasets import make_sine_wave
from attn_sklearn.plotting import plot_attention, plot_history

# What the original script's write-up reports, on its own validation data.
ORIGINAL_FIGURES = {"mse": 0.0039, "mae": 0.0505, "r2": 0.984, "correlation": 0.992}
# --quick: a seconds-long smoke run (options given with it still win).
QUICK = {"n_samples": 300, "window": 10, "epochs": 2}


def metrics(y_true, y_pred):
    return {
        "mse": float(mean_squared_error(y_true, y_pred)),
        "mae": float(mean_absolute_error(y_true, y_pred)),
        "r2": float(r2_score(y_true, y_pred)),
        "correlation": float(np.corrcoef(y_true, y_pred)[0, 1]),
    }


def fit_original_script(X_train, y_train, epochs, random_state, models_dir):
    """The original script as written, in plain Keras, for a like-for-like comparison.

    ExpandDims -> LSTM(64, return_sequences) -> Dense(1) score, softmax over
    time, weighted sum -> Dense(1); Adam (1e-3), MSE, batch 32, early stopping
    with the best weights kept, and the original's two checkpoints (best and
    final model, written to ``models_dir``) as our fit writes them too.
    """
    keras.utils.set_random_seed(random_state)
    inputs = keras.Input(shape=(X_train.shape[1],))
    hidden = keras.layers.LSTM(64, return_sequences=True)(keras.layers.Reshape((-1, 1))(inputs))
    scores = keras.layers.Softmax(axis=1)(keras.layers.Dense(1)(hidden))
    context = keras.layers.Dot(axes=1)([scores, hidden])
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(context))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    callbacks = [
        keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(
            models_dir / "original_best.keras", monitor="val_loss", save_best_only=True
        ),
        keras.callbacks.ModelCheckpoint(models_dir / "original_final.keras"),
    ]
    model.fit(
        X_train,
        y_train,
        epochs=epochs,
        batch_size=32,
        validation_split=0.1,
        callbacks=callbacks,
        verbose=0,
    )
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().partition("\n")[0])
    parser.add_argument("--n-samples", type=int, default=2000, help="length of the series")
    parser.add_argument("--noise", type=float, default=0.05, help="noise standard deviation")
    parser.add_argument("--window", type=int, default=50, help="input window (the original: 50)")
    parser.add_argument("--epochs", type=int, default=None, help="override the default epochs")
    parser.add_argument(
        "--estimator",
        choices=("regressor", "forecaster"),
        default="regressor",
        help="AttentionLSTMRegressor (the original's network) or AttentionLSTMForecaster",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=Path("outputs/sine_forecast"))
    parser.add_argument(
        "--compare-original", action="store_true", help="also fit the original script as written"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny settings, a seconds-long run: --n-samples 300 --window 10 --epochs 2",
    )
    args = parser.parse_args(argv)
    if args.quick:  # options given explicitly still win over the quick settings
        parser.set_defaults(**QUICK)
        args = parser.parse_args(argv)

    out = args.out_dir
    for sub in ("logs", "models", "predictions", "plots"):
        (out / sub).mkdir(parents=True, exist_ok=True)

    series = make_sine_wave(args.n_samples, noise=args.noise, random_state=args.random_state)
    X, y = frame_supervised(series, window=args.window)
    cut = int(0.8 * len(X))  # time-ordered split: the held-out tail is the future
    X_train, y_train, X_val, y_val = X[:cut], y[:cut], X[cut:], y[cut:]
    pd.DataFrame({"y": y[:20]}).to_csv(out / "predictions" / "dataset_preview.csv", index=False)

    overrides = {} if args.epochs is None else {"epochs": args.epochs}
    best_path = out / "models" / "best_model.keras"
    final_path = out / "models" / "final_model.keras"
    callbacks = [
        keras.callbacks.ModelCheckpoint(best_path, monitor="val_loss", save_best_only=True),
        keras.callbacks.ModelCheckpoint(final_path, save_best_only=False),
    ]
    estimators = {"regressor": AttentionLSTMRegressor, "forecaster": AttentionLSTMForecaster}
    model = estimators[args.estimator](
        random_state=args.random_state, callbacks=callbacks, **overrides
    )
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start

    y_pred = model.predict(X_val)
    attention = model.explain(X_val)
    results = {
        "attn_sklearn": {**metrics(y_val, y_pred), "fit_seconds": fit_seconds},
        "original_reported": ORIGINAL_FIGURES,
        "noise_variance": args.noise**2,
        "estimator": type(model).__name__,
        "epochs_trained": len(model.history_["loss"]),
        "patience_used": model.patience_,
        "n_parameters": int(model.model_.count_params()),
    }
    results["attn_sklearn"]["mse_over_noise_floor"] = results["attn_sklearn"]["mse"] / args.noise**2
    if args.compare_original:
        start = time.perf_counter()
        original = fit_original_script(
            X_train, y_train, args.epochs or 50, args.random_state, out / "models"
        )
        original_pred = original.predict(X_val, verbose=0).ravel()
        results["original_script"] = {
            **metrics(y_val, original_pred),
            "fit_seconds": time.perf_counter() - start,
            "n_parameters": int(original.count_params()),
        }
        # Time to quality: our fit time over the original script's, both on this data.
        results["fit_time_ratio"] = (
            results["attn_sklearn"]["fit_seconds"] / results["original_script"]["fit_seconds"]
        )

    np.save(out / "predictions" / "attention_weights.npy", attention)
    pd.DataFrame({"actual": y_val, "predicted": y_pred}).to_csv(
        out / "predictions" / "val_predictions.csv", index_label="index"
    )
    with open(out / "logs" / "training_logs.json", "w") as f:
        json.dump({"history": model.history_, "results": results}, f, indent=2)

    plot_history(model).figure.savefig(out / "plots" / "training_loss_curve.png", dpi=100)
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(y_val, label="actual", alpha=0.7)
    ax.plot(y_pred, label="predicted")
    ax.set_title("Held-out forecast, one step ahead")
    ax.set_xlabel("time step (held-out part of the series)")
    ax.set_ylabel("value")
    ax.legend()
    fig.savefig(out / "plots" / "forecast_plot.png", dpi=100)
    plot_attention(model, X_val, sample=0).figure.savefig(
        out / "plots" / "attention_sample0.png", dpi=100
    )
    plt.close("all")

    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
