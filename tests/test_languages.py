"""Language code tables: NLLB-200, NTREX-128 and lingua."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
from lingua import Language

from newslib.text.languages import (
    CLOSE_LANGUAGE_GROUPS,
    DISTINCTIVE_LETTERS,
    ISO639_1_BY_ISO639_3,
    LINGUA_NOT_IN_NLLB,
    LINGUA_TO_NLLB,
    NLLB_CODE_PATTERN,
    NLLB_LANGUAGES,
    NOT_KAZAKH_FALLBACKS,
    NTREX_NOT_IN_NLLB,
    NTREX_TO_NLLB,
    SCRIPT_LANGUAGES,
    are_close_languages,
    chinese_variant,
    is_nllb_supported,
    iso639_1,
    lingua_to_nllb,
    ntrex_files,
    ntrex_to_nllb,
)

# --- NLLB-200 ----------------------------------------------------------------------------------


def test_nllb_has_the_202_codes_unique_and_well_formed() -> None:
    assert len(NLLB_LANGUAGES) == 202
    bad = [code for code in NLLB_LANGUAGES if not NLLB_CODE_PATTERN.match(code)]
    assert bad == []
    assert all(name.strip() for name in NLLB_LANGUAGES.values())


def _tokenizer_language_codes() -> list[str]:
    """FAIRSEQ_LANGUAGE_CODES read from transformers' source: importing it takes seconds."""
    spec = importlib.util.find_spec("transformers")
    if spec is None or spec.origin is None:
        pytest.skip("transformers is not installed")
    source = Path(spec.origin).parent / "models" / "nllb" / "tokenization_nllb.py"
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and ast.unparse(node.targets[0]) == "FAIRSEQ_LANGUAGE_CODES"
        ):
            return list(ast.literal_eval(node.value))
    pytest.skip(f"no FAIRSEQ_LANGUAGE_CODES in {source}")


def test_nllb_codes_are_the_tokenizer_language_tokens_in_order() -> None:
    assert list(NLLB_LANGUAGES) == _tokenizer_language_codes()


@pytest.mark.parametrize(
    "code",
    ["zsm_Latn", "ben_Beng", "arb_Arab", "eng_Latn", "zho_Hans", "zho_Hant", "yue_Hant",
     "tur_Latn", "sat_Beng"],
)  # fmt: skip
def test_known_codes_are_supported(code: str) -> None:
    assert is_nllb_supported(code)


@pytest.mark.parametrize("code", ["msa", "zsm", "zsm_latn", "srp_Latn", "lat_Latn", "", None])
def test_other_strings_are_not_supported(code: str | None) -> None:
    assert not is_nllb_supported(code)


# --- NTREX-128 ---------------------------------------------------------------------------------


def test_every_ntrex_file_has_a_mapping(ntrex_dir: Path) -> None:
    files = ntrex_files(ntrex_dir)
    assert len(files) == 128
    assert set(files) <= set(NTREX_TO_NLLB)
    for code in files:
        nllb = ntrex_to_nllb(code)
        if nllb is None:
            assert code in NTREX_NOT_IN_NLLB, f"{code} maps to None without a reason"
        else:
            assert is_nllb_supported(nllb), f"{code} -> {nllb} is not an NLLB code"


def test_ntrex_odd_file_names_are_parsed(ntrex_dir: Path) -> None:
    files = ntrex_files(ntrex_dir)
    assert files["2.spa"].name == "newstest2019-ref-2.spa.txt"
    assert files["aze-Latn"].name == "newstest2019-ref.aze-Latn.txt"
    assert {"eng-GB", "eng-IN", "eng-US", "ckb-Arab", "srp-Cyrl", "srp-Latn"} <= set(files)
    assert all(path.is_file() for path in files.values())


@pytest.mark.parametrize(
    ("ntrex", "nllb"),
    [("msa", "zsm_Latn"), ("ind", "ind_Latn"), ("ben", "ben_Beng"), ("arb", "arb_Arab"),
     ("2.spa", "spa_Latn"), ("eng-IN", "eng_Latn"), ("aze-Latn", "azj_Latn"),
     ("ckb-Arab", "ckb_Arab"), ("fas", "pes_Arab"), ("lav", "lvs_Latn"), ("sqi", "als_Latn"),
     ("swa", "swh_Latn"), ("zho-CN", "zho_Hans"), ("zho-TW", "zho_Hant"), ("yue", "yue_Hant"),
     ("srp-Cyrl", "srp_Cyrl"), ("fil", "tgl_Latn"), ("div", None), ("ton", None)],
)  # fmt: skip
def test_ntrex_examples(ntrex: str, nllb: str | None) -> None:
    assert ntrex_to_nllb(ntrex) == nllb


