"""Backup and restore (备份与恢复): the database, the uploaded files and the audit checkpoints,
with a manifest of checksums, row counts and the keys' fingerprints (never the keys).

SQLite is copied with the online backup API (a consistent copy while the platform runs);
PostgreSQL with `pg_dump` inside an exported snapshot, so the row counts in the manifest are the
dump's own. `restore_backup` refuses a data folder or database in use unless `force`, checks that
the audit key present is the one the chain was signed with, and verifies rows and chain after.
"""

import contextlib
import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from . import audit, checkpoints
from .errors import DomainError
from .keys import (
    CARE_NOTES_KEY_ENV,
    CARE_NOTES_KEY_FILE,
    audit_key,
    existing_audit_key,
    existing_key,
    fingerprint,
)

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


def _operator() -> str:
    try:
        return f"系统（命令行：{getpass.getuser()}）"
    except (KeyError, OSError):
        return "系统（命令行）"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_folder(output_dir: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        folder = output_dir / f"chuangkou-backup-{stamp}{f'-{n}' if n else ''}"
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise DomainError("无法创建备份目录：同名目录过多。")


# --- backup -----------------------------------------------------------------------------------


def create_backup(*, output_dir: Path, using: str = "default") -> Path:
    """Write one backup folder under `output_dir` and return it."""
    connection = connections[using]
    audit.record(actor=None, action="system.backup", actor_name=_operator())
    folder = _new_folder(output_dir)
    # Checkpoints first: every head they anchor is then in the database copy taken after.
    if checkpoints.checkpoint_path().exists():
        shutil.copy2(checkpoints.checkpoint_path(), folder / checkpoints.FILE_NAME)
    if connection.vendor == "postgresql":
        rows = _dump_postgres(connection, folder / PG_FILE)
    else:
        _copy_sqlite(Path(connection.settings_dict["NAME"]), folder / SQLITE_FILE)
        rows = _sqlite_row_counts(folder / SQLITE_FILE)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, folder / "media")
    _write_manifest(folder, vendor=connection.vendor, rows=rows)
    return folder


def _copy_sqlite(source: Path, target: Path) -> None:
    with contextlib.closing(sqlite3.connect(source)) as src:
        with contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)


def _sqlite_row_counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["--host", str(settings_dict.get("HOST") or "127.0.0.1")]
    args += ["--port", str(settings_dict.get("PORT") or 5432)]
    args += ["--username", str(settings_dict.get("USER") or "postgres")]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_row_counts(cursor) -> dict[str, int]:
    counts = {}
    for name in _pg_tables(cursor):
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 (names from pg_tables)
        counts[name] = cursor.fetchone()[0]
    return counts


def _dump_postgres(connection, target: Path) -> dict[str, int]:
    """pg_dump inside an exported snapshot; the row counts are read in the same snapshot."""
    import psycopg

    info = connection.settings_dict
    args, env = _pg_env(info)
    params = {"host": info.get("HOST") or "127.0.0.1", "port": info.get("PORT") or 5432}
    params |= {"user": info.get("USER") or "postgres", "password": info.get("PASSWORD") or None}
    with (
        psycopg.connect(dbname=info["NAME"], autocommit=True, **params) as pg,
        pg.cursor() as cursor,
    ):
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges"]
        command += [f"--snapshot={snapshot}", f"--file={target}", str(info["NAME"])]
        _run(command, env)
        return _pg_row_counts(cursor)


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise DomainError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具。") from None
    if done.returncode != 0:
        raise DomainError(f"{command[0]} 失败：{done.stderr.strip()[:500]}")


