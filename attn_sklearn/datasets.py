"""Synthetic data sets with planted structure, for examples and tests.

Nothing is downloaded: every generator is deterministic given
``random_state``.
"""

import numbers

import numpy as np
from sklearn.utils import check_random_state


def _check_positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; received {name}={value!r}.")
    return int(value)


def _check_non_negative_float(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name} must be a finite number >= 0; received {name}={value!r}.")
    return float(value)


def make_sine_wave(n_samples=2000, *, period=50.0, amplitude=1.0, noise=0.05, random_state=None):
    """Generate the noisy sine wave of seed 001.

    ``y[t] = amplitude * sin(2 * pi * t / period + phase) + noise * e[t]`` with
    ``e[t]`` standard normal and ``phase`` drawn uniformly from ``[0, 2 pi)``.
    The best possible next-step forecast has a mean squared error of
    ``noise ** 2`` (the *noise floor*).

    Parameters
    ----------
    n_samples : int, default=2000
        Length of the series.
    period : float, default=50.0
        Period of the sine, in time steps.
    amplitude : float, default=1.0
        Amplitude of the sine.
    noise : float, default=0.05
        Standard deviation of the Gaussian noise added to every step.
    random_state : int, RandomState instance or None, default=None
        Seed for the phase and the noise.

    Returns
    -------
    series : ndarray of shape (n_samples,)
        The noisy series, in time order.

    Examples
    --------
    >>> from attn_sklearn.datasets import make_sine_wave
    >>> series = make_sine_wave(500, random_state=0)
    >>> series.shape
    (500,)
    """
    n_samples = _check_positive_int(n_samples, "n_samples", minimum=2)
    period = _check_non_negative_float(period, "period")
    if period == 0:
        raise ValueError("period must be > 0; received period=0.")
    amplitude = _check_non_negative_float(amplitude, "amplitude")
    noise = _check_non_negative_float(noise, "noise")
    rng = check_random_state(random_state)
    phase = rng.uniform(0.0, 2.0 * np.pi)
    t = np.arange(n_samples, dtype=float)
    clean = amplitude * np.sin(2.0 * np.pi * t / period + phase)
    return clean + noise * rng.standard_normal(n_samples)


# Norm of the class pattern planted at an informative step; the background noise has
# standard deviation ``noise`` (default 1) per feature.
_PLANTED_AMPLITUDE = 3.0


def _class_prototypes(n_classes, n_features):
    """Return well-separated class patterns of norm ``_PLANTED_AMPLITUDE``.

    They depend only on ``(n_classes, n_features)``, not on ``random_state``, so
    separate calls (say, a training and a test set) describe the same task.
    """
    if n_features == 1:
        # Distinct non-zero levels: a zero pattern would plant nothing.
        m = -(-n_classes // 2)
        levels = np.arange(1, m + 1) / m
        points = np.concatenate([levels, -levels[n_classes % 2 :]])[:, np.newaxis]
    else:
        # Greedy farthest-point selection among fixed directions: a decent spherical code.
        candidates = np.random.RandomState(0).standard_normal((2048, n_features))
        candidates /= np.linalg.norm(candidates, axis=1, keepdims=True)
        chosen = [0]
        dist = np.linalg.norm(candidates - candidates[0], axis=1)
        for _ in range(n_classes - 1):
            chosen.append(int(np.argmax(dist)))
            dist = np.minimum(dist, np.linalg.norm(candidates - candidates[chosen[-1]], axis=1))
        points = candidates[chosen]
    return _PLANTED_AMPLITUDE * points


def make_sequence_classification(
    n_samples=400,
    *,
    n_classes=8,
    n_features=3,
    min_length=20,
    max_length=60,
    n_informative_steps=3,
    noise=1.0,
    random_state=None,
):
    """Generate ragged sequences whose class is planted at a few random steps.

    Every step is Gaussian noise (standard deviation ``noise`` per feature).
    At ``n_informative_steps`` random positions of each sequence, the pattern
    of its class (a fixed vector of norm 3, one per class) is added. Nothing
    else depends on the class: lengths are drawn uniformly from
    ``[min_length, max_length]`` independently of it. A model must therefore
    find the planted steps, and its attention can be checked against
    ``informative_steps``.

    Parameters
    ----------
    n_samples : int, default=400
        Number of sequences; at least ``n_classes``.
    n_classes : int, default=8
        Number of classes; at least 2. Classes are balanced to within one sequence.
    n_features : int, default=3
        Number of features per step.
    min_length : int, default=20
        Shortest possible sequence; at least ``n_informative_steps``.
    max_length : int, default=60
        Longest possible sequence; at least ``min_length``.
    n_informative_steps : int, default=3
        Number of planted steps per sequence.
    noise : float, default=1.0
        Standard deviation of the background noise.
    random_state : int, RandomState instance or None, default=None
        Seed for lengths, labels, planted positions and noise. The class
        patterns themselves do not depend on it.

    Returns
    -------
    X : list of n_samples ndarrays of shape (n_timesteps_i, n_features)
        The sequences (float64), ragged; pad them with ``SequencePadder``.
    y : ndarray of shape (n_samples,)
        Integer class labels in ``0 .. n_classes - 1``.
    informative_steps : list of n_samples ndarrays of shape (n_informative_steps,)
        Sorted positions of the planted steps within each sequence.

    Examples
    --------
    >>> from attn_sklearn.datasets import make_sequence_classification
    >>> X, y, steps = make_sequence_classification(100, random_state=0)
    >>> len(X), X[0].shape[1], y.shape, steps[0].shape
    (100, 3, (100,), (3,))
    >>> all(20 <= len(x) <= 60 for x in X)
    True
    """
    n_samples = _check_positive_int(n_samples, "n_samples")
    n_classes = _check_positive_int(n_classes, "n_classes", minimum=2)
    n_features = _check_positive_int(n_features, "n_features")
    min_length = _check_positive_int(min_length, "min_length")
    max_length = _check_positive_int(max_length, "max_length")
    n_informative_steps = _check_positive_int(n_informative_steps, "n_informative_steps")
    noise = _check_non_negative_float(noise, "noise")
    if n_samples < n_classes:
        raise ValueError(
            "n_samples must be >= n_classes so that every class appears; received "
            f"n_samples={n_samples}, n_classes={n_classes}."
        )
    if max_length < min_length:
        raise ValueError(
            f"max_length must be >= min_length; received min_length={min_length}, "
            f"max_length={max_length}."
        )
    if n_informative_steps > min_length:
        raise ValueError(
            "n_informative_steps must be <= min_length so that every sequence has room for its "
            f"planted steps; received n_informative_steps={n_informative_steps}, "
            f"min_length={min_length}."
        )
    rng = check_random_state(random_state)

    prototypes = _class_prototypes(n_classes, n_features)
    y = rng.permutation(np.resize(np.arange(n_classes, dtype=np.int64), n_samples))
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    X, informative_steps = [], []
    for label, length in zip(y, lengths, strict=True):
        steps = np.sort(rng.choice(length, size=n_informative_steps, replace=False))
        x = noise * rng.standard_normal((length, n_features))
        x[steps] += prototypes[label]
        X.append(x)
        informative_steps.append(steps.astype(np.intp))
    return X, y, informative_steps
