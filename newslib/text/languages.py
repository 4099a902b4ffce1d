"""Language code tables: NLLB-200 codes, NTREX-128 codes and lingua's ISO 639-3 codes.

Pure data plus tiny lookups; nothing here loads a model. NLLB codes are
`<ISO 639-3>_<ISO 15924 script>`, exactly as the NLLB-200 tokenizer spells its language tokens.
"""

from __future__ import annotations

import re
from pathlib import Path

# The 202 language tokens of the NLLB-200 tokenizer (FAIRSEQ_LANGUAGE_CODES), in token-id order.
NLLB_LANGUAGES: dict[str, str] = {
    "ace_Arab": "Acehnese (Arabic script)",
    "ace_Latn": "Acehnese (Latin script)",
    "acm_Arab": "Mesopotamian Arabic",
    "acq_Arab": "Ta'izzi-Adeni Arabic",
    "aeb_Arab": "Tunisian Arabic",
    "afr_Latn": "Afrikaans",
    "ajp_Arab": "South Levantine Arabic",
    "aka_Latn": "Akan",
    "amh_Ethi": "Amharic",
    "apc_Arab": "North Levantine Arabic",
    "arb_Arab": "Modern Standard Arabic",
    "ars_Arab": "Najdi Arabic",
    "ary_Arab": "Moroccan Arabic",
    "arz_Arab": "Egyptian Arabic",
    "asm_Beng": "Assamese",
    "ast_Latn": "Asturian",
    "awa_Deva": "Awadhi",
    "ayr_Latn": "Central Aymara",
    "azb_Arab": "South Azerbaijani",
    "azj_Latn": "North Azerbaijani",
    "bak_Cyrl": "Bashkir",
    "bam_Latn": "Bambara",
    "ban_Latn": "Balinese",
    "bel_Cyrl": "Belarusian",
    "bem_Latn": "Bemba",
    "ben_Beng": "Bengali",
    "bho_Deva": "Bhojpuri",
    "bjn_Arab": "Banjar (Arabic script)",
    "bjn_Latn": "Banjar (Latin script)",
    "bod_Tibt": "Standard Tibetan",
    "bos_Latn": "Bosnian",
    "bug_Latn": "Buginese",
    "bul_Cyrl": "Bulgarian",
    "cat_Latn": "Catalan",
    "ceb_Latn": "Cebuano",
    "ces_Latn": "Czech",
    "cjk_Latn": "Chokwe",
    "ckb_Arab": "Central Kurdish",
    "crh_Latn": "Crimean Tatar",
    "cym_Latn": "Welsh",
    "dan_Latn": "Danish",
    "deu_Latn": "German",
    "dik_Latn": "Southwestern Dinka",
    "dyu_Latn": "Dyula",
    "dzo_Tibt": "Dzongkha",
    "ell_Grek": "Greek",
    "eng_Latn": "English",
    "epo_Latn": "Esperanto",
    "est_Latn": "Estonian",
    "eus_Latn": "Basque",
    "ewe_Latn": "Ewe",
    "fao_Latn": "Faroese",
    "pes_Arab": "Western Persian",
    "fij_Latn": "Fijian",
    "fin_Latn": "Finnish",
    "fon_Latn": "Fon",
    "fra_Latn": "French",
    "fur_Latn": "Friulian",
    "fuv_Latn": "Nigerian Fulfulde",
    "gla_Latn": "Scottish Gaelic",
    "gle_Latn": "Irish",
    "glg_Latn": "Galician",
    "grn_Latn": "Guarani",
    "guj_Gujr": "Gujarati",
    "hat_Latn": "Haitian Creole",
    "hau_Latn": "Hausa",
    "heb_Hebr": "Hebrew",
    "hin_Deva": "Hindi",
    "hne_Deva": "Chhattisgarhi",
    "hrv_Latn": "Croatian",
    "hun_Latn": "Hungarian",
    "hye_Armn": "Armenian",
    "ibo_Latn": "Igbo",
    "ilo_Latn": "Ilocano",
    "ind_Latn": "Indonesian",
    "isl_Latn": "Icelandic",
    "ita_Latn": "Italian",
    "jav_Latn": "Javanese",
    "jpn_Jpan": "Japanese",
    "kab_Latn": "Kabyle",
    "kac_Latn": "Jingpho",
    "kam_Latn": "Kamba",
    "kan_Knda": "Kannada",
    "kas_Arab": "Kashmiri (Arabic script)",
    "kas_Deva": "Kashmiri (Devanagari script)",
    "kat_Geor": "Georgian",
    "knc_Arab": "Central Kanuri (Arabic script)",
    "knc_Latn": "Central Kanuri (Latin script)",
    "kaz_Cyrl": "Kazakh",
    "kbp_Latn": "Kabiyè",
    "kea_Latn": "Kabuverdianu",
    "khm_Khmr": "Khmer",
    "kik_Latn": "Kikuyu",
    "kin_Latn": "Kinyarwanda",
    "kir_Cyrl": "Kyrgyz",
    "kmb_Latn": "Kimbundu",
    "kon_Latn": "Kikongo",
    "kor_Hang": "Korean",
    "kmr_Latn": "Northern Kurdish",
    "lao_Laoo": "Lao",
    "lvs_Latn": "Standard Latvian",
    "lij_Latn": "Ligurian",
    "lim_Latn": "Limburgish",
    "lin_Latn": "Lingala",
    "lit_Latn": "Lithuanian",
    "lmo_Latn": "Lombard",
    "ltg_Latn": "Latgalian",
    "ltz_Latn": "Luxembourgish",
    "lua_Latn": "Luba-Kasai",
    "lug_Latn": "Ganda",
    "luo_Latn": "Luo",
    "lus_Latn": "Mizo",
    "mag_Deva": "Magahi",
    "mai_Deva": "Maithili",
    "mal_Mlym": "Malayalam",
    "mar_Deva": "Marathi",
    "min_Latn": "Minangkabau",
    "mkd_Cyrl": "Macedonian",
    "plt_Latn": "Plateau Malagasy",
    "mlt_Latn": "Maltese",
    "mni_Beng": "Meitei (Bengali script)",
    "khk_Cyrl": "Halh Mongolian",
    "mos_Latn": "Mossi",
    "mri_Latn": "Maori",
    "zsm_Latn": "Standard Malay",
    "mya_Mymr": "Burmese",
    "nld_Latn": "Dutch",
    "nno_Latn": "Norwegian Nynorsk",
    "nob_Latn": "Norwegian Bokmål",
    "npi_Deva": "Nepali",
    "nso_Latn": "Northern Sotho",
    "nus_Latn": "Nuer",
    "nya_Latn": "Nyanja",
    "oci_Latn": "Occitan",
    "gaz_Latn": "West Central Oromo",
    "ory_Orya": "Odia",
    "pag_Latn": "Pangasinan",
    "pan_Guru": "Eastern Panjabi",
    "pap_Latn": "Papiamento",
    "pol_Latn": "Polish",
    "por_Latn": "Portuguese",
    "prs_Arab": "Dari",
    "pbt_Arab": "Southern Pashto",
    "quy_Latn": "Ayacucho Quechua",
    "ron_Latn": "Romanian",
    "run_Latn": "Rundi",
    "rus_Cyrl": "Russian",
    "sag_Latn": "Sango",
    "san_Deva": "Sanskrit",
    # The tokenizer says "Beng" although the FLORES-200 Santali data is in Ol Chiki (sat_Olck).
    "sat_Beng": "Santali",
    "scn_Latn": "Sicilian",
    "shn_Mymr": "Shan",
    "sin_Sinh": "Sinhala",
    "slk_Latn": "Slovak",
    "slv_Latn": "Slovenian",
    "smo_Latn": "Samoan",
    "sna_Latn": "Shona",
    "snd_Arab": "Sindhi",
    "som_Latn": "Somali",
    "sot_Latn": "Southern Sotho",
    "spa_Latn": "Spanish",
    "als_Latn": "Tosk Albanian",
    "srd_Latn": "Sardinian",
    "srp_Cyrl": "Serbian",
    "ssw_Latn": "Swati",
    "sun_Latn": "Sundanese",
    "swe_Latn": "Swedish",
    "swh_Latn": "Swahili",
    "szl_Latn": "Silesian",
    "tam_Taml": "Tamil",
    "tat_Cyrl": "Tatar",
    "tel_Telu": "Telugu",
    "tgk_Cyrl": "Tajik",
    "tgl_Latn": "Tagalog",
    "tha_Thai": "Thai",
    "tir_Ethi": "Tigrinya",
    "taq_Latn": "Tamasheq (Latin script)",
    "taq_Tfng": "Tamasheq (Tifinagh script)",
    "tpi_Latn": "Tok Pisin",
    "tsn_Latn": "Tswana",
    "tso_Latn": "Tsonga",
    "tuk_Latn": "Turkmen",
    "tum_Latn": "Tumbuka",
    "tur_Latn": "Turkish",
    "twi_Latn": "Twi",
    "tzm_Tfng": "Central Atlas Tamazight",
    "uig_Arab": "Uyghur",
    "ukr_Cyrl": "Ukrainian",
    "umb_Latn": "Umbundu",
    "urd_Arab": "Urdu",
    "uzn_Latn": "Northern Uzbek",
    "vec_Latn": "Venetian",
    "vie_Latn": "Vietnamese",
    "war_Latn": "Waray",
    "wol_Latn": "Wolof",
    "xho_Latn": "Xhosa",
    "ydd_Hebr": "Eastern Yiddish",
    "yor_Latn": "Yoruba",
    "yue_Hant": "Yue Chinese (Cantonese)",
    "zho_Hans": "Chinese (Simplified)",
    "zho_Hant": "Chinese (Traditional)",
    "zul_Latn": "Zulu",
}

