"""Rendering a ruling: plain values -> HTML (Jinja, autoescaped) -> PDF/A (WeasyPrint).

No Flask and no ORM objects here: a ruling renders from the plain values stored with it,
so the same values and issue time always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import segno
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

# WeasyPrint (with Pillow, fontTools, Pango...) is imported when a PDF is rendered, not with
# the web app: most requests never render one, and a worker stays small without it.

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
STATIC_SCHEME = "portal-static:"
PDF_VARIANT = "pdf/a-3b"


@cache
def _locked_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LockedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
        """Serves the portal's own static files and nothing else: no file://, no network.

        Every refused address is remembered, so tests can prove nothing was fetched.
        """

        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(STATIC_SCHEME):
                path = (STATIC_DIR / url[len(STATIC_SCHEME) :].lstrip("/")).resolve()
                if path.is_relative_to(STATIC_DIR) and path.is_file():
                    self.served.append(url)
                    return URLFetcherResponse(url, path.read_bytes())
            self.refused.append(url)
            raise ValueError(f"the ruling renderer fetches only the portal's static files: {url}")

    return LockedFetcher


def __getattr__(name: str) -> Any:
    if name == "LockedFetcher":  # render.LockedFetcher: the class, made on first use
        return _locked_fetcher_class()
    raise AttributeError(name)


def paragraphs(text: str | None) -> Markup:
    """A person's text as escaped paragraphs: blank lines split them, newlines stay."""
    if not text:
        return Markup("")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return Markup("").join(
        Markup('<p class="num">{}</p>\n').format(Markup("<br>").join(escape(b).split("\n")))
        for b in blocks
    )


def css_content(text: str, **counters: str) -> Markup:
    """A translated text as a CSS `content` value, with %(name)s turned into counter(name).

    "Page %(page)s of %(pages)s" -> "Page " counter(page) " of " counter(pages)
    """
    parts = re.split(r"%\((\w+)\)s", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"counter({counters[part]})")
        elif part:
            quoted = part.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
            out.append(f'"{quoted}"')
    return Markup(" ".join(out))  # noqa: S704 - quotes and < escaped above


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _qr_code(url: str) -> segno.QRCode:
    """The QR code of `url`, error correction M, with the mask the standard's penalty rules
    choose (segno tries all eight: most of the cost of drawing one)."""
    return segno.make(url, error="m")


def qr_svg(url: str) -> Markup:
    # The QR is drawn inline as SVG: no image to fetch, nothing for the fetcher to allow.
    return Markup(_qr_code(url).svg_inline(scale=2.5, border=0, dark="#000"))  # noqa: S704 - SVG made by segno from our URL


@cache
def catalogue(language: str) -> NullTranslations:
    """One language's translations, read from its catalogue once per process: a ruling's
    texts, and the values an act formats for it (an invoice, a notice, a timetable)."""
    return Translations.load(str(TRANSLATIONS_DIR), [language])


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(catalogue(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["paragraphs"] = paragraphs
    env.globals["qr_svg"] = qr_svg
    env.globals["css_content"] = css_content
    env.globals["STATIC"] = STATIC_SCHEME
    return env


def render_html(kind_template: str, values: dict[str, Any], language: str) -> str:
    return environment(language).get_template(kind_template).render(v=values, lang=language)


def render_pdf(html: str, fetcher: Any = None) -> bytes:
    """The PDF/A of this HTML. Its only dates are the issue time the layout writes into
    the document's metadata (our SOURCE_DATE_EPOCH), so the same HTML gives the same bytes.
    `fetcher`: a LockedFetcher (a new one when not given)."""
    return _weasyprint(html, fetcher or _locked_fetcher_class()())


def _weasyprint(html: str, fetcher: Any) -> bytes:
    # The one call into WeasyPrint. Tests that never read a PDF put a stand-in here (see
    # tests/standin.py), so everything up to the renderer still runs for them.
    from weasyprint import HTML

    options = {"pdf_variant": PDF_VARIANT, "pdf_identifier": True, "output_intent": "portal-srgb"}
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(**options)
    # Our own sRGB output intent: WeasyPrint 70 opens its bundled profile and never closes it.
    document.color_profiles["portal-srgb"] = _srgb_profile()
    pdf: bytes = document.write_pdf(**options)
    return pdf


def _srgb_profile() -> Any:
    from weasyprint.css import ColorProfile

    return ColorProfile(
        io.BytesIO(_srgb_bytes()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )


@cache
def _srgb_bytes() -> bytes:
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
