"""Grading a finished exam of 300 candidates × 100 questions, and its item analysis.

1. 交卷评分: the time is up and the lazy finaliser (`finalise_overdue_attempts`) submits every
   attempt (objective answers scored, items and totals written, one audit entry each) in short
   transactions of 50 attempts. Then the same attempts are put back and submitted one after
   another through `submit_attempt` (a candidate's own 交卷), and both must give the same
   totals. Baseline: the same 30 000 answers scored by the pure scoring functions in memory.
   Beside the wall time, this process's CPU time (on SQLite it includes the database's work,
   on PostgreSQL not the server's): a fairer figure on a machine busy with other work.
2. 试题分析: `selectors.exam_analysis` (reads 30 000 item scores, facility and discrimination per
   question, Cronbach's α). Baseline: the same statistics on the matrix already in memory.
3. 重评试算: a regrade dry run of one question over all candidates.

    python bench/exams_grading.py            # 300 × 100
    python bench/exams_grading.py --small    # 60 × 20
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import exams_common as common  # noqa: E402


def timed(fn, runs: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def answered_exam(candidates: int, questions: int):
    """Attempts started by the service, then answered in bulk: each candidate gets an answer
    right with their own probability (so the items correlate as in a real exam)."""
    from chuangkou.exams.models import Attempt, AttemptItem
    from chuangkou.exams.services import sitting

    exam, staff = common.make_exam(candidates=candidates, questions=questions, with_users=True)
    rng = random.Random(7)  # noqa: S311
    for person in staff:
        attempt = Attempt.objects.get(exam=exam, staff=person)
        sitting.start_attempt(actor=person.user, attempt=attempt)
    items = list(AttemptItem.objects.filter(attempt__exam=exam).select_related("version"))
    ability = {}
    for item in items:
        skill = ability.setdefault(item.attempt_id, rng.uniform(0.3, 0.95))
        if item.kind == "open":
            item.response = None
        elif rng.random() < skill:
            item.response = common.answer_for(item.kind)
        else:
            item.response = {
                "single": "A",
                "multiple": ["A", "D"],
                "fill": ["x", "y"],
                "correction": [],
                "scenario": ["D", "E"],
            }[item.kind] or None
    AttemptItem.objects.bulk_update(items, ["response"], batch_size=2000)
    return exam, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="60 candidates × 20 questions")
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    if args.small:
        args.candidates, args.questions = 60, 20
    data_dir, created_db = common.prepare_environment()
    try:
        report(args)
    finally:
        common.cleanup(data_dir, created_db)


def report(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from chuangkou.exams import analysis, scoring, selectors
    from chuangkou.exams.models import Attempt, AttemptItem, Grade, Question
    from chuangkou.exams.services import regrade, sitting

    setup_started = time.perf_counter()
    exam, items = answered_exam(args.candidates, args.questions)
    setup = time.perf_counter() - setup_started
    n_items = len(items)

    def score_in_memory():
        return [
            scoring.score_objective(
                kind=i.kind,
                config=i.version.config,
                answer=i.response,
                points=i.points,
                multi_rule=exam.paper.multi_rule,
            )
            for i in items
        ]

    base_scoring, _ = timed(score_in_memory, runs=3)

    Attempt.objects.filter(exam=exam).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    cpu = time.process_time()
    grading, _ = timed(lambda: sitting.finalise_overdue_attempts(exam=exam))
    grading_cpu = time.process_time() - cpu
    assert Attempt.objects.filter(exam=exam, graded=True).count() == args.candidates
    totals_batch = dict(Attempt.objects.filter(exam=exam).values_list("pk", "total_score"))

    Grade.objects.filter(item__attempt__exam=exam).delete()
    AttemptItem.objects.filter(attempt__exam=exam).update(score=None)
    Attempt.objects.filter(exam=exam).update(
        status="in_progress", submitted_at=None, total_score=None, graded=False
    )

    def submit_all():
        for attempt in Attempt.objects.filter(exam=exam, status="in_progress"):
            sitting.submit_attempt(actor=None, attempt=attempt, auto=True)

    cpu = time.process_time()
    one_by_one, _ = timed(submit_all)
    one_by_one_cpu = time.process_time() - cpu
    assert Attempt.objects.filter(exam=exam, graded=True).count() == args.candidates
    totals_single = dict(Attempt.objects.filter(exam=exam).values_list("pk", "total_score"))
    assert totals_single == totals_batch, "the finaliser and submit_attempt disagree"

    analysis_time, result = timed(lambda: selectors.exam_analysis(exam), runs=3)
    by_attempt: dict[int, dict[int, float]] = {}
    for item in items:
        by_attempt.setdefault(item.attempt_id, {})[item.slot] = 0.0
    scores = {i.pk: float(s) for i, s in zip(items, score_in_memory(), strict=True)}
    for item in items:
        by_attempt[item.attempt_id][item.slot] = scores[item.pk]
    matrix = [list(slots.values()) for slots in by_attempt.values()]
    totals = [sum(r) for r in matrix]

    def stats_in_memory():
        for j in range(len(matrix[0])):
            column = [r[j] for r in matrix]
            analysis.facility(column, 1.0)
            analysis.discrimination(column, totals)
        return analysis.cronbach_alpha(matrix)

    base_analysis, alpha = timed(stats_in_memory, runs=3)
    question = Question.objects.filter(code__startswith="B", kind="multiple").first()
    regrade_time, dry = timed(
        lambda: regrade.regrade_question(
            actor=_admin(), exam=exam, question=question, dry_run=True
        ),
        runs=3,
    )

    print(
        f"\n{args.candidates} 名考生 × {args.questions} 题 = {n_items} 道作答 · "
        f"{connection.vendor}（准备数据 {setup:.1f} s）"
    )
    print(f"{'环节':<28}{'耗时 s':>10}{'基线 s':>10}{'倍数':>8}")
    print(
        f"{'交卷评分（到时自动交卷：写分、审计）':<18}{grading:>10.2f}{base_scoring:>10.3f}"
        f"{grading / base_scoring:>8.1f}×  每卷 {grading / args.candidates * 1000:.1f} ms"
        f"（本进程 CPU {grading_cpu:.2f} s）"
    )
    print(
        f"{'逐卷交卷（submit_attempt）':<24}{one_by_one:>10.2f}{base_scoring:>10.3f}"
        f"{one_by_one / base_scoring:>8.1f}×  每卷 {one_by_one / args.candidates * 1000:.1f} ms"
        f"（本进程 CPU {one_by_one_cpu:.2f} s）"
    )
    print(
        f"{'试题分析（读库 + 统计）':<22}{analysis_time:>10.2f}{base_analysis:>10.3f}"
        f"{analysis_time / base_analysis:>8.1f}×  α={result.alpha:.3f}（内存 {alpha:.3f}）"
    )
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'重评试算（一题 × 全体）':<22}{regrade_time:>10.2f}{'':>10}{'':>8}  "
        f"{dry.answers} 份作答，{len(dry.changes)} 人会变"
    )


def _admin():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    admin, created = get_user_model().objects.get_or_create(username="bench-admin")
    if created:
        admin.groups.add(Group.objects.get(name="center_admin"))
    return admin


if __name__ == "__main__":
    main()
