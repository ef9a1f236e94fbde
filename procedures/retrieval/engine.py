"""Hybrid retrieval: BM25 over folded catalog text + sentence embeddings, fused by reciprocal rank.

The index lives in process memory, built from the database on first use and rebuilt when the
catalog, its vectors or the lexicon change (a cheap signature query per search). Ranking is pure
Python/NumPy over the same rows, so SQLite and PostgreSQL give identical results.
"""

import ctypes
import gc
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from procedures.models import Procedure, ProcedureLevel, RequiredDocument
from procedures.parsing import fold_name
from procedures.retrieval import embedding
from procedures.retrieval.lexicon import Term, compile_terms, done_words, expand, matches
from procedures.retrieval.models import ColloquialTerm, ProcedureVector
from procedures.retrieval.text import (
    ACTIONS,
    ANY,
    ASKING,
    BREAK,
    FOREIGN,
    QUESTION_WORDS,
    Speller,
    age_words,
    for_service_people,
    level_base,
    listed_actions,
    named_specialised,
    normalise,
    specialised_in,
    split_words,
    terms,
    words,
)

# BM25 per field, summed with these weights (BM25F-like): the name says what a procedure is,
# results and documents say what a citizen walks away with or brings.
FIELD_WEIGHTS = {"name": 4.0, "results": 1.0, "documents": 0.25, "sector": 0.5}
# A specialised variant (foreigners, border areas, re-registration...) the question does not
# ask for keeps this share of its fused score.
SPECIALISED_FACTOR = 0.6
# A name holding one specialised phrase the question names and another it does not ("Tạm ngừng
# kinh doanh, tiếp tục kinh doanh …" for "tạm ngừng kinh doanh") keeps this share.
PARTLY_SPECIALISED_FACTOR = 0.9
# Share kept by a procedure citizens cannot apply for (organisations or businesses only).
CITIZEN_PRIOR = 0.8
# Share of its coverage kept by a top hit that shares no two-syllable word with the question.
UNPAIRED_COVERAGE = 0.4
K1 = 1.2
B = 0.75
CANDIDATES = 50
MEMO_SIZE = 512
RRF_K = 20
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 0.7
COVERAGE_WEIGHT = 0.8
# Fourth ranking: the longest run of words a name shares with the question, in order ("xóa đăng
# ký thường trú" is "Xóa đăng ký thường trú" before "Xóa đăng ký"; "nhập quốc tịch Việt Nam"
# before "Thôi quốc tịch Việt Nam").
RUN_WEIGHT = 0.3
MAX_RUN = 12
# A candidate whose name holds, word for word, the official wording of a lexicon term the
# question used keeps this multiple of its score.
PHRASE_BONUS = 1.5
# The same multiple for a name sharing this many content words in a row with the question's own
# words ("giấy chứng nhận đủ điều kiện an ninh trật tự" after "mở quán karaoke"): what the
# citizen names literally outweighs what the lexicon guesses from the situation.
LITERAL_RUN = 4
MISSING_ACTION_FACTOR = 0.8
# The specialisation of a procedure kept to the forces' people (text.for_service_people), named
# by a question that says "công an nhân dân" (or a lexicon term for it: "thân nhân công an").
SERVICE = frozenset({"cong an nhan dan"})
NONE: frozenset[str] = frozenset()
# Words of a combined procedure's halves that do not say which half is meant.
COMBINED_GENERIC = frozenset("thu tuc dang ky cap cho cua va cac".split())
# Citizens mostly deal with the commune, then the district; used only to break ties.
LEVEL_ORDER = {ProcedureLevel.COMMUNE: 2, ProcedureLevel.DISTRICT: 1, ProcedureLevel.PROVINCE: 0}

_popularity_provider: Callable[[], dict[int, int]] | None = None


def set_popularity_provider(provider: Callable[[], dict[int, int]] | None) -> None:
    """Hook for an app above the catalog to supply {procedure id: dossier count}.

    The catalog cannot read dossiers (layers); the dossier app's counts reach it through here.
    """
    global _popularity_provider
    _popularity_provider = provider


def _popularity() -> dict[int, int]:
    return _popularity_provider() if _popularity_provider else {}


