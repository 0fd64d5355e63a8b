"""Benchmarks: dynamodb2 beside boto3 and PynamoDB on the same canned DynamoDB responses.

Run them with ``nox -s bench`` (or ``python -m benchmarks --help``). See
``docs/performance.md`` for what is measured, the last results and how to read them.
"""

__all__: list[str] = []
