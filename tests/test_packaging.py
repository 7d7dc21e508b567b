"""The built wheel holds everything the portal reads, and the portal runs from it.

Slow-ish (about 10 s): it builds a real wheel with uv (`make setup` installs it in .tools/)
from a copy of the package, with the catalogs compiled as docs/operations.md's recipe
does, then checks that every file of the package is in the wheel and starts the portal from
the unpacked wheel in a folder outside the checkout: it migrates a new SQLite database and
serves a page in Russian and a static file. A pure-Python wheel unpacks to exactly what an
installer puts in site-packages, so this is the installed portal minus its dependencies'
installation (which the lock already covers).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dispute_portal"
# The wheel and the portal started from it (on a SQLite file of its own) are the same in
# either pass: built once, in the SQLite pass.
pytestmark = pytest.mark.engine_free

# What the portal reads at run time besides its modules; each must come from the package.
NEEDED = (
    "dispute_portal/templates/base.html",
    "dispute_portal/templates/rulings/_layout.html",
    "dispute_portal/static/css/portal.css",
    "dispute_portal/static/fonts/DejaVuSerif.ttf",
    "dispute_portal/migrations/alembic.ini",
    "dispute_portal/migrations/env.py",
    "dispute_portal/migrations/script.py.mako",
    "dispute_portal/translations/ru/LC_MESSAGES/messages.mo",
    "dispute_portal/translations/kk/LC_MESSAGES/messages.mo",
    "dispute_portal/auth/common-passwords.txt.gz",
    "dispute_portal/config.py",
    "dispute_portal/wsgi.py",
)

RUN_FROM_WHEEL = textwrap.dedent(
    """
    import pathlib, sys
    import dispute_portal
    from dispute_portal import create_app

    assert dispute_portal.__file__.startswith(sys.argv[1]), dispute_portal.__file__
    app = create_app()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "ru"})
    assert page.status_code == 200 and "Портал" in page.get_data(as_text=True), page.status
    assert client.get("/static/css/portal.css").status_code == 200
    print("ran from", pathlib.Path(dispute_portal.__file__).parent)
    """
)


def _uv() -> str:
    uv = ROOT / ".tools" / "bin" / "uv"
    found = str(uv) if uv.exists() else shutil.which("uv")
    if found is None:
        pytest.fail("uv is needed to build the wheel: run `make setup`")
    return found


def _package_files(base: Path) -> set[str]:
    """Every file of the package, as wheel paths (byte code aside)."""
    return {
        path.relative_to(base).as_posix()
        for path in (base / "dispute_portal").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the source copy the wheel was built from, the wheel)."""
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        PACKAGE,
        src / "dispute_portal",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
    )
    # A clean checkout has no compiled catalogs (they are not in git): compile them as the
    # recipe in docs/operations.md does before building, so the test does not lean on
    # `make setup`.
    CommandLineInterface().run(
        ["pybabel", "-q", "compile", "-d", str(src / "dispute_portal" / "translations")]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    build = [_uv(), "build", "--wheel", "--python", sys.executable, "--out-dir", str(base / "dist")]
    done = subprocess.run(  # noqa: S603 - uv from .tools, fixed arguments
        [*build, str(src)], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = (base / "dist").glob("dispute_portal-*.whl")
    return src, built


def test_the_wheel_holds_every_file_of_the_package(wheel):
    src, built = wheel
    with zipfile.ZipFile(built) as zf:
        names = set(zf.namelist())
    missing = _package_files(src) - names
    assert missing == set(), f"not in the wheel (tool.setuptools.package-data): {sorted(missing)}"
    assert set(NEEDED) <= names
    # The migrations' settings name their scripts by package, not by a checkout's folder.
    with zipfile.ZipFile(built) as zf:
        ini = zf.read("dispute_portal/migrations/alembic.ini").decode()
    assert "script_location = dispute_portal:migrations" in ini


def test_the_portal_starts_and_migrates_from_the_unpacked_wheel(wheel, tmp_path):
    _, built = wheel
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(built) as zf:
        zf.extractall(site)
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing may be found through it
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "PORTAL_", "DATABASE_URL", "INSTANCE_PATH", "UPLOAD_DIR"))
    }
    # The unpacked wheel comes first on the path, before the checkout's editable install.
    env.update(PYTHONPATH=str(site), PORTAL_ENV="development", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", RUN_FROM_WHEEL, str(site)],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (elsewhere / "instance" / "portal.db").is_file()
