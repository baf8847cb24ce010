"""The `chuangkou` command: demo, serve, migrate, createadmin, audit verify, manage."""

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    import django

    django.setup()


def _manage(*args: str, **options) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_migrate(args) -> int:
    _setup_django()
    _manage("migrate", "--no-input", verbosity=args.verbosity)
    return 0


def cmd_serve(args) -> int:
    _setup_django()
    _manage("collectstatic", "--no-input", verbosity=0)
    print(f"窗口平台已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    gunicorn = [
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
        "--graceful-timeout",
        "5",
    ]
    os.execv(sys.executable, gunicorn)  # noqa: S606 (replaces this process with the server)
    return 0


def cmd_demo(args) -> int:
    # The demo serves plain http on the loopback address; secure-only cookies would never be
    # sent back there. Production keeps them on (settings.SECURE_COOKIES).
    os.environ.setdefault("SECURE_COOKIES", "0")
    _setup_django()
    from chuangkou.demo import load_demo, print_accounts

    _manage("migrate", "--no-input", verbosity=0)
    created = load_demo(scale=args.scale)
    print("已载入演示数据。" if created else "演示数据已存在，跳过载入。")
    print_accounts(f"http://{args.host}:{args.port}/")
    if args.no_serve:
        return 0
    return cmd_serve(args)


def cmd_createadmin(args) -> int:
    _setup_django()
    from chuangkou.core.services import create_account_interactive

    return create_account_interactive(username=args.username)


def cmd_audit(args) -> int:
    _setup_django()
    from chuangkou.core.audit import verify_chain

    report = verify_chain()
    if report.ok:
        print(f"审计日志完整：已校验 {report.checked} 条，哈希链无断裂。")
        return 0
    print(
        f"审计日志被篡改：第 {report.broken_at} 号记录{report.reason}"
        f"（此前 {report.checked} 条完好）。"
    )
    return 1


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

    p = sub.add_parser("migrate", help="create or upgrade the database")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("createadmin", help="create a center admin / system admin account")
    p.add_argument("username", nargs="?", default="admin")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("audit", help="audit log tools")
    audit_sub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    v = audit_sub.add_parser("verify", help="check the hash chain of the audit log")
    v.set_defaults(func=cmd_audit)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