ENGLISH = "eng_Latn"  # the output language of every translation and check
NLLB_CODE_PATTERN = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


def is_nllb_supported(code: str | None) -> bool:
    return code in NLLB_LANGUAGES


# NLLB-200 has Serbian only in Cyrillic. Latin-script Serbian is sent as Bosnian: the closest
# Latin-script standard of the same (Shtokavian) language, sharing Serbian's vocabulary more than
# Croatian does. Transliterating to Cyrillic and using srp_Cyrl would be the other choice.
SERBIAN_LATIN_NLLB = "bos_Latn"

# ---------------------------------------------------------------------------------------------
# NTREX-128 (file names `newstest2019-ref.<code>.txt`, plus the second Spanish reference
# `newstest2019-ref-2.spa.txt`, keyed here as "2.spa").

# NTREX languages NLLB-200 lacks, and why there is no stand-in.
NTREX_NOT_IN_NLLB: dict[str, str] = {
    "div": "Dhivehi (Thaana script) is not in NLLB-200",
    "gsw-BE": "Swiss German (Bern) is not in NLLB-200; it is too far from Standard German",
    "gsw-ZH": "Swiss German (Zurich) is not in NLLB-200; it is too far from Standard German",
    "hmn": "Hmong is not in NLLB-200",
    "nde": "North Ndebele is not in NLLB-200 (close to Zulu, but a separate language)",
    "shi": "Tachelhit is not in NLLB-200, and NTREX writes it in Arabic script, which no "
    "NLLB Berber language uses (tzm/taq are Tifinagh or Latin)",
    "tah": "Tahitian is not in NLLB-200",
    "ton": "Tongan is not in NLLB-200",
    "ven": "Venda is not in NLLB-200",
}