def test_ntrex_unsupported_languages_are_explained() -> None:
    unexplained = [c for c, n in NTREX_TO_NLLB.items() if n is None and c not in NTREX_NOT_IN_NLLB]
    assert unexplained == []
    assert all(reason for reason in NTREX_NOT_IN_NLLB.values())


def test_unknown_ntrex_code_raises() -> None:
    with pytest.raises(KeyError):
        ntrex_to_nllb("xyz")


# --- lingua ------------------------------------------------------------------------------------


def test_lingua_table_covers_every_lingua_language() -> None:
    lingua_codes = {language.iso_code_639_3.name for language in Language.all()}
    assert set(LINGUA_TO_NLLB) == lingua_codes


def test_lingua_table_values_are_nllb_codes_or_explained_none() -> None:
    for iso, code in LINGUA_TO_NLLB.items():
        if code is None:
            assert iso in LINGUA_NOT_IN_NLLB
        else:
            assert is_nllb_supported(code), f"{iso} -> {code}"


@pytest.mark.parametrize(
    ("iso", "nllb"),
    [("MSA", "zsm_Latn"), ("IND", "ind_Latn"), ("ARA", "arb_Arab"), ("FAS", "pes_Arab"),
     ("AZE", "azj_Latn"), ("MON", "khk_Cyrl"), ("EST", "est_Latn"), ("LAV", "lvs_Latn"),
     ("SQI", "als_Latn"), ("SWA", "swh_Latn"), ("PAN", "pan_Guru"), ("BEN", "ben_Beng"),
     ("LAT", None)],
)  # fmt: skip
def test_lingua_picks_the_nllb_variety(iso: str, nllb: str | None) -> None:
    assert lingua_to_nllb(iso) == nllb


def test_chinese_variety_follows_the_characters() -> None:
    assert chinese_variant("威尔士国民议会议员担心看起来像笨蛋") == "zho_Hans"
    assert chinese_variant("威爾斯國會議員擔心看起來像布偶") == "zho_Hant"
    assert chinese_variant("部分議員為佢哋嘅稱號要改成MWPs嘅建議感到驚愕") == "yue_Hant"
    assert lingua_to_nllb("ZHO", "這個國家") == "zho_Hant"


def test_serbian_and_azerbaijani_follow_the_script() -> None:
    assert lingua_to_nllb("SRP", "Влада Србије је данас") == "srp_Cyrl"
    # NLLB has no Latin-script Serbian; its closest Latin-script neighbour stands in.
    assert lingua_to_nllb("SRP", "Vlada Srbije je danas") == "bos_Latn"
    assert lingua_to_nllb("AZE", "Azərbaycan Respublikası") == "azj_Latn"
    assert lingua_to_nllb("AZE", "آذربایجان دیلی") == "azb_Arab"


def test_other_tables_name_only_nllb_codes() -> None:
    script_codes = [code for *_rest, code in SCRIPT_LANGUAGES.values() if code is not None]
    grouped = [code for group in CLOSE_LANGUAGE_GROUPS for code in group]
    codes = [*script_codes, *DISTINCTIVE_LETTERS, *NOT_KAZAKH_FALLBACKS, *grouped]
    assert [code for code in codes if not is_nllb_supported(code)] == []
    nllb_prefixes = {code.partition("_")[0] for code in NLLB_LANGUAGES}
    assert set(ISO639_1_BY_ISO639_3) <= nllb_prefixes


def test_close_languages() -> None:
    assert are_close_languages("zsm_Latn", "ind_Latn")
    assert are_close_languages("zho_Hant", "zho_Hans")
    assert are_close_languages("arb_Arab", "arb_Arab")
    assert not are_close_languages("zsm_Latn", "arb_Arab")
    assert not are_close_languages("zsm_Latn", None)
    assert are_close_languages("pbt_Arab", "pes_Arab")
    assert not are_close_languages("pbt_Arab", "rus_Cyrl")
    assert not are_close_languages("pbt_Arab", None)


@pytest.mark.parametrize(
    ("nllb", "two_letter"),
    [("zsm_Latn", "ms"), ("ben_Beng", "bn"), ("arb_Arab", "ar"), ("zho_Hant", "zh"),
     ("ace_Latn", None)],
)  # fmt: skip
def test_iso639_1(nllb: str, two_letter: str | None) -> None:
    assert iso639_1(nllb) == two_letter