def _write_manifest(folder: Path, *, vendor: str, rows: dict[str, int]) -> None:
    files = {
        str(path.relative_to(folder)): {"size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": 1,
        "created_at": timezone.localtime().isoformat(),
        "vendor": vendor,
        "rows": rows,
        "files": files,
        "keys": {
            "secret_key": fingerprint(settings.SECRET_KEY),
            "audit_key": fingerprint(audit_key()),
            "care_notes_key": fingerprint(_care_notes_key()),
        },
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
    (folder / MANIFEST).write_text(text, encoding="utf-8")


# --- restore ----------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, message: str) -> None:
        """A real problem: printed with the other lines, and the restore exits 1."""
        self.problems.append(message)
        self.lines.append(f"问题：{message}")


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError(f"{source} 不是有效的备份目录（缺少或无法读取 {MANIFEST}）。") from None
    for name, meta in manifest.get("files", {}).items():
        path = source / name
        if not path.is_file() or _sha256(path) != meta.get("sha256"):
            raise DomainError(f"备份文件 {name} 缺失或已损坏（校验和不符）。")
    return manifest


def restore_backup(*, source: Path, force: bool = False, using: str = "default") -> RestoreReport:
    """Restore `source` into this data folder and database; verify rows and audit chain."""
    manifest = read_manifest(source)
    connection = connections[using]
    if manifest.get("vendor") != connection.vendor:
        raise DomainError(
            f"备份来自 {manifest.get('vendor')} 数据库，当前配置的是 {connection.vendor}。"
        )
    report = RestoreReport()
    _check_keys(manifest, force=force, report=report)
    occupied = _occupied(connection)
    if occupied and not force:
        raise DomainError(f"目标不是空的（{'、'.join(occupied)}）。如确需覆盖，请加 --force。")
    connections.close_all()
    if connection.vendor == "postgresql":
        _restore_postgres(connection, source / PG_FILE, clean=bool(occupied))
    else:
        _restore_sqlite(source / SQLITE_FILE, Path(connection.settings_dict["NAME"]))
    _restore_files(source)
    _check_rows(connection, manifest["rows"], report)
    _check_chain(report, using)
    return report


def _check_keys(manifest: dict, *, force: bool, report: RestoreReport) -> None:
    expected = manifest.get("keys", {})
    present = existing_audit_key()
    if fingerprint(present) != expected.get("audit_key"):
        message = ("缺少审计密钥" if present is None else "当前审计密钥与备份时的不同") + (
            f"（指纹应为 {expected.get('audit_key')}）：请把原来的 audit_key 文件放入 "
            f"{settings.DATA_DIR}，或设置环境变量 AUDIT_HMAC_KEY，再恢复。"
        )
        if not force:
            raise DomainError(message)
        report.problem(message)
    if expected.get("care_notes_key") and (
        fingerprint(_care_notes_key()) != expected["care_notes_key"]
    ):
        report.problem(
            f"心理咨询记录密钥与备份时不同（指纹应为 {expected['care_notes_key']}）：请把原来的 "
            f"care_notes_key 文件放入 {settings.DATA_DIR}，或设置环境变量 CARE_NOTES_KEY，"
            "否则恢复后的咨询记录无法解密。"
        )
    # Only a notice: a new SECRET_KEY ends sessions and reset links, the data are all there.
    if fingerprint(settings.SECRET_KEY) != expected.get("secret_key"):
        report.lines.append(
            "提示：SECRET_KEY 与备份时不同，已登录的会话和重置密码链接将失效，请重新登录。"
        )


def _care_notes_key() -> bytes | None:
    return existing_key(CARE_NOTES_KEY_ENV, CARE_NOTES_KEY_FILE)


def _occupied(connection) -> list[str]:
    found = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if _pg_tables(cursor):
                found.append(f"数据库 {connection.settings_dict['NAME']} 已有数据表")
    else:
        path = Path(connection.settings_dict["NAME"])
        if path.exists() and _sqlite_row_counts(path):
            found.append(f"数据库文件 {path.name} 已有数据表")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        found.append("上传文件目录 media 非空")
    if checkpoints.checkpoint_path().exists():
        found.append(f"检查点文件 {checkpoints.FILE_NAME} 已存在")
    return found


def _restore_sqlite(backup_file: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _copy_sqlite(backup_file, target)


def _restore_postgres(connection, dump: Path, *, clean: bool) -> None:
    args, env = _pg_env(connection.settings_dict)
    command = ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)], env)


def _restore_files(source: Path) -> None:
    if (source / "media").is_dir():
        shutil.copytree(source / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    if (source / checkpoints.FILE_NAME).exists():
        shutil.copy2(source / checkpoints.FILE_NAME, checkpoints.checkpoint_path())


def _check_rows(connection, expected: dict[str, int], report: RestoreReport) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            found = _pg_row_counts(cursor)
    else:
        found = _sqlite_row_counts(Path(connection.settings_dict["NAME"]))
    wrong = [name for name, count in expected.items() if found.get(name) != count]
    for name in wrong:
        report.problems.append(f"表 {name} 应有 {expected[name]} 行，恢复后为 {found.get(name)} 行")
    report.lines.append(
        f"已恢复 {len(expected)} 张表共 {sum(expected.values())} 行"
        + ("，行数全部一致。" if not wrong else f"，其中 {len(wrong)} 张表行数不符。")
    )


def _check_chain(report: RestoreReport, using: str) -> None:
    chain = audit.verify_chain(using=using)
    if chain.ok:
        report.lines.append(f"审计日志完整：{chain.chains} 条链共 {chain.checked} 条记录。")
        audit.record(actor=None, action="system.restore", actor_name=_operator())
    else:
        report.problems.extend(str(p) for p in chain.problems)
        report.lines.append("审计日志校验未通过：")
        report.lines.extend(f"  - {p}" for p in chain.problems)
    if report.problems:
        report.lines.append("恢复完成，但有以上问题，请核查。")
    else:
        report.lines.append("恢复完成。若程序版本比备份新，请再运行 chuangkou migrate。")