NTREX_TO_NLLB: dict[str, str | None] = {
    "2.spa": "spa_Latn",
    "afr": "afr_Latn",
    "amh": "amh_Ethi",
    "arb": "arb_Arab",
    "aze-Latn": "azj_Latn",
    "bak": "bak_Cyrl",
    "bel": "bel_Cyrl",
    "bem": "bem_Latn",
    "ben": "ben_Beng",
    "bod": "bod_Tibt",
    "bos": "bos_Latn",
    "bul": "bul_Cyrl",
    "cat": "cat_Latn",
    "ces": "ces_Latn",
    "ckb-Arab": "ckb_Arab",
    "cym": "cym_Latn",
    "dan": "dan_Latn",
    "deu": "deu_Latn",
    "dzo": "dzo_Tibt",
    "ell": "ell_Grek",
    "eng-GB": "eng_Latn",
    "eng-IN": "eng_Latn",
    "eng-US": "eng_Latn",
    "est": "est_Latn",
    "eus": "eus_Latn",
    "ewe": "ewe_Latn",
    "fao": "fao_Latn",
    "fas": "pes_Arab",  # macrolanguage Persian: NLLB's variety is Western (Iranian) Persian
    "fij": "fij_Latn",
    "fil": "tgl_Latn",  # Filipino is standardised Tagalog
    "fin": "fin_Latn",
    "fra": "fra_Latn",
    "fra-CA": "fra_Latn",
    "fuc": "fuv_Latn",  # Pulaar: a Fula variety; NLLB's only Fula is Nigerian Fulfulde
    "gle": "gle_Latn",
    "glg": "glg_Latn",
    "guj": "guj_Gujr",
    "hau": "hau_Latn",
    "heb": "heb_Hebr",
    "hin": "hin_Deva",
    "hrv": "hrv_Latn",
    "hun": "hun_Latn",
    "hye": "hye_Armn",
    "ibo": "ibo_Latn",
    "ind": "ind_Latn",
    "isl": "isl_Latn",
    "ita": "ita_Latn",
    "jpn": "jpn_Jpan",
    "kan": "kan_Knda",
    "kat": "kat_Geor",
    "kaz": "kaz_Cyrl",
    "khm": "khm_Khmr",
    "kin": "kin_Latn",
    "kir": "kir_Cyrl",
    "kmr": "kmr_Latn",
    "kor": "kor_Hang",
    "lao": "lao_Laoo",
    "lav": "lvs_Latn",  # macrolanguage Latvian: NLLB's variety is Standard Latvian
    "lit": "lit_Latn",
    "ltz": "ltz_Latn",
    "mal": "mal_Mlym",
    "mar": "mar_Deva",
    "mey": "arb_Arab",  # Hassaniya: an Arabic variety NLLB lacks; Modern Standard is nearest
    "mkd": "mkd_Cyrl",
    "mlg": "plt_Latn",  # macrolanguage Malagasy: NLLB's variety is Plateau Malagasy
    "mlt": "mlt_Latn",
    "mon": "khk_Cyrl",  # macrolanguage Mongolian: NLLB's variety is Halh Mongolian
    "mri": "mri_Latn",
    "msa": "zsm_Latn",  # macrolanguage Malay: NTREX's text is Standard (Malaysian) Malay
    "mya": "mya_Mymr",
    "nep": "npi_Deva",  # macrolanguage Nepali: NLLB's code for Nepali proper
    "nld": "nld_Latn",
    "nno": "nno_Latn",
    "nob": "nob_Latn",
    "nso": "nso_Latn",
    "nya": "nya_Latn",
    "orm": "gaz_Latn",  # macrolanguage Oromo: NLLB's variety is West Central Oromo
    "pan": "pan_Guru",
    "pol": "pol_Latn",
    "por": "por_Latn",
    "por-BR": "por_Latn",
    "prs": "prs_Arab",
    "pus": "pbt_Arab",  # macrolanguage Pashto: NLLB's variety is Southern Pashto
    "ron": "ron_Latn",
    "rus": "rus_Cyrl",
    "sin": "sin_Sinh",
    "slk": "slk_Latn",
    "slv": "slv_Latn",
    "smo": "smo_Latn",
    "sna-Latn": "sna_Latn",
    "snd-Arab": "snd_Arab",
    "som": "som_Latn",
    "spa": "spa_Latn",
    "spa-MX": "spa_Latn",
    "sqi": "als_Latn",  # macrolanguage Albanian: NLLB's variety is Tosk (standard) Albanian
    "srp-Cyrl": "srp_Cyrl",
    "srp-Latn": SERBIAN_LATIN_NLLB,
    "ssw": "ssw_Latn",
    "swa": "swh_Latn",  # macrolanguage Swahili: NLLB's variety is (coastal) Swahili
    "swe": "swe_Latn",
    "tam": "tam_Taml",
    "tat": "tat_Cyrl",
    "tel": "tel_Telu",
    "tgk-Cyrl": "tgk_Cyrl",
    "tha": "tha_Thai",
    "tir": "tir_Ethi",
    "tsn": "tsn_Latn",
    "tuk": "tuk_Latn",
    "tur": "tur_Latn",
    "uig": "uig_Arab",
    "ukr": "ukr_Cyrl",
    "urd": "urd_Arab",
    "uzb": "uzn_Latn",  # macrolanguage Uzbek: NTREX's text is Northern Uzbek in Latin script
    "vie": "vie_Latn",
    "wol": "wol_Latn",
    "xho": "xho_Latn",
    "yor": "yor_Latn",
    "yue": "yue_Hant",
    "zho-CN": "zho_Hans",
    "zho-TW": "zho_Hant",
    "zul": "zul_Latn",
} | dict.fromkeys(NTREX_NOT_IN_NLLB)

