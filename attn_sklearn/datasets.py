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
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
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
