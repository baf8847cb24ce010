"""Chinese text for the catalog: jieba tokens for search (分词检索) and material-name keys.

jieba builds its dictionary on first use (about a second), so it is loaded lazily, once per
process, and quietly.
"""

import logging
import re
import threading
import unicodedata

_lock = threading.Lock()
_tokenizer = None

MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 10

# Words people type around what they look for ("办理结婚登记需要什么材料"): they match
# nearly every guide, so they are dropped from a query that has other words.
QUERY_STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 我 我要 要 想 去 办 办理 怎么 怎么办 怎样 如何 什么 哪些 需要 材料 "
    "手续 流程 吗 呢 啊 吧 请问 一下".split()
)
# Everyday words for what the catalog names otherwise: a query word also matches these.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "驾照": ("驾驶证",),
    "社保卡": ("社会保障卡",),
    "医保卡": ("社会保障卡",),
    "社保": ("社会保险", "社会保障"),
    "二手房": ("存量房",),
    "过户": ("转移登记",),
    "户口本": ("户口簿",),
    "房产证": ("不动产权证书",),
    "公司": ("企业",),
    "生孩子": ("生育", "出生"),
}
_SPACES = re.compile(r"\s+")
# Control characters other than tab and line breaks: never meaningful in a catalog, and
# PostgreSQL refuses NUL in text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    """The text without control characters (NUL and the like), tabs and line breaks kept."""
    return _CONTROLS.sub("", text or "")


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _tokenizer = jieba
    return _tokenizer


def fold(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case: 「ＡＢＣ（１）」 -> 「abc(1)」."""
    return unicodedata.normalize("NFKC", without_controls(text)).lower()


def normalize(text: str) -> str:
    """The key of a material name: folded, without white space (「身份证 」 == 「身份证」)."""
    return _SPACES.sub("", fold(text))


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def index_tokens(*texts: str) -> str:
    """The search text of a matter: its words for search (`cut_for_search`), space-separated
    with a space at both ends, so that a word matches as `" word "`."""
    seen: dict[str, None] = {}
    for text in texts:
        for part in fold(text).split():
            for token in _jieba().cut_for_search(part):
                if _is_word(token):
                    seen.setdefault(token)
    return f" {' '.join(seen)} " if seen else ""


def query_tokens(query: str) -> list[str]:
    """The words of a search query (precise mode), at most MAX_QUERY_TOKENS, without filler
    words unless nothing else is left. Punctuation, emoji and the like are dropped."""
    words: dict[str, None] = {}
    for part in fold((query or "")[:MAX_QUERY_CHARS]).split():
        for token in _jieba().cut(part):
            if _is_word(token):
                words.setdefault(token)
    tokens = list(words)
    meaningful = [t for t in tokens if t not in QUERY_STOPWORDS]
    return (meaningful or tokens)[:MAX_QUERY_TOKENS]


def variants(token: str) -> list[tuple[str, list[str]]]:
    """A query word and its synonyms, each with the words it is made of (a synonym such as
    社会保障卡 is indexed as 社会保障 + 卡)."""
    found = []
    for variant in (token, *SYNONYMS.get(token, ())):
        words = [w for w in _jieba().cut(variant) if _is_word(w)] or [variant]
        found.append((variant, words))
    return found