NTREX_REFERENCE_PREFIX = "newstest2019-ref"


def ntrex_to_nllb(code: str) -> str | None:
    """NLLB code for an NTREX code; None where NLLB lacks the language (see NTREX_NOT_IN_NLLB)."""
    if code not in NTREX_TO_NLLB:
        raise KeyError(f"unknown NTREX language code {code!r}")
    return NTREX_TO_NLLB[code]


def ntrex_files(ntrex_dir: Path) -> dict[str, Path]:
    """NTREX code -> reference file, from the file names present in `ntrex_dir`."""
    files: dict[str, Path] = {}
    for path in sorted(ntrex_dir.glob(f"{NTREX_REFERENCE_PREFIX}*.txt")):
        # "newstest2019-ref.aze-Latn.txt" -> "aze-Latn"; "newstest2019-ref-2.spa.txt" -> "2.spa"
        code = path.name.removeprefix(NTREX_REFERENCE_PREFIX)[1:].removesuffix(".txt")
        files[code] = path
    return files


# ---------------------------------------------------------------------------------------------
# lingua's languages, keyed by `lingua.IsoCode639_3` member name. Where NLLB has several
# varieties, the value is the one written news uses; `lingua_to_nllb` refines by script.

LINGUA_NOT_IN_NLLB: dict[str, str] = {"LAT": "Latin"}

