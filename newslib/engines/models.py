"""Finding and loading the Hugging Face models, once per process.

Models are named by hub id (downloaded once into the usual Hugging Face cache, which honours
``HF_HOME``) or by a local directory. ``HF_HUB_OFFLINE=1`` is honoured. When a model is neither
local nor cached and the hub cannot be reached, we stop before any work with one message that
says what to do, instead of transformers' retries and traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import huggingface_hub
from huggingface_hub import constants as hf_constants
from huggingface_hub.errors import HFValidationError
from huggingface_hub.file_download import repo_folder_name
from huggingface_hub.utils import validate_repo_id

# Any one of these lets AutoTokenizer load: fast tokenizer, SentencePiece models, BPE vocab.
TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.json")


class ModelUnavailableError(RuntimeError):
    """A model could not be found locally nor fetched from the hub."""


@dataclass(frozen=True)
class ModelSource:
    """Where a model's files come from, as `from_pretrained` wants it."""

    name: str  # hub id or local directory
    local_files_only: bool
    revision: str  # hub commit, or a hash of the local directory's config


def _local_dir_revision(path: Path) -> str:
    """A hash of the content of every file of the directory (see `newslib.output.revision`)."""
    from newslib.output.revision import local_model_revision

    return local_model_revision(path)


def _cached_revision(repo_id: str) -> str | None:
    """The commit of the cached snapshot of `repo_id` that `refs/main` names, or None."""
    ref = Path(hf_constants.HF_HUB_CACHE) / repo_folder_name(repo_id=repo_id, repo_type="model")
    ref = ref / "refs" / "main"
    if ref.is_file():
        return ref.read_text(encoding="utf-8").strip() or None
    config = huggingface_hub.try_to_load_from_cache(repo_id, "config.json")
    return Path(config).parent.name if isinstance(config, str) else None


def _cached_snapshot(repo_id: str, revision: str) -> Path:
    folder = repo_folder_name(repo_id=repo_id, repo_type="model")
    return Path(hf_constants.HF_HUB_CACHE) / folder / "snapshots" / revision


def _option_names(role: str) -> tuple[str, str]:
    """The command-line option and environment variable that name the model of `role`."""
    if role == "translation":
        return "--model", "NEWSFLOW_MODEL"
    return "--summarizer", "NEWSFLOW_SUMMARIZER"


def _unavailable_message(name: str, role: str, cause: str) -> str:
    flag, env = _option_names(role)
    return (
        f"The {role} model '{name}' could not be fetched: it is not a local directory, it is "
        f"not in the Hugging Face cache ({hf_constants.HF_HUB_CACHE}), and {cause}.\n"
        f"Fix: download it once where the hub is reachable (`hf download {name}`) and copy "
        f"that cache here (point HF_HOME at it), or pass a local copy with "
        f"{flag} /path/to/model (or {env}=/path/to/model)."
    )


def looks_like_path(name: str) -> bool:
    """True when `name` can only be a local path: hub ids are `name` or `owner/name`."""
    if name.startswith(("/", ".", "~")) or "\\" in name or name.count("/") > 1:
        return True
    try:
        validate_repo_id(name)
    except HFValidationError:
        return True
    return False


def missing_model_files(directory: Path) -> list[str]:
    """What `from_pretrained` will need and `directory` lacks: config, weights, tokenizer."""
    missing = [] if (directory / "config.json").is_file() else ["config.json"]
    weights = [*directory.glob("*.safetensors"), *directory.glob("pytorch_model*.bin")]
    for index in directory.glob("*.index.json"):  # sharded weights: every shard must be there
        shards = set(json.loads(index.read_text("utf-8")).get("weight_map", {}).values())
        missing += sorted(s for s in shards if not (directory / s).is_file())
    if not any(w.is_file() for w in weights):
        missing.append("model weights (model.safetensors or pytorch_model.bin)")
    if not any((directory / name).is_file() for name in TOKENIZER_FILES):
        missing.append(f"a tokenizer ({' or '.join(TOKENIZER_FILES)})")
    return missing


