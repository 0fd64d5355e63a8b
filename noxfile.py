"""Development tasks: ``nox`` runs lint, typecheck, tests and quickstart; ``nox -s NAME`` one.

Each session builds its own virtualenv under ``.nox/`` with the interpreter nox runs on,
so a fresh clone needs only Python and nox (``python3 -m pip install nox``). Arguments
after ``--`` go to the session's tool: ``nox -s tests -- -k batch -x``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - nox itself needs tomli on Python 3.10
    import tomli as tomllib

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
    """mypy --strict over src, tests, examples and docs_tools (configured in pyproject.toml),
    then the typing tests (tests/typing: mypy must report each planted mistake)."""
    session.install("-e", ".[dev]")
    session.run("mypy", *session.posargs)
    session.run("pytest", "tests/typing", "-p", "no:cacheprovider")


#: The extras whose requirements the lowest-versions session installs at their floors:
#: every extra a user installs (``async`` is empty today, listed so that a requirement
#: added to it is floor-tested), and ``test``; not docs or dev, tools whose floors
#: nothing relies on.
FLOOR_EXTRAS = ("fast", "cli", "testing", "async", "test")
#: What the lowest-versions and no-orjson sessions run: the unit tests and moto in-process.
QUICK_TEST_ENV = {"DYNAMODB2_TEST_BACKENDS": "moto"}


def _install_pip(session: nox.Session) -> None:
    """pip, which a virtualenv made by uv lacks: the compatibility tests download boto
    2.49's sdist with it, through pip's configured index (tests/compat/boto2_sdist.py
    falls back to PyPI over HTTPS without it)."""
    session.install("pip")


@nox.session(venv_backend="uv")
def lowest(session: nox.Session) -> None:
    """The unit and moto tests with every dependency at the lowest version pyproject.toml
    allows: each lower bound is a claim, and this session tests it.

    uv resolves the direct requirements (``dependencies`` and the extras in
    :data:`FLOOR_EXTRAS`) to their lowest allowed versions; the package is built with the
    lowest hatchling ``build-system.requires`` allows. The session then checks that each
    requirement got exactly its floor (else the floor is not what was tested: raise it)
    and runs the tests (``nox -s lowest -- -x -k batch`` narrows them). Needs uv
    (``pip install uv``, in the dev extra). A floor can lack wheels for a newer Python
    (orjson 3.9 has none for 3.12 or 3.13): ``nox -s lowest --force-python 3.13`` runs
    the session on another interpreter found on ``PATH``.
    """
    floors = _declared_floors()
    session.install(f"hatchling=={floors.pop('hatchling')}")
    # Built as a wheel (an editable build would need the editables package as well).
    session.install(
        "--resolution",
        "lowest-direct",
        "--no-build-isolation",
        f".[{','.join(FLOOR_EXTRAS)}]",
    )
    _check_installed_at_floors(session, floors)
    _install_pip(session)
    # hatchling 1.26 builds too, but drops the license (PEP 639) from the metadata.
    session.run(
        "python",
        "-c",
        "import sys; from importlib.metadata import metadata; "
        "sys.exit(metadata('dynamodb2')['License-Expression'] != 'MIT' and "
        "'the wheel built with the lowest hatchling has no License-Expression: MIT')",
    )
    session.run("pytest", "-m", "not slow", *session.posargs, env=QUICK_TEST_ENV)


@nox.session(venv_backend="uv|venv")
def no_orjson(session: nox.Session) -> None:
    """The unit and moto tests without orjson: the plain ``json`` codec that a default
    install uses (tests that need orjson skip, saying so)."""
    session.install("-e", ".[test]")
    _install_pip(session)
    session.run(
        "python",
        "-c",
        "import importlib.util, sys; from dynamodb2 import _json; "
        "print('JSON codec:', _json.BACKEND); "
        "sys.exit('orjson is installed' if importlib.util.find_spec('orjson') else None)",
    )
    session.run("pytest", "-m", "not slow", *session.posargs, env=QUICK_TEST_ENV)


def _declared_floors() -> dict[str, str]:
    """``{name: lowest allowed version}`` for the build backend, the dependencies and the
    extras in :data:`FLOOR_EXTRAS` (a requirement without a lower bound is an error)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    texts = list(project["build-system"]["requires"]) + list(project["project"]["dependencies"])
    for extra in FLOOR_EXTRAS:
        texts += project["project"]["optional-dependencies"][extra]
    floors: dict[str, str] = {}
    for text in texts:
        requirement = Requirement(text)
        if requirement.name == project["project"]["name"]:
            continue  # the package's own extras, listed above
        bounds = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(bounds) != 1:
            raise ValueError(f"pyproject.toml: {text!r} needs exactly one lower bound (>=)")
        floors[requirement.name.lower()] = bounds[0]
    return floors


