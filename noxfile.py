"""Development tasks: ``nox`` runs lint, typecheck, tests and quickstart; ``nox -s NAME`` one.

Each session builds its own virtualenv under ``.nox/`` with the interpreter nox runs on,
so a fresh clone needs only Python and nox (``python3 -m pip install nox``). Arguments
after ``--`` go to the session's tool: ``nox -s tests -- -k batch -x``.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "tests", "quickstart"]

#: What ruff checks and formats (the package, its tests, the examples and this file).
LINT_PATHS = ["src", "tests", "examples", "noxfile.py"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on all three backends (moto, moto server, dynalite; dynalite needs npm)."""
    session.install("-e", ".[test,fast]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff's lint rules and formatting (check only; run ``ruff format`` to fix)."""
    session.install("ruff")
    session.run("ruff", "check", *LINT_PATHS)
    session.run("ruff", "format", "--check", *LINT_PATHS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src, tests and examples (the configuration is in pyproject.toml)."""
    session.install("-e", ".[test,fast]")
    session.run("mypy", *session.posargs)


@nox.session
def quickstart(session: nox.Session) -> None:
    """examples/quickstart.py, against moto in-process unless an endpoint is configured."""
    session.install("-e", ".[test,fast]")
    session.run("python", "examples/quickstart.py")
