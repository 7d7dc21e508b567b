"""What every page a browser test reaches must pass: axe-core, unique ids, no scrolling
sideways, and on a Russian or Kazakh page no English left over (`Auditor.check`)."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import get_currency_symbol

# axe-core's defaults, plus target-size (WCAG 2.2 AA, 2.5.8), which axe leaves off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
PHONE = {"width": 375, "height": 812}  # the narrowest phone the portal is laid out for
PACKAGE = Path(__file__).resolve().parents[2] / "dispute_portal"

# Ids used twice: a label, aria-labelledby or a skip link then points at the wrong one (axe
# 4.7+ no longer reports duplicate ids).
_DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
}"""

# The page is wider than the window (it scrolls sideways): which elements stick out, the
# outermost ones, so the report names the culprit and not every cell inside it.
_OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const width = root.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].join('.') : '');
    out.push({el, text: `${name} reaches ${Math.round(box.right)} px`});
  }
  if (!out.length) {  // no box sticks out: some text does (a long word), or a pseudo-element
    for (const el of document.body.querySelectorAll('*')) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') {
        out.unshift({el, text: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} holds `
          + `${el.scrollWidth} px in ${el.clientWidth} px`});
      }
    }
  }
  const culprits = out.slice(0, 8).map((o) => o.text);
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits};
}"""

# Every text a reader meets on the page in the page's language: the text of the body (also
# what only screen readers read), the title, and the names given in attributes. Text marked
# with another language (the language switcher's "English") is skipped.
_PAGE_TEXTS = """() => {
  const lang = document.documentElement.lang;
  const foreign = (el) => {
    const marked = el.closest('[lang]');
    return marked && marked.lang.split('-')[0] !== lang;
  };
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, template, noscript') || foreign(el)) continue;
    texts.push(n.textContent);
  }
  const named = '[aria-label], [title], [placeholder], [alt], '
    + 'input[type=submit], input[type=button]';
  for (const el of document.body.querySelectorAll(named)) {
    if (foreign(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
    if (el.matches('input[type=submit], input[type=button]')) texts.push(el.value);
  }
  return texts;
}"""

# What is not a word of the interface, taken out before the words are looked at.
_NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+"  # links
    r"|\b[A-Z]{1,6}-\d{4}-\d{4}\b|\bF-\d{6}\b"  # case numbers and filing references
    r"|\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b"  # verification codes
    r"|\bINV-\d{4}-\d{6}\b|\bRF\d{2}[0-9A-Z]{1,21}\b"  # invoices and payment references
    r"|\b[A-Z]{2}\d{2}[0-9A-Z]{11,30}\b"  # account numbers (IBAN)
    r"|\b[0-9a-f]{8,}\b"  # hashes
    r"|[^\s/]+\.(?:pdf|docx|png|jpe?g)\b",  # file names
    re.IGNORECASE,
)
# A word in Latin letters standing alone (not a Latin letter inside a Cyrillic word).
_LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]+(?:['’][A-Za-z]+)*(?![^\W\d_])")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@functools.cache
def demo_data() -> tuple[str, ...]:
    """The demo's own texts (names, addresses, claims, notes, file names): every string the
    seed package writes, longest first, but for its keys (`investment_law`, `USD`)."""
    texts: set[str] = set()
    for source in sorted((PACKAGE / "seed").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if len(text) > 1 and not re.fullmatch(r"[a-z0-9_]+|[A-Z]{2,3}", text):
                    texts.add(text)
    return tuple(sorted(texts, key=len, reverse=True))


# Names of standards the pages print as they are in every language.
STANDARDS = frozenset({"SHA"})  # SHA-256, the documents' fingerprint


@functools.cache
def kept_in_latin() -> frozenset[str]:
    """Latin words that are no leftover: those the Russian and Kazakh catalogs keep as they
    are (PDF, QR, IP: the translators' own choice), currency codes and the Latin letters of
    currency signs (KZT, CN¥, US$: how Babel writes an amount), and `STANDARDS`."""
    words: set[str] = set(STANDARDS)
    for code in Locale("en").currencies:
        words.add(code)
        for language in ("ru", "kk"):
            words.update(_LATIN_WORD.findall(get_currency_symbol(code, language)))
    for language in ("ru", "kk"):
        path = PACKAGE / "translations" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po:
            for message in read_po(po):
                if not message.id:
                    continue  # the catalog's header
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for string in strings:
                    words.update(_LATIN_WORD.findall(_PLACEHOLDER.sub(" ", string or "")))
    return frozenset(words)


def english_leftovers(texts: list[str], data: tuple[str, ...] = ()) -> list[str]:
    """The words in Latin letters that a Russian or Kazakh page shows of its own: every one
    is English the interface forgot to translate, once what people typed is taken out.

    What people typed is the demo's data (`demo_data`) and what the test adds (`data`), each
    taken out whole, as a phrase; then e-mail addresses, links, case numbers, codes, hashes
    and file names by their form. What is left in Latin letters is a leftover unless the
    catalogs themselves keep it (PDF). So a hard-coded "v." or "system", which no catalog
    knows, is caught as surely as a msgid that lost its translation.
    """
    phrases = sorted({*demo_data(), *data}, key=len, reverse=True)
    found: list[str] = []
    for text in texts:
        for phrase in phrases:
            if phrase in text:
                text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
        text = _NOT_WORDS.sub(" ", text)
        found += [w for w in _LATIN_WORD.findall(text) if w not in kept_in_latin()]
    return found


class Auditor:
    """Checks every page a test reaches, and makes sure none went unchecked: axe-core (WCAG
    2.0-2.2 A/AA), ids used once, no scrolling sideways (at any width: a phone's 375 px
    too), and on a Russian or Kazakh page no English left over (`english_leftovers`).

    `data`: texts the test itself typed (names, claims), which may stay in English.
    """

    def __init__(self, page: Any, data: tuple[str, ...] = ()) -> None:
        self.page = page
        self.data = data
        self.axe = Axe()
        self.navigations: list[str] = []
        self.audited: set[int] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        width = page.viewport_size["width"] if page.viewport_size else "?"
        where = f"{page.url} at {width} px"
        problems = []
        results = self.axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            problems.append(f"Accessibility violations on {where}:\n{results.generate_report()}")
        duplicates = page.evaluate(_DUPLICATE_IDS)
        if duplicates:
            problems.append(f"ids used more than once on {where}: {duplicates}")
        overflow = page.evaluate(_OVERFLOW)
        if overflow is not None:
            problems.append(f"{where} scrolls sideways: {overflow}")
        language = page.evaluate("document.documentElement.lang")
        if language in ("ru", "kk"):
            leftovers = english_leftovers(page.evaluate(_PAGE_TEXTS), self.data)
            if leftovers:
                problems.append(f"English left on the {language} page {where}: {leftovers}")
        assert not problems, "\n".join(problems)
        self.audited.add(len(self.navigations))

    def check_narrow(self) -> None:
        """The same checks on this page as a phone shows it (375 px wide), then back."""
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 375, "height": 812})
        try:
            self.check()
        finally:
            if size is not None:
                self.page.set_viewport_size(size)

    def assert_all_checked(self) -> None:
        unchecked = [
            url for n, url in enumerate(self.navigations, start=1) if n not in self.audited
        ]
        assert not unchecked, f"pages reached but never checked: {unchecked}"
