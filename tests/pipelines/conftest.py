"""Fixtures shared by the pipeline tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "reconcile_scale.py"


@pytest.fixture(scope="session")
def bench() -> ModuleType:
    """``bench/reconcile_scale.py``, for its seeded synthetic month."""
    spec = importlib.util.spec_from_file_location("reconcile_scale", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
