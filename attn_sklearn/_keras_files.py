"""Networks as bytes: Keras' own ``.keras`` format, loaded back in safe mode only."""

import tempfile
from pathlib import Path

import keras


def model_to_bytes(model):
    """A network as the bytes of Keras' ``.keras`` file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_bytes(data):
    """The network of :func:`model_to_bytes`, loaded in Keras' safe mode."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        path.write_bytes(data)
        return keras.saving.load_model(path, safe_mode=True)
