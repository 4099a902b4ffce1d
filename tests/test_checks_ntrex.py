"""The data behind the checks, measured on all of NTREX-128: reproducible bounds, few false
positives. Marked `ntrex`: they need the full set from ../shared (`make test-ntrex`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.checks_ntrex import BOUNDS_MODULE, bounds_module_source, derive_bounds, ntrex_flag_rates
from newslib.checks.flags import OUTPUT_CHECKS

pytestmark = pytest.mark.ntrex


def test_committed_bounds_table_is_what_ntrex_gives(full_ntrex_dir: Path) -> None:
    # The table is generated, never edited: deriving it again reproduces the file byte for byte.
    assert bounds_module_source(derive_bounds(full_ntrex_dir)) == BOUNDS_MODULE.read_text("utf-8")


def test_checks_rarely_flag_human_translations(full_ntrex_dir: Path) -> None:
    # Human translations are what a good output looks like: each check flags under 1% of them
    # (measured: at most 0.8%, length_ratio by construction of its bounds, and numbers in
    # Arabic, where translators leave out or round numbers).
    rates = ntrex_flag_rates(full_ntrex_dir, ["zsm_Latn", "ben_Beng", "arb_Arab"])
    for lang, by_check in rates.items():
        assert by_check["sentences"] == 1997, lang
        for name in OUTPUT_CHECKS:
            assert by_check[name] < 0.01, (lang, name, by_check[name])
