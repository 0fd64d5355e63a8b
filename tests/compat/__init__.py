"""The compatibility harness: boto 2.49's own unit and integration tests, a differential
scenario run under boto 2.49 and dynamodb2, and boto 2's private helpers that real code uses.

boto 2.49's sdist is downloaded at test time into ``.cache/boto2`` (:mod:`.boto2_sdist`);
its tests and the scenario run in subprocesses (:mod:`.boto2_subprocess`), once under the
real boto 2.49 (the reference) and once under dynamodb2 through ``dynamodb2.shim``.
"""
