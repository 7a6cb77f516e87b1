"""The terminal as a fan, a moderator and a feature author use it: Discord's markdown, panels, typed option
values, live suggestions, other members, time travel that wakes sleepers, and what the bot posts or edits on
its own."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import AsyncIterator

import discord
import pytest_asyncio
from discord import app_commands
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.clock import FrozenClock
from bot.playground.emulator import Emulator, run_client
from bot.playground.terminal.markdown import BOLD, SPOILER, STRIKE, MarkdownContext, markdown_text
from bot.playground.terminal.parsing import PlaygroundError
from bot.playground.terminal.render import RenderContext, render, render_rich
from bot.playground.terminal.screen import Screen
from bot.playground.terminal.session import Session

UTC = dt.timezone.utc
START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SUGGESTIONS = ["Love Wins All", "Love Poem", "Lovesick"]


def make_client(clock: FrozenClock, received: list[str]) -> discord.Client:
    """A bot with what a feature author needs to see in the terminal: escaped markdown, an autocompleted
    option, a coloured embed, a post made later on a timer and a message edited later (a trivia reveal)."""
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]

    @tree.command(description="Echo escaped markdown")
    async def echo(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(discord.utils.escape_markdown("**bold** and ~~strike~~"))

    @tree.command(description="Pick a song")
    async def pick(interaction: discord.Interaction, title: str) -> None:
        received.append(title)
        await interaction.response.send_message(f"got {title!r}")

    @pick.autocomplete("title")
    async def pick_complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in SUGGESTIONS if s.lower().startswith(current.lower())]

    @tree.command(description="A coloured card")
    async def card(interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="Card", description="||spoiler|| text", colour=0xFF5500)
        await interaction.response.send_message(embed=embed)

    @tree.command(description="Ask a question, reveal the answer in an hour")
    async def quiz(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Question: who sings Love Wins All?")
        question = await interaction.original_response()

        async def reveal() -> None:
            await clock.sleep_until(clock.now() + dt.timedelta(hours=1))
            await question.edit(content="Question: who sings Love Wins All? Answer: IU and V")
            await interaction.channel.send("Next round starts soon")  # type: ignore[union-attr]

        client.loop.create_task(reveal())

    return client


@pytest_asyncio.fixture
async def world() -> AsyncIterator[tuple[Session, io.StringIO, list[str]]]:
    emu = Emulator()
    await emu.start()
    out = io.StringIO()
    clock = FrozenClock(START)
    received: list[str] = []
    client = make_client(clock, received)
    session = Session(emu, client, clock, Screen(out), interactive=False)
    session.build_world()
    try:
        async with run_client(emu, client):
            await client.tree.sync()  # type: ignore[attr-defined]
            yield session, out, received
    finally:
        await emu.stop()


async def say(session: Session, out: io.StringIO, line: str) -> str:
    out.seek(0)
    out.truncate()
    await session.handle_reporting(line)
    return out.getvalue()


# ============================================================================ markdown as Discord draws it
def md(source: str, plain: bool = True) -> Text:
    return markdown_text(source, MarkdownContext(now=START, tz=UTC, plain=plain))


def styles_of(text: Text, word: str) -> list[object]:
    start = text.plain.index(word)
    return [span.style for span in text.spans if span.start <= start < span.end]


def test_backslash_escapes_come_before_emphasis() -> None:
    escaped = md(r"\*\*bold\*\* \_x\_ \~\~no\~\~ \|\|open\|\|")
    assert escaped.plain == "**bold** _x_ ~~no~~ ||open||"
    assert escaped.spans == []
    assert md(r"\\*italic*").plain == "\\italic"


def test_emphasis_strikes_spoilers_and_code() -> None:
    text = md("**bold** ~~gone~~ ||secret|| `**raw**` snake_case_name", plain=False)
    assert text.plain == "bold gone secret **raw** snake_case_name"
    assert BOLD in styles_of(text, "bold")
    assert STRIKE in styles_of(text, "gone")
    assert SPOILER in styles_of(text, "secret")
    assert styles_of(text, "snake_case_name") == []
    assert md("||secret|| and ***both***").plain == "[spoiler: secret] and both"


def test_headings_subtext_quotes_and_links() -> None:
    assert md("# Title\n-# small\n> quoted\n[IU](https://example.com/iu)").plain == (
        "Title\nsmall\n» quoted\nIU <https://example.com/iu>"
    )


async def test_terminal_shows_escaped_markdown_as_discord_does(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, _ = world
    assert await say(session, out, "/echo") == "**bold** and ~~strike~~\n"
    session.screen = Screen(out, color=True)
    shown = await say(session, out, "/echo")
    assert "**bold** and ~~strike~~" in shown
    assert "\x1b[1m" not in shown, "escaped asterisks are not bold"


def test_embed_author_and_footer_are_shown_as_written_not_as_markdown() -> None:
    """Discord draws no markdown in an embed's author name or footer (the bot sends pack text there unescaped,
    issue 9 item 3), so the terminal shows them character for character, as a fan sees them."""
    raw = "*Star* ~ _Light_ **x** ||s|| `c` <t:0:R>"
    message = {"embeds": [{"author": {"name": raw}, "title": "Card", "footer": {"text": raw}}]}
    assert render(message, RenderContext(now=START, tz=UTC)).splitlines() == [f"| {raw}", "| Card", f"| -- {raw}"]
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(render_rich(message, RenderContext(now=START, tz=UTC, plain=False)))
    assert console.file.getvalue().count(raw) == 2  # type: ignore[attr-defined]


def test_embeds_are_panels_in_their_colour() -> None:
    message = {"embeds": [{"title": "Card", "description": "hello", "color": 0xFF5500}]}
    drawn = render_rich(message, RenderContext(now=START, tz=UTC, plain=False))
    panels = [r for r in drawn.renderables if isinstance(r, Panel)]  # type: ignore[attr-defined]
    assert len(panels) == 1
    assert panels[0].border_style.color.triplet == (255, 85, 0)  # type: ignore[union-attr]
    out = io.StringIO()
    Screen(out, color=True).message(message, RenderContext(now=START, tz=UTC, plain=False))
    first = out.getvalue().splitlines()[0]
    assert first.startswith("\x1b[") and "╭" in first, "a coloured box (in the terminal's nearest colour)"


def test_a_sentence_as_a_field_name_stands_on_its_own_line() -> None:
    message = {"embeds": [{"fields": [{"name": "아이유의 협업곡입니다.", "value": "» 인용"}]}]}
    assert render(message, RenderContext(now=START, tz=UTC)).splitlines() == ["| 아이유의 협업곡입니다.", "|   » 인용"]


# ============================================================================ options as typed, suggestions live
async def test_typed_option_values_are_sent_as_typed(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, received = world
    assert "got 'love wins al'" in await say(session, out, "/pick love wins al")
    assert received == ["love wins al"], "not replaced by the first suggestion"


async def test_live_suggestions_come_from_the_bots_autocomplete(
    world: tuple[Session, io.StringIO, list[str]],
) -> None:
    session, _out, _ = world
    assert [s[1] for s in await session.suggestions("/pi")] == ["/pick"]
    assert [s[:2] for s in await session.suggestions("/pick title:lov")] == [
        ("Love Wins All", "Love Wins All"),
        ("Love Poem", "Love Poem"),
        ("Lovesick", "Lovesick"),
    ]
    assert all(s[3] == len("lov") for s in await session.suggestions("/pick title:lov"))
    assert [s[1] for s in await session.suggestions(":adv")] == [":advance"]


# ============================================================================ playground commands
async def test_help_lists_only_synced_commands(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, _ = world
    shown = await say(session, out, ":help")
    listed = [line.split()[0] for line in shown.split("Buttons, menus")[0].splitlines()[1:]]
    assert listed == ["/card", "/echo", "/pick", "/quiz", "/COMMAND"]
    assert "/song" not in shown and "/trivia" not in shown


async def test_locale_confirms_in_one_form(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, _ = world
    assert await say(session, out, ":locale ko") == "Uaena's Discord language is now Korean (ko).\n"
    assert await say(session, out, ":locale en") == "Uaena's Discord language is now English (en-US).\n"


async def test_as_creates_members_on_demand(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, _ = world
    shown = await say(session, out, ":as fan1")
    assert shown == "fan1 joined IU Fan Club and Second Server.\nYou are now fan1, a fan, locale en-US.\n"
    fan = session.member
    assert await say(session, out, ":as mod2") == (
        "mod2 joined IU Fan Club and Second Server.\nYou are now mod2, a moderator (Moderators role), locale en-US.\n"
    )
    manage_guild = discord.Permissions(manage_guild=True).value
    assert session.emu.base_permissions(session.guild, session.member) & manage_guild
    assert not session.emu.base_permissions(session.guild, fan) & manage_guild
    assert await say(session, out, ":as fan1") == "You are now fan1, a fan, locale en-US.\n"
    assert session.member is fan
    assert "a name is 2 to 32" in await say(session, out, ":as a b!")


async def test_advance_wakes_a_sleeper_and_shows_what_it_posted(
    world: tuple[Session, io.StringIO, list[str]],
) -> None:
    session, out, _ = world
    woke: list[dt.datetime] = []
    announcements = session.channel_named(session.guild, "announcements")

    async def sleeper() -> None:
        await session.clock.sleep_until(START + dt.timedelta(days=1))
        woke.append(session.clock.now())
        await session.bot.get_channel(announcements.id).send("Happy anniversary!")

    task = asyncio.create_task(sleeper())
    await say(session, out, ":advance 2h")
    assert woke == []
    shown = await say(session, out, ":advance 1d")
    assert woke == [START + dt.timedelta(days=1, hours=2)]
    assert shown.splitlines()[1:] == ["-- new message in #announcements --", "Happy anniversary!"]
    await task


async def test_edits_and_unprompted_posts_show_before_the_next_prompt(
    world: tuple[Session, io.StringIO, list[str]],
) -> None:
    session, out, _ = world
    assert await say(session, out, "/quiz") == "Question: who sings Love Wins All?\n"
    shown = await say(session, out, ":advance 2h")
    assert shown.splitlines()[1:] == [
        "-- edited in #general --",
        "Question: who sings Love Wins All? Answer: IU and V",
        "-- new message in #general --",
        "Next round starts soon",
    ]
    assert await say(session, out, ":time") != ""
    assert "-- edited" not in await say(session, out, ":time"), "an edit is shown once"


async def test_say_posts_a_chat_message(world: tuple[Session, io.StringIO, list[str]]) -> None:
    session, out, _ = world
    assert await say(session, out, ":say IU!") == "IU!\n"
    assert [m["content"] for m in session.emu.messages_in(session.channel)] == ["IU!"]
    try:
        await session.handle(":say ")
    except PlaygroundError as error:
        assert str(error) == "say what? :say hello"
