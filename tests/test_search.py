"""Hyperparameter search in parallel: joblib processes and a Dask cluster."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV, KFold

from attn_sklearn import AttentionLSTMRegressor

GRID = {"units": [3, 6]}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    return X, X[:, 2] - 0.5 * X[:, 4]


@pytest.fixture(scope="module")
def serial_search(data):
    search = GridSearchCV(AttentionLSTMRegressor(epochs=2, random_state=0), GRID, cv=KFold(2))
    return search.fit(*data)


def test_grid_search_with_two_processes_matches_serial(data, serial_search):
    search = GridSearchCV(
        AttentionLSTMRegressor(epochs=2, random_state=0), GRID, cv=KFold(2), n_jobs=2
    )
    search.fit(*data)
    assert search.best_params_ == serial_search.best_params_
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial_search.cv_results_["mean_test_score"]
    )


@pytest.mark.slow
def test_grid_search_on_a_dask_cluster_matches_serial(data, serial_search):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        parallel_config(backend="dask"),
    ):
        search = GridSearchCV(
            AttentionLSTMRegressor(epochs=2, random_state=0), GRID, cv=KFold(2)
        ).fit(*data)
    assert search.best_params_ == serial_search.best_params_
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial_search.cv_results_["mean_test_score"]
    )