LINGUA_TO_NLLB: dict[str, str | None] = {
    "AFR": "afr_Latn",
    "ARA": "arb_Arab",
    "AZE": "azj_Latn",  # Arabic-script (Iranian) Azerbaijani is azb_Arab, chosen by script
    "BEL": "bel_Cyrl",
    "BEN": "ben_Beng",
    "BOS": "bos_Latn",
    "BUL": "bul_Cyrl",
    "CAT": "cat_Latn",
    "CES": "ces_Latn",
    "CYM": "cym_Latn",
    "DAN": "dan_Latn",
    "DEU": "deu_Latn",
    "ELL": "ell_Grek",
    "ENG": "eng_Latn",
    "EPO": "epo_Latn",
    "EST": "est_Latn",
    "EUS": "eus_Latn",
    "FAS": "pes_Arab",
    "FIN": "fin_Latn",
    "FRA": "fra_Latn",
    "GLE": "gle_Latn",
    "GUJ": "guj_Gujr",
    "HEB": "heb_Hebr",
    "HIN": "hin_Deva",
    "HRV": "hrv_Latn",
    "HUN": "hun_Latn",
    "HYE": "hye_Armn",
    "IND": "ind_Latn",
    "ISL": "isl_Latn",
    "ITA": "ita_Latn",
    "JPN": "jpn_Jpan",
    "KAT": "kat_Geor",
    "KAZ": "kaz_Cyrl",
    "KOR": "kor_Hang",
    "LAV": "lvs_Latn",
    "LIT": "lit_Latn",
    "LUG": "lug_Latn",
    "MAR": "mar_Deva",
    "MKD": "mkd_Cyrl",
    "MON": "khk_Cyrl",
    "MRI": "mri_Latn",
    "MSA": "zsm_Latn",
    "NLD": "nld_Latn",
    "NNO": "nno_Latn",
    "NOB": "nob_Latn",
    "PAN": "pan_Guru",
    "POL": "pol_Latn",
    "POR": "por_Latn",
    "RON": "ron_Latn",
    "RUS": "rus_Cyrl",
    "SLK": "slk_Latn",
    "SLV": "slv_Latn",
    "SNA": "sna_Latn",
    "SOM": "som_Latn",
    "SOT": "sot_Latn",
    "SPA": "spa_Latn",
    "SQI": "als_Latn",
    "SRP": "srp_Cyrl",  # Latin-script Serbian -> SERBIAN_LATIN_NLLB, chosen by script
    "SWA": "swh_Latn",
    "SWE": "swe_Latn",
    "TAM": "tam_Taml",
    "TEL": "tel_Telu",
    "TGL": "tgl_Latn",
    "THA": "tha_Thai",
    "TSN": "tsn_Latn",
    "TSO": "tso_Latn",
    "TUR": "tur_Latn",
    "UKR": "ukr_Cyrl",
    "URD": "urd_Arab",
    "VIE": "vie_Latn",
    "XHO": "xho_Latn",
    "YOR": "yor_Latn",
    "ZHO": "zho_Hans",  # zho_Hant / yue_Hant chosen from the characters
    "ZUL": "zul_Latn",
} | dict.fromkeys(LINGUA_NOT_IN_NLLB)

