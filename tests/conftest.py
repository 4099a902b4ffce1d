"""Shared test fixtures: the NTREX-128 data, the tiny models, and one Prefect server."""

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

from tests.ntrex_slice import SLICE_DIR as NTREX_SLICE_DIR

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("NEWSFLOW_SHARED_DIR", REPO_ROOT.parent / "shared"))
FULL_NTREX_DIR = SHARED_DIR / "data" / "ntrex128"
SAMPLES_DIR = REPO_ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def ntrex_dir() -> Path:
    """The NTREX-128 slice the repository carries (tests/data/ntrex128): always there."""
    return NTREX_SLICE_DIR


@pytest.fixture(scope="session")
def full_ntrex_dir() -> Path:
    """All of NTREX-128, from ../shared, for the tests marked `ntrex` (`make test-ntrex`)."""
    if not (FULL_NTREX_DIR / "DOCUMENT_IDS.tsv").is_file():
        pytest.fail(
            f"the full NTREX-128 is not at {FULL_NTREX_DIR}: set NEWSFLOW_SHARED_DIR to the "
            "folder holding data/ntrex128, or leave the `ntrex` tests out (-m 'not ntrex')"
        )
    return FULL_NTREX_DIR


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(nllb dir, summarizer dir): tiny models of the real architectures, built once."""
    from tests.models import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """One temporary Prefect server (SQLite) for every test that runs a flow in-process."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With NEWSFLOW_NO_SKIPS=1 (as .ci/run sets it), a skipped test fails the run: every
    fast test must run on a fresh clone, with nothing beside the repository."""
    if os.environ.get("NEWSFLOW_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        names = ", ".join(report.nodeid for report in skipped[:10])
        print(f"\nNEWSFLOW_NO_SKIPS: {len(skipped)} test(s) skipped: {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
