"""Shared fixtures: tiny data and fast settings keep the suite quick on 2 cores."""

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# Small networks and few epochs: tests check behaviour, not accuracy.
FAST = {"units": 4, "epochs": 2, "batch_size": 16, "random_state": 0}


@pytest.fixture
def fast_params():
    return dict(FAST)


@pytest.fixture
def regression_data():
    """Univariate sequences whose target is the value at step 3."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 8))
    return X, 2.0 * X[:, 3] + 0.1 * rng.normal(size=48)


@pytest.fixture
def classification_data():
    """Three classes of 2-feature sequences, string labels."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 8, 2))
    y = np.array(["low", "mid", "high"])[np.digitize(X[:, 2, 0], [-0.4, 0.4])]
    return X, y


def pytest_collection_modifyitems(config, items):
    # pytest-xdist (--dist loadscope) hands modules to workers in collection order.
    # The README snippets are one module of several minutes: run it first, so that it
    # does not end the run on one worker while the other waits.
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_readme.py::"))
