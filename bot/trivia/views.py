"""Trivia's buttons and modal: DynamicItems whose custom ids carry the game, the round and the option, so
they keep working after a restart and cost no memory per message.

Custom ids (at most 100 characters, Discord's limit):

* ``ls:tv:<game>:<round>:<0-3>`` an option (true/false: 0 True, 1 False), ``...:a`` Answer (opens the
  modal), ``...:h`` Hint;
* ``ls:tvs:<game>:<round>`` the Source button under a reveal;
* ``ls:tvm:<game>:<round>`` the answer modal (the bot routes its submit to the cog: Lightstick.route_modal,
  so it is judged after a restart too);
* ``ls:tvlb:<period>:<page>:<lang>`` leaderboard pages (in the language the board was first shown in).

A forged or stale id (another game, a finished round, an option that does not exist) gets a private
"this round is over", never an error; a click after the reveal changes nothing (the database refuses it).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import lang_of, t
from bot.render import trivia as render
from bot.render.common import md
from bot.render.limits import echo
from bot.replies import GuardedButton, send_ephemeral
from bot.trivia import game as rules
from bot.trivia.hints import MAX_LEVEL, hint

if TYPE_CHECKING:
    from bot.db.trivia import Game, Round
    from bot.trivia.questions import TriviaQuestion
    from bot.trivia.runner import LiveRound, TriviaRunner

log = logging.getLogger(__name__)

MODAL_MAX = 100  # characters a typed answer may have (the modal's max_length)


def runner_of(interaction: discord.Interaction[Any]) -> TriviaRunner:
    cog: Any = interaction.client.get_cog("Trivia")
    if cog is None:
        raise RuntimeError("the trivia cog is not loaded")
    runner: TriviaRunner = cog.runner
    return runner


def _button(
    custom_id: str,
    label: str,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    disabled: bool = False,
    emoji: str | None = None,
) -> discord.ui.Button[Any]:
    return discord.ui.Button(custom_id=custom_id[:100], label=label[:80], style=style, disabled=disabled, emoji=emoji)


def round_view(game: Game, rnd: Round, question: TriviaQuestion, lang: str) -> discord.ui.View:
    """The open round's buttons: options, or Answer and Hint."""
    view = discord.ui.View(timeout=None)
    base = f"ls:tv:{game.id}:{rnd.number}"
    if rnd.mode == "typed":
        view.add_item(
            TriviaButton(_button(f"{base}:a", t(lang, "trivia.button.answer"), discord.ButtonStyle.primary, emoji="✍️"))
        )
        view.add_item(TriviaButton(_button(f"{base}:h", t(lang, "trivia.button.hint"), emoji="💡")))
        return view
    for i in range(len(rnd.options)):
        label = render.option_label(question, rnd.mode, rnd.options, i, lang)
        view.add_item(TriviaButton(_button(f"{base}:{i}", label, discord.ButtonStyle.primary)))
    return view


def revealed_view(game: Game, rnd: Round, question: TriviaQuestion, lang: str) -> discord.ui.View:
    """After the reveal: the options greyed out (the right one green) and the Source button."""
    view = discord.ui.View(timeout=None)
    base = f"ls:tv:{game.id}:{rnd.number}"
    for i in range(len(rnd.options)):
        style = discord.ButtonStyle.success if i == rnd.right_index else discord.ButtonStyle.secondary
        label = render.option_label(question, rnd.mode, rnd.options, i, lang)
        view.add_item(TriviaButton(_button(f"{base}:{i}", label, style, disabled=True)))
    view.add_item(TriviaSource(_button(f"ls:tvs:{game.id}:{rnd.number}", t(lang, "button.source"), emoji="📚")))
    return view


class TriviaButton(GuardedButton, template=r"ls:tv:(?P<game>\d{1,19}):(?P<round>\d{1,2}):(?P<what>\d|a|h)"):
    """An option, Answer or Hint on a round's message."""

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        found = self.fields()
        game_id, number, what = int(found["game"]), int(found["round"]), found["what"]
        if what == "a":
            await open_answer(interaction, game_id, number)
        elif what == "h":
            await give_hint(interaction, game_id, number)
        else:
            await pick(interaction, game_id, number, int(what))


class TriviaSource(GuardedButton, template=r"ls:tvs:(?P<game>\d{1,19}):(?P<round>\d{1,2})"):
    """Under a reveal: the question's source, quote and article, privately."""

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        found = self.fields()
        await show_source(interaction, int(found["game"]), int(found["round"]))