# Frequent characters whose simplified and traditional forms differ, as "simplified traditional"
# pairs. Simplified forms that traditional text also uses as words in their own right
# (里 后 于 面 制 准 余 范 系 台 干 发...) are left out.
_CHINESE_PAIRS = """
这這 个個 们們 来來 时時 为為 说說 国國 会會 对對 过過 还還 经經 学學 现現 进進 长長 动動 开開
问問 关關 点點 没沒 当當 与與 从從 见見 两兩 样樣 将將 实實 业業 间間 电電 机機 报報 种種 体體
产產 区區 万萬 亿億 员員 认認 让讓 应應 该該 虽雖 难難 无無 华華 东東 车車 门門 马馬 头頭 话話
语語 书書 钱錢 价價 选選 举舉 总總 统統 党黨 军軍 战戰 边邊 场場 单單 买買 卖賣 变變 条條 网網
组組 织織 务務 环環 视視 听聽 记記 议議 论論 设設 计計 别別 气氣 处處 几幾 乐樂 爱愛 写寫 岁歲
历歷 导導 领領 级級 极極 权權 众眾 图圖 质質 资資 银銀 达達 运運 远遠 专專 严嚴 丽麗 义義 乡鄉
乱亂 争爭 亚亞 亲親 仅僅 仪儀 优優 伟偉 传傳 伤傷 侧側 债債 储儲 儿兒 兰蘭 兴興 养養 农農
冯馮 决決 况況 减減 击擊 划劃 刘劉 则則 刚剛 创創 剧劇 办辦 劳勞 势勢 医醫 协協 卫衛 却卻 厂廠
压壓 县縣 参參 双雙 叹嘆 吗嗎 启啟 响響 团團 园園 围圍 圆圓 圣聖 坏壞 块塊 坚堅 执執 扩擴 扬揚
护護 担擔 拥擁 择擇 挥揮 损損 换換 据據 摄攝 敌敵 数數 断斷 旧舊 显顯 术術 杀殺 构構 枪槍 标標
树樹 桥橋 检檢 楼樓 欢歡 欧歐 毕畢 汇匯 汉漢 测測 济濟 温溫 湾灣 满滿 灭滅 灯燈 灾災 热熱 牵牽
独獨 献獻 画畫 疗療 监監 盘盤 矿礦 码碼 础礎 确確 礼禮 离離 积積 称稱 税稅 穷窮 竞競 笔筆 简簡
类類 粮糧 紧緊 红紅 约約 纪紀 纳納 纸紙 线線 练練 细細 终終 结結 给給 络絡 绝絕 继繼 续續 维維
综綜 绿綠 编編 罗羅 职職 联聯 胜勝 脑腦 脸臉 舰艦 艺藝 节節 苏蘇 荣榮 药藥 获獲 营營 虑慮 补補
装裝 观觀 规規 览覽 觉覺 誉譽 订訂 讨討 训訓 讯訊 讲講 许許 访訪 证證 评評 识識 诉訴 词詞 译譯
试試 诚誠 询詢 详詳 误誤 请請 读讀 课課 谁誰 调調 谈談 谢謝 负負 财財 责責 败敗 货貨 购購 贵貴
费費 贸貿 赛賽 赵趙 转轉 轮輪 软軟 轻輕 载載 较較 输輸 迁遷 违違 连連 适適 递遞 遗遺 邮郵 郑鄭
释釋 针針 钟鐘 钢鋼 铁鐵 销銷 锁鎖 错錯 键鍵 镇鎮 闭閉 闻聞 阅閱 队隊 阳陽 阴陰 阵陣 阶階 际際
陆陸 陈陳 险險 随隨 隐隱 韩韓 页頁 项項 顺順 须須 顾顧 预預 频頻 题題 额額 风風 飞飛 饭飯 馆館
驾駕 验驗 鱼魚 鸟鳥 鸡雞 龙龍 齐齊
"""
SIMPLIFIED_ONLY = frozenset(pair[0] for pair in _CHINESE_PAIRS.split())
TRADITIONAL_ONLY = frozenset(pair[1] for pair in _CHINESE_PAIRS.split())
# Written-Cantonese particles and words that Standard Written Chinese does not use.
CANTONESE_MARKERS = frozenset("嘅咗哋喺嗰啲冇咁嚟噉乜嘢睇")

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def chinese_variant(text: str) -> str:
    """yue_Hant for written Cantonese, else zho_Hant or zho_Hans by which character forms win."""
    if sum(char in CANTONESE_MARKERS for char in text) >= 2:
        return "yue_Hant"
    traditional = sum(char in TRADITIONAL_ONLY for char in text)
    simplified = sum(char in SIMPLIFIED_ONLY for char in text)
    return "zho_Hant" if traditional > simplified else "zho_Hans"


