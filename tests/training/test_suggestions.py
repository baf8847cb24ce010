"""员工建议: filing, assigning, answering, deciding, turning into a supervision problem."""

import pytest

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.supervision.models import Problem
from chuangkou.training import selectors, services
from chuangkou.training.filters import SuggestionFilter
from chuangkou.training.models import Suggestion


@pytest.fixture
def filed(tw):
    tw.suggestion = services.file_suggestion(
        actor=tw.clerk_a1,
        aspect="support",
        title="增设母婴室",
        content="大厅二楼办事群众带孩子较多，建议增设母婴室。",
    )
    return tw


def test_file_suggestion_needs_staff_aspect_and_text(tw):
    with pytest.raises(DomainError, match="方面"):
        services.file_suggestion(actor=tw.clerk_a1, aspect="x", title="t", content="c")
    with pytest.raises(DomainError, match="建议内容"):
        services.file_suggestion(actor=tw.clerk_a1, aspect="skill", title="t", content=" ")
    with pytest.raises(DomainError, match="未关联窗口人员"):
        services.file_suggestion(actor=tw.admin, aspect="skill", title="t", content="c")


def test_assign_answer_adopt(filed):
    s = services.assign_suggestion(
        actor=filed.admin, suggestion=filed.suggestion, assignee=filed.head_a
    )
    assert s.status == Suggestion.Status.ASSIGNED
    with pytest.raises(DomainError, match="权限"):
        services.answer_suggestion(actor=filed.clerk_b1, suggestion=s, answer="好")
    s = services.answer_suggestion(actor=filed.head_a, suggestion=s, answer="已列入年度计划。")
    assert s.status == Suggestion.Status.ANSWERED
    with pytest.raises(DomainError, match="理由"):
        services.decide_suggestion(actor=filed.admin, suggestion=s, adopted=True, reason="")
    s = services.decide_suggestion(actor=filed.admin, suggestion=s, adopted=True, reason="可行")
    assert s.status == Suggestion.Status.ADOPTED and s.decided_at
    with pytest.raises(DomainError, match="已采纳"):
        services.answer_suggestion(actor=filed.admin, suggestion=s, answer="again")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"training.suggestion.file", "training.suggestion.assign"} <= actions
    assert {"training.suggestion.answer", "training.suggestion.decide"} <= actions


def test_only_heads_or_admins_are_assignees(filed):
    with pytest.raises(DomainError, match="承办"):
        services.assign_suggestion(
            actor=filed.admin, suggestion=filed.suggestion, assignee=filed.clerk_b1
        )
    with pytest.raises(DomainError, match="权限"):
        services.assign_suggestion(
            actor=filed.head_a, suggestion=filed.suggestion, assignee=filed.head_a
        )


def test_decline_with_reason(filed):
    s = services.decide_suggestion(
        actor=filed.admin, suggestion=filed.suggestion, adopted=False, reason="场地受限"
    )
    assert s.status == Suggestion.Status.DECLINED and s.decision_reason == "场地受限"


def test_to_problem_once(filed):
    problem = services.suggestion_to_problem(
        actor=filed.admin, suggestion=filed.suggestion, kind="pain", owner=filed.dept_a
    )
    assert problem.source == Problem.Source.SUGGESTION
    assert problem.title == "增设母婴室" and problem.owner == filed.dept_a
    filed.suggestion.refresh_from_db()
    assert filed.suggestion.problem == problem
    with pytest.raises(DomainError, match="已转为问题"):
        services.suggestion_to_problem(
            actor=filed.admin, suggestion=filed.suggestion, kind="pain", owner=filed.dept_a
        )
    with pytest.raises(DomainError, match="问题类型"):
        other = services.file_suggestion(
            actor=filed.clerk_b1, aspect="skill", title="t", content="c"
        )
        services.suggestion_to_problem(
            actor=filed.admin, suggestion=other, kind="x", owner=filed.dept_a
        )
    assert Problem.objects.count() == 1


def test_visibility(filed):
    other = services.file_suggestion(actor=filed.clerk_b1, aspect="skill", title="b", content="c")
    everything = SuggestionFilter()
    assert set(selectors.suggestion_list(user=filed.admin, filters=everything)) == {
        filed.suggestion,
        other,
    }
    assert list(selectors.suggestion_list(user=filed.clerk_a1, filters=everything)) == [
        filed.suggestion
    ]
    assert list(selectors.suggestion_list(user=filed.head_a, filters=everything)) == [
        filed.suggestion
    ]
    counts = selectors.suggestion_counts(Suggestion.objects.all())
    assert counts == {"服务态度": 0, "业务能力": 1, "信息宣传": 0, "服务保障": 1}
