"""Alembic environment, wired to the app's configuration and models."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from dispute_portal.config import config_from_env
from dispute_portal.db import Base, UTCDateTime, make_engine
from dispute_portal.models import import_all

import_all()
config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or config_from_env().DATABASE_URL


def _render_item(type_: str, obj, autogen_context):
    # Migrations spell plain SQLAlchemy types, so they never import the app.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# The full-text index is made by its migration, not by a model (on SQLite an FTS5 virtual
# table and the shadow tables FTS5 keeps beside it): `alembic check` leaves it alone.
SEARCH_TABLES = {"case_search"} | {
    f"case_search_{part}" for part in ("data", "idx", "content", "docsize", "config")
}


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table not in SEARCH_TABLES


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        include_object=_include_object,
        compare_type=True,
        render_item=_render_item,
        render_as_batch=True,  # SQLite alters tables by copying them
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table to alter it and drops the old one: with foreign keys
            # on, that drop would delete every row that references it (ON DELETE CASCADE),
            # so they are off while migrating (a pragma outside any transaction), and checked
            # once done.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            conn.commit()
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(
                    f"the migration left rows whose references are broken: {broken[:5]}"
                )
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
