"""Sessions run with nox: ``nox -s bench`` runs the benchmarks (see docs/performance.md)."""

from __future__ import annotations

import nox


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks beside boto3 and PynamoDB; extra arguments go to ``python -m benchmarks``.

    ``nox -s bench`` prints the tables in a few minutes; ``nox -s bench -- --help`` lists
    the options (``--quick``, ``--e2e-items 10000``, ``--check``, ...).
    """
    session.install(".[test,fast]", "pynamodb")
    session.run("python", "-m", "benchmarks", *session.posargs)
