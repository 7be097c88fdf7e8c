"""The one way the command line reports a problem the user can fix: one line naming the file and the
problem, exit status 2, never a traceback."""

from __future__ import annotations

from typing import IO, Any

import click


class UserError(click.ClickException):
    """A problem with the inputs or outputs (a missing folder, a file that is not ours, bad JSON)."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"govnum: error: {self.format_message()}", err=True, file=file)
