"""The loaded network of an estimator file, checked against the file's estimator.json."""

import numpy as np

from ._architectures import (
    SELF_ATTENTION_TYPES,
    resolve_batch_norm,
    resolve_score_from,
    univariate_score_from,
)
from ._forecast_framing import FUTURE_FIELD, PAST_FIELD
from ._forecast_network import forecasting_layers_problem
from ._network_parts import (
    has_attention,
    has_pooled_norm,
    has_self_attention,
    has_step_encoding,
    patch_size_of,
)
from ._persistence_json import StateError, invalid


def _output_width(fitted, estimator):
    if "classes_" in fitted:
        if len(fitted["classes_"]) == 2 and not estimator.one_vs_rest:
            return 1
        return len(fitted["classes_"])
    levels = estimator._quantile_levels() if hasattr(estimator, "_quantile_levels") else None
    return fitted["n_outputs_"] * (1 if levels is None else len(levels))


def pin_earlier_auto_choices(model, estimator, fitted):
    """Set ``score_from="states"`` where a file's "auto" chose what "auto" no longer does.

    Until 2026-12, ``score_from="auto"`` gave state scores to every estimator
    on one value per step; the regressor and the forecaster now take input
    scores there. A file of theirs from before holds a network that scores
    states: its parameters then say so explicitly, so that ``score_from_`` and
    a refit keep to that network.
    """
    univariate = univariate_score_from(estimator)
    values = fitted["n_step_features_in_"] * int(getattr(estimator, "patch_size", 1))
    earlier = estimator.score_from == "auto" and values == 1 and univariate != "states"
    if earlier and estimator.attention != "none" and not has_step_encoding(model):
        estimator.set_params(score_from="states")


def check_network(model, estimator, fitted):
    """The loaded network takes the inputs and gives the outputs ``fitted`` describes.

    Its attention layers must be those ``estimator``'s parameters build.
    """
    attention = estimator.attention
    try:
        inputs = {tensor.name: tuple(tensor.shape) for tensor in model.inputs}
        outputs = [tuple(tensor.shape) for tensor in model.outputs]
        weights = model.get_weights()
    except Exception as exc:  # a model Keras loaded but cannot describe: not one of ours
        raise StateError(f"model.keras holds a network without defined inputs: {exc}") from exc
    if "modalities_" in fitted:
        expected = {name: (None, None, *shape) for name, shape in fitted["modalities_"].items()}
        what = "inputs named and shaped by fitted['modalities_']"
    elif fitted.get("n_future_features_in_"):
        expected = {
            PAST_FIELD: (None, None, fitted["n_step_features_in_"]),
            FUTURE_FIELD: (None, fitted["n_outputs_"], fitted["n_future_features_in_"]),
        }
        what = "the windows and the known-future covariates of the forecast steps"
    else:
        name = next(iter(inputs), "sequence")
        expected = {name: (None, None, fitted["n_step_features_in_"])}
        what = "one input of shape (None, None, n_step_features_in_)"
    if inputs != expected:
        raise invalid("model.keras", f"a network with {what}: {expected}", inputs)
    width = _output_width(fitted, estimator)
    if outputs != [(None, width)]:
        raise invalid("model.keras", f"a network with one output of shape (None, {width})", outputs)
    if "classes_" in fitted:
        # A softmax and one-vs-rest sigmoids have the same width; the encoder reads them apart.
        expected = "softmax" if width > 1 and not estimator.one_vs_rest else "sigmoid"
        activation = getattr(model.get_layer("output").activation, "__name__", None)
        if activation != expected:
            raise invalid(
                "model.keras", f"a classifier whose output activation is {expected}", activation
            )
    # explain() reads the attention layers: they must be the ones `attention` builds.
    layers = (has_attention(model), has_self_attention(model))
    if layers != (attention != "none", attention in SELF_ATTENTION_TYPES):
        raise StateError(
            f"model.keras: the network's attention layers do not match attention={attention!r}."
        )
    patch_size = int(getattr(estimator, "patch_size", 1))
    if patch_size_of(model) != patch_size:
        raise invalid(
            "model.keras",
            f"a network with patches of patch_size={patch_size} steps",
            patch_size_of(model),
        )
    values = fitted["n_step_features_in_"] * patch_size
    univariate = univariate_score_from(estimator)
    score_from = resolve_score_from(estimator.score_from, values, univariate=univariate)
    if has_step_encoding(model) != (attention != "none" and score_from == "inputs"):
        raise StateError(
            "model.keras: the network's attention scores do not come from what "
            f"score_from={estimator.score_from!r} says for {values} values per step."
        )
    given = getattr(estimator, "batch_norm", False)
    batch_norm = resolve_batch_norm(given, fitted["n_step_features_in_"])
    if has_pooled_norm(model) != batch_norm:
        raise StateError(
            f"model.keras: the network's pooled vector is {'not ' if batch_norm else ''}"
            f"batch-normalised, unlike what batch_norm={given!r} gives for "
            f"{fitted['n_step_features_in_']} values per step."
        )
    if hasattr(estimator, "normalize"):
        problem = forecasting_layers_problem(model, estimator, fitted["n_timesteps_in_"])
        if problem:
            raise StateError(f"model.keras: {problem}")
    if not all(np.all(np.isfinite(w)) for w in weights):
        raise StateError("model.keras: the network's weights hold NaN or infinity.")
