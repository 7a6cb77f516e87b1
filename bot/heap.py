"""The garbage collector and the bot's long-lived content (issue 8, item 8: speed of every fan command)."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Take what is alive now out of the cyclic garbage collector's sight (:func:`gc.freeze`), after a
    collection so no garbage is kept.

    Above all this is the catalogue's name index (for 10,000 songs some 30 MiB of small objects): every full
    collection walked all of it, a pause of several milliseconds in the middle of a fan's command (issue 8,
    item 8: /song on 10,000 songs had a p99 three times the bare bot's, and twice its CPU per command).
    Frozen objects are still freed by reference counting when the catalogue is replaced; the index holds no
    reference cycles. Called once the bot is set up, after each catalogue rebuild (rare: an `ingest`) and once trivia's
    question pool for a catalogue is built.
    """
    gc.collect()
    gc.freeze()
