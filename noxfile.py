"""Development tasks: ``nox`` runs lint, typecheck, tests and quickstart; ``nox -s NAME`` one.

Each session builds its own virtualenv under ``.nox/`` with the interpreter nox runs on,
so a fresh clone needs only Python and nox (``python3 -m pip install nox``). Arguments
after ``--`` go to the session's tool: ``nox -s tests -- -k batch -x``.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "tests", "quickstart"]

#: What ruff checks and formats (the package, its tests, the examples, the docs build's
#: griffe extension and this file).
LINT_PATHS = ["src", "tests", "examples", "docs_tools", "benchmarks", "noxfile.py"]
ROOT = Path(__file__).resolve().parent


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
    """mypy --strict over src, tests, examples and docs_tools (configured in pyproject.toml)."""
    session.install("-e", ".[test,fast]")
    session.run("mypy", *session.posargs)


@nox.session
def quickstart(session: nox.Session) -> None:
    """examples/quickstart.py, against moto in-process unless an endpoint is configured."""
    session.install("-e", ".[test,fast]")
    session.run("python", "examples/quickstart.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks beside boto3 and PynamoDB; extra arguments go to ``python -m benchmarks``.

    ``nox -s bench`` prints the tables in about 7 minutes (see docs/performance.md) and
    fails if a target does not hold; ``nox -s bench -- --help`` lists the options
    (``--quick``, ``--e2e-items N``, ...).
    """
    session.install(".[test,fast]")
    session.run("python", "-m", "benchmarks", "--check", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """16 threads of mixed work for 10 minutes against dynalite through the fault proxy,
    reporting operations, faults by kind and lost or duplicated items (tests/soak.py).

    Not in the default sessions nor in CI. ``nox -s soak -- --minutes 1`` is a quick run;
    ``-- --threads 8 --json soak.json`` and ``-- --help`` for the rest. Needs Node.js and
    npm (dynalite installs itself into ``.cache/dynalite``, or ``DYNALITE_HOME``).
    """
    session.install("-e", ".[test,fast]")
    home = os.environ.get("DYNALITE_HOME", str(ROOT / ".cache" / "dynalite"))
    session.run("python", "-m", "tests.soak", *session.posargs, env={"DYNALITE_HOME": home})


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (MkDocs + mkdocstrings), warnings as errors, into ``site/``."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the sdist and wheel, check what they hold, install the wheel with its extras,
    and run the test suite from the unpacked sdist (without ``src/``) against it.

    ``nox -s wheel -- -x -k cli`` narrows the test run.
    """
    session.install("build")
    work = Path(session.create_tmp()).resolve()
    dist = work / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist), str(ROOT))
    (wheel_path,) = dist.glob("*.whl")
    (sdist_path,) = dist.glob("*.tar.gz")
    _check_wheel(session, wheel_path)
    suite = _unpacked_sdist_without_src(session, sdist_path, work / "suite")

    session.install(f"{wheel_path}[test,fast]")
    # Not the tree's package: the installed wheel's, from site-packages.
    session.run(
        "python",
        "-c",
        "import dynamodb2, sys; f = dynamodb2.__file__; print('testing', f); "
        "sys.exit('site-packages' not in f)",
    )
    session.chdir(suite)
    # dynalite installs itself into this cache; share the project's.
    env = {"DYNALITE_HOME": str(ROOT / ".cache" / "dynalite")}
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs, env=env)


def _check_wheel(session: nox.Session, wheel_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel_path).namelist())
    required = {
        "dynamodb2/__init__.py",
        "dynamodb2/__main__.py",
        "dynamodb2/py.typed",
        "dynamodb2/cli/__init__.py",
        "dynamodb2/cli/load.py",
    }
    missing = sorted(required - names)
    strays = sorted(name for name in names if name.startswith(("tests/", "examples/", "docs/")))
    if missing or strays:
        session.error(f"{wheel_path.name}: missing {missing}, should not hold {strays}")
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel_path).read(metadata).decode()
    for extra in ("cli", "docs", "fast", "test", "testing"):
        if f"Provides-Extra: {extra}" not in text:
            session.error(f"{wheel_path.name} does not declare the extra {extra!r}")
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    declared = zipfile.ZipFile(wheel_path).read(entry_points).decode()
    if "dynamodb2 = dynamodb2.cli:main" not in declared:
        session.error(f"{wheel_path.name} has no dynamodb2 console script")
    if "[pytest11]\ndynamodb2 = dynamodb2.pytest_plugin" not in declared:
        session.error(f"{wheel_path.name} does not declare the pytest plugin")
    session.log(f"{wheel_path.name}: {len(names)} files, py.typed and the cli package included")


def _unpacked_sdist_without_src(session: nox.Session, sdist_path: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(sdist_path) as archive:
        # The "data" filter refuses links and paths outside the target (Python 3.10.12+).
        if hasattr(tarfile, "data_filter"):
            archive.extractall(target, filter="data")
        else:  # pragma: no cover - older Pythons
            archive.extractall(target)
    (root,) = target.iterdir()
    for needed in ("tests", "docs", "examples", "src", "CHANGELOG.md", "mkdocs.yml"):
        if not (root / needed).exists():
            session.error(f"{sdist_path.name} lacks {needed}")
    shutil.rmtree(root / "src")
    session.log(f"{sdist_path.name} unpacked into {root} (src/ removed)")
    return root
