"""The names of uploaded files: the accepted types and the extension each one's files carry,
and the name a person gave a file made fit to be shown and offered back in a download.

The name is never used as a path (a file is stored under a server-made name) and always ends
in the extension of the type its content was checked to be (`contents`), whatever the
uploader called it: a browser or a desktop opens a downloaded file by its extension.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Accepted types, by what the bytes are (`contents`), never by the file's name.
PDF, DOCX, PNG, JPEG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/png",
    "image/jpeg",
)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PNG: ".png", JPEG: ".jpg"}

MAX_NAME_BYTES = 255  # what most file systems allow, and the column's length in characters
_FORBIDDEN = set('<>:"/\\|?*')  # not allowed in a Windows file name; ours become "_"
_KEPT_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of some scripts' words
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"
}


def safe_filename(name: str | None) -> str:
    """The name of an upload as it may be shown and offered back in a download: never a path.

    Keeps the last path component only (either separator), drops control and invisible
    format characters (bidi overrides included), replaces characters Windows forbids with
    "_", trims dots and spaces at both ends, defuses reserved device names (CON, NUL, COM1,
    ...), keeps every other letter of every script, and fits in 255 UTF-8 bytes with the
    extension kept. Never used to name the stored file (that name is made by the server).
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _FORBIDDEN:
            kept.append("_")
        elif category in ("Zl", "Zp", "Zs"):
            kept.append(" ")
        elif category[0] == "C" and ch not in _KEPT_FORMAT:
            continue
        else:
            kept.append(ch)
    text = re.sub(" {2,}", " ", "".join(kept)).strip(" .")
    stem, dot, ext = text.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = text.rpartition(".")
        if not dot or len(ext.encode("utf-8")) > 16:
            stem, dot, ext = text, "", ""
        budget = MAX_NAME_BYTES - len((dot + ext).encode("utf-8"))
        stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .")
        text = stem + dot + ext
    return text or "document"


# An extension as people type them: a few ASCII letters and digits, at least one letter (so
# "Statement 1.2" keeps its "2"); it goes, and the checked type's takes its place.
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{0,9}[A-Za-z][A-Za-z0-9]{0,9}$")


@lru_cache(maxsize=4096)  # a case page lists dozens of documents, on every request
def document_name(name: str | None, content_type: str) -> str:
    """The name a document is shown and downloaded under: the uploader's name, cleaned
    (`safe_filename`), ending in the extension of the type its content was checked to be,
    whatever extension it came with: "Exhibit R-2.html" that is a PDF is "Exhibit R-2.pdf"."""
    extension = EXTENSIONS.get(content_type, ".bin")
    stem = _EXTENSION.sub("", safe_filename(name))
    if stem.lower().endswith(extension):  # "claim.pdf.exe": one ".pdf" is enough
        stem = stem[: -len(extension)]
    budget = MAX_NAME_BYTES - len(extension)
    stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .")
    return (stem or "document") + extension
