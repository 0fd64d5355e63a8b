"""The isolated AWS environment every test runs in (the ``isolated_aws_environment``
fixture of ``tests/conftest.py``, and :func:`tests.support.table_support.backend_for_module`
for module-scoped backends): no developer AWS or boto config, profile, endpoint, proxy or real
credential is seen, only the backends' test credentials and region."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY

#: Environment variables that could point a test at a real account, endpoint or proxy,
#: or change how botocore retries, verifies or resolves endpoints.
LEAKY_VARIABLES: Final = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "NO_PROXY",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "BOTO_PATH",
)


def isolate_aws_environment(environment: pytest.MonkeyPatch, directory: Path) -> None:
    """Clear :data:`LEAKY_VARIABLES`, point the AWS config and credentials files at absent
    files in ``directory``, and set the test credentials and region."""
    for name in LEAKY_VARIABLES:
        environment.delenv(name, raising=False)
    environment.setenv("AWS_CONFIG_FILE", str(directory / "aws-config-absent"))
    environment.setenv("AWS_SHARED_CREDENTIALS_FILE", str(directory / "aws-credentials-absent"))
    # boto 2's config file (~/.boto, /etc/boto.cfg): only this absent one is read.
    environment.setenv("BOTO_CONFIG", str(directory / "boto-config-absent"))
    environment.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    environment.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    environment.setenv("AWS_DEFAULT_REGION", REGION)
    environment.setenv("AWS_EC2_METADATA_DISABLED", "true")