async def show_source(interaction: discord.Interaction[Any], game_id: int, number: int) -> None:
    runner = runner_of(interaction)
    lang = lang_of(interaction)
    rnd = await runner.repo.round(game_id, number)
    question = (await runner.pool()).get(rnd.question_id) if rnd and rnd.revealed_at else None
    if question is None:
        await send_ephemeral(interaction, t(lang, "trivia.over"))
        return
    embed = render.source_embed(question, runner.bot.catalog.cite(question.source, lang), lang)
    await interaction.response.send_message(embed=embed, ephemeral=True)


def _elapsed(interaction: discord.Interaction[Any], live: LiveRound) -> int:
    """Milliseconds from the round's message to this interaction, both as Discord created them. A click can
    arrive before the bot has read Discord's reply to its own post (the id is then not yet in the round): the
    message the click came from is that post, so its id is used instead of the round's start on the bot's
    clock."""
    opened = live.opened_ms
    if live.round.message_id is None and interaction.message is not None:
        opened = rules.snowflake_ms(interaction.message.id)
    return max(0, rules.snowflake_ms(interaction.id) - opened)


async def pick(interaction: discord.Interaction[Any], game_id: int, number: int, display: int) -> None:
    """A button pick: the first one locks.

    The open round's picks are kept in memory (loaded from the database after a restart), so the answer
    is known at once; the row is queued for the group commit before the reply goes out, and the reveal
    waits for every queued row, so an acknowledged pick is always counted. The database still keeps one
    answer per player and round, and refuses a pick after the reveal."""
    runner = runner_of(interaction)
    lang = lang_of(interaction)
    live = await runner.live(game_id, number)
    if live is None or live.round.mode == "typed" or display >= len(live.round.options):
        await send_ephemeral(interaction, t(lang, "trivia.over"))
        return
    rnd = live.round
    earlier = live.picks.get(interaction.user.id)
    if earlier is not None:
        first = md(render.option_label(live.question, rnd.mode, rnd.options, earlier, lang))
        await send_ephemeral(interaction, t(lang, "trivia.pick.already", option=first))
        return
    live.picks[interaction.user.id] = display
    written = runner.repo.queue_pick(
        rnd.id,
        interaction.user.id,
        display,
        display == rnd.right_index,
        interaction.id,
        _elapsed(interaction, live),
    )
    label = md(render.option_label(live.question, rnd.mode, rnd.options, display, lang))
    await send_ephemeral(interaction, t(lang, "trivia.pick.locked", option=label))
    if not await written:
        log.warning("pick of %s in game %s round %s was refused by the database", interaction.user.id, game_id, number)


