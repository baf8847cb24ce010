"""Reads of the catalog: the public guide (search, matter and "一件事" guides) and what each
staff member may maintain."""

import difflib
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Department
from chuangkou.org.selectors import departments_headed_by

from .filters import BundleFilter, GuideFilter, MatterFilter
from .models import Bundle, Material, Matter
from .text import normalize, query_tokens, variants


def public_matters() -> QuerySet[Matter]:
    """事项 shown to everyone, signed in or not: those in use."""
    return Matter.objects.filter(is_active=True).select_related("department")


def public_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(is_active=True)


def matters_managed_by(user) -> QuerySet[Matter]:
    """事项 a user maintains, in use or not: all for the center admin, those of the departments
    they head for a department head, none for anyone else."""
    qs = Matter.objects.select_related("department").annotate(material_count=Count("materials"))
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, Role.CENTER_ADMIN):
        return qs
    if has_role(user, Role.DEPT_HEAD):
        return qs.filter(department__in=departments_headed_by(user))
    return qs.none()


def guide_departments() -> QuerySet[Department]:
    """Departments with a matter in use: the department filter of the public guide."""
    return Department.objects.filter(matters__is_active=True).distinct().order_by("code")


def editable_departments(user) -> QuerySet[Department]:
    """Departments whose matters a user may create or change."""
    if has_role(user, Role.CENTER_ADMIN):
        return Department.objects.order_by("code")
    if has_role(user, Role.DEPT_HEAD):
        return departments_headed_by(user).order_by("code")
    return Department.objects.none()


def managed_matters(*, user, filters: MatterFilter) -> QuerySet[Matter]:
    return filters.filter(matters_managed_by(user)).order_by("code")


def bundles_managed_by(user) -> QuerySet[Bundle]:
    qs = Bundle.objects.annotate(matter_count=Count("items"))
    return qs if has_role(user, Role.CENTER_ADMIN) else qs.none()


def managed_bundles(*, user, filters: BundleFilter) -> QuerySet[Bundle]:
    return filters.filter(bundles_managed_by(user)).order_by("code")


def _token_matches(token: str) -> Q:
    """A query word (or one of its synonyms) is in the name or among the search words."""
    matches = Q()
    for variant, words in variants(token):
        matches |= Q(name__icontains=variant)
        matches |= reduce(operator.and_, (Q(search_text__contains=f" {w} ") for w in words))
    return matches


def _name_matches(token: str) -> Q:
    return reduce(operator.or_, (Q(name__icontains=v) for v, _ in variants(token)))


def _count_of(conditions: list[Q]) -> Case | Value:
    cases = [Case(When(c, then=1), default=0, output_field=IntegerField()) for c in conditions]
    return reduce(operator.add, cases) if cases else Value(0)


def search_matters(query: str | None, *, within: QuerySet[Matter] | None = None):
    """搜索事项 by Chinese words of their name or materials.

    The query is cut into words by jieba (precise mode). A word matches a matter when it is one
    of the matter's search words (its name and materials cut by `cut_for_search`) or appears in
    its name; everyday synonyms count too (驾照 finds 驾驶证, see `text.SYNONYMS`).

    The matters that match every word are found (AND); only when there are none, those that
    match any word (OR), ranked by how many words they match. Within a rank, name hits come
    before material hits, then the code decides. A blank query lists everything; a query
    without any word (only punctuation or symbols) finds nothing.
    """
    base = public_matters() if within is None else within
    if not (query or "").strip():
        return base.order_by("code")
    tokens = query_tokens(query)
    if not tokens:
        return base.none()
    ranked = base.annotate(
        exact=_exactness(query),
        hits=_count_of([_token_matches(t) for t in tokens]),
        name_hits=_count_of([_name_matches(t) for t in tokens]),
    )
    every_word = ranked.filter(hits=len(tokens))
    if every_word.exists():
        return every_word.order_by("-exact", "-name_hits", "code")
    return ranked.filter(hits__gte=1).order_by("-exact", "-hits", "-name_hits", "code")


