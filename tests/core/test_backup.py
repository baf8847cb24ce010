"""`chuangkou backup` and `chuangkou restore`: a round trip into an empty data folder (and, on
PostgreSQL, a fresh database) finds every row, the uploads and a valid audit chain."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from chuangkou.core import audit, backup, checkpoints, keys
from chuangkou.core.errors import DomainError
from chuangkou.org.models import Staff

pytestmark = pytest.mark.django_db(transaction=True)


def _run_cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "chuangkou.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603


def _psql(sql: str) -> None:
    info = connection.settings_dict
    command = ["psql", "-h", info["HOST"] or "127.0.0.1", "-p", str(info["PORT"] or 5432)]
    command += ["-U", info["USER"] or "postgres", "-d", "postgres", "-c", sql]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603


@pytest.fixture
def target(tmp_path):
    """An empty data folder (and on PostgreSQL an empty database) for the restore."""
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "AUDIT_HMAC_KEY")}
    env["CHUANGKOU_DATA_DIR"] = str(data_dir)
    name = None
    if connection.vendor == "postgresql":
        if not shutil.which("pg_dump") or not shutil.which("psql"):
            pytest.skip("pg_dump/psql are not installed")
        info = connection.settings_dict
        name = f"ck_restore_{uuid.uuid4().hex[:8]}"
        _psql(f"CREATE DATABASE {name}")
        host, port = info["HOST"] or "127.0.0.1", info["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{info['USER'] or 'postgres'}@{host}:{port}/{name}"
    yield data_dir, env
    if name:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _restored_rows(data_dir: Path, env: dict) -> dict[str, int]:
    if connection.vendor != "postgresql":
        return backup._sqlite_row_counts(data_dir / "chuangkou.sqlite3")
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as pg, pg.cursor() as cursor:
        return backup._pg_row_counts(cursor)


def test_backup_and_restore_round_trip(org_small, settings, tmp_path, target):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("materials/样表.txt", ContentFile("申请表".encode()))
    for staff in Staff.objects.all():
        audit.record(actor=org_small.admin, action="staff.update", obj=staff, after={"x": 1})
    checkpoints.write_checkpoint()
    # The counseling-notes key too (other tests may create it anyway): the restore needs it.
    care_key = keys.stored_key(keys.CARE_NOTES_KEY_ENV, keys.CARE_NOTES_KEY_FILE)

    folder = backup.create_backup(output_dir=tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"]["org_staff"] == Staff.objects.count()
    assert manifest["keys"]["audit_key"] == keys.fingerprint(keys.audit_key())
    assert "media/materials/样表.txt" in manifest["files"]
    assert keys.audit_key().decode() not in (folder / "manifest.json").read_text()
    assert manifest["keys"]["care_notes_key"] == keys.fingerprint(care_key)
    assert care_key.decode() not in (folder / "manifest.json").read_text()

    data_dir, env = target
    refused = _run_cli(["restore", str(folder)], env)  # the audit key is not there yet
    assert refused.returncode == 1 and "缺少审计密钥" in refused.stderr
    if os.environ.get("AUDIT_HMAC_KEY"):
        env["AUDIT_HMAC_KEY"] = os.environ["AUDIT_HMAC_KEY"]
    else:
        shutil.copy2(keys.audit_key_path(), data_dir / "audit_key")
    env[keys.CARE_NOTES_KEY_ENV] = care_key.decode()

    # The target made its own SECRET_KEY: a notice (sessions end), not a failed restore.
    done = _run_cli(["restore", str(folder)], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "行数全部一致" in done.stdout and "审计日志完整" in done.stdout
    assert "SECRET_KEY 与备份时不同" in done.stdout and "问题" not in done.stdout

    rows = _restored_rows(data_dir, env)
    expected = dict(manifest["rows"], core_auditentry=manifest["rows"]["core_auditentry"] + 1)
    assert rows == expected  # every row, plus the entry recording the restore
    assert (data_dir / "media/materials/样表.txt").read_text() == "申请表"
    verified = _run_cli(["audit", "verify"], env)
    assert verified.returncode == 0, verified.stdout
    assert "触发器在位" in verified.stdout

    again = _run_cli(["restore", str(folder)], env)  # the target is in use now
    assert again.returncode == 1 and "目标不是空的" in again.stderr


def test_a_damaged_backup_is_refused(org_small, tmp_path):
    folder = backup.create_backup(output_dir=tmp_path / "backups")
    dump = next(p for p in folder.iterdir() if p.name.startswith("database."))
    with dump.open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(DomainError, match="已损坏"):
        backup.read_manifest(folder)


def _manifest_keys(**changes) -> dict:
    found = {
        "secret_key": keys.fingerprint(django_settings.SECRET_KEY),
        "audit_key": keys.fingerprint(keys.audit_key()),
        "care_notes_key": keys.fingerprint(backup._care_notes_key()),
    }
    return {"keys": found | changes}


def test_a_different_secret_key_is_only_a_notice():
    report = backup.RestoreReport()
    backup._check_keys(_manifest_keys(secret_key="0" * 16), force=False, report=report)
    assert report.ok
    assert any("SECRET_KEY 与备份时不同" in line for line in report.lines)


def test_a_missing_notes_key_is_a_problem_that_is_printed(monkeypatch):
    monkeypatch.setenv(keys.CARE_NOTES_KEY_ENV, "not-the-key-of-the-backup")
    report = backup.RestoreReport()
    backup._check_keys(_manifest_keys(care_notes_key="0" * 16), force=False, report=report)
    assert not report.ok
    assert any("心理咨询记录密钥与备份时不同" in line for line in report.lines)
