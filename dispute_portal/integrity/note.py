"""Signed notes and checkpoints in the C2SP formats (signed-note, tlog-checkpoint), Ed25519.

A checkpoint is the text

    <origin>\\n<tree size>\\n<root hash, base64>\\n

signed as a note: a blank line, then one line per signature,
`— <key name> <base64(key id || signature)>`. The key id is the first four bytes of
SHA-256(key name || "\\n" || 0x01 || public key). Keys are written as Go's `note` package does:
the signer key `PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>` (a secret, never in the
database) and the verifier key `<name>+<id>+<base64(0x01 || public key)>` (published).
Any C2SP tool (the Go checksum database's, Sigsum's, a witness) reads what this writes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014 "


class NoteError(ValueError):
    """A key, a note or a checkpoint that cannot be read, or a signature that does not hold."""


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name has no spaces and no '+': {name!r}")
    return name


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    name: str
    key: Ed25519PublicKey

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, _raw_public(self.key))

    def encode(self) -> str:
        raw = base64.b64encode(ED25519 + _raw_public(self.key)).decode()
        return f"{self.name}+{self.key_id.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        try:
            name, key_id, raw64 = text.strip().split("+", 2)
            raw = base64.b64decode(raw64, validate=True)
        except ValueError as exc:
            raise NoteError("not a verifier key (<name>+<id>+<key>)") from exc
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError("not an Ed25519 verifier key")
        verifier = cls(_check_name(name), Ed25519PublicKey.from_public_bytes(raw[1:]))
        if verifier.key_id.hex() != key_id.lower():
            raise NoteError("the verifier key's id does not match its name and key")
        return verifier


@dataclass(frozen=True)
class Signer:
    name: str
    key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(_check_name(name), Ed25519PrivateKey.generate())

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key.public_key())

    def encode(self) -> str:
        seed = self.key.private_bytes_raw()
        raw = base64.b64encode(ED25519 + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signer key (PRIVATE+KEY+<name>+<id>+<key>)")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except ValueError as exc:
            raise NoteError("the signer key is not base64") from exc
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError("not an Ed25519 signer key")
        signer = cls(_check_name(parts[2]), Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier.key_id.hex() != parts[3].lower():
            raise NoteError("the signer key's id does not match its name and key")
        return signer

    def sign(self, text: str) -> str:
        """The note: `text` (ending in a newline), a blank line, this key's signature."""
        if not text.endswith("\n") or "\n\n" in text:
            raise NoteError("a note's text ends with a newline and has no blank line")
        signature = self.verifier.key_id + self.key.sign(text.encode())
        return f"{text}\n{DASH}{self.name} {base64.b64encode(signature).decode()}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """The text of `note` if `verifier` signed it; NoteError otherwise."""
    text, sep, signatures = note.partition("\n\n")
    if not sep or not note.endswith("\n"):
        raise NoteError("not a signed note (no blank line before the signatures)")
    text += "\n"
    for line in signatures.splitlines():
        if not line.startswith(DASH):
            raise NoteError("a signature line starts with an em dash")
        name, _, sig64 = line[len(DASH) :].partition(" ")
        if name != verifier.name:
            continue
        try:
            raw = base64.b64decode(sig64, validate=True)
        except ValueError as exc:
            raise NoteError("a signature is not base64") from exc
        if raw[:4] != verifier.key_id:
            continue
        try:
            verifier.key.verify(raw[4:], text.encode())
        except InvalidSignature as exc:
            raise NoteError(f"the signature of {name} does not match the text") from exc
        return text
    raise NoteError(f"not signed by {verifier.name} ({verifier.key_id.hex()})")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or not lines[0] or lines[-1] != "":
            raise NoteError("a checkpoint is an origin, a size and a root hash, one per line")
        try:
            size = int(lines[1])
            root = base64.b64decode(lines[2], validate=True)
        except ValueError as exc:
            raise NoteError("a checkpoint's size or root hash cannot be read") from exc
        if size < 0 or str(size) != lines[1] or len(root) != 32:
            raise NoteError("a checkpoint's size or root hash cannot be read")
        return cls(lines[0], size, root)


def read_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """The checkpoint a signed note holds, once its signature is checked."""
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise NoteError(f"the checkpoint is of {checkpoint.origin}, not of {verifier.name}")
    return checkpoint
