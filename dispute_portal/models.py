"""Imports every feature's models so the metadata is complete (Alembic, create_all)."""


def import_all() -> None:
    from .auth import models as _auth  # noqa: F401
    from .cases import models as _cases  # noqa: F401
    from .registry import models as _registry  # noqa: F401
    from .rulings import models as _rulings  # noqa: F401
    from .workflow import models as _workflow  # noqa: F401
