"""答复建议: the best matching guide passages (matters, materials, bundles, FAQ entries) and
earlier answered consultations for a question, ranked by BM25 over jieba words.

The words of the catalog come from `catalog.text` (the guide's own tokenizer and synonyms), with
the hall's colloquial words in `data/synonyms.txt` (房产证 → 不动产权证书). An answered
consultation keeps its words in `Consultation.search_tokens` (cut once, when answered), so the
index of earlier answers is rebuilt from the database without cutting anything and grows
incrementally as answers arrive; the guide's index is rebuilt when the catalog or FAQ changes.
Each process keeps its own index in memory.
"""

import math
import threading
import time
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, Max
from django.urls import reverse

from chuangkou.catalog.models import Bundle, Material, Matter
from chuangkou.catalog.text import QUERY_STOPWORDS, SYNONYMS, _is_word, _jieba, fold

from .models import Consultation, FaqEntry, Message

K1, B = 1.2, 0.75
COMMON_SHARE = 0.3  # in a large index, a word in more than this share of documents is skipped
COMMON_FROM = 1000
MAX_QUERY_CHARS = 300
CHECK_SECONDS = 10.0  # how often a process asks the database whether its indexes are stale
MAX_TERMS = 40
SYNONYM_WEIGHT = 0.8
# a material's passage names one item of one matter: it ranks below the matter's own guide
KIND_WEIGHTS = {"matter": 1.0, "faq": 1.0, "bundle": 0.9, "material": 0.6}
# the passages of the matter the person chose rank above those of other matters
CHOSEN_MATTER_BOOST = 2.0
SYNONYM_FILE = Path(__file__).parent / "data" / "synonyms.txt"
EXTRA_STOPWORDS = frozenset(
    "可以 是否 能 能不能 是不是 有 没有 还 已经 这个 那个 时候 现在 多久 多少".split()
)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Colloquial word → guide words: the data file, then the catalog's own list."""
    table: dict[str, list[str]] = {k: list(v) for k, v in SYNONYMS.items()}
    for line in SYNONYM_FILE.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            table.setdefault(words[0], [])
            table[words[0]].extend(w for w in words[1:] if w not in table[words[0]])
    return {k: tuple(v) for k, v in table.items()}


def words(text: str) -> list[str]:
    """Index words of a text (jieba search mode, folded)."""
    found = []
    for part in fold(text).split():
        found.extend(t for t in _jieba().cut_for_search(part) if _is_word(t))
    return found


def query_terms(query: str) -> dict[str, float]:
    """The weighted words of a question: its own words (1.0) and their synonyms' words (0.8),
    without filler words."""
    text = fold((query or "")[:MAX_QUERY_CHARS])
    terms: dict[str, float] = {}
    stop = QUERY_STOPWORDS | EXTRA_STOPWORDS
    table = synonyms()
    for part in text.split():
        for token in _jieba().cut(part):
            if not _is_word(token) or token in stop:
                continue
            for w in [token, *(t for t in _jieba().cut_for_search(token) if t != token)]:
                if _is_word(w) and w not in stop:
                    terms[w] = max(terms.get(w, 0), 1.0 if w == token else 0.6)
            for synonym in table.get(token, ()):
                terms[synonym] = max(terms.get(synonym, 0), SYNONYM_WEIGHT)
                for w in _jieba().cut_for_search(synonym):
                    if _is_word(w) and w not in stop:
                        terms[w] = max(terms.get(w, 0), SYNONYM_WEIGHT * 0.75)
        if len(terms) >= MAX_TERMS:
            break
    return dict(list(terms.items())[:MAX_TERMS])


@dataclass(frozen=True)
class Doc:
    kind: str  # matter / material / bundle / faq / consultation
    pk: int
    title: str
    text: str  # the passage an agent inserts
    url: str  # its guide link ("" for an earlier consultation)
    matter_id: int | None


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.doc.kind]


KIND_LABELS = {
    "matter": "办事指南",
    "material": "材料",
    "bundle": "一件事",
    "faq": "知识库",
    "consultation": "历史答复",
}


