"""Imports every feature's models so the metadata is complete (Alembic, create_all)."""

from .accounts import models as _accounts  # noqa: F401
from .accounts import outgoings as _outgoings  # noqa: F401
from .amicus import models as _amicus  # noqa: F401
from .api import models as _api  # noqa: F401
from .audit import models as _audit  # noqa: F401
from .auth import models as _auth  # noqa: F401
from .awards import models as _awards  # noqa: F401
from .cases import models as _cases  # noqa: F401
from .challenges import models as _challenges  # noqa: F401
from .deadlines import models as _deadlines  # noqa: F401
from .funding import models as _funding  # noqa: F401
from .integrity import models as _integrity  # noqa: F401
from .measures import models as _measures  # noqa: F401
from .mfa import models as _mfa  # noqa: F401
from .neutrals import models as _neutrals  # noqa: F401
from .nominations import models as _nominations  # noqa: F401
from .notices import models as _notices  # noqa: F401
from .objections import models as _objections  # noqa: F401
from .pagecache import models as _pagecache  # noqa: F401
from .parties import models as _parties  # noqa: F401
from .proceedings import models as _proceedings  # noqa: F401
from .publication import models as _publication  # noqa: F401
from .registry import models as _registry  # noqa: F401
from .rulings import models as _rulings  # noqa: F401
from .suspensions import models as _suspensions  # noqa: F401
from .webhooks import models as _webhooks  # noqa: F401
from .workflow import models as _workflow  # noqa: F401


def import_all() -> None:
    """Every model is mapped once this module is imported; callers say so by calling this."""