def _exactness(query: str) -> Case:
    """2 for the matter named exactly as asked, 1 for a name starting with it, else 0: the
    exact name comes first whatever the word counts say."""
    text = " ".join(query.split())
    return Case(
        When(name=text, then=2),
        When(name__startswith=text, then=1),
        default=0,
        output_field=IntegerField(),
    )


SUGGEST_MIN_SIMILARITY = 0.6


def _best_window(query: str, name: str) -> tuple[float, str]:
    """The stretch of `name` closest to `query`, character by character (公机金 → 公积金)."""
    best = (0.0, "")
    size = len(query)
    for width in {max(1, size - 1), size, size + 1}:
        for start in range(0, max(1, len(name) - width + 1)):
            window = name[start : start + width]
            score = difflib.SequenceMatcher(None, query, window).ratio()
            if score > best[0]:
                best = (score, window)
    return best


def suggest_terms(query: str | None, *, limit: int = 3) -> list[str]:
    """您是不是要找: words of matter names close to a query that found nothing (a typo such as
    公机金 for 公积金), by character-level similarity, best first."""
    text = normalize(query or "")
    if not 2 <= len(text) <= 12:
        return []
    scores: dict[str, float] = {}
    for name in public_matters().values_list("name", flat=True).distinct():
        score, window = _best_window(text, normalize(name))
        if score >= SUGGEST_MIN_SIMILARITY and window != text and window.strip("（）()"):
            scores[window] = max(score, scores.get(window, 0.0)) + 0.001  # more names, first
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:limit]]


def guide_matters(filters: GuideFilter):
    """The public search page and API: the filters narrow, `q` ranks."""
    return search_matters(filters.q, within=filters.filter(public_matters()))


def search_bundles(query: str | None) -> QuerySet[Bundle]:
    """一件事 whose name holds every word of the query (all of them for a blank query)."""
    bundles = public_bundles().order_by("code")
    if not (query or "").strip():
        return bundles
    tokens = query_tokens(query)
    if not tokens:
        return bundles.none()
    return bundles.filter(reduce(operator.and_, (Q(name__icontains=t) for t in tokens)))


def bundles_of(matter: Matter) -> QuerySet[Bundle]:
    return public_bundles().filter(items__matter=matter).order_by("code").distinct()


def bundle_matters(bundle: Bundle) -> list[Matter]:
    return list(
        bundle.matters.select_related("department")
        .prefetch_related("materials")
        .order_by("bundleitem__order", "code")
    )


# Merging material forms: the stronger form wins; an original asked by one matter and a copy
# by another make "原件和复印件".
_FORM_RANK = {
    Material.Form.ELECTRONIC: 0,
    Material.Form.COPY: 1,
    Material.Form.ORIGINAL: 2,
    Material.Form.BOTH: 3,
}


@dataclass
class MergedMaterial:
    """One line of a bundle's merged material list (一次提交)."""

    name: str
    requirement: str
    form: str
    copies: int
    matters: list[Matter] = field(default_factory=list)
    matter_numbers: list[int] = field(default_factory=list)  # 1-based, in the bundle's order
    conditions: list[str] = field(default_factory=list)
    template: Material | None = None

    @property
    def is_required(self) -> bool:
        return self.requirement == Material.Requirement.REQUIRED

    @property
    def requirement_label(self) -> str:
        return Material.Requirement(self.requirement).label

    @property
    def form_label(self) -> str:
        return Material.Form(self.form).label

    def add(self, material: Material, matter: Matter, number: int) -> None:
        if matter not in self.matters:
            self.matters.append(matter)
            self.matter_numbers.append(number)
        if material.requirement == Material.Requirement.REQUIRED:
            self.requirement = Material.Requirement.REQUIRED
        if material.condition and material.condition not in self.conditions:
            self.conditions.append(material.condition)
        self.copies = max(self.copies, material.copies)
        self.form = _merged_form(self.form, material.form)
        if self.template is None and material.template:
            self.template = material


def _merged_form(a: str, b: str) -> str:
    if {a, b} == {Material.Form.ORIGINAL, Material.Form.COPY}:
        return Material.Form.BOTH
    return a if _FORM_RANK[Material.Form(a)] >= _FORM_RANK[Material.Form(b)] else b