def _check_local_dir(path: Path, role: str, what: str) -> None:
    flag, env = _option_names(role)
    if not path.is_dir():
        problem = "is not a directory" if path.exists() else "does not exist"
        raise ModelUnavailableError(
            f"The {role} model directory '{path}' {problem}. Fix: check the path given "
            f"with {flag} (or {env}), or give a Hugging Face hub id (owner/name)."
        )
    missing = missing_model_files(path)
    if missing:
        raise ModelUnavailableError(
            f"The {role} model {what} '{path}' lacks {', '.join(missing)}. Fix: give a "
            "directory written by save_pretrained (or a complete Hugging Face snapshot: "
            f"download it again with `hf download`) with {flag} (or {env})."
        )


def _from_cache(name: str, role: str, revision: str) -> ModelSource:
    """The cached snapshot, once we know it holds every file loading will ask for."""
    _check_local_dir(_cached_snapshot(name, revision), role, f"'{name}' cached at")
    return ModelSource(name, True, revision)


def resolve_model(name: str, role: str) -> ModelSource:
    """Check that `name` can be loaded, without loading it; raise ModelUnavailableError if not."""
    path = Path(name).expanduser()
    if path.exists() or looks_like_path(name):
        _check_local_dir(path, role, "directory")
        return ModelSource(str(path), True, _local_dir_revision(path))
    cached = _cached_revision(name)
    if hf_constants.HF_HUB_OFFLINE:
        if cached is None:
            raise ModelUnavailableError(_unavailable_message(name, role, "HF_HUB_OFFLINE is set"))
        return _from_cache(name, role, cached)
    try:
        info = huggingface_hub.HfApi().model_info(name, timeout=10)
    except Exception as error:  # network, auth or not-found: all mean "not fetchable now"
        if cached is not None:
            return _from_cache(name, role, cached)
        cause = f"the hub could not be reached ({type(error).__name__}: {error})"
        raise ModelUnavailableError(_unavailable_message(name, role, cause)) from None
    return ModelSource(name, False, info.sha or "unknown")


def resolve_device(device: str) -> str:
    """'auto' means CUDA when torch sees a GPU; asking for CUDA without one is an error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailableError(
            "--device cuda was asked for but torch sees no GPU (torch "
            f"{torch.__version__}); use --device cpu or install a CUDA build of torch."
        )
    return device


def quiet_transformers() -> None:
    """No weight-loading bars in the user's terminal or worker logs, and no "sequence length is
    longer than the specified maximum" warning: long texts are chunked on purpose, and the
    data says so (`n_segments`, `summary_chunks`)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    huggingface_hub.utils.disable_progress_bars()
    logging.getLogger("transformers.tokenization_utils_base").setLevel(logging.ERROR)


@functools.cache
def load_seq2seq(source: ModelSource, device: str) -> tuple[Any, Any]:
    """Tokenizer and model, loaded once per process and kept for every later batch."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(source.name, local_files_only=source.local_files_only)
    # Half precision on GPU doubles throughput at no measurable quality cost for NLLB.
    dtype = torch.float32
    if device == "cuda":
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    model = AutoModelForSeq2SeqLM.from_pretrained(
        source.name, local_files_only=source.local_files_only, dtype=dtype
    )
    model.to(device)
    model.eval()
    return tokenizer, model


@functools.cache
def load_tokenizer(source: ModelSource) -> Any:
    """Just the tokenizer (cheap): segmentation needs token counts before any model loads."""
    from transformers import AutoTokenizer

    quiet_transformers()
    return AutoTokenizer.from_pretrained(source.name, local_files_only=source.local_files_only)


def torch_threads_hint() -> None:
    """Use every core for intra-op work unless the user chose otherwise."""
    import torch

    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(max(1, os.cpu_count() or 1))
