"""Synthetic data sets with planted structure, for examples and tests, and a real one.

Nothing is downloaded: every generator is deterministic given
``random_state``; ``make_retail_sales`` simulates daily retail sales with known
promotion, holiday and price effects. ``load_jena_climate(path)`` loads the Jena climate
recordings (2009-2016, a real multivariate weather series) from the CSV file
you downloaded yourself.
"""

import numbers

import numpy as np
from sklearn.utils import check_random_state

from ._jena import load_jena_climate
from ._masking import MASK_VALUE
from ._retail import make_retail_sales
from ._validation import check_int

__all__ = [
    "load_jena_climate",
    "make_multimodal_sequences",
    "make_retail_sales",
    "make_sequence_classification",
    "make_sine_wave",
]


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
    """Generate a noisy sine wave, the classic next-step forecasting benchmark.

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
    n_samples = check_int(n_samples, "n_samples", minimum=2)
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
    n_samples = check_int(n_samples, "n_samples")
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    n_features = check_int(n_features, "n_features")
    min_length = check_int(min_length, "min_length")
    max_length = check_int(max_length, "max_length")
    n_informative_steps = check_int(n_informative_steps, "n_informative_steps")
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


# Peak value of the bar planted in an image (the background noise has std ``noise``).
_BAR_HEIGHT = 2.0


def _bar_patterns(n_classes, height, width, channels):
    """One bar per class through the image centre, orientations evenly spaced over 180 degrees.

    Returns an array of shape (n_classes, height + 2, width + 2, channels): one pixel
    wider than a frame on each side, so a frame can take a randomly shifted crop.
    """
    rows, cols = np.mgrid[-1 : height + 1, -1 : width + 1]
    rows = rows - (height - 1) / 2.0
    cols = cols - (width - 1) / 2.0
    width_px = max(0.6, min(height, width) / 10.0)
    bars = []
    for angle in np.pi * np.arange(n_classes) / n_classes:
        distance = np.abs(rows * np.cos(angle) - cols * np.sin(angle))
        bars.append(_BAR_HEIGHT * np.exp(-(distance**2) / (2.0 * width_px**2)))
    return np.repeat(np.stack(bars)[..., np.newaxis], channels, axis=-1)


def make_multimodal_sequences(
    n_samples=400,
    *,
    n_classes=2,
    n_timesteps=12,
    image_shape=(8, 8, 1),
    hours=4,
    w_features=3,
    n_planted_steps=2,
    min_length=None,
    noise=0.5,
    random_state=None,
):
    """Generate image sequences and temporal features whose label needs both.

    Each sample has two time-aligned modalities: ``"images"`` of shape
    ``(n_timesteps, H, W, C)`` and ``"extra"`` of shape ``(n_timesteps, hours,
    w_features)``. Every value is Gaussian noise (standard deviation ``noise``) except at
    ``n_planted_steps`` random steps of each sample, where

    * the image holds a bright bar through its centre (height 2, the same in
      every channel, shifted at random by up to one pixel each way) at one of
      ``n_classes`` orientations ``a``, and
    * the extra features hold one of ``n_classes`` fixed patterns ``b`` (a
      vector of norm 3 over the ``hours * w_features`` values).

    The label is ``y = (a + b) mod n_classes`` (the XOR of the two for two
    classes). ``a`` and ``b`` are each uniform and independent of ``y``, so a
    model that sees only one modality cannot beat chance: it must find the
    planted steps and combine both modalities there.

    Parameters
    ----------
    n_samples : int, default=400
        Number of sequences; at least ``n_classes``.
    n_classes : int, default=2
        Number of classes; at least 2 (2 makes the label the XOR of the two
        modalities' patterns). Classes are balanced to within one sample.
    n_timesteps : int, default=12
        Time steps per sequence (padded length when ``min_length`` is set).
    image_shape : tuple of 3 int, default=(8, 8, 1)
        ``(H, W, C)`` of each frame.
    hours : int, default=4
        Rows of the extra features per step.
    w_features : int, default=3
        Columns of the extra features per step.
    n_planted_steps : int, default=2
        Steps per sequence that carry the signal; at most ``min_length``.
    min_length : int, default=None
        When set, the real length of each sequence is drawn uniformly from
        ``[min_length, n_timesteps]`` and the trailing steps are padding:
        :data:`~attn_sklearn.MASK_VALUE` in both modalities. ``None`` gives
        every sequence ``n_timesteps`` real steps.
    noise : float, default=0.5
        Standard deviation of the background noise.
    random_state : int, RandomState instance or None, default=None
        Seed for labels, planted steps, shifts, lengths and noise. The bar
        orientations and the extra patterns depend only on the shapes and
        ``n_classes``, so separate calls describe the same task.

    Returns
    -------
    X : dict of str to ndarray
        ``"images"`` of shape (n_samples, n_timesteps, H, W, C) and
        ``"extra"`` of shape (n_samples, n_timesteps, hours, w_features),
        float64. Pack them with ``attn_sklearn.pack_modalities(**X)`` for
        scikit-learn's model selection tools.
    y : ndarray of shape (n_samples,)
        Integer class labels in ``0 .. n_classes - 1``.
    planted_steps : ndarray of shape (n_samples, n_planted_steps)
        Sorted positions of the planted steps of each sequence.

    Examples
    --------
    >>> from attn_sklearn.datasets import make_multimodal_sequences
    >>> X, y, planted = make_multimodal_sequences(100, random_state=0)
    >>> X["images"].shape, X["extra"].shape, y.shape, planted.shape
    ((100, 12, 8, 8, 1), (100, 12, 4, 3), (100,), (100, 2))
    >>> sorted(set(y.tolist()))
    [0, 1]
    """
    n_samples = check_int(n_samples, "n_samples")
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    n_timesteps = check_int(n_timesteps, "n_timesteps")
    if not isinstance(image_shape, tuple | list) or len(image_shape) != 3:
        raise ValueError(
            f"image_shape must be a tuple (H, W, C) of 3 integers; received {image_shape!r}."
        )
    height, width, channels = (
        check_int(d, f"image_shape[{i}]") for i, d in enumerate(image_shape)
    )
    hours = check_int(hours, "hours")
    w_features = check_int(w_features, "w_features")
    n_planted_steps = check_int(n_planted_steps, "n_planted_steps")
    min_length = (
        n_timesteps if min_length is None else check_int(min_length, "min_length")
    )
    noise = _check_non_negative_float(noise, "noise")
    if n_samples < n_classes:
        raise ValueError(
            "n_samples must be >= n_classes so that every class appears; received "
            f"n_samples={n_samples}, n_classes={n_classes}."
        )
    if min_length > n_timesteps:
        raise ValueError(
            f"min_length must be <= n_timesteps; received min_length={min_length}, "
            f"n_timesteps={n_timesteps}."
        )
    if n_planted_steps > min_length:
        raise ValueError(
            "n_planted_steps must be <= min_length (or n_timesteps) so that every sequence has "
            f"room for its planted steps; received n_planted_steps={n_planted_steps}, "
            f"min_length={min_length}."
        )
    rng = check_random_state(random_state)

    # Fixed class patterns: oriented bars, and well-separated vectors for the extra input.
    bars = _bar_patterns(n_classes, height, width, channels)
    patterns = _class_prototypes(n_classes, hours * w_features).reshape(-1, hours, w_features)

    y = rng.permutation(np.resize(np.arange(n_classes, dtype=np.int64), n_samples))
    image_code = rng.randint(n_classes, size=n_samples)
    extra_code = (y - image_code) % n_classes
    lengths = rng.randint(min_length, n_timesteps + 1, size=n_samples)
    images = noise * rng.standard_normal((n_samples, n_timesteps, height, width, channels))
    extra = noise * rng.standard_normal((n_samples, n_timesteps, hours, w_features))
    planted_steps = np.empty((n_samples, n_planted_steps), dtype=np.intp)
    for i in range(n_samples):
        steps = np.sort(rng.choice(lengths[i], size=n_planted_steps, replace=False))
        for step, (dr, dc) in zip(steps, rng.randint(3, size=(n_planted_steps, 2)), strict=True):
            images[i, step] += bars[image_code[i], dr : dr + height, dc : dc + width]
        extra[i, steps] += patterns[extra_code[i]]
        images[i, lengths[i] :] = MASK_VALUE
        extra[i, lengths[i] :] = MASK_VALUE
        planted_steps[i] = steps
    return {"images": images, "extra": extra}, y, planted_steps
