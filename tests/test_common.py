"""scikit-learn's own estimator checks, run on every estimator with small settings.

2-D ``X`` is accepted (univariate sequences), so the checks really exercise the
estimators. Declared failures, each with its reason, are listed below and in
``docs/conformance.md``.
"""

from functools import partial

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator, parametrize_with_checks

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMForecaster,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
)

SMALL = {"units": 4, "epochs": 2, "batch_size": 16, "random_state": 0}

# Inherited from scikeras (the project's chosen wrapper), or inherent to mini-batch training.
EXPECTED_FAILED_CHECKS = {
    "check_estimator_tags_renamed": (
        "scikeras' BaseWrapper still defines the legacy _more_tags, which this check rejects "
        "in any subclass; our tags come from __sklearn_tags__"
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "mini-batch training: repeating a row changes the batches and the number of updates "
        "per epoch, so a weight of 2 and a repeated row are not numerically equivalent"
    ),
}

ESTIMATORS = [
    AttentionLSTMRegressor(**SMALL),
    AttentionLSTMClassifier(**SMALL),
    AttentionLSTMForecaster(**SMALL),
    # One one-directional LSTM: the checks exercise the estimator's API, not its default
    # network, and a bidirectional one makes every fit about 1.5 times as slow.
    MultimodalAttentionClassifier(**SMALL, n_layers=1, bidirectional=False),
]


@pytest.mark.slow
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# The classifier's other output head (one sigmoid per class, probabilities from their
# odds) changes how labels are encoded and what comes out, not how X is validated,
# cloned or pickled: it runs the checks about classes, outputs and refits (the whole set
# above took 4.6 minutes of a 44-minute run).
ONE_VS_REST_CHECKS = {
    "check_classifiers_train",
    "check_classifiers_classes",
    "check_classifiers_one_label",
    "check_classifiers_one_label_sample_weights",
    "check_classifiers_regression_target",
    "check_classifier_data_not_an_array",
    "check_class_weight_classifiers",
    "check_decision_proba_consistency",
    "check_supervised_y_2d",
    "check_supervised_y_no_nan",
    "check_fit_idempotent",
    "check_estimators_pickle",
    "check_methods_sample_order_invariance",
}
ONE_VS_REST = AttentionLSTMClassifier(**SMALL, one_vs_rest=True)


def _check_name(check):
    return (check.func if isinstance(check, partial) else check).__name__


ONE_VS_REST_CASES = [
    pytest.param(check, id=_check_name(check))
    for _, check in estimator_checks_generator(ONE_VS_REST)
    if _check_name(check) in ONE_VS_REST_CHECKS
]


def test_the_one_vs_rest_subset_names_real_checks():
    assert {case.id for case in ONE_VS_REST_CASES} == ONE_VS_REST_CHECKS


@pytest.mark.slow
@pytest.mark.parametrize("check", ONE_VS_REST_CASES)
def test_one_vs_rest_classifier_checks(check):
    check(ONE_VS_REST)