@dataclass(frozen=True)
class Hit:
    procedure_id: int
    code: str
    name: str
    level: str
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    other_levels: tuple[int, ...] = ()  # same name at other levels, shown beside the hit
    coverage: float = 0.0  # share of the question's content words the procedure's text holds


@dataclass
class SearchResult:
    hits: list[Hit]
    confidence: float  # 0..1: 1 when both rankings put the top hit first
    expansions: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    id: int
    code: str
    name: str
    search_name: str
    level: str
    is_published: bool
    is_active: bool


class Index:
    def __init__(self, signature: tuple) -> None:
        self.signature = signature
        self.generation = 0
        self.memo: dict[tuple, SearchResult] = {}
        rows = list(
            Procedure.objects.order_by("id").values_list(
                "id",
                "code",
                "name",
                "search_name",
                "level",
                "is_published",
                "is_active",
                "results",
                "sector__name",
                "applicant_kinds",
                "conditions",
            )
        )
        self.docs = [_Doc(r[0], r[1], r[2], r[3].strip(), r[4], r[5], r[6]) for r in rows]
        self.position = {doc.id: i for i, doc in enumerate(self.docs)}
        documents: dict[int, list[str]] = defaultdict(list)
        for procedure_id, name in RequiredDocument.objects.filter(is_note=False).values_list(
            "procedure_id", "name"
        ):
            documents[procedure_id].append(name)
        fields: dict[str, list[list[str]]] = {
            "name": [terms(normalise(fold_name(r[2]).split())) for r in rows],
            "results": [terms(words(" . ".join(_result_names(r[7])))) for r in rows],
            "documents": [terms(words(" . ".join(documents.get(r[0], [])))) for r in rows],
            "sector": [terms(words(r[8] or "")) for r in rows],
        }
        self._build_postings(fields)
        syllables: Counter[str] = Counter()
        for name in ("name", "results", "sector", "documents"):
            for doc_terms in fields[name]:
                syllables.update(t for t in doc_terms if "_" not in t)

        # The assistant serves citizens: a procedure only organisations or businesses may ask for
        # ("Đăng ký đất đai … lần đầu đối với tổ chức") is rarely what a citizen means. Unknown
        # applicants (empty) count as open to citizens.
        self.prior = np.array(
            [
                1.0 if not (r[9] or "").strip(",") or ",citizen," in r[9] else CITIZEN_PRIOR
                for r in rows
            ],
            dtype=np.float32,
        )
        # Foreigners apply for some ("Nhập quốc tịch Việt Nam"): open to a question about them.
        self.for_foreigners = [",foreigner," in (r[9] or "") for r in rows]
        self.published = np.array([d.is_published and d.is_active for d in self.docs], dtype=bool)
        self.active = np.array([d.is_active for d in self.docs], dtype=bool)
        # Each name's own syllables (no pairs, no stopwords): how much of it a question covers.
        self.name_words = [
            frozenset(t for t in doc_terms if "_" not in t) for doc_terms in fields["name"]
        ]
        # Every syllable the catalog holds for a procedure: how much of a question it explains.
        self.vocabulary = [
            frozenset(
                t for name in ("name", "results", "sector") for t in fields[name][i] if "_" not in t
            )
            for i in range(len(self.docs))
        ]
        # Its syllable pairs ("tam_tru"): words of two syllables, checked against the question's.
        self.pairs = [
            frozenset(
                t for name in ("name", "results", "sector") for t in fields[name][i] if "_" in t
            )
            for i in range(len(self.docs))
        ]
        padded_names = [f" {' '.join(normalise(fold_name(r[2]).split()))} " for r in rows]
        self.specialised = [
            specialised_in(name) | (SERVICE if for_service_people(" ".join(words(r[10]))) else NONE)
            for name, r in zip(padded_names, rows, strict=True)
        ]
        self.listed = [listed_actions(name) for name in padded_names]
        self.padded_names = padded_names
        self.name_tokens = [tuple(name.split()) for name in padded_names]
        # The two halves of a combined procedure ("Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ,
        # con"), generic words aside: the question must name something of each.
        self.combined = [
            tuple(
                frozenset(name.split(" ket hop ", 1)[k].split()) - COMBINED_GENERIC for k in (0, 1)
            )
            if " ket hop " in name
            else None
            for name in padded_names
        ]
        # Same-named procedures, levels aside: "Trình báo mất hộ chiếu phổ thông (thực hiện tại
        # cấp xã)" and "… (thực hiện tại cấp tỉnh)" are one procedure at two levels.
        self.group_key: list[str] = []
        self.level_order: list[int] = []
        self.siblings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            base, suffix = level_base(doc.search_name)
            self.group_key.append(base)
            self.level_order.append(
                suffix if suffix is not None else LEVEL_ORDER.get(doc.level, -1)
            )
            self.siblings[base].append(i)
        self.lexicon: list[Term] = compile_terms(
            list(ColloquialTerm.objects.filter(is_active=True).values_list("phrase", "expansion"))
        )
        # The lexicon's words are words too: "khau" of "cắt khẩu" is not a typo of "khai".
        for term in self.lexicon:
            for word in term.phrase.split():
                syllables[word] += 1
        self.speller = Speller(dict(syllables), frozenset(t for t in self.term_slices if "_" in t))
        self._load_vectors()

    def _build_postings(self, fields: dict[str, list[list[str]]]) -> None:
        n = len(self.docs)
        df: Counter[str] = Counter()
        for i in range(n):
            df.update({t for name in fields for t in fields[name][i]})
        idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        weights: dict[str, dict[int, float]] = defaultdict(dict)
        for name, field_weight in FIELD_WEIGHTS.items():
            lengths = [len(t) for t in fields[name]]
            average = (sum(lengths) / n) if n else 1.0
            for i, doc_terms in enumerate(fields[name]):
                norm = K1 * (1 - B + B * lengths[i] / (average or 1.0))
                for term, tf in Counter(doc_terms).items():
                    w = field_weight * idf[term] * tf * (K1 + 1) / (tf + norm)
                    weights[term][i] = weights[term].get(i, 0.0) + w
        # One flat pair of arrays with each term's slice (40,000 terms as 80,000 small arrays
        # cost a web worker about 15 MB more).
        self.term_slices: dict[str, tuple[int, int]] = {}
        posting_docs: list[int] = []
        posting_weights: list[float] = []
        for term, docs in weights.items():
            start = len(posting_docs)
            posting_docs.extend(docs.keys())
            posting_weights.extend(docs.values())
            self.term_slices[term] = (start, len(posting_docs))
        self.posting_docs = np.array(posting_docs, dtype=np.int32)
        self.posting_weights = np.array(posting_weights, dtype=np.float32)

    def _load_vectors(self) -> None:
        rows = [
            (self.position[pid], bytes(blob))
            for pid, blob in ProcedureVector.objects.filter(
                model_name=embedding.MODEL_NAME
            ).values_list("procedure_id", "vector")
            if pid in self.position
        ]
        self.vector_rows = np.array([r[0] for r in rows], dtype=np.int32)
        self.vectors = (
            np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            if rows
            else np.zeros((0, embedding.DIM), dtype=np.float32)
        )

    # ranking ---------------------------------------------------------------------------------

    def lexical(self, query_terms: list[str], mask: np.ndarray) -> list[int]:
        scores = np.zeros(len(self.docs), dtype=np.float32)
        for term in dict.fromkeys(query_terms):
            bounds = self.term_slices.get(term)
            if bounds is not None:
                start, end = bounds
                scores[self.posting_docs[start:end]] += self.posting_weights[start:end]
        scores[~mask] = 0
        return _top(scores, CANDIDATES)

    def dense(self, text: str, mask: np.ndarray) -> list[int]:
        if not len(self.vector_rows) or not embedding.enabled():
            return []
        similarities = self.vectors @ embedding.embed_query(text)
        allowed = mask[self.vector_rows]
        similarities = np.where(allowed, similarities, -1.0)
        order = np.argsort(-similarities)[:CANDIDATES]
        return [int(self.vector_rows[j]) for j in order if similarities[j] > -1.0]


