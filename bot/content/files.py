"""Reading pack and seed files safely, and finding quotes in seed articles.

Only regular files inside their folder, of a bounded size, are read (issue 9 item 13): symlinks out of the
folder, named pipes, devices and oversized files are refused with a sentence for the problem line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

#: Largest pack file read (bytes). A 100,000-fact pack file is about 30 MB; /dev/zero is not a file at all.
MAX_PACK_FILE_BYTES = 64 * 1024 * 1024
#: Largest seed article read (bytes).
MAX_SEED_BYTES = 16 * 1024 * 1024
#: A seed file name: no folders, no leading dot, a length every file system takes.
SEED_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\Z")
_WS = re.compile(r"\s+")


def read_regular_file(path: Path, root: Path, limit: int) -> tuple[str | None, str | None]:
    """Read ``path`` as UTF-8 text if it is a regular file inside ``root`` of at most ``limit`` bytes.

    Returns ``(text, None)``, or ``(None, why)`` with a sentence for the problem line. A symlink is followed
    only to a regular file inside ``root`` (the folder, itself resolved); dangling and looping links, folders,
    named pipes (which would block the reader forever), devices (``/dev/zero`` never ends) and files over the
    limit are refused without being read. Never raises OSError. Issue 9 item 13.
    """
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling (FileNotFoundError) or looping (ELOOP / RuntimeError)
                return None, "is a symlink that leads nowhere (dangling or looping)"
            try:
                inside = target.is_relative_to(root.resolve(strict=True))
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                return None, f"is a symlink to {target}, outside {root.name}/; only files inside the folder are read"
            path = target
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, f"is not a regular file ({_file_kind(info.st_mode)})"
        if info.st_size > limit:
            return None, f"is {info.st_size:,} bytes; the limit is {limit:,}"
        # O_NONBLOCK: should the file be swapped for a named pipe after the check, open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None, "is not a regular file"
            data = handle.read(limit + 1)
    except OSError as error:
        return None, f"can't be read: {error.strerror or error}"
    if len(data) > limit:
        return None, f"is over {limit:,} bytes"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, "not UTF-8 text"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


class Seed:
    """A seed article, whitespace-collapsed, indexed by every 8-character window.

    Checking a quote then looks only where its first 8 characters occur, instead of scanning the whole
    article: with 100,000 facts against a long article this is most of the validation time.
    """

    K = 8

    def __init__(self, text: str) -> None:
        self.text = collapse(text)
        self.starts: dict[str, list[int]] = {}
        for position in range(len(self.text) - self.K + 1):
            self.starts.setdefault(self.text[position : position + self.K], []).append(position)

    def __contains__(self, quote: str) -> bool:
        quote = collapse(quote)
        if len(quote) < self.K:
            return quote in self.text
        return any(self.text.startswith(quote, p) for p in self.starts.get(quote[: self.K], ()))
