"""Where the learned model's weights are: the shipped file, or a candidate being measured."""

from __future__ import annotations

import os
from pathlib import Path

#: The shipped model (float16 weights, its categories, its input statistics).
MODEL_FILE = Path(__file__).with_name("models") / "soundalike-3.3.npz"
#: Set to another model file to measure a trained candidate through the whole product
#: (benchmarks only: libraries profiled with one model must not be searched with another).
MODEL_OVERRIDE = "SOUNDALIKE_MODEL"


def model_path() -> Path:
    """The model file this process uses."""
    return Path(os.environ.get(MODEL_OVERRIDE) or MODEL_FILE)
