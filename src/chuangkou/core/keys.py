"""Keys kept outside the database: the audit log's HMAC key and the fingerprints of both keys.

The audit key comes from the environment (AUDIT_HMAC_KEY) or from the file `audit_key` in the
data folder, created once with mode 0600 (like the secret key in settings.py). Whoever can
write the database but cannot read this key cannot forge or recompute the audit chain.
"""

import hashlib
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

AUDIT_KEY_ENV = "AUDIT_HMAC_KEY"
AUDIT_KEY_FILE = "audit_key"


def audit_key_path(data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.DATA_DIR) / AUDIT_KEY_FILE


def audit_key() -> bytes:
    """The HMAC key of the audit chain; generated on first use when neither source has one."""
    if os.environ.get(AUDIT_KEY_ENV):
        return os.environ[AUDIT_KEY_ENV].encode()
    return _file_key(audit_key_path())


_SETTLED_NS = 1_000_000_000
_now_ns = time.time_ns
_read_keys: dict[Path, tuple[tuple, bytes]] = {}


def _file_key(path: Path) -> bytes:
    """The key in `path` (created first if missing), read again only when the file changed:
    every audited write needs the key, and reading the file cost more than the HMAC. The
    file's identity and times (inode, device, size, modification and change time in ns) tell a
    replaced or rewritten file; a stat is a fraction of the read. A file changed within the
    last second is not cached: where the kernel keeps coarse timestamps, a second rewrite
    within the same tick would show the same times."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        _create_key_file(path)
        stat = path.stat()
    signature = (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    cached = _read_keys.get(path)
    if cached is not None and cached[0] == signature:
        return cached[1]
    key = path.read_text().strip().encode()
    if _now_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > _SETTLED_NS:
        _read_keys[path] = (signature, key)
    return key


def existing_audit_key(data_dir: Path | None = None) -> bytes | None:
    """The audit key if one is configured, without creating one."""
    if os.environ.get(AUDIT_KEY_ENV):
        return os.environ[AUDIT_KEY_ENV].encode()
    path = audit_key_path(data_dir)
    return path.read_text().strip().encode() if path.exists() else None


CARE_NOTES_KEY_ENV = "CARE_NOTES_KEY"  # the care app's counseling notes (Fernet)
CARE_NOTES_KEY_FILE = "care_notes_key"


def existing_key(env_name: str, file_name: str, data_dir: Path | None = None) -> bytes | None:
    """A key kept like `stored_key`, if one is configured, without creating one."""
    if os.environ.get(env_name):
        return os.environ[env_name].encode()
    path = Path(data_dir or settings.DATA_DIR) / file_name
    return path.read_text().strip().encode() if path.exists() else None


def stored_key(env_name: str, file_name: str) -> bytes:
    """A key like the audit key: from the environment variable `env_name`, else from the file
    `file_name` in the data folder (0600, created on first use)."""
    if os.environ.get(env_name):
        return os.environ[env_name].encode()
    path = Path(settings.DATA_DIR) / file_name
    if not path.exists():
        _create_key_file(path)
    return path.read_text().strip().encode()


def _create_key_file(path: Path) -> None:
    """Create the key file readable only by the service. Written aside and linked into place, so
    a concurrent reader never sees it half written and a concurrent creator's key wins."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()


def fingerprint(key: bytes | str | None) -> str:
    """A short public fingerprint of a key (never the key itself): 16 hex digits of SHA-256."""
    if key is None:
        return ""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(b"chuangkou-key-fingerprint:" + raw).hexdigest()[:16]