def _result_names(results) -> list[str]:
    return [r.get("name", "") if isinstance(r, dict) else str(r) for r in results or []]


def _top(scores: np.ndarray, k: int) -> list[int]:
    positive = int((scores > 0).sum())
    if not positive:
        return []
    k = min(k, positive)
    picked = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in picked[np.argsort(-scores[picked], kind="stable")]]


_index: Index | None = None
_index_lock = threading.Lock()


def _signature() -> tuple:
    procedures = Procedure.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    vectors = ProcedureVector.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    lexicon = ColloquialTerm.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (
        *procedures.values(),
        RequiredDocument.objects.count(),
        *vectors.values(),
        *lexicon.values(),
    )


_checked_at = 0.0
_generation = 0


def invalidate() -> None:
    """Called on saves in this process (procedures.signals): the next search rebuilds."""
    global _generation
    _generation += 1


def get_index() -> Index:
    """The process's index, rebuilt when the catalog, the vectors or the lexicon changed.

    Saves in this process invalidate it at once; writes by other processes (imports, the admin
    on another worker, bulk updates) are seen by a signature check at most every
    RETRIEVAL_RECHECK_SECONDS, which keeps the check's full-table aggregates off most requests.
    """
    global _index, _checked_at
    now = time.monotonic()
    recheck = getattr(settings, "RETRIEVAL_RECHECK_SECONDS", 30)
    if _index is not None and _index.generation == _generation and now - _checked_at < recheck:
        return _index
    signature = _signature()
    _checked_at = now
    if _index is None or _index.signature != signature or _index.generation != _generation:
        with _index_lock:
            generation = _generation
            _index = Index(signature)
            _index.generation = generation
            _release_build_memory()
    return _index


