"""Inference in fixed-shape float32 batches: fast, traced once, and row-independent.

A row's outputs must not depend on the rows it is predicted with. In float32,
CPU matrix kernels (Eigen's, oneDNN's) pick their blocking from the batch size,
and some sizes leave a row at some positions of the batch to a remainder path
that moves its result by a unit in the last place. Every call is therefore cut
into batches whose sizes come from :data:`BATCH_SIZES`, the last one filled up
with zero rows that are then dropped. The sizes are ones for which every row of
a batch takes the same arithmetic: measured on an AMD EPYC (AVX2) CPU with 1 to
16 threads and LSTMs of 4 to 256 units, a row comes out bit-identical at any
position of a 16-, 64- or 256-row batch, whereas 8- and 32-row batches move
some positions by one ulp. It is a property of the CPU's kernels, not a law,
so ``tests/test_inference.py`` checks it wherever the tests run.

Fixed shapes also mean each network traces one graph per batch size (the time
axis stays free), however many rows or calls follow, and the small sizes keep
interactive calls (a row, a handful of rows) cheap.
"""

import numpy as np
import tensorflow as tf

from ._batches import n_samples
from ._network_parts import attention_model, has_attention
from ._tensorflow import no_retracing_warnings

# Smallest size that holds the rows is used; longer inputs go in chunks of the largest.
BATCH_SIZES = (16, 64, 256)

_CACHE_ATTRIBUTE = "_attn_sklearn_inference"


def batch_plan(n_rows):
    """``(start, stop, batch_size)`` of each batch for ``n_rows`` rows.

    Examples
    --------
    >>> batch_plan(3)
    [(0, 3, 16)]
    >>> batch_plan(300)
    [(0, 256, 256), (256, 300, 64)]
    """
    largest = BATCH_SIZES[-1]
    plan = []
    for start in range(0, n_rows, largest):
        stop = min(start + largest, n_rows)
        plan.append((start, stop, next(s for s in BATCH_SIZES if s >= stop - start)))
    return plan


class _TracedInference:
    """The traced inference functions of one network, built on first use.

    ``"predict"`` runs the network; ``"explain"`` its attention read-out
    (which shares the network's layers, so both always use the current weights).
    """

    def __init__(self, network):
        self._models = {"predict": network}
        if has_attention(network):
            self._models["explain"] = attention_model(network)
        self._functions = {}

    def function(self, output, batch_size, example):
        key = (output, batch_size)
        if key not in self._functions:
            model = self._models[output]
            # Batch axis fixed, time axis free (any sequence length), step shape as given.
            signature = tf.nest.map_structure(
                lambda values: tf.TensorSpec((batch_size, None, *values.shape[2:]), tf.float32),
                example,
            )
            self._functions[key] = tf.function(
                lambda inputs: model(inputs, training=False),
                input_signature=[signature],
                autograph=False,  # a plain call: nothing for AutoGraph to convert
            )
        return self._functions[key]

    def tracing_count(self):
        """Graphs traced so far, over all functions (each traces at most once)."""
        return sum(f.experimental_get_tracing_count() for f in self._functions.values())


def traced_inference(network):
    """The :class:`_TracedInference` of ``network``, kept on the network itself.

    Keeping it on the network (rather than in a global cache) ties its life to
    the network's: it goes when a refit replaces ``model_``. Pickles and saved
    files never carry it (they store the network's ``.keras`` bytes).
    """
    inference = getattr(network, _CACHE_ATTRIBUTE, None)
    if inference is None:
        inference = _TracedInference(network)
        setattr(network, _CACHE_ATTRIBUTE, inference)
    return inference


def _padded_batch(X, start, stop, batch_size):
    """Rows ``start:stop`` of ``X`` (array or dict of arrays), zero-filled to ``batch_size``."""

    def padded(values):
        filled = np.zeros((batch_size, *values.shape[1:]), dtype=np.float32)
        filled[: stop - start] = values[start:stop]
        return filled

    return tf.nest.map_structure(padded, X)


def run_inference(network, X, output="predict"):
    """``network``'s outputs for validated ``X``, a list with one array per output.

    Parameters
    ----------
    network : keras.Model
        A fitted estimator's network.
    X : ndarray of shape (n_samples, n_timesteps, ...) or dict of such arrays
        Validated float32 input (a dict for the multimodal network).
    output : {"predict", "explain"}
        The network's predictions, or its attention weights (pooling weights,
        then the self-attention weights when the network has them).
    """
    inference = traced_inference(network)
    chunks = []
    for start, stop, batch_size in batch_plan(n_samples(X)):
        batch = _padded_batch(X, start, stop, batch_size)
        # Each network traces once per batch size; TensorFlow counts traces of
        # all networks together and would call the first ones of a search "retracing".
        with no_retracing_warnings():
            outputs = inference.function(output, batch_size, batch)(batch)
        outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
        chunks.append([np.asarray(out)[: stop - start] for out in outputs])
    return [np.concatenate(parts) for parts in zip(*chunks, strict=True)]
