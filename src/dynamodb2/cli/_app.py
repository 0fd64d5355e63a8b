"""The ``dynamodb2`` command group: global options, connections, and errors as one line.

>>> from click.testing import CliRunner
>>> CliRunner().invoke(cli, ["tables"]).output             # doctest: +SKIP
'users\\n'

Exit codes: 0 done; 1 an error (one line on stderr, ``Error: ...``); 2 a usage error;
3 ``load`` finished but refused some lines (their numbers are listed on stderr).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import Any, Final

import click
from botocore.exceptions import BotoCoreError, ProfileNotFound

from dynamodb2 import __version__
from dynamodb2.exceptions import DynamoDBError, DynamoDBResponseError, NoCredentialsError
from dynamodb2.retry import DEFAULT_RETRY_POLICY

from . import _commands as commands
from ._settings import Settings

__all__ = ["EXIT_ERROR", "cli", "describe_error", "run"]

#: An error stopped the command.
EXIT_ERROR: Final = 1


class _Group(click.Group):
    """Turns library, service and OS errors into one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            raise click.ClickException(describe_error(error, settings)) from error


def describe_error(error: BaseException, settings: Settings | None = None) -> str:
    """One line saying what went wrong, for people."""
    if isinstance(error, NoCredentialsError):
        return _no_credentials(settings)
    if isinstance(error, ProfileNotFound):
        name = error.kwargs.get("profile", "?")
        return (
            f"profile {name!r} not found in {_aws_files()} (it was named by "
            f"{_profile_source(settings)}); create it with: aws configure --profile {name}"
        )
    if isinstance(error, (DynamoDBError, DynamoDBResponseError, BotoCoreError)):
        text = str(error)
    elif isinstance(error, OSError):
        text = f"{error.strerror or error}" + (f": {error.filename}" if error.filename else "")
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


def _no_credentials(settings: Settings | None) -> str:
    profile = (settings.profile if settings else None) or os.environ.get("AWS_PROFILE")
    if profile:
        return (
            f"no AWS credentials found for profile {profile!r} (named by "
            f"{_profile_source(settings)}) in {_aws_files()}; add them with: aws configure "
            f"--profile {profile}, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    return (
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
        f"use a profile from {_aws_files()} with --profile NAME or AWS_PROFILE=NAME "
        "(aws configure writes one)"
    )


def _profile_source(settings: Settings | None) -> str:
    return "--profile" if settings is not None and settings.profile else "AWS_PROFILE"


def _aws_files() -> str:
    """The shared credentials and config files, where the environment moved them."""
    credentials = os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials"
    config = os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config"
    return f"{credentials} or {config}"


def _setting(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback that sets ``field`` of the context's :class:`Settings` when the
    option is given (after the command, it overrides the value given before it)."""

    def store(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None and value is not False:
            ctx.obj = dataclasses.replace(ctx.ensure_object(Settings), **{field: value})
            root = ctx.find_root()
            if root is not ctx:  # where errors are reported: --debug must reach it too
                root.obj = dataclasses.replace(root.ensure_object(Settings), **{field: value})
        return value

    return store


def _global_option(declarations: list[str], field: str, **attributes: Any) -> click.Option:
    """An option that sets ``field`` of the :class:`Settings` when given."""
    return click.Option(declarations, expose_value=False, callback=_setting(field), **attributes)


def _global_options() -> list[click.Parameter]:
    """The options every command takes, before its name or after it."""
    return [
        _global_option(
            ["--endpoint-url"],
            "endpoint_url",
            metavar="URL",
            help="DynamoDB endpoint, e.g. http://localhost:8000 [default: "
            "AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, the profile's endpoint_url, "
            "else AWS's for the region]",
        ),
        _global_option(
            ["--region"], "region", metavar="NAME", help="AWS region [default: the configured one]"
        ),
        _global_option(
            ["--profile"],
            "profile",
            metavar="NAME",
            help="A profile of ~/.aws/config or ~/.aws/credentials [default: AWS_PROFILE]",
        ),
        _global_option(
            ["--max-attempts"],
            "max_attempts",
            type=click.IntRange(min=1),
            metavar="N",
            help="Attempts per request before giving up on throttling, 5xx or connection "
            "errors [default: AWS_MAX_ATTEMPTS or the profile's max_attempts; 4 with "
            "AWS_RETRY_MODE standard or adaptive, as for boto3; else "
            f"{DEFAULT_RETRY_POLICY.max_attempts}]; 1 fails at once, e.g. on a wrong endpoint.",
        ),
        _global_option(
            ["-q", "--quiet"],
            "quiet",
            is_flag=True,
            help="No progress, summaries, notes or retry notices; errors and refused lines only.",
        ),
        _global_option(["--debug"], "debug", is_flag=True, hidden=True, help="Show tracebacks."),
    ]


@click.group(
    cls=_Group,
    params=_global_options(),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="dynamodb2")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Work with DynamoDB tables: create, list, describe, count, load, dump and delete them.

    Credentials, region and endpoint come from the usual places (environment, ~/.aws,
    --profile), as for the AWS CLI. Progress is drawn on stderr when it is a terminal.
    The options below may also follow the command (dynamodb2 tables --region eu-west-1).
    """
    settings = ctx.ensure_object(Settings)
    if _debug_from_env():
        ctx.obj = dataclasses.replace(settings, debug=True)


def _debug_from_env() -> bool:
    return os.environ.get("DYNAMODB2_DEBUG", "") not in ("", "0")


for _command in commands.COMMANDS:
    _command.params.extend(_global_options())
    cli.add_command(_command)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code instead of exiting."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="dynamodb2")
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_ERROR)
    return 0
