"""Trivia embeds: the question, its reveal, the end of a game, leaderboard pages, stats and seasons.

Members are shown as mentions (``<@id>``); every message goes out with mentions disabled, so they never
ping. Times use Discord's ``<t:UNIX:R>`` markup so each reader sees their own time. Everything is clipped
to Discord's limits by :func:`bot.render.limits.fit_embed`.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.i18n import t
from bot.render.common import md
from bot.render.limits import FIELD_VALUE, clip, fit_embed
from bot.trivia.game import option_text
from bot.trivia.questions import TriviaQuestion

COLOUR = discord.Colour(0xF5C542)
REVEALED = discord.Colour(0x4CAF50)
LETTERS = "ABCD"


def option_label(question: TriviaQuestion, mode: str, options: Sequence[int], display: int, lang: str) -> str:
    """What option ``display`` (0-based, display order) reads as: "B · Seoul", or True/False."""
    if mode == "truefalse":
        return t(lang, "trivia.true" if display == 0 else "trivia.false")
    return f"{LETTERS[display]} · {option_text(question, options[display], lang)}"


def start_embed(starter: str, rounds: int, mode: str, seconds: int, min_players: int, lang: str) -> discord.Embed:
    """The reply to /trivia start: who started, how many rounds, the mode and the round length."""
    embed = discord.Embed(
        title=t(lang, "trivia.start.title"),
        colour=COLOUR,
        description=t(
            lang,
            "trivia.start.body",
            starter=starter,
            count=rounds,
            mode=t(lang, f"trivia.mode.{mode}"),
            seconds=seconds,
        ),
    )
    if min_players > 1:  # with a minimum of one, every game with a player counts: no practice to warn of
        embed.set_footer(text=t(lang, "trivia.start.practice", count=min_players))
    return fit_embed(embed)


def notice_embed(text: str) -> discord.Embed:
    """A one-line notice in trivia's colour (e.g. /trivia stop after the game already ended)."""
    return fit_embed(discord.Embed(description=text, colour=COLOUR))


def question_embed(
    question: TriviaQuestion, mode: str, options: Sequence[int], number: int, rounds: int, ends_at: int, lang: str
) -> discord.Embed:
    """The round's one channel message while it is open. ``ends_at``: UTC unix seconds."""
    lines = [f"**{md(question.prompt.get(lang))}**", ""]
    if mode == "buttons":
        lines += [md(option_label(question, mode, options, i, lang)) for i in range(len(options))] + [""]
    elif mode == "typed":
        lines += [t(lang, "trivia.question.typed"), ""]
    else:
        lines += [t(lang, "trivia.question.truefalse"), ""]
    lines.append(t(lang, "trivia.question.ends", ends=ends_at))
    embed = discord.Embed(
        title=t(lang, "trivia.question.title", number=number, rounds=rounds),
        description="\n".join(lines),
        colour=COLOUR,
    )
    return fit_embed(embed)


def answer_text(question: TriviaQuestion, mode: str, right_index: int, lang: str) -> str:
    if mode == "truefalse":
        return t(lang, "trivia.true" if question.truth else "trivia.false")
    return question.answer.get(lang)


def reveal_embed(
    question: TriviaQuestion,
    mode: str,
    options: Sequence[int],
    right_index: int,
    number: int,
    rounds: int,
    counts: Sequence[int],
    right: Sequence[tuple[int, int]],
    answered: int,
    citation: str,
    lang: str,
) -> discord.Embed:
    """The round's message after the reveal. ``counts``: picks per display option; ``right``:
    (user_id, points) in interaction order; ``answered``: how many players answered at all."""
    description = f"{md(question.prompt.get(lang))}\n\n" + t(
        lang, "trivia.reveal.answer", answer=md(answer_text(question, mode, right_index, lang))
    )
    embed = discord.Embed(
        title=t(lang, "trivia.reveal.title", number=number, rounds=rounds), description=description, colour=REVEALED
    )
    if counts:
        picks = [
            f"{md(option_label(question, mode, options, i, lang))} — {count}{' ✅' if i == right_index else ''}"
            for i, count in enumerate(counts)
        ]
        embed.add_field(name=t(lang, "trivia.reveal.picks"), value="\n".join(picks), inline=False)
    if right:
        lines = [f"{'⚡ ' if i == 0 else ''}<@{user}> +{points}" for i, (user, points) in enumerate(right)]
        value = clip("\n".join(lines), FIELD_VALUE)
    else:
        value = t(lang, "trivia.reveal.nobody" if answered else "trivia.reveal.no_answers")
    embed.add_field(
        name=f"{t(lang, 'trivia.reveal.right')} · {t(lang, 'trivia.reveal.tries', count=answered)}",
        value=value,
        inline=False,
    )
    embed.add_field(name=t(lang, "trivia.reveal.fact"), value=md(question.fact.get(lang)), inline=False)
    embed.set_footer(text=t(lang, "trivia.reveal.source", source=citation))  # a footer is not markdown
    return fit_embed(embed)


