"""Where the playground writes: a rich console in colour for a terminal, plain lines for a pipe or a file."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text

from .render import RenderContext, render, render_rich

WARN = Style(color="yellow")


class Screen:
    """One output stream. ``color=False`` writes plain text only (scripts compare it line by line)."""

    def __init__(self, file: TextIO | None, color: bool = False) -> None:
        # None: whatever sys.stdout is at each write (prompt_toolkit's patch_stdout swaps it while prompting)
        self.file = file
        self.color = color
        self.console = Console(
            file=file, force_terminal=color, no_color=not color, highlight=False, markup=False, emoji=False
        )

    def say(self, text: str | Text = "", style: Style | str | None = None) -> None:
        """One line (or several); ``style`` only shows in colour."""
        if self.color:
            self.console.print(text if isinstance(text, Text) else Text(text, style=style or ""))
            return
        self._write(text.plain if isinstance(text, Text) else text)

    def hint(self, text: str) -> None:
        """Something the person should act on (yellow in colour)."""
        self.say(text, WARN)

    def dim(self, text: str) -> None:
        self.say(text, "dim")

    def bold(self, text: str) -> None:
        self.say(text, "bold")

    def show(self, renderable: RenderableType) -> None:
        if self.color:
            self.console.print(renderable)
        elif isinstance(renderable, Text):
            self._write(renderable.plain)
        else:
            self._write(str(renderable))

    def message(self, message: dict, ctx: RenderContext) -> None:
        """A Discord message: panels in colour, the ``|`` bar layout in plain text."""
        if self.color:
            self.console.print(render_rich(message, ctx))
        else:
            self._write(render(message, ctx))

    def _write(self, text: str) -> None:
        try:
            print(text, file=self.file or sys.stdout, flush=True)
        except UnicodeEncodeError:
            encoding = getattr(self.file, "encoding", None) or "utf-8"
            print(text.encode(encoding, "replace").decode(encoding), file=self.file, flush=True)
