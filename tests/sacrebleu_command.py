"""Run the `sacrebleu` command line, the reference our scores are checked against."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_sacrebleu(ref: Path, *hyps: Path, extra: tuple[str, ...] = ()) -> str:
    """stdout of `sacrebleu REF -i HYP... -m bleu chrf ter --chrf-word-order 2 EXTRA...`."""
    command = [sys.executable, "-m", "sacrebleu", str(ref), "-i", *map(str, hyps)]
    command += ["-m", "bleu", "chrf", "ter", "--chrf-word-order", "2", *extra]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
