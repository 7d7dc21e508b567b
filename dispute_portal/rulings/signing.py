"""Optional PAdES signature of issued rulings (pyHanko), and a demo certificate.

With SIGNING_CERT set (a PKCS#12 file), every ruling is signed after rendering and before
its hash is taken; without it rulings are issued unsigned, and nothing claims otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

if TYPE_CHECKING:  # pyHanko is imported when a ruling is signed, not with the web app
    from pyhanko.sign import signers


@cache
def _signer(path: str, password: str | None) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(
        path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise RuntimeError(f"could not load the signing certificate {path}")
    return signer


def signer_name(path: str, password: str | None) -> str:
    """The name on the certificate, shown on the ruling as who signed it."""
    cert = _signer(path, password).signing_cert
    assert cert is not None, "a signer loaded from PKCS#12 carries its certificate"
    name: str = cert.subject.native.get("common_name") or cert.subject.human_friendly
    return name


def sign_pdf(pdf: bytes, *, path: str, password: str | None, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="CentreSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(meta, signer=_signer(path, password))
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=io.BytesIO())
    signed: bytes = out.getvalue()
    return signed


def make_demo_cert(out: Path, password: str | None = None, *, years: int = 5) -> Path:
    """A self-signed signing certificate for the demo (never for production)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                           "Investment Dispute Resolution Centre of Alatau City"),
        x509.NameAttribute(NameOID.COMMON_NAME, "IDRC Alatau City Registry (DEMO)"),
    ])  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pkcs12.serialize_key_and_certificates(b"demo", key, cert, None, encryption))
    out.chmod(0o600)
    return out