class AnswerModal(discord.ui.Modal):
    """The typed answer. Submits are routed by the bot to the cog's judge (Lightstick.route_modal, so a modal
    opened before a restart is still judged after it); this object only describes the form."""

    def __init__(self, game_id: int, number: int, lang: str, seconds: float) -> None:
        super().__init__(
            title=t(lang, "trivia.modal.title"), custom_id=f"ls:tvm:{game_id}:{number}", timeout=max(1.0, seconds)
        )
        self.add_item(
            discord.ui.TextInput(
                label=t(lang, "trivia.modal.label", number=number)[:45],
                custom_id="answer",
                placeholder=t(lang, "trivia.modal.placeholder"),
                max_length=MODAL_MAX,
                min_length=1,
                required=True,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        return None  # judged by bot.cogs.trivia, to which the bot routes every submit with this id


MODAL_ID = re.compile(r"ls:tvm:(?P<game>\d{1,19}):(?P<round>\d{1,2})")


async def open_answer(interaction: discord.Interaction[Any], game_id: int, number: int) -> None:
    runner = runner_of(interaction)
    lang = lang_of(interaction)
    live = await runner.live(game_id, number)
    if live is None or live.round.mode != "typed":
        await send_ephemeral(interaction, t(lang, "trivia.over"))
        return
    earlier = await runner.repo.answer(live.round.id, interaction.user.id)
    if earlier is not None and earlier.right:
        await send_ephemeral(interaction, t(lang, "trivia.typed.done"))
    elif earlier is not None and earlier.tries >= rules.TYPED_TRIES:
        await send_ephemeral(interaction, t(lang, "trivia.typed.out"))
    else:
        left = (live.round.ends_at - runner.now_ms()) / 1000
        await interaction.response.send_modal(AnswerModal(game_id, number, lang, left + 30))


def typed_value(interaction: discord.Interaction[Any]) -> str:
    """The text typed into the modal's answer input (Discord sends it under ``components``)."""
    data: Any = interaction.data or {}
    for row in data.get("components") or []:
        for component in row.get("components") or ([row["component"]] if row.get("component") else []):
            if component.get("custom_id") == "answer":
                return str(component.get("value") or "")[:MODAL_MAX]
    return ""


async def judge_typed(interaction: discord.Interaction[Any], game_id: int, number: int) -> None:
    """A typed try: right, close or wrong, answered privately; three tries per player and question."""
    runner = runner_of(interaction)
    lang = lang_of(interaction)
    live = await runner.live(game_id, number)
    if live is None or live.key is None:
        await send_ephemeral(interaction, t(lang, "trivia.over"))
        return
    typed = typed_value(interaction)
    verdict = live.key.check(typed)
    shown = echo(typed, 80)
    rnd = live.round
    if not await runner.repo.add_try(
        rnd.id,
        interaction.user.id,
        typed,
        verdict.right,
        interaction.id,
        _elapsed(interaction, live),
        rules.TYPED_TRIES,
    ):
        earlier = await runner.repo.answer(rnd.id, interaction.user.id)
        key = "trivia.over" if earlier is None else "trivia.typed.done" if earlier.right else "trivia.typed.out"
        await send_ephemeral(interaction, t(lang, key))
        return
    if verdict.right:
        await send_ephemeral(interaction, t(lang, "trivia.typed.right", answer=md(live.question.answer.get(lang))))
        return
    row = await runner.repo.answer(rnd.id, interaction.user.id)
    left = rules.TYPED_TRIES - (row.tries if row else rules.TYPED_TRIES)
    kind = "close" if verdict.close else "wrong"
    if left <= 0:
        await send_ephemeral(interaction, t(lang, f"trivia.typed.{kind}_last", typed=shown))
    else:
        await send_ephemeral(interaction, t(lang, f"trivia.typed.{kind}", typed=shown, count=left))


async def give_hint(interaction: discord.Interaction[Any], game_id: int, number: int) -> None:
    """Part of the answer, privately, for fewer points (never a short answer whole)."""
    runner = runner_of(interaction)
    lang = lang_of(interaction)
    live = await runner.live(game_id, number)
    if live is None or live.round.mode != "typed":
        await send_ephemeral(interaction, t(lang, "trivia.over"))
        return
    rnd = live.round
    if not await runner.repo.add_hint(rnd.id, interaction.user.id, rules.MAX_HINTS):
        earlier = await runner.repo.answer(rnd.id, interaction.user.id)
        await send_ephemeral(
            interaction, t(lang, "trivia.typed.done" if earlier and earlier.right else "trivia.hint.none")
        )
        return
    row = await runner.repo.answer(rnd.id, interaction.user.id)
    level = row.hints if row else 1
    best = rules.score(True, _elapsed(interaction, live), live.game.seconds, 0, level)
    text = hint(live.question.answer.get(lang), min(level, MAX_LEVEL))
    await send_ephemeral(interaction, t(lang, "trivia.hint.text", hint=text, points=best.base + best.speed))


class BoardPage(GuardedButton, template=r"ls:tvlb:(?P<period>week|month|season|all):(?P<page>\d{1,5}):(?P<lang>en|ko)"):
    """Leaderboard paging; the cog renders the page, in the language the message was first shown in."""

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        found = self.fields()
        cog: Any = interaction.client.get_cog("Trivia")
        await cog.show_board(interaction, found["period"], int(found["page"]), edit=True, lang=found["lang"])


def board_view(period: str, page: int, pages: int, lang: str) -> discord.ui.View | None:
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    # one custom id per page, so the Previous and Next of one message never share an id
    view.add_item(
        BoardPage(_button(f"ls:tvlb:{period}:{max(1, page - 1)}:{lang}", t(lang, "button.prev"), disabled=page <= 1))
    )
    view.add_item(
        BoardPage(
            _button(
                f"ls:tvlb:{period}:{min(pages, page + 1) if page < pages else pages + 1}:{lang}",
                t(lang, "button.next"),
                disabled=page >= pages,
            )
        )
    )
    return view