class Bm25Index:
    """An inverted index with BM25 weights per posting, computed when the posting is added."""

    def __init__(self, avgdl: float = 10.0):
        self.docs: list[Doc | None] = []
        self.postings: dict[str, tuple[array, array]] = {}
        self.by_key: dict[tuple[str, int], int] = {}
        self.avgdl = avgdl

    @property
    def size(self) -> int:
        return len(self.by_key)

    def add(self, doc: Doc, tokens: list[str]) -> None:
        key = (doc.kind, doc.pk)
        if key in self.by_key:  # replaced: the old entry stays in the postings, dead
            self.docs[self.by_key[key]] = None
        index = len(self.docs)
        self.docs.append(doc)
        self.by_key[key] = index
        length = max(len(tokens), 1)
        counts: dict[str, int] = {}
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
        norm = K1 * (1 - B + B * length / self.avgdl)
        for t, tf in counts.items():
            posting = self.postings.get(t)
            if posting is None:  # flat arrays: no objects for the garbage collector to walk
                posting = self.postings[t] = (array("i"), array("f"))
            posting[0].append(index)
            posting[1].append(tf * (K1 + 1) / (tf + norm))

    def search(
        self, terms: dict[str, float], limit: int, weights=None, matter_id: int | None = None
    ) -> list[Hit]:
        n = max(self.size, 1)
        scores: dict[int, float] = {}
        for term, weight in terms.items():
            posting = self.postings.get(term)
            if not posting:
                continue
            df = len(posting[0])
            if n >= COMMON_FROM and df > n * COMMON_SHARE:  # says little, costs the most
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight
            get = scores.get
            for index, w in zip(*posting, strict=True):
                scores[index] = get(index, 0.0) + idf * w
        if weights or matter_id:
            scores = {
                i: s * self._weight(self.docs[i], weights, matter_id)
                for i, s in scores.items()
                if self.docs[i]
            }
        best = sorted(scores.items(), key=lambda kv: -kv[1])
        hits, seen = [], set()
        for index, score in best:
            doc = self.docs[index]
            if doc is None or (doc.kind, doc.title) in seen:  # one passage per title
                continue
            seen.add((doc.kind, doc.title))
            hits.append(Hit(doc, round(score, 3)))
            if len(hits) == limit:
                break
        return hits

    @staticmethod
    def _weight(doc: Doc, weights, matter_id: int | None) -> float:
        weight = weights.get(doc.kind, 1.0) if weights else 1.0
        if matter_id and doc.matter_id == matter_id:
            weight *= CHOSEN_MATTER_BOOST
        return weight


def _guide_url(name: str, code: str) -> str:
    return reverse(name, args=[code])


def _materials_line(matter: Matter) -> str:
    names = [m.name for m in matter.materials.all()]
    return f"所需材料：{'；'.join(names)}。" if names else "无需提交材料。"


def build_guide_index() -> Bm25Index:
    """Matters (name weighted twice, with materials), materials, bundles, published FAQ."""
    index = Bm25Index(avgdl=12.0)
    matters = Matter.objects.filter(is_active=True).prefetch_related("materials")
    for m in matters.only("pk", "code", "name", "search_text", "promised_days", "online"):
        url = _guide_url("catalog:matter_guide", m.code)
        days = f"承诺 {m.promised_days} 个工作日办结" if m.promised_days else "即来即办"
        text = f"办理“{m.name}”：{_materials_line(m)}{days}。"
        tokens = words(m.name) * 3 + m.search_text.split()
        index.add(Doc("matter", m.pk, m.name, text, url, m.pk), tokens)
    materials = Material.objects.filter(matter__is_active=True).select_related("matter")
    for mat in materials.only("pk", "name", "form", "copies", "matter__code", "matter__name"):
        url = _guide_url("catalog:matter_guide", mat.matter.code)
        form = f"{mat.get_form_display()} {mat.copies} 份"
        text = f"办理“{mat.matter.name}”需提交：{mat.name}（{form}）。"
        tokens = words(mat.name) * 2 + words(mat.matter.name)
        index.add(Doc("material", mat.pk, mat.name, text, url, mat.matter_id), tokens)
    for b in Bundle.objects.filter(is_active=True):
        url = _guide_url("catalog:bundle_guide", b.code)
        text = f"“{b.name}”可一次办理：{b.description}".strip("：")
        index.add(
            Doc("bundle", b.pk, b.name, text, url, None), words(b.name) * 2 + words(b.description)
        )
    for f in FaqEntry.objects.filter(is_published=True).select_related("matter"):
        url = _guide_url("catalog:matter_guide", f.matter.code) if f.matter_id else ""
        index.add(
            Doc("faq", f.pk, f.question, f.answer, url, f.matter_id),
            words(f.question) * 2 + words(f.answer),
        )
    return index


