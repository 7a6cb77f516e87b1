"""Records the store sums up for display that are not pack content (pack content is in bot.content.model).

They live outside ``bot.db`` so that ``bot.render`` never imports the database layer.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class PackSummary:
    """One loaded pack and how many records of each kind it holds (what /about lists)."""

    id: str
    name: str
    name_ko: str | None
    artists: int
    songs: int
    tours: int
    shows: int
    facts: int
    questions: int
