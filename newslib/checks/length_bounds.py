"""Length-ratio bounds for English translations. Generated: do not edit.

Regenerate with `python -m eval.checks_ntrex --derive ../shared/data/ntrex128`. The ratio is
`newslib.checks.flags.length_ratio`: (English characters + 10) / (source characters + 10),
whitespace not counted ("chars"), or its geometric mean with the same ratio of words
("chars+words"), over NTREX-128's 1,997 human translations of each language paired with the
English reference; each language uses the measure that best separates half-truncated English
from them. The bounds are the 0.6th and 99.8th percentiles of the ratio, widened 1.0x each way.
"""

# NLLB code -> (length measure, lowest, highest ratio of a normal translation).
LENGTH_RATIO_BOUNDS: dict[str, tuple[str, float, float]] = {
    "afr_Latn": ("chars+words", 0.73, 1.31),  # 1997 sentences
    "als_Latn": ("chars", 0.64, 1.26),  # 1997 sentences
    "amh_Ethi": ("chars+words", 0.84, 2.18),  # 1997 sentences
    "arb_Arab": ("chars+words", 0.62, 2.31),  # 1997 sentences
    "azj_Latn": ("chars+words", 0.65, 1.63),  # 1997 sentences
    "bak_Cyrl": ("chars+words", 0.67, 1.90),  # 1997 sentences
    "bel_Cyrl": ("chars+words", 0.69, 1.60),  # 1997 sentences
    "bem_Latn": ("chars", 0.54, 1.21),  # 1997 sentences
    "ben_Beng": ("chars", 0.69, 1.54),  # 1997 sentences
    "bod_Tibt": ("chars", 0.47, 1.23),  # 1997 sentences
    "bos_Latn": ("chars+words", 0.70, 1.53),  # 1997 sentences
    "bul_Cyrl": ("chars+words", 0.67, 1.47),  # 1997 sentences
    "cat_Latn": ("chars", 0.61, 1.35),  # 1997 sentences
    "ces_Latn": ("chars+words", 0.74, 1.63),  # 1997 sentences
    "ckb_Arab": ("chars+words", 0.69, 1.53),  # 1997 sentences
    "cym_Latn": ("chars+words", 0.66, 1.31),  # 1997 sentences
    "dan_Latn": ("chars+words", 0.73, 1.44),  # 1997 sentences
    "deu_Latn": ("chars+words", 0.63, 1.34),  # 1997 sentences
    "dzo_Tibt": ("chars", 0.50, 2.15),  # 1997 sentences
    "ell_Grek": ("chars+words", 0.62, 1.45),  # 1997 sentences
    "est_Latn": ("chars+words", 0.76, 1.60),  # 1997 sentences
    "eus_Latn": ("chars+words", 0.67, 1.66),  # 1997 sentences
    "ewe_Latn": ("chars", 0.64, 2.08),  # 1997 sentences
    "fao_Latn": ("chars+words", 0.71, 1.47),  # 1997 sentences
    "fij_Latn": ("chars+words", 0.56, 1.43),  # 1997 sentences
    "fin_Latn": ("chars+words", 0.74, 1.60),  # 1997 sentences
    "fra_Latn": ("chars+words", 0.57, 1.39),  # 3994 sentences
    "fuv_Latn": ("chars+words", 0.73, 1.64),  # 1997 sentences
    "gaz_Latn": ("chars+words", 0.64, 2.38),  # 1997 sentences
    "gle_Latn": ("chars+words", 0.55, 1.32),  # 1997 sentences
    "glg_Latn": ("chars", 0.62, 1.44),  # 1997 sentences
    "guj_Gujr": ("chars", 0.71, 1.55),  # 1997 sentences
    "hau_Latn": ("chars", 0.66, 1.41),  # 1997 sentences
    "heb_Hebr": ("chars+words", 0.80, 1.77),  # 1997 sentences
    "hin_Deva": ("chars", 0.67, 1.47),  # 1997 sentences
    "hrv_Latn": ("chars+words", 0.69, 1.54),  # 1997 sentences
    "hun_Latn": ("chars+words", 0.65, 1.58),  # 1997 sentences
    "hye_Armn": ("chars+words", 0.70, 1.60),  # 1997 sentences
    "ibo_Latn": ("chars+words", 0.67, 1.38),  # 1997 sentences
    "ind_Latn": ("chars+words", 0.66, 1.42),  # 1997 sentences
    "isl_Latn": ("chars+words", 0.69, 1.47),  # 1997 sentences
    "ita_Latn": ("chars", 0.62, 1.32),  # 1997 sentences
    "jpn_Jpan": ("chars", 0.95, 2.71),  # 1997 sentences
    "kan_Knda": ("chars", 0.59, 1.37),  # 1997 sentences
    "kat_Geor": ("chars+words", 0.72, 1.67),  # 1997 sentences
    "kaz_Cyrl": ("chars+words", 0.66, 1.71),  # 1997 sentences
    "khk_Cyrl": ("chars+words", 0.65, 1.80),  # 1997 sentences
    "khm_Khmr": ("chars", 0.45, 1.25),  # 1997 sentences
    "kin_Latn": ("chars+words", 0.53, 1.54),  # 1997 sentences
    "kir_Cyrl": ("chars+words", 0.69, 1.71),  # 1997 sentences
    "kmr_Latn": ("chars+words", 0.65, 1.53),  # 1997 sentences
    "kor_Hang": ("chars+words", 0.87, 2.40),  # 1997 sentences
    "lao_Laoo": ("chars", 0.52, 1.36),  # 1997 sentences
    "lit_Latn": ("chars+words", 0.71, 1.62),  # 1997 sentences
    "ltz_Latn": ("chars+words", 0.67, 1.37),  # 1997 sentences
    "lvs_Latn": ("chars+words", 0.68, 1.60),  # 1997 sentences
    "mal_Mlym": ("chars+words", 0.36, 0.92),  # 1997 sentences
    "mar_Deva": ("chars", 0.63, 1.38),  # 1997 sentences
    "mkd_Cyrl": ("chars+words", 0.64, 1.46),  # 1997 sentences
    "mlt_Latn": ("chars+words", 0.64, 1.48),  # 1997 sentences
    "mri_Latn": ("chars+words", 0.61, 1.41),  # 1997 sentences
    "mya_Mymr": ("chars", 0.45, 1.35),  # 1997 sentences
    "nld_Latn": ("chars+words", 0.61, 1.35),  # 1997 sentences
    "nno_Latn": ("chars+words", 0.72, 1.46),  # 1997 sentences
    "nob_Latn": ("chars+words", 0.73, 1.47),  # 1997 sentences
    "npi_Deva": ("chars+words", 0.48, 1.14),  # 1997 sentences
    "nso_Latn": ("chars+words", 0.55, 1.47),  # 1997 sentences
    "nya_Latn": ("chars", 0.51, 1.41),  # 1997 sentences
    "pan_Guru": ("chars+words", 0.51, 1.15),  # 1997 sentences
    "pbt_Arab": ("chars+words", 0.61, 1.82),  # 1997 sentences
    "pes_Arab": ("chars+words", 0.64, 1.51),  # 1997 sentences
    "plt_Latn": ("chars", 0.51, 1.44),  # 1997 sentences
    "pol_Latn": ("chars+words", 0.63, 1.69),  # 1997 sentences
    "por_Latn": ("chars", 0.65, 1.38),  # 3994 sentences
    "prs_Arab": ("chars+words", 0.67, 1.42),  # 1997 sentences
    "ron_Latn": ("chars+words", 0.55, 1.44),  # 1997 sentences
    "rus_Cyrl": ("chars+words", 0.63, 1.60),  # 1997 sentences
    "sin_Sinh": ("chars", 0.64, 1.56),  # 1997 sentences
    "slk_Latn": ("chars+words", 0.72, 1.53),  # 1997 sentences
    "slv_Latn": ("chars+words", 0.70, 1.68),  # 1997 sentences
    "smo_Latn": ("chars+words", 0.56, 1.26),  # 1997 sentences
    "sna_Latn": ("chars+words", 0.64, 1.49),  # 1997 sentences
    "snd_Arab": ("chars+words", 0.74, 1.70),  # 1997 sentences
    "som_Latn": ("chars+words", 0.64, 1.40),  # 1997 sentences
    "spa_Latn": ("chars", 0.59, 1.37),  # 5991 sentences
    "srp_Cyrl": ("chars+words", 0.68, 1.50),  # 1997 sentences
    "ssw_Latn": ("chars", 0.57, 1.28),  # 1997 sentences
    "swe_Latn": ("chars+words", 0.72, 1.60),  # 1997 sentences
    "swh_Latn": ("chars", 0.61, 1.39),  # 1997 sentences
    "tam_Taml": ("chars+words", 0.35, 1.00),  # 1997 sentences
    "tat_Cyrl": ("chars+words", 0.66, 1.83),  # 1997 sentences
    "tel_Telu": ("chars", 0.63, 1.60),  # 1997 sentences
    "tgk_Cyrl": ("chars", 0.56, 1.39),  # 1997 sentences
    "tgl_Latn": ("chars+words", 0.63, 1.42),  # 1997 sentences
    "tha_Thai": ("chars", 0.62, 1.63),  # 1997 sentences
    "tir_Ethi": ("chars+words", 0.87, 1.99),  # 1997 sentences
    "tsn_Latn": ("chars", 0.52, 1.37),  # 1997 sentences
    "tuk_Latn": ("chars+words", 0.60, 1.50),  # 1997 sentences
    "tur_Latn": ("chars+words", 0.67, 1.65),  # 1997 sentences
    "uig_Arab": ("chars+words", 0.57, 1.53),  # 1997 sentences
    "ukr_Cyrl": ("chars+words", 0.67, 1.64),  # 1997 sentences
    "urd_Arab": ("chars+words", 0.64, 1.43),  # 1997 sentences
    "uzn_Latn": ("chars+words", 0.62, 1.55),  # 1997 sentences
    "vie_Latn": ("chars+words", 0.57, 1.35),  # 1997 sentences
    "wol_Latn": ("chars", 0.71, 1.70),  # 1997 sentences
    "xho_Latn": ("chars+words", 0.71, 2.16),  # 1997 sentences
    "yor_Latn": ("chars", 0.45, 1.70),  # 1997 sentences
    "yue_Hant": ("chars", 1.26, 3.51),  # 1997 sentences
    "zho_Hans": ("chars", 1.10, 3.53),  # 1997 sentences
    "zho_Hant": ("chars", 1.10, 3.57),  # 1997 sentences
    "zsm_Latn": ("chars+words", 0.68, 1.49),  # 1997 sentences
    "zul_Latn": ("chars", 0.62, 1.75),  # 1997 sentences
}

