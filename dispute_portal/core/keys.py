"""Keys derived (HKDF) from the portal's master secret, MFA_KEY or else SECRET_KEY, for what
must be stored encrypted and read back (the two-factor secrets, the webhooks' signing
secrets) or keyed (the recovery codes). Each use has its own purpose, so one derived key
never serves two. Changing the master secret makes every stored one unreadable: set MFA_KEY
to the old SECRET_KEY before rotating SECRET_KEY."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# The salt the first keys (the two-factor ones) were derived with; kept for every purpose.
SALT = b"dispute-portal/mfa"


def master_key(config: Mapping[str, Any]) -> bytes:
    key = config.get("MFA_KEY") or config.get("SECRET_KEY")
    if not key:
        raise RuntimeError("SECRET_KEY is not set: secrets cannot be stored")
    return key.encode() if isinstance(key, str) else bytes(key)


@lru_cache(maxsize=16)
def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=purpose).derive(master)


def derived(config: Mapping[str, Any], purpose: bytes) -> bytes:
    """The 32-byte key of this purpose."""
    return _derive(master_key(config), purpose)


def encrypt(config: Mapping[str, Any], purpose: bytes, text: str) -> str:
    return _fernet(config, purpose).encrypt(text.encode()).decode()


def decrypt(config: Mapping[str, Any], purpose: bytes, token: str) -> str | None:
    """The text, or None when it was not encrypted under this purpose's key."""
    try:
        return _fernet(config, purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def _fernet(config: Mapping[str, Any], purpose: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derived(config, purpose)))
