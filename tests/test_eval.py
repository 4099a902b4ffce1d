"""Evaluation: NTREX-128 / FLORES-style test sets through the production flow, scores with
intervals equal to what the sacrebleu command prints, misaligned documents reported, a report."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from eval.flores import build_flores
from eval.ntrex import NTREX_ENGLISH, build_ntrex, ntrex_languages
from eval.report import write_report
from eval.testset import TestSet, TestSetError, file_name, group_documents, read_lines
from newsflow.cli import app
from newslib.inputs.ingest import decode_article_bytes
from newslib.output.write import write_run
from newslib.scoring.score import (
    N_BOOTSTRAP,
    align,
    bootstrap_interval,
    make_metrics,
    score_documents,
    segment_stats,
)
from newslib.text.clean import clean_text
from newslib.text.languages import NTREX_NOT_IN_NLLB, NTREX_TO_NLLB, is_nllb_supported, ntrex_files
from tests.sacrebleu_command import run_sacrebleu

NTREX_LINES, NTREX_DOCUMENTS = 1997, 123  # the full set (`ntrex` tests)


def _document_ids(ntrex_dir: Path) -> list[str]:
    return [line.split("\t")[0] for line in read_lines(ntrex_dir / "DOCUMENT_IDS.tsv")]


def sacrebleu_cli(ref: Path, hyp: Path, *extra: str) -> dict[str, dict[str, Any]]:
    """What the `sacrebleu` command prints (JSON, 4 decimals), by metric name."""
    output = run_sacrebleu(ref, hyp, extra=("-w", "4", "-f", "json", *extra))
    names = {"BLEU": "BLEU", "chrF2++": "chrF++", "TER": "TER"}
    return {names[entry["name"]]: entry for entry in json.loads(output)}


def assert_scores_match_cli(scores: pd.DataFrame, ref: Path, hyp: Path) -> None:
    """Score, bootstrap mean and interval equal `sacrebleu --confidence` to the printed digit."""
    printed = sacrebleu_cli(ref, hyp, "--confidence")
    for row in scores.itertuples():
        entry = printed[str(row.metric)]
        assert f"{row.score:.4f}" == f"{entry['score']:.4f}", row.metric
        assert f"{row.bootstrap_mean:.4f}" == f"{entry['confidence_mean']:.4f}", row.metric
        assert f"{row.ci95:.4f}" == f"{entry['confidence_var']:.4f}", row.metric
        assert row.bootstrap == f"bs:{entry['bs']}|seed:{entry['seed']}"
        assert row.signature == entry["signature"].replace("|bs:1000|seed:12345", "")


# --- NTREX-128: the code table and the documents ----------------------------------------------


def test_every_ntrex_language_maps_to_nllb_or_says_why(ntrex_dir: Path) -> None:
    files = ntrex_files(ntrex_dir)
    assert len(files) == 128
    chosen = ntrex_languages(ntrex_dir, ["all"])
    assert set(chosen) == {code for code in files if code not in NTREX_NOT_IN_NLLB}
    assert all(is_nllb_supported(nllb) for nllb, _ in chosen.values())
    # variants and scripts: English varieties, the second Spanish reference, script suffixes
    assert {
        c: chosen[c][0]
        for c in (
            "eng-GB",
            "eng-IN",
            "eng-US",
            "2.spa",
            "srp-Cyrl",
            "aze-Latn",
            "zho-TW",
            "msa",
            "ben",
            "arb",
        )
    } == {
        "eng-GB": "eng_Latn",
        "eng-IN": "eng_Latn",
        "eng-US": "eng_Latn",
        "2.spa": "spa_Latn",
        "srp-Cyrl": "srp_Cyrl",
        "aze-Latn": "azj_Latn",
        "zho-TW": "zho_Hant",
        "msa": "zsm_Latn",
        "ben": "ben_Beng",
        "arb": "arb_Arab",
    }
    for code in NTREX_NOT_IN_NLLB:
        if code in files:
            with pytest.raises(TestSetError, match="not in NLLB-200"):
                ntrex_languages(ntrex_dir, [code])
    with pytest.raises(TestSetError, match="unknown NTREX language 'zsm_Latn'"):
        ntrex_languages(ntrex_dir, ["zsm_Latn"])
    assert NTREX_TO_NLLB.keys() >= files.keys()


@pytest.mark.ntrex
def test_ntrex_documents_rebuild_the_test_set(full_ntrex_dir: Path, tmp_path: Path) -> None:
    ntrex_dir = full_ntrex_dir
    test_set = build_ntrex(ntrex_dir, ["msa", "ben", "arb"], tmp_path)

    english = read_lines(ntrex_dir / NTREX_ENGLISH)
    refs = sorted(test_set.references.glob("*.txt"))
    assert len(refs) == NTREX_DOCUMENTS == test_set.documents_available
    assert [line for r in refs for line in read_lines(r)] == english
    for language in test_set.languages:
        files = sorted(language.inputs.glob("*.txt"))
        assert [f.name for f in files] == [r.name for r in refs]  # found by name as references
        source = read_lines(ntrex_dir / f"newstest2019-ref.{language.code}.txt")
        assert [line for f in files for line in read_lines(f)] == source
        assert (language.n_documents, language.n_segments) == (NTREX_DOCUMENTS, NTREX_LINES)
    assert refs[0].name == file_name(0, "bbc.381790") == "000_bbc.381790.txt"

    first = build_ntrex(ntrex_dir, ["msa"], tmp_path / "quick", docs=5)
    assert first.languages[0].n_documents == 5 and first.documents_available == NTREX_DOCUMENTS
    assert len(list(first.references.glob("*.txt"))) == 5


@pytest.mark.ntrex
def test_cleaning_keeps_every_ntrex_line_in_all_128_languages(full_ntrex_dir: Path) -> None:
    """News text has no boilerplate: as the flow decodes and cleans the rebuilt documents, all
    1,997 lines of every language stay, none dropped, so no document can lose alignment."""
    ntrex_dir = full_ntrex_dir
    ids = _document_ids(ntrex_dir)
    documents = group_documents(ids)
    assert len(documents) == NTREX_DOCUMENTS
    checked = 0
    for code, path in sorted(ntrex_files(ntrex_dir).items()):
        lines = read_lines(path)
        kept = 0
        for doc in documents:
            # the bytes of the document file eval writes, decoded as the flow's reader does
            data = ("\n".join(lines[doc.start : doc.stop]) + "\n").encode("utf-8")
            text, error = decode_article_bytes(data)
            assert text is not None, (code, doc.doc_id, error)
            cleaned = clean_text(text)
            assert cleaned.dropped == [], (code, doc.doc_id, cleaned.dropped)
            assert len(cleaned.lines) == doc.stop - doc.start, (code, doc.doc_id)
            kept += len(cleaned.lines)
        assert kept == NTREX_LINES, code
        checked += 1
    assert checked == 128


def test_bad_choices_are_clean_errors(ntrex_dir: Path, tmp_path: Path) -> None:
    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["eval", "ntrex", "--output", str(tmp_path), *args])
        return result.exit_code, " ".join(result.output.split())  # unwrapped

    base = ["--ntrex-dir", str(ntrex_dir)]
    assert run(*base, "--langs", "msa,div") == (
        2,
        "error: NTREX language 'div': Dhivehi (Thaana script) is not in NLLB-200",
    )
    code, output = run(*base, "--langs", "xyz")
    assert code == 2 and "unknown NTREX language 'xyz'" in output
    code, output = run("--ntrex-dir", str(tmp_path), "--langs", "msa")
    assert code == 2 and "an NTREX-128 directory?" in output
    with pytest.raises(TestSetError, match="at least 1"):
        build_ntrex(ntrex_dir, ["msa"], tmp_path / "none", docs=0)


# --- FLORES-200 layout -----------------------------------------------------------------------


def _fake_flores(ntrex_dir: Path, root: Path, n: int, metadata: bool) -> Path:
    """A FLORES-200-shaped directory (devtest/<code>.devtest) made of the first n NTREX lines."""
    devtest = root / "devtest"
    devtest.mkdir(parents=True)
    for code, ntrex in (("eng_Latn", NTREX_ENGLISH), ("zsm_Latn", "newstest2019-ref.msa.txt")):
        lines = read_lines(ntrex_dir / ntrex)[:n]
        (devtest / f"{code}.devtest").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if metadata:
        ids = read_lines(ntrex_dir / "DOCUMENT_IDS.tsv")[:n]
        rows = ["URL\tdomain\ttopic\thas_image\thas_hyperlink"]
        rows += [f"https://example.org/{doc}\twikinews\tnews\t0\t0" for doc in ids]
        (root / "metadata_devtest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_flores_layout(ntrex_dir: Path, tmp_path: Path) -> None:
    root = _fake_flores(ntrex_dir, tmp_path / "flores200_dataset", 40, metadata=True)

    by_url = build_flores(root, ["zsm_Latn"], tmp_path / "a")  # the dataset root is enough
    assert by_url.languages[0].nllb == "zsm_Latn" and by_url.languages[0].n_segments == 40
    assert by_url.documents_available == 3  # the first 40 NTREX lines span 3 documents
    refs = sorted(by_url.references.glob("*.txt"))
    assert [len(read_lines(r)) for r in refs] == [16, 6, 18]

    (root / "metadata_devtest.tsv").unlink()
    chunked = build_flores(
        root / "devtest", ["zsm_Latn"], tmp_path / "b", docs=2, lines_per_document=15, name="my set"
    )
    assert chunked.name == "my set" and chunked.documents_available == 3
    assert chunked.languages[0].n_segments == 30  # 2 documents of 15 lines

    (root / "devtest" / "ben_Beng.devtest").write_text("one line\n", encoding="utf-8")
    with pytest.raises(TestSetError, match="ben_Beng has 1 lines, the English reference 40"):
        build_flores(root, ["ben_Beng"], tmp_path / "c")
    with pytest.raises(TestSetError, match=r"no arb_Arab\.devtest"):
        build_flores(root, ["arb_Arab"], tmp_path / "d")
    with pytest.raises(TestSetError, match="not an NLLB-200 language code"):
        build_flores(root, ["msa"], tmp_path / "e")


def test_eval_commands_hand_the_test_set_and_options_to_the_flow(
    ntrex_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.evaluate
    import newslib.engines.resolve

    calls: list[tuple[TestSet, Any]] = []

    def fake_evaluate(test_set: TestSet, config: Any) -> dict[str, Any]:
        calls.append((test_set, config))
        return {"rows": [{"language": "x"}], "complete": False, "report": "r", "chart": "c"}

    monkeypatch.setattr(flows.evaluate, "evaluate", fake_evaluate)
    monkeypatch.setattr(newslib.engines.resolve, "resolve_engines", lambda config: None)
    root = _fake_flores(ntrex_dir, tmp_path / "flores", 40, metadata=False)
    runner = CliRunner()

    flores = runner.invoke(
        app,
        [
            "eval",
            "flores",
            "--dir",
            str(root),
            "--langs",
            "zsm_Latn",
            "--output",
            str(tmp_path / "f"),
            "--docs",
            "2",
            "--doc-lines",
            "5",
            "--name",
            "mini",
            "--beams",
            "2",
            "--no-summarize",
            "--model",
            "m",
        ],
    )
    ntrex = runner.invoke(
        app,
        [
            "eval",
            "ntrex",
            "--ntrex-dir",
            str(ntrex_dir),
            "--langs",
            "msa, arb",
            "--output",
            str(tmp_path / "n"),
            "--docs",
            "1",
            "--device",
            "cpu",
        ],
    )

    assert flores.exit_code == ntrex.exit_code == 1  # some documents not scored: exit 1
    (flores_set, flores_config), (ntrex_set, ntrex_config) = calls
    assert flores_set.name == "mini" and flores_set.languages[0].n_segments == 10
    assert (flores_config.beams, flores_config.summarize, flores_config.model) == (2, False, "m")
    assert flores_config.output == tmp_path / "f"
    assert [lang.code for lang in ntrex_set.languages] == ["msa", "arb"]
    assert ntrex_set.languages[0].n_documents == 1 and ntrex_config.device == "cpu"


# --- scores: intervals, and misaligned documents ---------------------------------------------


def test_intervals_equal_the_sacrebleu_command(ntrex_dir: Path, tmp_path: Path) -> None:
    english = read_lines(ntrex_dir / "newstest2019-ref.eng-US.txt")[:300]
    british = read_lines(ntrex_dir / "newstest2019-ref.eng-GB.txt")[:300]
    (tmp_path / "ref.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("\n".join(british) + "\n", encoding="utf-8")
    docs = [
        align("a", "eng_Latn", british[:120], "\n".join(english[:120]), strict=True),
        align("b", "eng_Latn", british[120:], "\n".join(english[120:]), strict=True),
    ]

    rows = pd.DataFrame([asdict(r) for r in score_documents(docs)])

    corpus = rows[rows["level"] == "corpus"]
    assert len(corpus) == 3 and corpus["n_segments"].eq(len(english)).all()
    assert_scores_match_cli(corpus, tmp_path / "ref.txt", tmp_path / "hyp.txt")
    assert rows.loc[rows["level"] == "article", "ci95"].isna().all()  # intervals: corpus level


def test_interval_when_some_resamples_score_zero() -> None:
    """A nearly empty output (tiny models, a broken system): resamples that miss its one good
    segment have chrF 0, which sacrebleu's own estimator cannot average with the others
    (`sacrebleu --confidence` crashes); the interval is still computed, the same way."""
    hyps = [""] * 30 + ["the cat sat on the mat"]
    refs = ["a dog barked loudly at night"] * 30 + ["the cat sat on the mat"]
    metric = make_metrics()["chrF++"]
    with pytest.raises(TypeError, match="coerce"):
        make_metrics()["chrF++"].corpus_score(hyps, [refs], n_bootstrap=N_BOOTSTRAP)

    interval = bootstrap_interval(metric, segment_stats(metric, hyps, refs))

    assert 0 < interval.mean < 10 and interval.ci95 > 0
    assert interval.settings == "bs:1000|seed:12345"


def test_misaligned_document_is_reported_not_scored() -> None:
    good = align(
        "a", "zsm_Latn", ["The cat sat.", "It rained."], "The cat sat.\nIt rained.", strict=True
    )
    short = align("b", "zsm_Latn", ["One.", "Two.", "Three."], "One.\nTwo.", strict=True)
    assert short.alignment == "misaligned"
    assert align("b", "zsm_Latn", ["One.", "Two.", "Three."], "One.\nTwo.").alignment == "document"

    rows = score_documents([good, short])

    reported = [r for r in rows if r.article_id == "b"]
    assert len(reported) == 3 and all(r.score is None for r in reported)
    assert reported[0].note == "not scored: the translation has 3 lines, the reference 2"
    language = [r for r in rows if r.level == "language"]
    assert {(r.n_documents, r.n_segments, r.alignment) for r in language} == {(1, 2, "line")}
    assert next(r for r in language if r.metric == "BLEU").score == pytest.approx(100.0)


# --- the report, from datasets as the flow writes them (no model) ----------------------------


def write_fake_run(
    output: Path,
    run_id: str,
    nllb: str,
    inputs: Path,
    references: Path,
    hypotheses: dict[str, list[str]],
    config: dict[str, Any],
) -> None:
    """Datasets of one scored run, as `translate_news` writes them, for hypotheses given by
    input file name (the references directory holds the same names)."""
    articles, segments, docs = [], [], []
    for number, (name, lines) in enumerate(sorted(hypotheses.items())):
        article_id = f"{run_id[-4:]}{number:012d}"
        articles.append(
            {
                "article_id": article_id,
                "source": str(inputs / name),
                "status": "ok",
                "source_lang": nllb,
                "n_lines": len(lines),
                "translation": "\n".join(lines),
                "n_segments": len(lines),
                "cached": False,
            }
        )
        for index, line in enumerate(lines):
            segments.append(
                {
                    "article_id": article_id,
                    "line_index": index,
                    "segment_index": 0,
                    "source_lang": nllb,
                    "source_text": line,
                    "translation": line,
                    "translated": True,
                    "flag_length_limit": index == 0,
                    "flag_repetition": False,
                }
            )
        reference = (references / name).read_text(encoding="utf-8")
        docs.append(align(article_id, nllb, lines, reference, strict=True))
    scores = [asdict(r) for r in score_documents(docs)]
    now = datetime.now(UTC)
    run = {
        "run_id": run_id,
        "started_at": now,
        "finished_at": now,
        "wall_seconds": 30.0,
        "model_seconds": 20.0,
        "model": config["model"],
        "model_revision": "local-test",
        "config_json": json.dumps(
            config | {"references": str(references), "source_lang": nllb, "inputs": [str(inputs)]}
        ),
        "backend": "transformers",
        "device": "cpu",
        "n_articles": len(articles),
        "n_ok": len(articles),
        "n_failed": 0,
        "n_cached": 0,
        "n_segments": len(segments),
    }
    for row in (*articles, *segments, *scores):
        row["run_id"] = run_id
    write_run(
        output,
        run_id,
        {"articles": articles, "segments": segments, "scores": scores, "runs": [run]},
    )


def fake_evaluation(
    ntrex_dir: Path, output: Path, system: str, beams: int, docs: int = 6
) -> TestSet:
    """An NTREX 'evaluation' whose msa and ben 'translations' are an English NTREX variant."""
    test_set = build_ntrex(ntrex_dir, ["msa", "ben"], output, docs=docs)
    variant = read_lines(ntrex_dir / f"newstest2019-ref.{system}.txt")
    config = {"model": "fake/" + system, "beams": beams}
    runs = {}
    for number, language in enumerate(test_set.languages):
        hypotheses, start = {}, 0
        for ref in sorted(test_set.references.glob("*.txt")):  # documents in order
            length = len(read_lines(ref))
            hypotheses[ref.name] = variant[start : start + length]
            start += length
        run_id = f"20260101T00000{number}Z-{system[-2:].lower()}{number:04d}"
        write_fake_run(
            output, run_id, language.nllb, language.inputs, test_set.references, hypotheses, config
        )
        runs[language.code] = run_id
    write_report(output, test_set, runs)
    return test_set


def test_report_shows_languages_intervals_flags_and_time(ntrex_dir: Path, tmp_path: Path) -> None:
    fake_evaluation(ntrex_dir, tmp_path, "eng-GB", beams=4)

    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    table = [line for line in report.splitlines() if "_Latn |" in line or "_Beng |" in line]
    assert len(table) == 2
    msa = [cell.strip() for cell in table[0].strip("|").split("|")]
    assert msa[:4] == ["msa", "zsm_Latn", "6/6", "96/96"]
    assert re.fullmatch(r"\d+\.\d \(\d+\.\d ± \d+\.\d\)", msa[4])  # BLEU (μ ± ci)
    assert msa[7:9] == ["6/96", "6"]  # flagged, truncated: the first line of each document
    assert msa[9:] == [f"{1000 * 30 / 96:.1f}", f"{1000 * 20 / 96:.1f}"]  # s per 1,000 segments
    assert f"the first 6 of {len(group_documents(_document_ids(ntrex_dir)))} documents" in report
    assert "Every document was scored." in report
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in report
    assert (tmp_path / "scores.png").stat().st_size > 10_000
    manifest = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert set(manifest["runs"]) == {"msa", "ben"}
    scores = pd.read_parquet(tmp_path / "scores")
    run_id = manifest["runs"]["msa"]
    language = scores[(scores["run_id"] == run_id) & (scores["level"] == "language")]
    assert_scores_match_cli(
        language, tmp_path / "text" / "msa.ref.txt", tmp_path / "text" / "msa.hyp.txt"
    )


# --- the whole command, with the tiny models --------------------------------------------------


@pytest.mark.slow
def test_eval_ntrex_command(
    tiny_models: tuple[Path, Path], prefect_server: None, ntrex_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "e"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "ntrex",
            "--ntrex-dir",
            str(ntrex_dir),
            "--langs",
            "msa,ben,arb",
            "--docs",
            "2",
            "--output",
            str(output),
            "--model",
            str(tiny_models[0]),
            "--summarizer",
            str(tiny_models[1]),
            "--beams",
            "1",
        ],
    )

    assert result.exit_code == 0, result.output
    manifest = json.loads((output / "eval.json").read_text(encoding="utf-8"))
    assert list(manifest["runs"]) == ["msa", "ben", "arb"]
    runs = pd.read_parquet(output / "runs")
    assert set(runs["run_id"]) == set(manifest["runs"].values())  # the production flow's runs
    scores = pd.read_parquet(output / "scores")
    report = (output / "report.md").read_text(encoding="utf-8")
    for code, nllb in (("msa", "zsm_Latn"), ("ben", "ben_Beng"), ("arb", "arb_Arab")):
        assert f"| {code} | {nllb} | 2/2 | 22/22 |" in report
        run = scores[scores["run_id"] == manifest["runs"][code]]
        corpus = run[run["level"] == "corpus"]
        assert (corpus["alignment"] == "line").all() and (corpus["n_segments"] == 22).all()
        assert_scores_match_cli(
            corpus, output / "text" / f"{code}.ref.txt", output / "text" / f"{code}.hyp.txt"
        )
    assert (output / "scores.png").stat().st_size > 10_000
    assert "msa" in result.output and "(μ ± 95% CI)" in result.output

    import httpx
    from prefect.settings import PREFECT_API_URL

    # the report's table, published on the flow run (asked over HTTP: this Prefect's client
    # sends nulls that its own server's /artifacts/filter rejects)
    query = {
        "artifacts": {"key": {"any_": ["newsflow-eval-scores"]}},
        "limit": 5,
        "offset": 0,
        "sort": "CREATED_DESC",
    }
    published = [
        SimpleNamespace(**a)
        for a in httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", json=query).json()
    ]
    assert published and published[0].type == "table"
    assert all(nllb in str(published[0].data) for nllb in ("zsm_Latn", "ben_Beng", "arb_Arab"))


@pytest.mark.slow
def test_misaligned_reference_is_reported_in_the_evaluation(
    tiny_models: tuple[Path, Path], prefect_server: None, ntrex_dir: Path, tmp_path: Path
) -> None:
    from flows.evaluate import evaluate
    from newslib.config import RunConfig

    test_set = build_ntrex(ntrex_dir, ["msa"], tmp_path, docs=2)
    broken = sorted(test_set.references.glob("*.txt"))[1]
    broken.write_text("\n".join(read_lines(broken)[:-1]) + "\n", encoding="utf-8")  # a line short
    config = RunConfig.model_validate(
        {
            "output": tmp_path,
            "model": str(tiny_models[0]),
            "summarizer": str(tiny_models[1]),
            "summarize": False,
            "beams": 1,
        }
    )

    result = evaluate(test_set, config)

    assert result["complete"] is False
    scores = pd.read_parquet(tmp_path / "scores")
    misaligned = scores[scores["alignment"] == "misaligned"]
    assert len(misaligned) == 3 and misaligned["score"].isna().all()
    assert misaligned["note"].iloc[0] == "not scored: the translation has 6 lines, the reference 5"
    language = scores[scores["level"] == "language"]
    assert (language["n_documents"] == 1).all() and (language["n_segments"] == 16).all()
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| msa | zsm_Latn | 1/2 | 16/22 |" in report
    assert f"- msa `{broken.name}`: not scored: the translation has 6 lines" in report
