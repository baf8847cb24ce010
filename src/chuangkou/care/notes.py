"""Session notes encrypted at rest (Fernet). The key is held outside the database: the
environment variable CARE_NOTES_KEY, else the file `care_notes_key` (0600) in the data folder,
made like the audit key (core.keys). A database dump without that key discloses no note."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from chuangkou.core.errors import DomainError
from chuangkou.core.keys import CARE_NOTES_KEY_ENV, CARE_NOTES_KEY_FILE, stored_key

KEY_ENV = CARE_NOTES_KEY_ENV
KEY_FILE = CARE_NOTES_KEY_FILE


def notes_key() -> bytes:
    """The raw key material (for its fingerprint in backups)."""
    return stored_key(KEY_ENV, KEY_FILE)


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"chuangkou-care-notes:" + notes_key()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DomainError("咨询记录无法解密：记录密钥已更换或丢失，请联系系统管理员。") from None