# Languages NTREX lacks, by characters: all NTREX languages of the same script pooled (scripts
# with at least 1,000 sentences), else every language pooled.
SCRIPT_BOUNDS: dict[str, tuple[float, float]] = {
    "Arab": (0.57, 1.72),
    "Armn": (0.60, 1.49),
    "Beng": (0.69, 1.54),
    "Cyrl": (0.59, 1.54),
    "Deva": (0.65, 1.44),
    "Ethi": (0.91, 2.30),
    "Geor": (0.60, 1.48),
    "Grek": (0.57, 1.27),
    "Gujr": (0.71, 1.55),
    "Guru": (0.70, 1.54),
    "Hang": (0.95, 2.84),
    "Hans": (1.10, 3.53),
    "Hant": (1.16, 3.56),
    "Hebr": (0.81, 1.73),
    "Jpan": (0.95, 2.71),
    "Khmr": (0.45, 1.25),
    "Knda": (0.59, 1.37),
    "Laoo": (0.52, 1.36),
    "Latn": (0.57, 1.53),
    "Mlym": (0.49, 1.21),
    "Mymr": (0.45, 1.35),
    "Sinh": (0.64, 1.56),
    "Taml": (0.48, 1.31),
    "Telu": (0.63, 1.60),
    "Thai": (0.62, 1.63),
    "Tibt": (0.48, 1.93),
}
DEFAULT_BOUNDS: tuple[float, float] = (0.56, 2.82)
