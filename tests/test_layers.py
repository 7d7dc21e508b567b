"""The layers of the package (README, "Layers") hold: import-linter's contracts in
pyproject.toml pass, and they do break when a module imports across a layer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    # The checked package is the one in `where`: it comes first on the path.
    env = dict(os.environ, PYTHONPATH=str(where), COLUMNS="200")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("cases/views.py", "from ..auth import views as _other_view", "No view module imports"),
        ("workflow/engine.py", "from ..notices import operations as _effect", "The workflow"),
        ("cases/models.py", "from ..workflow import engine as _engine", "Models, states"),
        ("core/web.py", "from ..cases import models as _feature", "The floor"),
        ("neutrals/operations.py", "from ..neutrals import forms as _form", "Operations import"),
    ],
)
def test_an_import_across_the_layers_breaks_a_contract(tmp_path, module, bad_import, contract):
    shutil.copytree(
        ROOT / "dispute_portal",
        tmp_path / "dispute_portal",
        ignore=shutil.ignore_patterns("__pycache__", "translations", "static", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "dispute_portal" / module
    target.write_text(target.read_text() + f"\n{bad_import}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