def lingua_to_nllb(iso639_3_name: str, text: str = "") -> str | None:
    """NLLB code for a lingua IsoCode639_3 name ("MSA"), choosing the variety from `text`."""
    if iso639_3_name == "ZHO":
        return chinese_variant(text)
    if iso639_3_name == "SRP" and _more_matches(LATIN_LETTER, CYRILLIC_LETTER, text):
        return SERBIAN_LATIN_NLLB
    if iso639_3_name == "AZE" and _more_matches(ARABIC_LETTER, LATIN_LETTER, text):
        return "azb_Arab"
    return LINGUA_TO_NLLB.get(iso639_3_name)


def _more_matches(pattern: re.Pattern[str], other: re.Pattern[str], text: str) -> bool:
    return len(pattern.findall(text)) > len(other.findall(text))


# ---------------------------------------------------------------------------------------------
# Scripts lingua does not know (it returns nothing or noise for them), each mapped to the
# language most news in that script is written in; NLLB's other users of the script are noted.
SCRIPT_LANGUAGES: dict[str, tuple[str, str, str, str | None]] = {
    # script: (character class, ISO 639-3, language name, NLLB code or None where NLLB lacks it)
    "Ethiopic": ("\u1200-\u139f", "amh", "Amharic", "amh_Ethi"),  # also Tigrinya (tir_Ethi)
    "Khmer": ("\u1780-\u17ff", "khm", "Khmer", "khm_Khmr"),
    "Lao": ("\u0e80-\u0eff", "lao", "Lao", "lao_Laoo"),
    "Myanmar": ("\u1000-\u109f", "mya", "Burmese", "mya_Mymr"),  # also Shan (shn_Mymr)
    "Sinhala": ("\u0d80-\u0dff", "sin", "Sinhala", "sin_Sinh"),
    "Kannada": ("\u0c80-\u0cff", "kan", "Kannada", "kan_Knda"),
    "Malayalam": ("\u0d00-\u0d7f", "mal", "Malayalam", "mal_Mlym"),
    "Oriya": ("\u0b00-\u0b7f", "ory", "Odia", "ory_Orya"),
    "Tibetan": ("\u0f00-\u0fff", "bod", "Tibetan", "bod_Tibt"),  # also Dzongkha (dzo_Tibt)
    "Tifinagh": ("\u2d30-\u2d7f", "tzm", "Tamazight", "tzm_Tfng"),  # also Tamasheq (taq_Tfng)
    "Thaana": ("\u0780-\u07bf", "div", "Dhivehi", None),
}

# Letters only one language of a script uses. lingua lacks these languages and calls their text
# Persian, Arabic, Urdu, Kazakh, Russian or Bengali; a few of these letters are enough to tell
# them apart.
DISTINCTIVE_LETTERS: dict[str, str] = {
    # Assamese: ৰ (ra) and ৱ (wa); Bengali writes র and ব (none of NTREX's 128 languages has them)
    "asm_Beng": "ৰৱ",
    "ckb_Arab": "ڕڵێ",  # Sorani Kurdish
    "pbt_Arab": "ټډړږښګڼ",  # Pashto
    "snd_Arab": "ڄڃڇڊڍڏڙڦڪڱڻ",  # Sindhi
    "uig_Arab": "ۇۈۋ",  # Uyghur
    "tgk_Cyrl": "ҷӣӯ",  # Tajik
    "bak_Cyrl": "ҡҙҫ",  # Bashkir
    "tat_Cyrl": "җ",  # Tatar
}

# lingua 2.1 rules Ukrainian out for text with "щ" (a letter rule fixed for the JVM lingua in
# pemistahl/lingua PR #193) and then answers Kazakh with confidence 1.0. Kazakh text nearly
# always has its own letters; Cyrillic text without them is Belarusian (ў) or Ukrainian (і ї є ґ).
KAZAKH_LETTERS = "әғқңөұүһӘҒҚҢӨҰҮҺ"
NOT_KAZAKH_FALLBACKS: dict[str, str] = {"bel_Cyrl": "ўЎ", "ukr_Cyrl": "іїєґІЇЄҐ"}

# Languages whose single paragraphs a detector confuses; a paragraph in a close language does
# not make an article "mixed".
CLOSE_LANGUAGE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"zsm_Latn", "ind_Latn"}),
    frozenset({"zho_Hans", "zho_Hant", "yue_Hant"}),
    frozenset({"bos_Latn", "hrv_Latn", "srp_Cyrl"}),
    frozenset({"dan_Latn", "nob_Latn", "nno_Latn"}),
    frozenset({"zul_Latn", "xho_Latn", "ssw_Latn"}),
    frozenset({"sot_Latn", "tsn_Latn", "nso_Latn"}),
    frozenset({"pes_Arab", "prs_Arab"}),
    frozenset({"afr_Latn", "nld_Latn"}),
)