def _issued_before(key: str, produced: dict) -> bool:
    """An earlier matter of the bundle issues this material (营业执照 for 「营业执照（副本）」)."""
    return any(key.startswith(product) for product in produced)


def produced_materials(matters: list[Matter]) -> list[tuple[str, Matter, int]]:
    """(material, issuing matter, its number) for what the bundle's later matters ask for but an
    earlier one issues: left out of the merged list, shown as 无需提交."""
    produced: dict[str, tuple[Matter, int]] = {}
    left_out: dict[str, tuple[str, Matter, int]] = {}
    for number, matter in enumerate(matters, start=1):
        for material in matter.materials.all():
            key = normalize(material.name)
            issuer = next((v for p, v in produced.items() if key.startswith(p)), None)
            if issuer is not None and key not in left_out:
                left_out[key] = (material.name.strip(), *issuer)
        for product in matter.products:
            produced.setdefault(normalize(product), (matter, number))
    return list(left_out.values())


def merge_materials(matters: list[Matter]) -> list[MergedMaterial]:
    """The materials of several matters, each asked once, without what an earlier matter of
    the same bundle issues (the business licence in 企业开办: `Matter.produces`).

    Two materials are the same when their names are equal after normalising (full-width to
    half-width, no white space, case ignored): 「身份证」 and 「身份证 」 merge, 「居民身份证」
    and 「身份证」 do not. A merged material lists the matters that ask for it, is required if
    any of them requires it (else conditional, with every condition), takes the most copies and
    the stronger form. The list keeps the order in which materials are first asked.
    """
    merged: dict[str, MergedMaterial] = {}
    produced: dict[str, tuple[Matter, int]] = {}  # normalised product → the matter issuing it
    for number, matter in enumerate(matters, start=1):
        for material in matter.materials.all():
            key = normalize(material.name)
            if _issued_before(key, produced):
                continue
            if key not in merged:
                merged[key] = MergedMaterial(
                    name=material.name.strip(),
                    requirement=material.requirement,
                    form=material.form,
                    copies=material.copies,
                )
            merged[key].add(material, matter, number)
        for product in matter.products:
            produced.setdefault(normalize(product), (matter, number))
    for item in merged.values():
        if item.is_required:
            item.conditions = []
    return list(merged.values())


def bundle_materials(bundle: Bundle) -> list[MergedMaterial]:
    """The merged material list of a "一件事" (see `merge_materials`)."""
    return merge_materials(bundle_matters(bundle))


@dataclass(frozen=True)
class BundleGuide:
    """The guide of a "一件事".

    承诺时限: the matters of a bundle run in parallel (并联办理: one acceptance, the departments
    work at the same time), so the bundle's promise is the LONGEST promise of its matters
    (`promised_days`, shown as 合计承诺时限). The sum of the promises (`serial_days`) is what
    handling them one after another would take; the guide shows it as a note for comparison.
    跑动次数: the most visits any of its matters needs (`max_visits`).
    """

    bundle: Bundle
    matters: list[Matter]
    materials: list[MergedMaterial]
    produced: list[tuple[str, Matter, int]] = field(default_factory=list)

    @property
    def promised_days(self) -> int:
        return max((m.promised_days for m in self.matters), default=0)

    @property
    def serial_days(self) -> int:
        return sum(m.promised_days for m in self.matters)

    @property
    def max_visits(self) -> int:
        return max((m.max_visits for m in self.matters), default=0)

    @property
    def online(self) -> bool:
        return bool(self.matters) and all(m.online for m in self.matters)

    @property
    def asked_materials(self) -> int:
        """How many materials the matters ask for one by one, before merging."""
        return sum(len(m.materials.all()) for m in self.matters)


def bundle_guide(bundle: Bundle) -> BundleGuide:
    matters = bundle_matters(bundle)
    return BundleGuide(
        bundle=bundle,
        matters=matters,
        materials=merge_materials(matters),
        produced=produced_materials(matters),
    )
