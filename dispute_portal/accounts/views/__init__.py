"""The Centre's fees and the case account on the web: the public page of fees and the
admin's schedule (fees.py, `bp`), the account of one case (account.py, `account_bp`), and
the finance officer's pages on the same blueprint (finance.py), and the neutrals' fee notes
of a case (fee_notes.py, `fee_notes_bp`)."""

from __future__ import annotations

from . import closing as closing  # its routes join account_bp
from . import finance as finance  # its routes join account_bp
from .account import account_bp
from .fee_notes import bp as fee_notes_bp
from .fees import bp

__all__ = ["account_bp", "bp", "fee_notes_bp"]
