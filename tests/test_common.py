"""scikit-learn's own estimator checks, run on every estimator with small settings.

2-D ``X`` is accepted (univariate sequences), so the checks really exercise the
estimators. Declared failures, each with its reason, are listed below and in
``docs/conformance.md``.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
)

SMALL = {"units": 4, "epochs": 2, "batch_size": 16, "random_state": 0}

# Inherent to (or inherited by) stochastic mini-batch networks built on scikeras.
EXPECTED_FAILED_CHECKS = {
    "check_estimator_tags_renamed": (
        "scikeras' BaseWrapper still defines the legacy _more_tags, which this check rejects "
        "in any subclass; our tags come from __sklearn_tags__"
    ),
    # Float32 batched kernels (oneDNN) can give a row's output a one-ulp (1.2e-7 relative)
    # difference depending on its position in the batch; these checks demand rtol=1e-7.
    # Seen once in five runs (predict_proba, one value of 60): declared, not strict.
    "check_methods_sample_order_invariance": (
        "float32 batched inference: a row's output may differ by one ulp (1.2e-7 relative) "
        "with its position in the batch, at the edge of the check's rtol=1e-7"
    ),
    "check_methods_subset_invariance": (
        "float32 batched inference: a row's output may differ by one ulp (1.2e-7 relative) "
        "with its position in the batch, at the edge of the check's rtol=1e-7"
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "mini-batch training: repeating a row changes the batches and the number of updates "
        "per epoch, so a weight of 2 and a repeated row are not numerically equivalent"
    ),
}

ESTIMATORS = [
    AttentionLSTMRegressor(**SMALL),
    AttentionLSTMClassifier(**SMALL),
    MultimodalAttentionClassifier(**SMALL, n_layers=1),
]


@pytest.mark.slow
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
