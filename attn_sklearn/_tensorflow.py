"""TensorFlow, imported once and quietly.

TensorFlow's C++ runtime writes start-up lines to the process's standard error
while it loads (oneDNN notices, "Could not find cuda drivers", a failed
``cuInit`` on machines without a GPU) and, at its default log level, notices
during the first fit. None of them is actionable for our users, so unless the
user chose a level (``TF_CPP_MIN_LOG_LEVEL`` set before importing
attn_sklearn, which we then leave alone), the package raises the level to 3
(errors are raised as Python exceptions, not logged) and silences the loader's
output while TensorFlow is imported.
"""

import contextlib
import logging
import os
import sys

_OURS = "ATTN_SKLEARN_TF_CPP_MIN_LOG_LEVEL"  # the level this package set, if any


def import_tensorflow_quietly():
    """Import TensorFlow and Keras, hiding the C++ start-up log unless the user set a level."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    # Child processes (joblib workers, say) inherit the level we set: that is not a user's.
    ours = os.environ.get(_OURS) == os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    if "tensorflow" in sys.modules or ("TF_CPP_MIN_LOG_LEVEL" in os.environ and not ours):
        import keras

        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = os.environ[_OURS] = "3"
    # Lines written before TensorFlow initialises its logging ignore that level:
    # send the process's standard error to /dev/null while the libraries load.
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import keras  # noqa: F401
            import tensorflow as tf

            tf.config.list_physical_devices("GPU")  # the CUDA probe logs on first use
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _RetracingFilter(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def no_retracing_warnings():
    """Drop TensorFlow's "triggered tf.function retracing" warning inside the block.

    Every fit builds a new network whose training and prediction functions are
    traced once; TensorFlow counts those traces across all networks of a
    process and, in a search, warns about "retracing" that is neither
    avoidable nor the user's to fix. Only that message, only while our code
    runs: the user's own logging configuration is left as it is.
    """
    logger, retracing = logging.getLogger("tensorflow"), _RetracingFilter()
    logger.addFilter(retracing)
    try:
        yield
    finally:
        logger.removeFilter(retracing)


import_tensorflow_quietly()
