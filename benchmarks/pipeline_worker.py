"""One configuration of the pipeline benchmark, in a process of its own (its memory its own).

- `naive`: the code of the model cards, float32: each sentence through NLLB's `generate` on its
  own, each article's joined translation through the summarizer's `generate`. (transformers 5
  has no `pipeline("translation")` / `pipeline("summarization")` any more; this is what they
  ran.) Nothing else: no checks, no scores, no Parquet, which only flatters it.
- `newsflow`: `flows.pipeline.translate_news` with a RunConfig, the real flow on the default
  backend (CTranslate2 wherever it runs), after a warm-up run that loads the models.

Output lengths are forced so both do the same model work: every sentence exactly
`sentence_tokens` tokens and then its end token (so no sentence is flagged as cut off), every
summary the summarizer's generation config's length (pipeline_model.SUMMARY_TOKENS). With
`outputs="references"` the words of each output are the NTREX English (`pipeline_outputs`), in
both configurations' summaries too.
The time of each stage is read by wrapping the library functions the flow's tasks call.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks.bench_worker import peak_rss
from benchmarks.pipeline_outputs import ReferenceLines, reference_outputs

NAIVE = "naive"
NEWSFLOW = "newsflow"
NEWSFLOW_TRANSFORMERS = "newsflow-transformers"
CONFIGURATIONS = (NAIVE, NEWSFLOW, NEWSFLOW_TRANSFORMERS)
STAGES = ("prepare", "translate", "repair", "summarize", "stories", "score", "write")
MODEL_STAGES = ("translate", "repair", "summarize")
# What the outputs say: the NTREX English, or the model's own (random) words.
REFERENCES, MODEL = "references", "model"


@dataclass(frozen=True)
class Job:
    configuration: str
    translator: str  # model directories
    summarizer: str
    inputs: str  # one .txt per article: NTREX lines, one sentence a line
    references: str
    work: str  # this configuration's scratch directory
    warmup: str  # a one-sentence article, for the warm-up run
    sentence_tokens: int
    beams: int
    outputs: str = REFERENCES


@dataclass
class Measured:
    seconds: float = 0.0
    model_seconds: float = 0.0
    articles: int = 0
    ok: int = 0
    sentences: int = 0
    repair_rate: float = 0.0  # segments decoded a second time / segments translated
    reference_share: float = 0.0  # outputs that carried the NTREX English (outputs=references)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: int = 0


class EndingCt2Model:
    """A ctranslate2.Translator whose outputs are exactly `n_tokens` tokens and an end token."""

    def __init__(self, model: Any, n_tokens: int, eos: str) -> None:
        self._model, self.n_tokens, self.eos = model, n_tokens, eos

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def translate_batch(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["max_decoding_length"] = kwargs["min_decoding_length"] = self.n_tokens + 1
        pending = self._model.translate_batch(source, *args, **kwargs)
        return [EndedResult(result, self.eos) for result in pending]


class EndedResult:
    """An asynchronous result whose best hypothesis ends with the end token."""

    def __init__(self, pending: Any, eos: str) -> None:
        self.pending, self.eos = pending, eos

    def done(self) -> bool:
        return bool(self.pending.done())

    def result(self) -> Any:
        result = self.pending.result()
        hypothesis = [*result.hypotheses[0], self.eos]
        # The score as if the end token had log-probability 0: the mean over one more token.
        scores = [score * (len(hypothesis) - 1) / len(hypothesis) for score in result.scores]
        return SimpleNamespace(hypotheses=[hypothesis], scores=scores)


class EndingTorchModel:
    """A transformers model whose `generate` makes `n_tokens` tokens and then the end token."""

    def __init__(self, model: Any, n_tokens: int) -> None:
        self._model, self.n_tokens = model, n_tokens

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._model(*args, **kwargs)

    def generate(self, **kwargs: Any) -> Any:
        # the language token, n_tokens, the end token (forced at the last step)
        kwargs["max_new_tokens"] = kwargs["min_new_tokens"] = self.n_tokens + 2
        kwargs["forced_eos_token_id"] = self._model.config.eos_token_id
        return self._model.generate(**kwargs)


def articles_of(inputs: Path) -> list[tuple[str, list[str]]]:
    """(NLLB code, sentences) of each article; the file name ends with the code."""
    found = []
    for path in sorted(inputs.glob("*.txt")):
        lang = path.stem.split("__")[-1]
        found.append((lang, [s for s in path.read_text("utf-8").splitlines() if s.strip()]))
    return found


def run_naive(job: Job) -> Measured:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(job.translator)
    model = AutoModelForSeq2SeqLM.from_pretrained(job.translator, dtype=torch.float32)
    summary_tokenizer = AutoTokenizer.from_pretrained(job.summarizer)
    summarizer = AutoModelForSeq2SeqLM.from_pretrained(job.summarizer, dtype=torch.float32)
    english = tokenizer.convert_tokens_to_ids("eng_Latn")
    articles = articles_of(Path(job.inputs))
    english_lines = [lines for _, lines in articles_of(Path(job.references))]
    measured = Measured(articles=len(articles), ok=len(articles))
    stages: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    for (lang, sentences), reference in zip(articles, english_lines, strict=True):
        begin = time.perf_counter()
        tokenizer.src_lang = lang
        translated = []
        for sentence in sentences:
            inputs = tokenizer(sentence, return_tensors="pt")
            out = model.generate(
                **inputs,
                forced_bos_token_id=english,
                num_beams=job.beams,
                max_new_tokens=job.sentence_tokens + 1,
                min_new_tokens=job.sentence_tokens + 1,
            )
            translated.append(tokenizer.batch_decode(out, skip_special_tokens=True)[0])
        measured.sentences += len(sentences)
        stages["translate"] += time.perf_counter() - begin
        begin = time.perf_counter()
        summarized = reference if job.outputs == REFERENCES else translated
        inputs = summary_tokenizer("\n".join(summarized), truncation=True, return_tensors="pt")
        summary_tokenizer.batch_decode(summarizer.generate(**inputs), skip_special_tokens=True)
        stages["summarize"] += time.perf_counter() - begin
    measured.seconds = time.perf_counter() - started
    measured.model_seconds = stages["translate"] + stages["summarize"]
    measured.stage_seconds = dict(stages)
    return measured


@contextlib.contextmanager
def stage_timers(stages: dict[str, float]) -> Iterator[None]:
    """Wrap the library functions the flow's tasks call, adding their time to `stages`."""
    import newslib.batch
    import newslib.output.write
    import newslib.scoring.score
    import tasks.prepare
    import tasks.stories
    import tasks.summarize
    import tasks.write

    scorer = newslib.scoring.score.RunScorer
    targets = [
        (tasks.prepare, "prepare_article", lambda *a, **k: "prepare"),
        (newslib.batch, "translate_by_language", lambda *a, **k: _translate_stage(**k)),
        (tasks.summarize, "summarize_articles", lambda *a, **k: "summarize"),
        (tasks.stories, "link_run_articles", lambda *a, **k: "stories"),
        (scorer, "add_articles", lambda *a, **k: "score"),
        (scorer, "summary_rows", lambda *a, **k: "score"),
        (newslib.output.write.DatasetWriter, "write", lambda *a, **k: "write"),
        (tasks.write, "commit_run", lambda *a, **k: "write"),
    ]
    originals = [(module, name, getattr(module, name)) for module, name, _ in targets]
    for (module, name, stage_of), (_, _, original) in zip(targets, originals, strict=True):
        setattr(module, name, _timed(original, stage_of, stages))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def _translate_stage(repair: bool = False, **_: Any) -> str:
    return "repair" if repair else "translate"