def _answered():
    return Consultation.objects.exclude(search_tokens="")


class Suggester:
    """The two indexes of a process, refreshed when the data changed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.guide: Bm25Index | None = None
        self.guide_key = None
        self.answers: Bm25Index | None = None
        self.answers_key = 0  # the newest agent message indexed
        self.checked_at: float | None = None

    def mark_stale(self) -> None:
        self.checked_at = None

    def _guide_key(self):
        return (
            Matter.objects.aggregate(n=Count("id"), t=Max("updated_at")),
            Material.objects.aggregate(n=Count("id"), m=Max("id")),
            Bundle.objects.aggregate(n=Count("id"), m=Max("id")),
            FaqEntry.objects.filter(is_published=True).aggregate(n=Count("id"), m=Max("id")),
        )

    def refresh(self) -> None:
        now = time.monotonic()
        if self.checked_at is not None and now - self.checked_at < CHECK_SECONDS:
            return
        with self.lock:
            self.checked_at = now
            key = self._guide_key()
            if key != self.guide_key or self.guide is None:
                self.guide, self.guide_key = build_guide_index(), key
            self._refresh_answers()

    def _refresh_answers(self) -> None:
        """Every answer writes an agent message: the newest one's id tells whether anything
        was answered since (a backwards walk of the primary key, not a count)."""
        agent = Message.objects.filter(author=Message.Author.AGENT)
        latest = agent.order_by("-id").values_list("id", flat=True).first() or 0
        if self.answers is not None and latest == self.answers_key:
            return
        if self.answers is None:
            rows = _answered()
            self.answers = Bm25Index(avgdl=20.0)
        else:  # only what was answered since
            since = agent.filter(id__gt=self.answers_key).values("consultation_id")
            rows = _answered().filter(pk__in=since)
        fields = ("pk", "question", "answer", "search_tokens", "matter_id")
        for c in rows.only(*fields).iterator(chunk_size=5000):
            doc = Doc("consultation", c.pk, c.question[:80], c.answer, "", c.matter_id)
            self.answers.add(doc, c.search_tokens.split())
        self.answers_key = latest

    def suggest(
        self, query: str, *, limit: int = 5, matter_id: int | None = None
    ) -> tuple[list[Hit], list[Hit]]:
        terms = query_terms(query)
        if not terms:
            return [], []
        self.refresh()
        return (
            self.guide.search(terms, limit, KIND_WEIGHTS, matter_id),
            self.answers.search(terms, limit, matter_id=matter_id),
        )


_suggester = Suggester()


def suggest(
    query: str, *, limit: int = 5, matter_id: int | None = None
) -> tuple[list[Hit], list[Hit]]:
    """(guide passages, earlier answers) best matching `query`, best first; those of the
    matter the person chose (`matter_id`) rank higher."""
    return _suggester.suggest(query, limit=limit, matter_id=matter_id)


def mark_stale() -> None:
    """Look at the database again on the next suggestion of this process (a new answer or FAQ
    entry here); other processes see it within CHECK_SECONDS."""
    _suggester.mark_stale()


def reset() -> None:
    """Forget the indexes (tests, and after a bulk load)."""
    global _suggester
    _suggester = Suggester()