def end_embed(
    standings: Sequence[tuple[int, int, int]],
    practice: bool,
    min_players: int,
    season: int,
    stopped_by: int | None,
    lang: str,
) -> discord.Embed:
    """The game's last message: (user_id, points, right answers) best first."""
    title = t(lang, "trivia.end.stopped", member=f"<@{stopped_by}>") if stopped_by else t(lang, "trivia.end.title")
    lines = [
        t(lang, "trivia.end.line", rank=rank, member=f"<@{user}>", points=points, count=right)
        for rank, (user, points, right) in enumerate(standings[:20], start=1)
    ]
    embed = discord.Embed(title=title, description="\n".join(lines) or t(lang, "trivia.end.nobody"), colour=COLOUR)
    if practice:
        embed.set_footer(text=t(lang, "trivia.end.practice", count=min_players, season=season))
    else:
        embed.set_footer(text=t(lang, "trivia.end.counted", season=season))
    return fit_embed(embed)


def board_embed(
    rows: Sequence[tuple[int, int]], offset: int, page: int, pages: int, period: str, resets: str, lang: str
) -> discord.Embed:
    """One leaderboard page; ``rows`` (user_id, points) starting at rank ``offset + 1``."""
    lines = [
        t(lang, "trivia.board.line", rank=offset + i, member=f"<@{user}>", points=points)
        for i, (user, points) in enumerate(rows, start=1)
    ]
    body = "\n".join(lines) or t(lang, "trivia.board.empty")
    embed = discord.Embed(
        title=t(lang, "trivia.board.title", period=t(lang, f"trivia.period.{period}")),
        description=f"{body}\n\n{resets}",
        colour=COLOUR,
    )
    embed.set_footer(text=t(lang, "trivia.board.page", page=page, pages=pages))
    return fit_embed(embed)


def stats_embed(
    name: str, games: int, answers: int, right: int, best_streak: int, points: int, rank: int | None, lang: str
) -> discord.Embed:
    embed = discord.Embed(title=t(lang, "trivia.stats.title", name=name), colour=COLOUR)
    if not answers:
        embed.description = t(lang, "trivia.stats.none", name=name)
        return fit_embed(embed)
    for key, value in (
        ("games", str(games)),
        ("answers", str(answers)),
        ("accuracy", f"{round(100 * right / answers)}% ({right}/{answers})"),
        ("streak", str(best_streak)),
        ("points", str(points)),
        ("rank", f"#{rank}" if rank else t(lang, "trivia.stats.unranked")),
    ):
        embed.add_field(name=t(lang, f"trivia.stats.{key}"), value=value, inline=True)
    return fit_embed(embed)


def season_embed(number: int, top: Sequence[tuple[int, int]], next_number: int, lang: str) -> discord.Embed:
    medals = ("🥇", "🥈", "🥉")
    lines = [f"{medals[i]} <@{user}> · {points}" for i, (user, points) in enumerate(top)]
    embed = discord.Embed(
        title=t(lang, "trivia.season.title", season=number),
        description=t(lang, "trivia.season.next", season=next_number),
        colour=COLOUR,
    )
    embed.add_field(
        name=t(lang, "trivia.season.top"), value="\n".join(lines) or t(lang, "trivia.board.empty"), inline=False
    )
    return fit_embed(embed)


def source_embed(question: TriviaQuestion, citation: str, lang: str) -> discord.Embed:
    """Where a question's answer comes from: the fact, the verbatim quote and the article (as /fact's Source)."""
    embed = discord.Embed(title=t(lang, "source.title"), description=md(question.fact.get(lang)), colour=COLOUR)
    embed.add_field(
        name=t(lang, "source.quote"), value=f"> {clip(md(question.quote or ''), FIELD_VALUE - 3)}", inline=False
    )
    embed.add_field(name=t(lang, "source.article"), value=f"{md(citation)}\n`seeds/{question.source}`", inline=False)
    return fit_embed(embed)