def _timed(
    function: Callable[..., Any], stage_of: Callable[..., str], stages: dict[str, float]
) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        begin = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stages[stage_of(*args, **kwargs)] += time.perf_counter() - begin

    return timed


@contextlib.contextmanager
def forced_lengths(job: Job) -> Iterator[None]:
    """The translators the flow loads make `sentence_tokens` tokens and an end token."""
    import newslib.engines.ct2_translator as ct2
    import newslib.engines.spec as spec

    load_ct2_model, translator_class = ct2.load_ct2_model, spec.TransformersTranslator

    def ending_ct2(*args: Any, **kwargs: Any) -> Any:
        return EndingCt2Model(load_ct2_model(*args, **kwargs), job.sentence_tokens, "</s>")

    def ending_torch(tokenizer: Any, model: Any, **kwargs: Any) -> Any:
        return translator_class(tokenizer, EndingTorchModel(model, job.sentence_tokens), **kwargs)

    ct2.load_ct2_model = ending_ct2
    spec.TransformersTranslator = ending_torch  # type: ignore[assignment,misc]
    # A translator this process loaded before (same spec) would be reused unpatched.
    spec.get_translator.cache_clear()
    try:
        yield
    finally:
        ct2.load_ct2_model = load_ct2_model
        spec.TransformersTranslator = translator_class  # type: ignore[misc]
        spec.get_translator.cache_clear()


def run_newsflow(job: Job) -> Measured:
    import pandas as pd

    from flows.pipeline import translate_news
    from newslib.config import RunConfig

    backend = "transformers" if job.configuration == NEWSFLOW_TRANSFORMERS else "auto"

    def config(inputs: str, output: str, references: str | None) -> RunConfig:
        return RunConfig(
            inputs=[Path(inputs)],
            output=Path(output),
            references=Path(references) if references else None,
            model=job.translator,
            summarizer=job.summarizer,
            beams=job.beams,
            backend=backend,
        )

    stages: dict[str, float] = defaultdict(float)
    references = ReferenceLines.read(Path(job.inputs), Path(job.references))
    outputs = reference_outputs(references) if job.outputs == REFERENCES else nullcontext()
    with forced_lengths(job), outputs:
        translate_news(config(job.warmup, os.path.join(job.work, "warmup"), None))
        references.matched = references.unmatched = 0  # the warm-up's are not the run's
        with stage_timers(stages):
            measured_config = config(job.inputs, os.path.join(job.work, "out"), job.references)
            summary = translate_news(measured_config)
    runs = pd.read_parquet(Path(job.work) / "out" / "runs")
    run = runs[runs["run_id"] == summary["run_id"]].iloc[0]
    return Measured(
        seconds=float(run["wall_seconds"]),
        model_seconds=float(run["model_seconds"]),
        articles=int(run["n_articles"]),
        ok=int(run["n_ok"]),
        sentences=int(run["n_segments"]),
        repair_rate=float(run["repair_rate"]),
        reference_share=references.share,
        stage_seconds=dict(stages),
    )


def serve(conn: Any, job: Job) -> None:
    """Worker process: run the job, answer with its measurements (or the error)."""
    try:
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
        os.environ.setdefault("DO_NOT_TRACK", "1")
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        from newslib.engines.models import torch_threads_hint

        torch_threads_hint()
        measured = run_naive(job) if job.configuration == NAIVE else run_newsflow(job)
        measured.peak_bytes = peak_rss()
        conn.send(("result", measured))
    except Exception as error:
        import traceback

        conn.send(("error", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
    finally:
        conn.close()
