"""The benchmark's pieces on the tiny model (the full-size run is `python -m benchmarks.bench`)."""

from __future__ import annotations

import threading
from multiprocessing import Pipe
from pathlib import Path

import pytest

from benchmarks.bench import Settings, Tally, markdown, parse_args, settings_from, table_rows
from benchmarks.bench_model import NTREX_LANGS, load_documents
from benchmarks.bench_worker import (
    CTRANSLATE2,
    CTRANSLATE2_PLAIN,
    CTRANSLATE2_VOCAB,
    NAIVE,
    TRANSFORMERS,
    RunResult,
    WorkerOptions,
    serve,
)


def test_every_language_gets_the_same_documents(ntrex_dir: Path) -> None:
    documents = load_documents(ntrex_dir, 2)
    assert set(documents) == set(NTREX_LANGS.values())
    doc_ids = {lang: [s.doc_id for s in segments] for lang, segments in documents.items()}
    first = next(iter(doc_ids.values()))
    assert len(set(first)) == 2
    assert all(ids == first for ids in doc_ids.values())  # line-aligned translations


@pytest.mark.parametrize(
    "kind", [NAIVE, TRANSFORMERS, CTRANSLATE2, CTRANSLATE2_VOCAB, CTRANSLATE2_PLAIN]
)
def test_each_configuration_does_exactly_the_forced_work(
    kind: str, tiny_models: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every configuration generates exactly n_tokens per segment: identical work."""
    cache = tmp_path_factory.getbasetemp() / "bench-ct2-cache"
    options = WorkerOptions(kind, str(tiny_models[0]), "cpu", 256, ct2_cache=str(cache))
    parent, child = Pipe()
    worker = threading.Thread(target=serve, args=(child, options))  # in-process for speed
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSFLOW_CACHE_DIR", str(cache))
        worker.start()
        status, *ready = parent.recv()
        assert status == "ready", ready
        texts = ["Satu.", "Dua ekor kucing tidur di atas tikar merah hari ini."]
        for beams in (1, 2):
            parent.send((texts, "zsm_Latn", beams, 7))
            status, result = parent.recv()
            assert status == "result", result
            assert isinstance(result, RunResult)
            assert result.segments == 2 and result.out_tokens == 14 and result.exact
            assert result.seconds > 0 and result.peak_bytes > 0
        parent.send(None)
        worker.join(timeout=60)


def test_ratios_are_to_the_baseline_of_the_same_beams() -> None:
    configs = (NAIVE, CTRANSLATE2, CTRANSLATE2_PLAIN)
    settings = Settings("cpu", 1, 0, 8, (1, 4), configs, 1, 4096, 0)
    tallies = {
        (NAIVE, 1): Tally(10.0, 10, 80, True, 4 * 2**30),
        (CTRANSLATE2, 1): Tally(1.0, 10, 80, True, 1 * 2**30),
        (NAIVE, 4): Tally(20.0, 10, 80, True, 4 * 2**30),
        (CTRANSLATE2, 4): Tally(2.5, 10, 80, True, 2**30),
        (CTRANSLATE2_PLAIN, 1): Tally(1.25, 10, 80, True, 2**30),
        (CTRANSLATE2_PLAIN, 4): Tally(2.0, 10, 80, True, 2**30),
    }
    rows = {(r["configuration"], r["beams"]): r for r in table_rows(settings, tallies)}
    assert rows[NAIVE, 1]["speed_vs_baseline"] == pytest.approx(1.0)
    assert rows[CTRANSLATE2, 1]["speed_vs_baseline"] == pytest.approx(10.0)
    assert rows[CTRANSLATE2, 4]["speed_vs_baseline"] == pytest.approx(8.0)
    assert rows[CTRANSLATE2, 4]["memory_vs_baseline"] == pytest.approx(0.25)
    assert rows[CTRANSLATE2, 4]["out_tokens_per_s"] == pytest.approx(32.0)
    assert rows[CTRANSLATE2, 1]["speed_vs_ctranslate2_plain"] == pytest.approx(1.25)
    assert rows[CTRANSLATE2, 4]["speed_vs_ctranslate2_plain"] == pytest.approx(0.8)
    table = markdown(list(rows.values()), "cpu")
    assert "| ctranslate2 | 4 | 10 | 4.00 | 32.0 | 1.00 GiB | 8.00x | 0.25x | 0.80x |" in table


def test_quick_settings_are_small_on_cpu() -> None:
    quick = settings_from(parse_args(["--quick"]), "cpu")
    full = settings_from(parse_args([]), "cpu")
    assert quick.documents * max(quick.segments_per_language, 1) < full.documents * 10
    assert quick.beams == (1, 4) and set(quick.configs) >= {NAIVE, TRANSFORMERS, CTRANSLATE2}
    gpu = settings_from(parse_args(["--quick"]), "cuda")
    assert gpu.token_budget > quick.token_budget and gpu.baseline_segments > 0
