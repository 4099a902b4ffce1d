"""The one typed configuration object of a run.

Every command-line option and every Prefect flow parameter maps onto a field here, and every
field can also be set from the environment as ``NEWSFLOW_<FIELD>`` (e.g. ``NEWSFLOW_MODEL``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "facebook/nllb-200-distilled-600M"
DEFAULT_SUMMARIZER = "sshleifer/distilbart-cnn-12-6"

Device = Literal["auto", "cpu", "cuda"]
Backend = Literal["auto", "transformers", "ctranslate2"]
TaskRunnerName = Literal["thread", "dask"]
Alignment = Literal["auto", "line"]


class RunConfig(BaseSettings):
    """What to read, which models to use, how to decode, and where to write."""

    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", extra="forbid")

    inputs: list[Path] = Field(
        default_factory=list,
        description="Files, directories (read recursively) or .jsonl/.parquet/.csv tables.",
    )
    output: Path = Field(Path("output"), description="Directory of the Parquet datasets.")
    model: str = Field(DEFAULT_MODEL, description="NLLB model: hub id or local directory.")
    summarizer: str = Field(DEFAULT_SUMMARIZER, description="Summarizer: hub id or local dir.")
    references: Path | None = Field(
        None, description="Reference translations: a directory of .txt files or a table."
    )
    alignment: Alignment = Field(
        "auto",
        description="auto: a reference whose line count differs is scored as one document "
        "segment; line: it is reported as misaligned and not scored (line-aligned test sets).",
    )
    source_lang: str | None = Field(
        None, description="NLLB code of every input (e.g. zsm_Latn); skips detection."
    )
    target_lang: str = Field("eng_Latn", description="NLLB code of the output language.")
    device: Device = Field("auto", description="auto: the GPU when torch sees one.")
    backend: Backend = Field(
        "auto", description="Engine of both models (auto: CTranslate2 where it can run)."
    )
    beams: int = Field(4, ge=1, le=16, description="Beam size for translation.")
    token_budget: int = Field(
        4096, ge=64, description="Padded source tokens per translation batch."
    )
    restrict_vocab: bool = Field(
        False,
        description="Decode over the English target vocabulary only (ctranslate2 backend).",
    )
    max_segment_tokens: int = Field(
        200, ge=16, description="Longer sentences are split before translation."
    )
    text_column: str = Field("text", description="Text column of .jsonl/.parquet/.csv inputs.")
    id_column: str | None = Field(None, description="Optional id column of table inputs.")
    html_column: str = Field(
        "html",
        description="HTML column of table inputs: a row with no text gets the main text of "
        "its page.",
    )
    title_column: str = Field("title", description="Headline column of table inputs.")
    url_column: str = Field("url", description="URL column of table inputs.")
    date_column: str = Field(
        "published_at",
        description="Publication date column of table inputs (ISO 8601; no offset: UTC).",
    )
    author_column: str = Field("author", description="Author column of table inputs.")
    site_column: str = Field("site", description="Site (publication) column of table inputs.")
    max_file_bytes: int = Field(5_000_000, ge=1, description="Larger files fail with a reason.")
    follow_symlinks: bool = Field(
        False, description="Follow symbolic links that lead outside an input directory."
    )
    summarize: bool = Field(True, description="Write a summary of every article.")
    summary_max_chunks: int = Field(
        16,
        ge=1,
        description="Most chunks summarized per level and article: a longer text is "
        "summarized from this many chunks chosen evenly (bounds the cost per article).",
    )
    stories: bool = Field(
        True,
        description="Link every article to its story and to the article it copies, if any "
        "(stories/ dataset; README Stories).",
    )
    batch_articles: int = Field(
        256, ge=1, description="Articles per work batch (the unit of retries and of Dask)."
    )
    task_runner: TaskRunnerName = Field(
        "thread", description="Where model work runs: this process, or a Dask cluster."
    )
    dask_address: str | None = Field(None, description="tcp://... of an existing Dask cluster.")
    dask_workers: int = Field(2, ge=1, description="Worker processes of a local Dask cluster.")

    @field_validator("source_lang")
    @classmethod
    def _known_source_lang(cls, value: str | None) -> str | None:
        from newslib.text.languages import is_nllb_supported

        if value is not None and not is_nllb_supported(value):
            raise ValueError(
                f"{value!r} is not an NLLB-200 language code (examples: zsm_Latn, ben_Beng, "
                "arb_Arab; see newslib/text/languages.py)"
            )
        return value

    def output_fingerprint(self) -> str:
        """Hash of every setting that changes what a translation or summary looks like.

        Two runs with the same fingerprint produce the same text for the same article, so
        results can be reused across runs.
        """
        keys: tuple[str, ...] = (
            "model",
            "summarizer",
            "source_lang",
            "target_lang",
            "beams",
            "max_segment_tokens",
            "summarize",
        )
        if self.restrict_vocab:  # only when on, so that earlier fingerprints stay valid
            keys += ("restrict_vocab",)
        payload = json.dumps({k: getattr(self, k) for k in keys}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
