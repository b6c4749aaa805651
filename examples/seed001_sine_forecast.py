"""Seed 001, end to end: next-step forecasting of a noisy sine wave.

Reproduces the seed's pipeline with ``AttentionLSTMRegressor`` at its defaults
(only ``random_state`` set) and writes the seed's artefacts under
``outputs/seed001/``:

* ``logs/training_logs.json``      per-epoch losses, metrics, timings
* ``models/best_model.keras``      weights of the epoch with the lowest validation loss
* ``models/final_model.keras``     weights after the last epoch
* ``predictions/dataset_preview.csv`` and ``predictions/val_predictions.csv``
* ``predictions/attention_weights.npy``  attention of every held-out window
* ``plots/training_loss_curve.png``, ``plots/forecast_plot.png``,
  ``plots/attention_sample0.png``

The metrics (MSE, MAE, R², correlation) are measured on the last 20% of the
series, which the model never sees, and compared with the noise floor: no
forecaster can beat an MSE of ``noise ** 2`` on the noisy target.

Run ``python examples/seed001_sine_forecast.py --help`` for options;
``--compare-seed`` also trains seed 001's script, as written (with its two
checkpoints, ``models/seed_script_{best,final}.keras``), on the same data, and
reports ``fit_time_ratio``: our fit time over the script's. ``--estimator
forecaster`` fits ``AttentionLSTMForecaster`` (a linear path beside the
network, early stopping counted in gradient steps) instead of the regressor.
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

SEED_FIGURES = {"mse": 0.0039, "mae": 0.0505, "r2": 0.984, "correlation": 0.992}


def metrics(y_true, y_pred):
    return {
        "mse": float(mean_squared_error(y_true, y_pred)),
        "mae": float(mean_absolute_error(y_true, y_pred)),
        "r2": float(r2_score(y_true, y_pred)),
        "correlation": float(np.corrcoef(y_true, y_pred)[0, 1]),
    }


def fit_seed_script(X_train, y_train, epochs, random_state, models_dir):
    """Seed 001's script as written, in plain Keras, for a like-for-like comparison.

    ExpandDims -> LSTM(64, return_sequences) -> Dense(1) score, softmax over
    time, weighted sum -> Dense(1); Adam (1e-3), MSE, batch 32, early stopping
    with the best weights kept, and the seed's two checkpoints (best and final
    model, written to ``models_dir``) as our fit writes them too.
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
            models_dir / "seed_script_best.keras", monitor="val_loss", save_best_only=True
        ),
        keras.callbacks.ModelCheckpoint(models_dir / "seed_script_final.keras"),
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=2000, help="length of the series")
    parser.add_argument("--noise", type=float, default=0.05, help="noise standard deviation")
    parser.add_argument("--window", type=int, default=50, help="input window (seed: 50)")
    parser.add_argument("--epochs", type=int, default=None, help="override the default epochs")
    parser.add_argument(
        "--estimator",
        choices=("regressor", "forecaster"),
        default="regressor",
        help="AttentionLSTMRegressor (the seed's network) or AttentionLSTMForecaster",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--output-dir", type=Path, default=Path("outputs/seed001"))
    parser.add_argument(
        "--compare-seed", action="store_true", help="also fit seed 001's script as written"
    )
    args = parser.parse_args(argv)

    out = args.output_dir
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
        "seed_reported": SEED_FIGURES,
        "noise_variance": args.noise**2,
        "estimator": type(model).__name__,
        "epochs_trained": len(model.history_["loss"]),
        "patience_used": model.patience_,
        "n_parameters": int(model.model_.count_params()),
    }
    results["attn_sklearn"]["mse_over_noise_floor"] = results["attn_sklearn"]["mse"] / args.noise**2
    if args.compare_seed:
        start = time.perf_counter()
        seed_model = fit_seed_script(
            X_train, y_train, args.epochs or 50, args.random_state, out / "models"
        )
        seed_pred = seed_model.predict(X_val, verbose=0).ravel()
        results["seed_script"] = {
            **metrics(y_val, seed_pred),
            "fit_seconds": time.perf_counter() - start,
            "n_parameters": int(seed_model.count_params()),
        }
        # Time to quality: our fit time over the seed script's, both on this data.
        results["fit_time_ratio"] = (
            results["attn_sklearn"]["fit_seconds"] / results["seed_script"]["fit_seconds"]
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
