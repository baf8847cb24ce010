"""The `chuangkou` command: demo, serve, worker, migrate, createadmin, audit, backup, restore, …"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("日期格式应为 2018-06-30") from None


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    import django

    django.setup()


def _manage(*args: str, **options) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def _warn_calendar() -> None:
    """After 1 December: say so when next year's official holidays are not known yet."""
    from django.utils import timezone

    from chuangkou.core.calendar import coverage_warning

    warning = coverage_warning(timezone.localdate())
    if warning:
        print(warning, file=sys.stderr, flush=True)


def cmd_migrate(args) -> int:
    _setup_django()
    _manage("migrate", "--no-input", verbosity=args.verbosity)
    return 0


def _ensure_partitions() -> None:
    """PostgreSQL: this month's and the coming months' partitions exist before serving."""
    from django.db import DatabaseError

    from chuangkou.core.partitions import ensure_partitions, is_supported

    if not is_supported():
        return
    try:
        report = ensure_partitions()
    except DatabaseError as exc:  # never keeps the server from starting; the daily job retries
        print(f"未能创建分区（{exc}）；默认分区会接收这些数据。", file=sys.stderr, flush=True)
        return
    if report.created:
        print(report.message, flush=True)


def cmd_partitions(args) -> int:
    """`partitions [--ahead N] [--list] [--detach YYYY-MM --table T]` (core/management)."""
    _setup_django()
    from django.core.management import CommandError

    options = {"ahead": args.ahead, "list": args.list, "detach": args.detach, "table": args.table}
    try:
        _manage("partitions", **options)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def cmd_serve(args) -> int:
    _setup_django()
    _manage("collectstatic", "--no-input", verbosity=0)
    _ensure_partitions()
    _warn_calendar()
    print(f"窗口平台已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    return _run_with_worker(gunicorn_command(args), worker=not args.no_worker)


def gunicorn_command(args) -> list[str]:
    """gunicorn's gthread workers (workers × 4 threads). Checked at 300 simultaneous requests:
    the listen backlog (2048, the kernel allows 4096) never overflowed, and a queued request
    waits in the worker, not for a SYN retransmit; what made the slowest second was each
    worker loading the app on its first request, hence --preload (see wsgi.py)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "chuangkou.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--logger-class",  # gunicorn's lines, built for less CPU
        "chuangkou.access_log.AccessLogger",
        "--graceful-timeout",
        "5",
        # Load the app (and its URLconf: wsgi.py) once in the master before forking: a worker
        # never answers its first requests with a cold app, and a restarted one is ready at once.
        "--preload",
    ]


def _run_with_worker(server: list[str], *, worker: bool) -> int:
    """The server and (unless told not to) one `chuangkou worker`, as children stopped together."""
    import subprocess

    from chuangkou.jobs import with_parent
    from chuangkou.jobs.worker import supervise

    def start(command: list[str]) -> subprocess.Popen:
        # Own session: Ctrl+C reaches only this process, which stops each child once, cleanly;
        # and each child stops with this process should it be killed outright (with_parent).
        command = with_parent.command(os.getpid(), command)
        return subprocess.Popen(command, start_new_session=True)  # noqa: S603

    children = []
    if worker:
        children.append(start([sys.executable, "-m", "chuangkou.cli", "worker"]))
        print("后台任务处理进程已启动（导入、定时任务）；--no-worker 可不启动。", flush=True)
    children.append(start(server))  # gunicorn
    return supervise(children)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("应为正数") from None
        if not (0 < value < 10_000):
            raise argparse.ArgumentTypeError("应为正数") from None
        return value

    return parse


def _worker_logging() -> None:
    """Each job's start and end (INFO) on stdout; `chuangkou demo` asks for warnings only
    (WORKER_LOG_LEVEL), or its hundreds of loading jobs would scroll the printed accounts off
    the terminal."""
    import logging

    level = logging.getLevelName(os.environ.get("WORKER_LOG_LEVEL", "INFO").upper())
    for name in ("django_tasks", "django_tasks_db", "chuangkou.jobs"):
        logger = logging.getLogger(name)
        logger.setLevel(level if isinstance(level, int) else logging.INFO)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(sys.stdout))


def cmd_worker(args) -> int:
    """Run queued background jobs and the schedules until stopped (Ctrl+C / SIGTERM)."""
    _setup_django()
    from chuangkou.jobs.worker import run_pool, run_worker

    _worker_logging()
    if args.processes > 1 and not args.batch:
        return run_pool(
            processes=args.processes,
            queues=args.queues,
            interval=args.interval,
            schedule=not args.no_scheduler,
        )
    run_worker(
        queues=args.queues,
        interval=args.interval,
        schedule=not args.no_scheduler,
        batch=args.batch,
    )
    return 0


def cmd_demo(args) -> int:
    # The demo serves plain http on the loopback address; secure-only cookies would never be
    # sent back there. Production keeps them on (settings.SECURE_COOKIES).
    os.environ.setdefault("SECURE_COOKIES", "0")
    # The published demo accounts sign in without a second factor (settings.OTP_REQUIRED_ROLES
    # applies to every other account, and everywhere outside `chuangkou demo`).
    os.environ.setdefault("OTP_EXEMPT_DEMO_ACCOUNTS", "1")
    os.environ.setdefault("CHUANGKOU_PLAIN_HTTP_DEMO", "1")  # no HTTPS deploy warnings here
    os.environ.setdefault("WORKER_LOG_LEVEL", "WARNING")  # the accounts stay on the screen
    _setup_django()
    from chuangkou.demo import load_demo, print_accounts

    _manage("migrate", "--no-input", verbosity=0)
    created = load_demo(scale=args.scale)
    _ensure_partitions()  # after the load: the demo's earlier months get their partitions
    print("已载入演示数据。" if created else "演示数据已存在，跳过载入。")
    print_accounts(f"http://{args.host}:{args.port}/")
    if args.no_serve:
        _warn_calendar()
        return 0
    return cmd_serve(args)


def cmd_createadmin(args) -> int:
    _setup_django()
    from chuangkou.core.services import create_account_interactive

    return create_account_interactive(username=args.username, role=args.role)


def cmd_audit(args) -> int:
    """`audit verify`: every chain, the checkpoints and the triggers; anchors the heads if whole."""
    _setup_django()
    from chuangkou.core.audit import verify_chain
    from chuangkou.core.checkpoints import write_checkpoint

    report = verify_chain()
    if report.ok:
        write_checkpoint()
        print(
            f"审计日志完整：已校验 {report.chains} 条链共 {report.checked} 条记录，"
            f"与 {report.checkpoints} 个签名检查点一致，防篡改触发器在位。"
        )
        return 0
    print(f"审计日志被篡改：发现 {len(report.problems)} 处问题（完好的记录 {report.checked} 条）。")
    for problem in report.problems:
        print(f"  - {problem}")
    return 1


def cmd_audit_checkpoint(args) -> int:
    _setup_django()
    from chuangkou.core.checkpoints import checkpoint_path, write_checkpoint

    heads = write_checkpoint()
    print(f"已写入 {len(heads)} 条链的签名检查点：{checkpoint_path()}")
    return 0


def cmd_audit_export(args) -> int:
    _setup_django()
    from chuangkou.core.audit import export_entries

    output = Path(args.output or f"audit-before-{args.before:%Y%m%d}.jsonl").resolve()
    count = export_entries(actor=None, before=args.before, output=output)
    print(f"已导出 {args.before} 之前的审计记录 {count} 条：{output}（数据库中的记录保留不删）")
    return 0


def cmd_backup(args) -> int:
    _setup_django()
    from chuangkou.core.backup import create_backup

    folder = create_backup(output_dir=Path(args.output).resolve())
    print(f"备份完成：{folder}")
    return 0


def cmd_restore(args) -> int:
    _setup_django()
    from chuangkou.core.backup import restore_backup
    from chuangkou.core.errors import DomainError

    try:
        report = restore_backup(source=Path(args.path).resolve(), force=args.force)
    except DomainError as exc:
        print(f"恢复失败：{exc.message}", file=sys.stderr)
        return 1
    for line in report.lines:
        print(line)
    return 0 if report.ok else 1


# `chuangkou import KIND FILE --as USERNAME`: the importer class of each kind (core.importing).
IMPORTS = {
    "centers": "chuangkou.org.imports:CenterImport",
    "departments": "chuangkou.org.imports:DepartmentImport",
    "windows": "chuangkou.org.imports:WindowImport",
    "staff": "chuangkou.org.transfer:StaffImport",
    "postings": "chuangkou.org.imports:PostingImport",
    "catalog": "chuangkou.catalog.transfer:CatalogImport",
    "questions": "chuangkou.exams.transfer:QuestionImport",
}


def cmd_import(args) -> int:
    _setup_django()
    from importlib import import_module
    from pathlib import Path

    from chuangkou.core.errors import DomainError
    from chuangkou.core.importing import actor_named

    path = Path(args.file)
    if args.kind == "cases":
        from django.core.management import CommandError

        try:
            _manage("import_cases", str(path), "--as", args.as_user)
        except CommandError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    try:
        actor = actor_named(args.as_user)
        if not path.is_file():
            raise DomainError(f"找不到文件：{path}")
        module, name = IMPORTS[args.kind].split(":")
        importer = getattr(import_module(module), name)(actor=actor)
        report = importer.run(content=path.read_bytes(), filename=path.name)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    for error in report.errors:
        print(str(error), file=sys.stderr)
    if not report.ok:
        print(f"发现 {report.error_count} 处错误，未导入任何数据。", file=sys.stderr)
        return 1
    print(f"导入成功：{report.rows} 行，新增 {report.created}，更新 {report.updated}。")
    return 0


def cmd_manage(args) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chuangkou manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chuangkou", description="窗口：区行政服务中心窗口平台")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_server_options(p):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2)
        p.add_argument(
            "--no-worker", action="store_true", help="do not start a background-job worker"
        )

    p = sub.add_parser("demo", help="migrate, load the demo data once, print the accounts, serve")
    add_server_options(p)
    p.add_argument("--no-serve", action="store_true", help="load and print only")
    p.add_argument(
        "--scale",
        choices=["small", "full"],
        default="small",
        help="small: 1/100 of the case volume (default, quick); full: 662,032 cases in 2018 H1",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="run the production server (gunicorn + whitenoise)")
    add_server_options(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run the background jobs (imports, schedules)")
    p.add_argument("--queues", default="*", help="comma separated queue names (default: all)")
    p.add_argument("--processes", type=_positive(int), default=1, help="worker processes")
    p.add_argument(
        "--interval", type=_positive(float), default=1.0, help="seconds between looks when idle"
    )
    p.add_argument("--no-scheduler", action="store_true", help="do not queue the schedules")
    p.add_argument("--batch", action="store_true", help="run what is queued, then stop")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="create or upgrade the database")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "createadmin", help="create the first account of an administrative role (三权分立)"
    )
    p.add_argument("username", nargs="?", default="sysadmin")
    p.add_argument(
        "--role",
        choices=["sysadmin", "secadmin", "auditor", "center_admin"],
        default="sysadmin",
        help="the account's only role (default sysadmin)",
    )
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("audit", help="audit log tools")
    audit_sub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    v = audit_sub.add_parser("verify", help="check the chains, checkpoints and triggers")
    v.set_defaults(func=cmd_audit)
    v = audit_sub.add_parser("checkpoint", help="write signed checkpoints of the chain heads")
    v.set_defaults(func=cmd_audit_checkpoint)
    v = audit_sub.add_parser("export", help="export old entries to JSON lines (never deletes)")
    v.add_argument("--before", required=True, type=_date, help="YYYY-MM-DD (local date)")
    v.add_argument("--output", help="file (default audit-before-YYYYMMDD.jsonl)")
    v.set_defaults(func=cmd_audit_export)

    p = sub.add_parser("backup", help="back up the database, uploads and checkpoints")
    p.add_argument("--output", default="backups", help="folder for the backup (default backups)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty data folder / database")
    p.add_argument("path", help="the backup folder written by `chuangkou backup`")
    p.add_argument("--force", action="store_true", help="overwrite a data folder in use")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("import", help="import a table (xlsx/csv) as a named person")
    p.add_argument("kind", choices=[*IMPORTS, "cases"])
    p.add_argument("file")
    p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("partitions", help="monthly partitions (PostgreSQL): create, list, detach")
    p.add_argument("--ahead", type=int, default=3, help="months to create ahead (default 3)")
    p.add_argument("--list", action="store_true", help="list the partitions")
    p.add_argument("--detach", metavar="YYYY-MM", help="detach a past month for archiving")
    p.add_argument("--table", help="the table to detach from (with --detach)")
    p.set_defaults(func=cmd_partitions)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
