"""Marking texts for translation in modules that do not import Flask."""


def N_(text: str) -> str:  # noqa: N802 - the conventional name the extractor looks for
    """Marks a text for translation; it is translated where it is shown."""
    return text
