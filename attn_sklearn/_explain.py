"""Turning a network's attention weights into per-step importances and tables."""

import numpy as np
import pandas as pd

from ._network_parts import has_attention, has_decoder, has_self_attention, patch_size_of


def check_explain_request(model, *, full, as_frame, step_labels):
    """Reject explanations that ``model`` (a fitted network) cannot give, saying why."""
    if not has_attention(model):
        raise ValueError(
            "explain() needs an attention layer, but this estimator was fitted with "
            "attention='none', which has none. Refit it with an attention type, e.g. "
            "est.set_params(attention='additive').fit(X, y); after a search that picked "
            "'none', refit the best candidate that has attention (the README shows how)."
        )
    if full and not (has_self_attention(model) or has_decoder(model)):
        raise ValueError(
            "full=True needs self-attention weights (attention='self' or 'multihead') or "
            "a forecaster's decoder (head='decoder'); this estimator's network has neither."
        )
    if step_labels is not None and not as_frame:
        raise ValueError(
            "step_labels label the rows of the frame returned with as_frame=True; "
            "received step_labels without as_frame=True."
        )


def step_importance(pooling, self_attention=None):
    """Per-step importance, ``(n_samples, n_timesteps)``, rows summing to 1 over real steps.

    Without self-attention it is the pooling weights; a decoder's weights
    ``(n_samples, H, T)`` are averaged over the forecast steps. With it, the pooled
    vector is a mix of attended steps, each itself a mix of input steps, so the
    importance of input step ``s`` is ``sum_t pooling[t] * mean_h A[h, t, s]``
    (attention rollout). Padded steps get 0 from both factors.
    """
    if pooling.ndim == 3:
        return pooling.mean(axis=1)
    if self_attention is None:
        return pooling
    return np.einsum("bt,bts->bs", pooling, self_attention.mean(axis=1))


def step_weights(model, outputs, *, full, real):
    """The weights ``explain`` returns, one per input step of the sequences.

    ``outputs`` are the attention model's (pooling, then self-attention when
    there is one), ``real`` the ``(n_samples, T)`` real steps of the input.
    """
    weights = outputs[-1] if full else step_importance(*outputs)
    size = patch_size_of(model)
    return weights if size == 1 else spread_over_patch_steps(weights, real, size)


def spread_over_patch_steps(weights, real, patch_size):
    """Per-step weights from per-patch ones (see :class:`~attn_sklearn.layers.StepPatches`).

    A patch's weight is shared evenly by its real steps, so a row still sums
    to 1 over its real steps and padding gets 0. ``weights`` is
    ``(n, n_patches)`` or full self-attention ``(n, n_heads, n_patches,
    n_patches)``, whose query rows are repeated for each real step of theirs.
    """
    n, n_steps = real.shape
    n_patches = weights.shape[-1]
    # Patches are counted from each row's first real step, as StepPatches counts them.
    first_real = real.argmax(axis=1)
    patch = np.clip((np.arange(n_steps) - first_real[:, None]) // patch_size, 0, n_patches - 1)
    counts = np.zeros((n, n_patches))
    np.add.at(counts, (np.repeat(np.arange(n), n_steps), patch.ravel()), real.ravel())
    share = real / np.maximum(np.take_along_axis(counts, patch, axis=1), 1)
    if weights.ndim == 2:
        return np.take_along_axis(weights, patch, axis=1) * share
    keys = np.take_along_axis(weights, patch[:, None, None, :], axis=3) * share[:, None, None, :]
    return np.take_along_axis(keys, patch[:, None, :, None], axis=2) * real[:, None, :, None]


def _labels(step_labels, n_steps):
    if step_labels is None:
        return np.arange(n_steps)
    labels = np.asarray(step_labels)
    if labels.shape != (n_steps,):
        raise ValueError(
            f"step_labels must have one label per time step ({n_steps}); "
            f"received {labels.shape[0] if labels.ndim else 'a scalar'}."
        )
    return labels


def attention_frame(weights, real, step_labels=None):
    """Tidy table of attention weights, one row per real (sample, [head, query,] step).

    Parameters
    ----------
    weights : ndarray of shape (n_samples, T), (n_samples, H, T) or (n_samples, n_heads, T, T)
    real : bool ndarray of shape (n_samples, T)
        Real (non-padded) steps; padded steps are left out of the table.
    step_labels : array-like of shape (T,), default=None
        Labels of the time steps (e.g. timestamps); positions when ``None``.

    Returns
    -------
    frame : pandas.DataFrame
        Columns ``sample, step, weight``, ``sample, horizon_step, step, weight``
        (a decoder's map) or ``sample, head, query_step, step, weight``.
    """
    labels = _labels(step_labels, weights.shape[-1])
    if weights.ndim == 2:
        sample, step = np.nonzero(real)
        return pd.DataFrame(
            {"sample": sample, "step": labels[step], "weight": weights[sample, step]}
        )
    if weights.ndim == 3:
        keep = np.broadcast_to(real[:, None, :], weights.shape)
        sample, horizon, step = np.nonzero(keep)
        return pd.DataFrame(
            {
                "sample": sample,
                "horizon_step": horizon,
                "step": labels[step],
                "weight": weights[sample, horizon, step],
            }
        )
    keep = real[:, None, :, None] & real[:, None, None, :]
    sample, head, query, step = np.nonzero(np.broadcast_to(keep, weights.shape))
    return pd.DataFrame(
        {
            "sample": sample,
            "head": head,
            "query_step": labels[query],
            "step": labels[step],
            "weight": weights[sample, head, query, step],
        }
    )