def _check_installed_at_floors(session: nox.Session, floors: dict[str, str]) -> None:
    script = (
        "import json, sys\n"
        "from importlib.metadata import version\n"
        "print(json.dumps({name: version(name) for name in json.loads(sys.argv[1])}))"
    )
    output = session.run("python", "-c", script, json.dumps(sorted(floors)), silent=True)
    installed: dict[str, str] = json.loads(str(output).strip().splitlines()[-1])
    wrong = []
    for name, floor in sorted(floors.items()):
        got = installed[name]
        session.log(f"{name:20} floor {floor:12} installed {got}")
        if Version(got) != Version(floor):
            wrong.append(f"{name} {got} (floor {floor})")
    if wrong:
        session.error(
            "not installed at their floors, so those floors were not tested (a floor "
            "conflicts with another requirement: raise it): " + ", ".join(wrong)
        )


@nox.session
def quickstart(session: nox.Session) -> None:
    """examples/quickstart.py, against moto in-process unless an endpoint is configured."""
    session.install("-e", ".[test,fast]")
    session.run("python", "examples/quickstart.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks beside boto3, PynamoDB and aiodynamo; extra arguments go to
    ``python -m benchmarks``.

    ``nox -s bench`` prints the tables in about 7 minutes (see docs/performance.md) and
    fails if a target does not hold; ``nox -s bench -- --help`` lists the options
    (``--quick``, ``--e2e-items N``, ...).
    """
    # The dev extra brings the rivals (boto3, PynamoDB, aiodynamo) and the transports
    # measured beside ours (h11, aiohttp, httpx).
    session.install(".[dev]")
    # aioboto3 pins a botocore older than dynamodb2's floor: a virtualenv of its own.
    aioboto3_env = Path(session.create_tmp()).resolve() / "aioboto3"
    if not (aioboto3_env / "bin" / "python").exists():
        session.run("python", "-m", "venv", str(aioboto3_env))
    session.run(str(aioboto3_env / "bin" / "pip"), "install", "-q", "aioboto3", external=True)
    session.run(
        "python",
        "-m",
        "benchmarks",
        "--check",
        *session.posargs,
        env={"AIOBOTO3_PYTHON": str(aioboto3_env / "bin" / "python")},
    )


@nox.session
def soak(session: nox.Session) -> None:
    """16 threads of mixed work for 10 minutes against dynalite through the fault proxy,
    reporting operations, faults by kind and lost or duplicated items (tests/support/soak.py).

    Not in the default sessions nor in CI. ``nox -s soak -- --minutes 1`` is a quick run;
    ``-- --threads 8 --json soak.json`` and ``-- --help`` for the rest. Needs Node.js and
    npm (dynalite installs itself into ``.cache/dynalite``, or ``DYNALITE_HOME``).
    """
    session.install("-e", ".[test,fast]")
    home = os.environ.get("DYNALITE_HOME", str(ROOT / ".cache" / "dynalite"))
    session.run("python", "-m", "tests.support.soak", *session.posargs, env={"DYNALITE_HOME": home})


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
    for extra in ("cli", "dev", "docs", "fast", "test", "testing"):
        if f"Provides-Extra: {extra}" not in text:
            session.error(f"{wheel_path.name} does not declare the extra {extra!r}")
    if "License-Expression: MIT" not in text.splitlines():
        session.error(f"{wheel_path.name} does not declare its license (License-Expression)")
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
