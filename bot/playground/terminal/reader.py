"""Reading lines: prompt_toolkit at a terminal (history, line editing, live completion), plain lines from a pipe.

A pipe or a script file is read line by line in a daemon thread, so the bot keeps serving while the read
blocks and the end of the program never waits for it. prompt_toolkit is only used when standard input is a
terminal.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory

# (text to insert, what the menu shows, a note beside it, how many characters before the cursor it replaces)
Suggestion = tuple[str, str, str, int]


class LineReader:
    """Lines from a pipe or a file, without blocking the event loop; ``None`` at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._loop: asyncio.AbstractEventLoop | None = None
        self._answers: asyncio.Queue[str | None] | None = None
        self._wanted: queue.Queue[bool] = queue.Queue()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        assert self._loop is not None and self._answers is not None
        while self._wanted.get():
            try:
                read = self.stream.readline()
                line = read.rstrip("\r\n") if read else None
            except (OSError, ValueError, UnicodeDecodeError):
                line = None
            self._loop.call_soon_threadsafe(self._answers.put_nowait, line)
            if line is None:
                return

    async def read(self, prompt: str = "") -> str | None:
        if self._thread is None:
            self._loop = asyncio.get_running_loop()
            self._answers = asyncio.Queue()
            self._thread = threading.Thread(target=self._run, name="playground-input", daemon=True)
            self._thread.start()
        assert self._answers is not None
        self._wanted.put(True)
        return await self._answers.get()


class SuggestionCompleter(Completer):
    """Completions from an async source (the session): command names, option names, and option values
    from the bot's own autocomplete, asked as Discord's client asks while a fan types."""

    def __init__(self, source: Callable[[str], Awaitable[Iterable[Suggestion]]]) -> None:
        self.source = source

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        return []  # only the async path is used

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        try:
            found = await self.source(document.text_before_cursor)
        except Exception:  # noqa: BLE001 - a failing suggestion must never break typing
            return
        for insert, shown, note, replaces in found:
            yield Completion(insert, start_position=-replaces, display=shown, display_meta=note or None)


class PromptReader:
    """Lines typed at a terminal with prompt_toolkit: history (kept in ``history_file``), editing, completion."""

    def __init__(self, source: Callable[[str], Awaitable[Iterable[Suggestion]]], history_file: Path | None) -> None:
        history = FileHistory(str(history_file)) if history_file is not None else InMemoryHistory()
        self.session: PromptSession[str] = PromptSession(
            history=history, completer=SuggestionCompleter(source), complete_while_typing=True
        )

    async def read(self, prompt: str = "") -> str | None:
        try:
            return await self.session.prompt_async(prompt)
        except EOFError:
            return None
        except KeyboardInterrupt:
            return ""