def _release_build_memory() -> None:
    """Give the build's temporary objects back to the system (about 20 MB of a web worker).

    glibc keeps freed memory for reuse; malloc_trim returns it. Elsewhere this does nothing.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def search(
    q: str,
    *,
    limit: int = 10,
    include_unpublished: bool = False,
    group_levels: bool = True,
) -> SearchResult:
    """Procedures for a question in a citizen's words, best first.

    With group_levels, procedures sharing a name at several levels appear once, as the one a
    citizen normally uses (published, most dossiers, then the lowest level), the others listed
    in `other_levels`.
    """
    index = get_index()
    key = (q, limit, include_unpublished, group_levels)
    if key in index.memo:  # the catalog page asks the same question for its list and facets
        return index.memo[key]
    result = _search(index, q, limit, include_unpublished, group_levels)
    if len(index.memo) > MEMO_SIZE:
        index.memo.clear()
    index.memo[key] = result
    return result


def _search(
    index: Index, q: str, limit: int, include_unpublished: bool, group_levels: bool
) -> SearchResult:
    tokens, marks, written_words = (part[:40] for part in split_words(q))
    corrected = index.speller.correct_all(tokens)
    marks = [m if c == t else ANY for c, t, m in zip(corrected, tokens, marks, strict=True)]
    kept = _strip_asking(corrected, marks)
    extra_words, written = expand(kept, index.lexicon, marks)
    extra_words += age_words(kept)
    query_terms = terms(kept) + terms(extra_words)
    mask = index.active if include_unpublished else index.published
    lexical = index.lexical(query_terms, mask)
    said = [w for w, k in zip(written_words, kept, strict=True) if k != BREAK]
    dense_text = " ".join([*said, *written]) if q.strip() else ""
    dense = index.dense(dense_text, mask) if dense_text else []
    fused: dict[int, float] = defaultdict(float)
    # Third ranking: the share of a candidate's name the question covers. It favours the plain
    # procedure ("Đăng ký tạm trú") over its long, specialised siblings ("Gia hạn tạm trú cho
    # người nước ngoài …") unless the question names the specialisation.
    asked = set(kept) | set(extra_words)
    candidates = list(dict.fromkeys([*lexical, *dense]))
    coverage = sorted(
        candidates,
        key=lambda i: (
            -len(index.name_words[i] & asked) / (len(index.name_words[i]) or 1),
            -len(index.name_words[i] & asked),  # then the name that covers more of the question
            len(index.name_words[i]),
        ),
    )
    for rank, i in enumerate(coverage[:CANDIDATES]):
        if index.name_words[i] & asked:
            fused[i] += COVERAGE_WEIGHT / (RRF_K + rank + 1)
    runs = question_runs([kept, *(words(w) for w in written)])
    run_length = {i: longest_run(index.name_tokens[i], runs) for i in candidates}
    literal_runs = question_runs([kept])
    literal_run = {i: longest_run(index.name_tokens[i], literal_runs) for i in candidates}
    by_run = sorted(
        (i for i in candidates if run_length[i] >= 2),
        key=lambda i: (-run_length[i], len(index.name_words[i])),
    )
    for rank, i in enumerate(by_run):
        fused[i] += RUN_WEIGHT / (RRF_K + rank + 1)
    for rank, i in enumerate(lexical):
        fused[i] += LEXICAL_WEIGHT / (RRF_K + rank + 1)
    for rank, i in enumerate(dense):
        fused[i] += DENSE_WEIGHT / (RRF_K + rank + 1)
    circumstances, _ = expand(kept, index.lexicon, marks, aside=False)
    padded_question = f" {' '.join([*kept, *extra_words, *circumstances])} "
    # The official wording a lexicon term stands for, found as such in a name, is strong
    # evidence ("chuyển mục đích sử dụng đất" in "Giao đất, cho thuê đất, chuyển mục đích sử
    # dụng đất …", not in "Chuyển mục đích sử dụng rừng …").
    phrases = [" ".join(words(w)) for w in written if len(words(w)) >= 2]
    # Actions the citizen names in their own words ("tạm ngưng", "cấp lại"): a name without any
    # of them is the plain registration, not what is asked.
    padded_kept = f" {' '.join(kept)} "
    actions = {p for p in ACTIONS if f" {p} " in padded_kept}
    padded_actions = f" {' '.join(actions)} "
    done = done_words(kept, marks)
    about_foreigners = any(f" {p} " in padded_question for p in FOREIGN)
    for i in fused:
        named = named_specialised(index.specialised[i], padded_question)
        halves = index.combined[i]
        # "A kết hợp B" is asked when the question names both, A not as done already ("bố
        # nhận con khi đã khai sinh rồi" is not "khai sinh kết hợp nhận cha, mẹ, con").
        if halves and all(half & (asked - done) for half in halves):
            named.add("ket hop")
        missing = bool(actions) and not named_specialised(index.specialised[i], padded_actions)
        if index.specialised[i] - named - index.listed[i]:
            fused[i] *= PARTLY_SPECIALISED_FACTOR if named else SPECIALISED_FACTOR
        elif missing:
            fused[i] *= MISSING_ACTION_FACTOR
        if not (about_foreigners and index.for_foreigners[i]):
            fused[i] *= float(index.prior[i])
        literal = literal_run[i] >= LITERAL_RUN
        if not missing and (literal or any(f" {e} " in index.padded_names[i] for e in phrases)):
            fused[i] *= PHRASE_BONUS
    content = [t for t in kept if t not in QUESTION_WORDS and not t.isdigit()]
    expansions = [tuple(words(w)) for w in written]
    question_pairs = {t for t in terms(kept) if "_" in t}
    order = sorted(fused, key=lambda i: (-fused[i], index.docs[i].code))
    lexical_rank = {i: r for r, i in enumerate(lexical)}
    dense_rank = {i: r for r, i in enumerate(dense)}
    best = (LEXICAL_WEIGHT + COVERAGE_WEIGHT + (DENSE_WEIGHT if dense else 0)) / (RRF_K + 1)
    hits: list[Hit] = []
    seen_names: set[str] = set()
    popularity = _popularity() if group_levels else {}
    for i in order:
        doc = index.docs[i]
        score = fused[i]
        others: tuple[int, ...] = ()
        if group_levels:
            key = index.group_key[i]
            if key in seen_names:
                continue
            seen_names.add(key)
            group = [j for j in index.siblings[key] if mask[j]]
            if len(group) > 1:
                chosen = max(
                    group,
                    key=lambda j: (popularity.get(index.docs[j].id, 0), index.level_order[j]),
                )
                others = tuple(index.docs[j].id for j in group if j != chosen)
                i, doc = chosen, index.docs[chosen]
        hits.append(
            Hit(
                procedure_id=doc.id,
                code=doc.code,
                name=doc.name,
                level=doc.level,
                score=round(score / best, 4) if best else 0.0,
                lexical_rank=lexical_rank.get(i),
                dense_rank=dense_rank.get(i),
                other_levels=others,
                coverage=_coverage(
                    index.vocabulary[i], content, expansions, index.pairs[i], question_pairs
                ),
            )
        )
        if len(hits) >= limit:
            break
    confidence = _confidence(hits, content)
    return SearchResult(
        hits=hits,
        confidence=confidence,
        expansions=written,
        corrected=[c for c, t in zip(corrected, tokens, strict=True) if c != t],
    )


_ASKING: list[Term] = compile_terms([(phrase, "") for phrase in ASKING])


def question_runs(sequences: list[list[str]]) -> set[tuple[str, ...]]:
    """Every run of two to MAX_RUN words of the question (and of each lexicon expansion),
    never across a phrase taken out (BREAK)."""
    runs: set[tuple[str, ...]] = set()
    for sequence in sequences:
        for start in range(len(sequence)):
            for end in range(start + 2, min(start + MAX_RUN, len(sequence)) + 1):
                if sequence[end - 1] == BREAK:
                    break
                runs.add(tuple(sequence[start:end]))
    return runs


def longest_run(name: tuple[str, ...], runs: set[tuple[str, ...]]) -> int:
    """Content words (question words aside) in the longest run of the name found in the
    question: "tạm trú cho" is no longer a run than "tạm trú"."""
    best = 0
    for start in range(len(name) - 1):
        end = start + 2
        while end <= len(name) and name[start:end] in runs:
            end += 1
        if end - 1 - start >= 2:
            best = max(best, sum(1 for t in name[start : end - 1] if t not in QUESTION_WORDS))
    return best


def _strip_asking(tokens: list[str], marks: list) -> list[str]:
    """The tokens with the phrases that ask rather than name (ASKING) replaced by BREAK, which
    forms no term and no pair. A question made only of such phrases is kept whole."""
    stripped = list(tokens)
    for _, span in matches(tokens, marks, _ASKING):
        for k in span:
            stripped[k] = BREAK
    if all(t == BREAK or t in QUESTION_WORDS for t in stripped):
        return list(tokens)
    return stripped


def _coverage(
    vocabulary: frozenset[str],
    content: list[str],
    expansions: list[tuple[str, ...]],
    pairs: frozenset[str] = frozenset(),
    question_pairs: set[str] | frozenset[str] = frozenset(),
) -> float:
    """The share of the question's content words (question words like "bao lâu", "giấy tờ gì"
    aside) found in a procedure's name, results or sector; a lexicon term whose every word the
    procedure holds ("báo tử" → "đăng ký khai tử") explains most of the question. 0.5 when the
    question has no content word.

    Folding merges many syllables ("nấu phở" → "nau pho", "phổ" of "phổ thông"), so single
    syllables can match by accident: when the question has two content words or more and the
    procedure shares none of its two-syllable words and no lexicon term explains it, the
    coverage is halved ("cách nấu phở" is not "Xét đặc cách tốt nghiệp trung học phổ thông")."""
    if not content:
        return 0.5
    coverage = sum(1 for t in content if t in vocabulary) / len(content)
    if any(all(t in vocabulary for t in expansion) for expansion in expansions):
        return round(max(coverage, 0.75), 3)
    if len(content) >= 2 and question_pairs and not (pairs & question_pairs):
        coverage *= UNPAIRED_COVERAGE
    return round(coverage, 3)


def _confidence(hits: list[Hit], content: list[str]) -> float:
    """How sure the top hit is, 0..1, from what the catalog can check rather than from ranks:
    its coverage of the question (an off-topic question, "thời tiết ngày mai", has none) and
    its margin over the next hit (a near tie is unsure)."""
    if not hits:
        return 0.0
    margin = 1.0
    if len(hits) > 1 and hits[0].score:
        margin = min(1.0, 4 * (hits[0].score - hits[1].score) / hits[0].score)
    return round(0.75 * hits[0].coverage + 0.25 * margin, 3)
