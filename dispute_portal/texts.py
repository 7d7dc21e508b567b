"""Marking texts for translation in modules that do not import Flask."""


def N_(text: str) -> str:  # noqa: N802 - the conventional name the extractor looks for
    """Marks a text for translation; it is translated where it is shown."""
    return text


class Refusal(Exception):  # noqa: N818 - a refusal, shown to the user
    """Something a person asked for cannot be done; `message` (marked with N_) says why.

    The message is translated where it is shown, with `params` filled in.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
