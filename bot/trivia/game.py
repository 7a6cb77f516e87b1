"""The rules of a trivia game, as pure functions: which questions, in which mode, the options' order,
the points, who was first, and whether a game counts. No Discord, no SQL; the cog and the store hold
the state (in the database, so a game survives a restart).

Scoring (issue 10, "Scoring"; shown in the README):

* a right answer scores :data:`BASE_POINTS` (100), less a third for each hint taken (100, 67, 34);
* a speed bonus of up to :data:`SPEED_POINTS` (50), falling linearly from the moment the question was
  posted to the end of the round, measured by when Discord created the interaction (its snowflake);
* a streak bonus of :data:`STREAK_POINTS` (10) per right answer in a row before this one, at most
  :data:`STREAK_CAP` (50);
* one scored answer per player per question: the first button pick locks; typed answers get up to
  :data:`TYPED_TRIES` tries, the right one scores.

A game with fewer players than the server's minimum (default 2) is practice: shown, not counted.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Mapping, Sequence

from bot.trivia.questions import TriviaQuestion

MODES = ("buttons", "typed", "truefalse", "mixed")
ROUND_MODES = ("buttons", "typed", "truefalse")
BASE_POINTS = 100
SPEED_POINTS = 50
STREAK_POINTS = 10
STREAK_CAP = 50
TYPED_TRIES = 3
MAX_HINTS = 2
DEFAULT_ROUNDS = 5
DEFAULT_SECONDS = 20
DEFAULT_MIN_PLAYERS = 2
DISCORD_EPOCH_MS = 1420070400000


def snowflake_ms(snowflake: int) -> int:
    """When Discord created a snowflake, in Unix milliseconds (Discord's documented layout)."""
    return (snowflake >> 22) + DISCORD_EPOCH_MS


@dataclasses.dataclass(frozen=True)
class Points:
    base: int
    speed: int
    streak: int

    @property
    def total(self) -> int:
        return self.base + self.speed + self.streak


def score(right: bool, elapsed_ms: int, seconds: int, streak_before: int, hints: int) -> Points:
    """Points for one answer. ``elapsed_ms``: from the question's post to the answer's interaction
    (clamped to the round); ``streak_before``: right answers in a row in earlier rounds of the game."""
    if not right:
        return Points(0, 0, 0)
    base = BASE_POINTS - (BASE_POINTS * min(hints, MAX_HINTS)) // 3
    left = 1.0 - min(max(elapsed_ms, 0), seconds * 1000) / (seconds * 1000)
    speed = round(SPEED_POINTS * left)
    return Points(base, speed, min(STREAK_CAP, STREAK_POINTS * streak_before))


def is_practice(players: int, min_players: int) -> bool:
    """A game with fewer players than the server's minimum does not count toward the season."""
    return players < min_players


def round_modes(mode: str, rounds: int, rng: random.Random) -> list[str]:
    """The mode of each round: the game's own, or for ``mixed`` every mode in turn, shuffled."""
    if mode != "mixed":
        return [mode] * rounds
    modes = [ROUND_MODES[i % len(ROUND_MODES)] for i in range(rounds)]
    rng.shuffle(modes)
    return modes


def fits(question: TriviaQuestion, mode: str) -> bool:
    if mode == "truefalse":
        return question.truth is not None
    if mode == "typed":
        return question.typable
    return question.choosable


def pick_question(
    pool: Sequence[TriviaQuestion],
    mode: str,
    about: str | None,
    seen: Mapping[str, bool],
    used: Iterable[str],
    rng: random.Random,
) -> TriviaQuestion | None:
    """The next question: one the server has not seen, else (the pool used up) one nobody got right,
    else any; never one already asked in this game. ``seen`` maps question id -> anyone got it right.
    Returns None when the pool has nothing for this mode and subject."""
    taken = set(used)
    fitting = [q for q in pool if fits(q, mode) and q.id not in taken and (about is None or about in q.about)]
    if not fitting:
        return None
    for tier in ([q for q in fitting if q.id not in seen], [q for q in fitting if not seen.get(q.id, True)]):
        if tier:
            return rng.choice(tier)
    return rng.choice(fitting)


def options(question: TriviaQuestion, mode: str, rng: random.Random) -> tuple[list[int], int]:
    """The options in display order as indexes into ``[answer, *wrong]`` (true/false: [0, 1] meaning
    True, False), and the display index of the right one."""
    if mode == "truefalse":
        return [0, 1], 0 if question.truth else 1
    if mode == "typed":
        return [], -1
    order = [0, 1, 2, 3]
    rng.shuffle(order)
    return order, order.index(0)


def option_text(question: TriviaQuestion, index: int, lang: str) -> str:
    """The text of option ``index`` of ``[answer, *wrong]``, all four in one language: when a wrong
    option has no text in ``lang`` (a curated question's wrong options are English only), every option
    is shown in English, so the right one never stands out as the only one translated."""
    texts = (question.answer, *question.wrong)
    if lang != "en" and not all(getattr(text, lang, None) for text in texts):
        lang = "en"
    return texts[index].get(lang)


@dataclasses.dataclass(frozen=True)
class Scored:
    user_id: int
    right: bool
    points: Points
    streak: int  # right answers in a row, this one included
    interaction_id: int


def score_round(
    answers: Sequence[tuple[int, bool, int, int, int]], seconds: int, streaks: Mapping[int, int]
) -> list[Scored]:
    """Score a round's answers, earliest first by interaction snowflake (when Discord created them, not
    when the bot processed them). ``answers``: (user_id, right, elapsed_ms, hints, interaction_id);
    ``streaks``: each player's right answers in a row before this round."""
    out = []
    for user_id, right, elapsed_ms, hints, interaction_id in sorted(answers, key=lambda a: a[4]):
        before = streaks.get(user_id, 0)
        out.append(
            Scored(
                user_id,
                right,
                score(right, elapsed_ms, seconds, before, hints),
                before + 1 if right else 0,
                interaction_id,
            )
        )
    return out
