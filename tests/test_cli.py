"""The command line: what a user sees when a run cannot start, and the environment it sets."""

from __future__ import annotations

import os
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from huggingface_hub import constants as hf_constants
from typer.testing import CliRunner

from newsflow.cli import EXIT_CANNOT_RUN, app, prepare_prefect_environment
from newsflow.options import env_name, markdown, option_name
from newslib.config import RunConfig
from newslib.engines.models import ModelSource, resolve_model


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["run", *args])
    return result.exit_code, " ".join(result.output.split())  # unwrapped


def test_prefect_defaults_never_override_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_SERVER_ANALYTICS_ENABLED", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    prepare_prefect_environment()
    # Offline, the temporary server's usage report fails and logs an ERROR on every run.
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "300"


def test_missing_input_stops_before_any_work(tmp_path: Path) -> None:
    code, output = _run(str(tmp_path / "no-such-folder"), "--output", str(tmp_path / "out"))
    assert code == EXIT_CANNOT_RUN
    assert f"input not found: {tmp_path / 'no-such-folder'}" in output
    assert not (tmp_path / "out").exists()


def test_an_option_out_of_range_names_the_option(tmp_path: Path) -> None:
    code, output = _run(str(tmp_path), "--beams", "0")
    assert code == EXIT_CANNOT_RUN
    assert "beams" in output and "greater than or equal to 1" in output


def _no_traceback_and_one_message(output: str, *expected: str) -> None:
    assert "Traceback" not in output
    assert output.count("error:") == 1, output
    for text in expected:
        assert text in output, output


@pytest.mark.parametrize("option", ["--model", "--summarizer"])
@pytest.mark.parametrize("kind", ["absolute", "relative", "home"])
def test_a_model_path_that_does_not_exist_is_one_clear_error(
    option: str,
    kind: str,
    samples_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_models: tuple[Path, Path],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    given = {"absolute": str(tmp_path / "typo"), "relative": "./models/typo", "home": "~/typo"}
    path = {
        "absolute": tmp_path / "typo",
        "relative": Path("models/typo"),
        "home": tmp_path / "typo",
    }
    valid = ["--model", str(tiny_models[0]), "--summarizer", str(tiny_models[1])]
    args = [*valid, option, given[kind]]  # the later option wins
    code, output = _run(str(samples_dir), "--output", str(tmp_path / "o"), *args)
    assert code == EXIT_CANNOT_RUN
    role = "translation" if option == "--model" else "summarization"
    _no_traceback_and_one_message(
        output, f"The {role} model directory '{path[kind]}' does not exist", f"with {option}"
    )
    assert not (tmp_path / "o").exists()


def test_the_model_from_the_environment_is_checked_too(
    samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_MODEL", str(tmp_path / "typo"))
    code, output = _run(str(samples_dir), "--output", str(tmp_path / "o"))
    assert code == EXIT_CANNOT_RUN
    _no_traceback_and_one_message(output, f"'{tmp_path / 'typo'}' does not exist", "NEWSFLOW_MODEL")


def test_a_model_folder_without_its_files_is_one_clear_error(
    samples_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    code, output = _run(str(samples_dir), "--model", str(tmp_path / "empty"))
    assert code == EXIT_CANNOT_RUN
    _no_traceback_and_one_message(output, "lacks config.json, model weights", "a tokenizer")


def test_an_unknown_hub_id_with_the_hub_out_of_reach_is_one_clear_error(
    samples_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_models: tuple[Path, Path],
) -> None:
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(hf_constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens
    code, output = _run(str(samples_dir), "--model", "someone/no-such-model")
    assert code == EXIT_CANNOT_RUN
    _no_traceback_and_one_message(
        output, "'someone/no-such-model' could not be fetched", "hub could not be reached"
    )
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    code, output = _run(
        str(samples_dir), "--model", str(tiny_models[0]), "--summarizer", "someone/no-such-model"
    )
    assert code == EXIT_CANNOT_RUN
    _no_traceback_and_one_message(output, "HF_HUB_OFFLINE is set", "--summarizer /path/to/model")


def _cache_snapshot(cache: Path, repo_id: str, model_dir: Path, revision: str) -> Path:
    """`model_dir` laid out as the Hugging Face cache keeps a downloaded snapshot."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)
    snapshot = repo / "snapshots" / revision
    shutil.copytree(model_dir, snapshot)
    return snapshot


def test_a_cached_model_with_missing_files_is_one_clear_error(
    samples_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_models: tuple[Path, Path],
) -> None:
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    snapshot = _cache_snapshot(tmp_path / "hub", "meta/tiny-nllb", tiny_models[0], "abc123")
    assert resolve_model("meta/tiny-nllb", "translation") == ModelSource(
        "meta/tiny-nllb", True, "abc123"
    )  # complete: used as it is
    (snapshot / "model.safetensors").unlink()  # an interrupted download
    code, output = _run(str(samples_dir), "--model", "meta/tiny-nllb")
    assert code == EXIT_CANNOT_RUN
    _no_traceback_and_one_message(
        output, f"'meta/tiny-nllb' cached at '{snapshot}' lacks model weights", "hf download"
    )


def test_help_shows_defaults_variables_and_choices() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    for field in RunConfig.model_fields:
        if field != "inputs":
            assert option_name(field) in text and env_name(field) in text, field
    assert "<auto|cpu|cuda>" in text and "<thread|dask>" in text
    assert "[default: (4)]" in text  # beams


def test_every_config_field_is_an_option_of_run(tmp_path: Path) -> None:
    command = typer.main.get_command(app).commands["run"]  # type: ignore[attr-defined]
    options = {name for param in command.params for name in param.opts}
    assert {option_name(field) for field in RunConfig.model_fields if field != "inputs"} <= options


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"newsflow {version('newsflow')}"


def test_readme_options_table_is_current() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- options:start -->\n")[1].split("<!-- options:end -->")[0]
    assert section.strip() == markdown().strip(), "run: python -m newsflow.options, paste in README"