def are_close_languages(code: str | None, other: str | None) -> bool:
    """Same language, or two that are easily confused (see CLOSE_LANGUAGE_GROUPS).

    A language told by its own letters (DISTINCTIVE_LETTERS) is close to every language of its
    script: its paragraphs without those letters read as Persian, Russian, ...
    """
    if code == other:
        return True
    if code in DISTINCTIVE_LETTERS or other in DISTINCTIVE_LETTERS:
        return _script(code) == _script(other)
    return any(code in group and other in group for group in CLOSE_LANGUAGE_GROUPS)


def _script(code: str | None) -> str | None:
    return None if code is None else code.partition("_")[2]


# ---------------------------------------------------------------------------------------------
# ISO 639-1 codes (what sentence splitters such as sentencex take), by the ISO 639-3 part of the
# NLLB code. NLLB languages without a two-letter code are absent.
ISO639_1_BY_ISO639_3: dict[str, str] = {
    "afr": "af", "aka": "ak", "amh": "am", "arb": "ar", "acm": "ar", "acq": "ar", "aeb": "ar",
    "ajp": "ar", "apc": "ar", "ars": "ar", "ary": "ar", "arz": "ar", "asm": "as", "ayr": "ay",
    "azb": "az", "azj": "az", "bak": "ba", "bam": "bm", "bel": "be", "ben": "bn", "bod": "bo",
    "bos": "bs", "bul": "bg", "cat": "ca", "ces": "cs", "ckb": "ku", "cym": "cy", "dan": "da",
    "deu": "de", "dzo": "dz", "ell": "el", "eng": "en", "epo": "eo", "est": "et", "eus": "eu",
    "ewe": "ee", "fao": "fo", "pes": "fa", "prs": "fa", "fij": "fj", "fin": "fi", "fra": "fr",
    "fuv": "ff", "gla": "gd", "gle": "ga", "glg": "gl", "grn": "gn", "guj": "gu", "hat": "ht",
    "hau": "ha", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "ibo": "ig",
    "ind": "id", "isl": "is", "ita": "it", "jav": "jv", "jpn": "ja", "kan": "kn", "kas": "ks",
    "kat": "ka", "knc": "kr", "kaz": "kk", "khm": "km", "kik": "ki", "kin": "rw", "kir": "ky",
    "kon": "kg", "kor": "ko", "kmr": "ku", "lao": "lo", "lvs": "lv", "lim": "li", "lin": "ln",
    "lit": "lt", "ltz": "lb", "lug": "lg", "mal": "ml", "mar": "mr", "mkd": "mk", "plt": "mg",
    "mlt": "mt", "khk": "mn", "mri": "mi", "zsm": "ms", "mya": "my", "nld": "nl", "nno": "nn",
    "nob": "nb", "npi": "ne", "nya": "ny", "oci": "oc", "gaz": "om", "ory": "or", "pan": "pa",
    "pol": "pl", "por": "pt", "pbt": "ps", "quy": "qu", "ron": "ro", "run": "rn", "rus": "ru",
    "sag": "sg", "san": "sa", "sin": "si", "slk": "sk", "slv": "sl", "smo": "sm", "sna": "sn",
    "snd": "sd", "som": "so", "sot": "st", "spa": "es", "als": "sq", "srd": "sc", "srp": "sr",
    "ssw": "ss", "sun": "su", "swe": "sv", "swh": "sw", "tam": "ta", "tat": "tt", "tel": "te",
    "tgk": "tg", "tgl": "tl", "tha": "th", "tir": "ti", "tsn": "tn", "tso": "ts", "tuk": "tk",
    "tur": "tr", "twi": "tw", "uig": "ug", "ukr": "uk", "urd": "ur", "uzn": "uz", "vie": "vi",
    "wol": "wo", "xho": "xh", "ydd": "yi", "yor": "yo", "yue": "zh", "zho": "zh", "zul": "zu",
}  # fmt: skip


def iso639_1(nllb_code: str) -> str | None:
    """Two-letter code for an NLLB code ("zsm_Latn" -> "ms"); None if the language has none."""
    return ISO639_1_BY_ISO639_3.get(nllb_code.partition("_")[0])
