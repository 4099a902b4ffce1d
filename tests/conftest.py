"""Shared test fixtures: where ../shared lives, the tiny models, and one Prefect server."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Prefect reads these when it is first imported: a private home, no telemetry, and time for
# its temporary server to start on a 2-core machine.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsflow-prefect-")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Models converted for CTranslate2 (the default backend) go to a private cache, not ~/.cache.
os.environ["NEWSFLOW_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsflow-cache-")

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("NEWSFLOW_SHARED_DIR", REPO_ROOT.parent / "shared"))
NTREX_DIR = SHARED_DIR / "data" / "ntrex128"
SAMPLES_DIR = REPO_ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def ntrex_dir() -> Path:
    """NTREX-128 from ../shared; tests that need it skip cleanly where it is absent."""
    if not (NTREX_DIR / "DOCUMENT_IDS.tsv").is_file():
        pytest.skip(f"NTREX-128 not found at {NTREX_DIR}")
    return NTREX_DIR


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory, ntrex_dir: Path) -> tuple[Path, Path]:
    """(nllb dir, summarizer dir): tiny models of the real architectures, built once."""
    from tests.models import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """One temporary Prefect server (SQLite) for every test that runs a flow in-process."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
