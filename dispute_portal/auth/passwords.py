"""Password hashing (Argon2id) and the password rules."""

from __future__ import annotations

import gzip
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..texts import N_

MIN_LENGTH = 12
# Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane). argon2-cffi's
# default takes 64 MiB per login: a worker's memory jumped by that much with every login,
# and a burst of logins could exhaust a machine. Older hashes are upgraded at the next login
# (needs_rehash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# A hash to verify against when the email is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")


@cache
def _common_passwords() -> frozenset[str]:
    # 20,000 common passwords (Royce Williams' list, as shipped by Django, BSD licence).
    path = Path(__file__).with_name("common-passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return N_("Use at least 12 characters.")
    lowered = password.lower()
    if len(set(lowered)) < 4 or any(c in _common_passwords() for c in _variants(lowered)):
        return N_("This password is too common. Choose one that is harder to guess.")
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (name and name.lower() in lowered):
        return N_("The password must not contain your name or email address.")
    return None


def _variants(lowered: str) -> set[str]:
    """The password and the common word it may hide: "password2024!", "qwertyqwerty"."""
    stripped = lowered.strip(string.digits + string.punctuation + " ")
    variants = {lowered, stripped}
    for size in range(1, len(stripped) // 2 + 1):
        if len(stripped) % size == 0 and stripped[:size] * (len(stripped) // size) == stripped:
            variants.add(stripped[:size])
            break
    return {v for v in variants if v}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
