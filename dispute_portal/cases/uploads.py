"""Document uploads: streamed to disk under a server-made name, checked by content, hashed.

An upload is written to a temporary file (`files.part_path`), checked (size, what it is by
parsing it: `contents`, the virus scanner when one is configured) and only then given its
final name, with the extension of the type found; a refused upload leaves nothing. The
stored file then follows the transaction (`files.delete_on_rollback`): it goes if the row
that names it is not committed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from ..files import delete_on_rollback, part_path, sweep_if_due
from ..texts import N_
from .contents import UploadRejected, checked_type, setting
from .names import EXTENSIONS

log = logging.getLogger(__name__)

CHUNK = 64 * 1024

INFECTED = N_("The virus scanner found %(threat)s in this file. It was not accepted.")
SCANNER_DOWN = N_(
    "The file could not be checked for viruses because the scanner is not available, so it "
    "was not accepted. Please try again later."
)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


# --- the virus scanner (clamd) -----------------------------------------------------------


def scanner_address(config: Mapping[str, Any] | None) -> str | tuple[str, int] | None:
    """The configured clamd: a unix socket path, a (host, port), or None (no scanning)."""
    if sock := setting(config, "CLAMD_SOCKET"):
        return str(sock)
    if host := setting(config, "CLAMD_HOST"):
        return str(host), int(setting(config, "CLAMD_PORT", 3310))
    return None


def clamd_instream(address: str | tuple[str, int], path: Path, *, timeout: float = 30.0) -> str:
    """Send the file to clamd with INSTREAM; its answer, e.g. 'stream: OK' or
    'stream: Eicar-Test-Signature FOUND'. OSError when clamd cannot be reached."""
    if isinstance(address, str):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except BaseException:
            sock.close()
            raise
    else:
        sock = socket.create_connection(address, timeout=timeout)
    with sock:
        sock.sendall(b"zINSTREAM\0")
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < 4096:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(path: Path, config: Mapping[str, Any] | None) -> None:
    """Refuse an infected file; refuse too when a configured scanner cannot say (fail closed)."""
    address = scanner_address(config)
    if address is None:
        return
    try:
        reply = clamd_instream(address, path, timeout=float(setting(config, "CLAMD_TIMEOUT", 30)))
    except OSError as exc:
        log.error("virus scanner %s unreachable, upload refused: %s", address, exc)
        raise UploadRejected(SCANNER_DOWN) from None
    if reply.endswith("FOUND"):
        threat = reply.removeprefix("stream:").removesuffix("FOUND").strip()
        threat = "".join(ch for ch in threat if ch.isprintable())[:100] or "malware"
        log.warning("virus scanner found %s in an upload; refused", threat)
        raise UploadRejected(INFECTED, threat=threat)
    if not reply.endswith("OK"):
        log.error("virus scanner %s answered %r, upload refused", address, reply[:200])
        raise UploadRejected(SCANNER_DOWN)


# --- storing -----------------------------------------------------------------------------


def save_upload(session: Session, stream: IO[bytes], upload_dir: str, max_bytes: int) -> StoredFile:
    """Stream to a temporary file, check size, content and (if configured) for viruses, then
    give it its final name. Settings come from the session's app config (db._AppSession)."""
    config = session.info.get("config")
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    sweep_if_due(directory)
    tmp = part_path(directory)
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(
                        N_("The file is larger than %(limit)s MB."), limit=max_bytes // 2**20
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(N_("The file is empty."))
        content_type = checked_type(tmp, config)
        scan(tmp, config)
        name = secrets.token_hex(16) + EXTENSIONS[content_type]
        os.replace(tmp, directory / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    delete_on_rollback(session, directory / name)
    return StoredFile(name, content_type, size, digest.hexdigest())
