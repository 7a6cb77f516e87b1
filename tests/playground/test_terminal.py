"""The terminal playground: scripted runs of ``python -m bot playground`` and its pure parts."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import discord
import pytest
import pytest_asyncio
from discord import app_commands

from bot.clock import FrozenClock
from bot.playground.emulator import Emulator, run_client
from bot.playground.terminal.app import WORLD_SEED
from bot.playground.terminal.parsing import PlaygroundError, clean_line, parse_command, split_options
from bot.playground.terminal.render import RenderContext, render
from bot.playground.terminal.screen import Screen
from bot.playground.terminal.session import Session
from bot.playground.terminal.timefmt import format_stamp, local_zone, parse_duration, relative, render_timestamps

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
SETTINGS_VARS = ("DISCORD_TOKEN", "DATABASE_PATH", "LOG_LEVEL", "DEV_GUILD_ID", "LIGHTSTICK_PACKS", "LIGHTSTICK_SEEDS")


# ============================================================================ the playground as a user runs it
@pytest.fixture(scope="module")
def database_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("playground")


@pytest.fixture(scope="module")
def playground(database_dir: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``playground("/song love wins all", "2")`` pipes those lines into ``python -m bot playground``."""

    def run(*lines: str, args: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
        env.update(
            {
                "DISCORD_TOKEN": "",
                "DATABASE_PATH": str(database_dir / "lightstick.sqlite3"),
                "PYTHONPATH": str(ROOT),
                "PYTHONIOENCODING": "utf-8",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        return subprocess.run(
            [sys.executable, "-m", "bot", "playground", *args],
            cwd=ROOT,
            env=env,
            text=True,
            encoding="utf-8",
            input="".join(line + "\n" for line in lines),
            capture_output=True,
            timeout=timeout,
        )

    return run


def answer_to(output: str, command: str) -> str:
    """The block the playground printed after echoing ``> command``."""
    marker = f"> {command}\n"
    assert marker in output, output
    return output.split(marker, 1)[1].split("\n> ", 1)[0]


def test_song_card_buttons_and_korean(
    playground: Callable[..., subprocess.CompletedProcess[str]], database_dir: Path
) -> None:
    run = playground("/song love wins all", "2", ":locale ko", "/song lwa", "/sogn", args=("--fresh",))
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert not out.startswith("Lightstick playground"), "script mode prints no banner"
    song = answer_to(out, "/song love wins all")
    assert "Love Wins All" in song
    assert "[1] Behind the scenes  [2] Another fact  [3] Sources" in song
    assert "<t:" not in song and "Released:" in song  # timestamps drawn as dates
    another = answer_to(out, "2")
    assert "Did you know" in another or "💡" in another
    korean = answer_to(out, "/song lwa")
    assert "아티스트" in korean and "[1] 비하인드" in korean
    assert "Did you mean /song?" in answer_to(out, "/sogn")
    assert (database_dir / "playground.sqlite3").exists()
    assert not (database_dir / "lightstick.sqlite3").exists(), "the production database is left alone"
    assert "Traceback" not in out + run.stderr


def test_time_travel_tour_and_onthisday(playground: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    run = playground(
        ":time",
        ":advance 3d",
        ":time",
        "/tour",
        "/onthisday date:01-24",
        "/tour name:her city:seoul",
        "/fact about:iu kind:behind-the-scenes",
        "/song lov?",
        ":quit",
        "/song never reached",
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    travelled = dt.datetime.now(UTC) + dt.timedelta(days=3)
    local = travelled.astimezone()  # the playground reads times in this computer's zone, like the test
    assert f"{local:%B} {local.day}, {local.year} at " in answer_to(out, ":advance 3d")
    assert "3 days ahead of real time" in out
    assert "Times read as Discord shows them to you: in your Discord language (en-US" in answer_to(out, ":time")
    tour = answer_to(out, "/tour")
    assert "H.E.R." in tour and "Seoul" in tour and "Los Angeles" in tour
    assert "Love Wins All" in answer_to(out, "/onthisday date:01-24")
    city = answer_to(out, "/tour name:her city:seoul")
    assert "Seoul" in city and "Los Angeles, United States" not in city.split("First show")[0]
    assert "Behind the scenes" in answer_to(out, "/fact about:iu kind:behind-the-scenes")
    assert "1. Love Wins All" in answer_to(out, "/song lov?")
    assert "never reached" not in out
    assert "Traceback" not in out + run.stderr


GARBAGE = [
    ":::",
    "/",
    "/song title:",
    "\x01\x02\x1b[A\x7f",
    "/tour nmae:x",
    "/fact kind:nope",
    "3",
    ":press 9",
    ":press",
    ":select",
    ":fill x=y",
    ":as nobody",
    ":locale xx",
    ":guild 7",
    ":channel nowhere",
    ":advance soon",
    ":advance",
    "/song title:x title:y",
    "/about extra words",
    "song love wins all",
    "/song " + "a" * 5000,
    "/onthisday date:" + "9" * 60,
    "/tour city:atlantis",
    "/fact about:",
    "/fact kind:",
    ":complete",
    ":complete /nothing",
    "/onthisday date:13-45",
    "?",
    "/?",
    ":cancel",
    "\u200b/song\u200b love",
    "/song '",
    "/tour name:\"her\" city:'seoul'",
    "/노래 love wins all",
]


def test_garbage_never_crashes(playground: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    run = playground(*GARBAGE, "/song love wins all")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Traceback" not in out + run.stderr
    assert "Did you mean name:?" in answer_to(out, "/tour nmae:x")
    assert "not one of the choices" in answer_to(out, "/fact kind:nope")
    assert "[1] Behind the scenes" in out.rsplit("> /song love wins all", 1)[1], "still answering at the end"


# ============================================================================ generic paths, in process
def make_client() -> discord.Client:
    """A small bot with what Lightstick doesn't have yet: subcommands, menus, forms, roles, channels."""
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]

    class Guess(discord.ui.Modal, title="Guess the song"):
        answer = discord.ui.TextInput(label="Your answer", custom_id="answer")
        note = discord.ui.TextInput(label="Note", custom_id="note", required=False)

        async def on_submit(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"you said {self.answer.value!r} ({self.note.value or '-'})")

    class Era(discord.ui.View):
        @discord.ui.select(
            custom_id="era",
            placeholder="Era",
            options=[
                discord.SelectOption(label="Debut", value="debut"),
                discord.SelectOption(label="Now", value="now"),
            ],
        )
        async def era(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
            await interaction.response.edit_message(content=f"era: {select.values[0]}", view=None)

        @discord.ui.button(label="Guess", custom_id="guess")
        async def guess(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            await interaction.response.send_modal(Guess())

    trivia = app_commands.Group(name="trivia", description="Trivia")

    @trivia.command(name="start", description="Start a round")
    async def start(
        interaction: discord.Interaction, rounds: app_commands.Range[int, 1, 10] = 3, hard: bool = False
    ) -> None:
        await interaction.response.send_message(f"starting {rounds} rounds (hard={hard})", view=Era())

    @trivia.command(name="stop", description="Stop")
    async def stop(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("stopped", ephemeral=True)

    tree.add_command(trivia)

    @tree.command(description="Ping a role somewhere")
    async def announce(interaction: discord.Interaction, role: discord.Role, channel: discord.TextChannel) -> None:
        await channel.send(f"{role.mention} hello from <#{channel.id}> at <t:0:D>")
        await interaction.response.send_message("sent", ephemeral=True)

    return client


@pytest_asyncio.fixture
async def session() -> AsyncIterator[tuple[Session, io.StringIO]]:
    emu = Emulator()
    await emu.start()
    out = io.StringIO()
    clock = FrozenClock(dt.datetime(2026, 1, 1, tzinfo=UTC))
    client = make_client()
    playground = Session(emu, client, clock, Screen(out), interactive=False)
    playground.tz = UTC  # the reader's zone, whatever this computer's is
    playground.build_world()
    try:
        async with run_client(emu, client):
            await client.tree.sync()  # type: ignore[attr-defined]
            yield playground, out
    finally:
        await emu.stop()


async def say(playground: Session, out: io.StringIO, line: str) -> str:
    out.seek(0)
    out.truncate()
    try:
        await playground.handle(line)
    except (PlaygroundError, ValueError) as error:
        return f"error: {error}"
    return out.getvalue()


async def test_subcommands_menus_and_forms(session: tuple[Session, io.StringIO]) -> None:
    playground, out = session
    assert "starting 5 rounds (hard=True)" in await say(playground, out, "/trivia start rounds:5 hard:yes")
    assert "starting 4 rounds" in await say(playground, out, "/trivia start 4")
    assert "needs one of: start, stop" in await say(playground, out, "/trivia")
    assert "Did you mean start?" in await say(playground, out, "/trivia strat")
    assert "out of range" in await say(playground, out, "/trivia start rounds:11")
    assert "expected a whole number" in await say(playground, out, "/trivia start rounds:many")
    shown = await say(playground, out, "/trivia start")
    assert "<menu 1: Era> Debut / Now" in shown and "[1] Guess" in shown
    assert "era: now" in await say(playground, out, ":select 1 Now")
    await say(playground, out, "/trivia start")
    form = await say(playground, out, ":press guess")
    assert "[form] Guess the song" in form and "Your answer" in form and "Note (optional)" in form
    assert playground.prompt().strip() == "Your answer:"
    await say(playground, out, "love wins all")
    assert "you said 'love wins all' (-)" in await say(playground, out, "")
    await say(playground, out, "1")
    assert "you said 'palette' (sure)" in await say(playground, out, ":fill answer=palette note=sure")
    await say(playground, out, ":press 1")
    assert "abandoned" in await say(playground, out, ":cancel")
    assert playground.modal is None


async def test_switching_member_abandons_the_open_form_instead_of_submitting_it_as_someone_else(
    session: tuple[Session, io.StringIO],
) -> None:
    playground, out = session
    await say(playground, out, "/trivia start")
    await say(playground, out, ":press guess")
    assert playground.modal is not None
    switched = await say(playground, out, ":as fan2")
    assert "open form was abandoned" in switched and playground.modal is None
    typed = await say(playground, out, "not an answer")  # now an ordinary line, not fan2 filling Uaena's form
    assert "you said" not in typed


async def test_roles_channels_and_channel_posts(session: tuple[Session, io.StringIO]) -> None:
    playground, out = session
    shown = await say(playground, out, "/announce role:moderators channel:#announcements")
    assert "(only you can see this)" in shown
    assert "-- new message in #announcements --" in shown
    assert "@Moderators hello from #announcements at January 1, 1970" in shown
    assert "Did you mean #announcements?" in await say(playground, out, "/announce role:Moderators channel:anounce")
    assert "Now in #announcements" in await say(playground, out, ":channel announcements")
    assert "@Moderators hello" in await say(playground, out, ":messages")
    assert "Now in Second Server" in await say(playground, out, ":guild 2")
    assert "/trivia" in await say(playground, out, ":commands")
    assert "You are now Min" in await say(playground, out, ":as mod")
    assert playground.member.guild is playground.guilds[1]


# ============================================================================ pure parts
COMMANDS = [
    {
        "name": "song",
        "type": 1,
        "description": "Look up a song",
        "name_localizations": {"ko": "노래"},
        "options": [{"type": 3, "name": "title", "autocomplete": True}],
    },
    {
        "name": "tour",
        "type": 1,
        "options": [{"type": 3, "name": "name", "autocomplete": True}, {"type": 3, "name": "city"}],
    },
    {
        "name": "fact",
        "type": 1,
        "options": [
            {"type": 3, "name": "about", "autocomplete": True},
            {
                "type": 3,
                "name": "kind",
                "choices": [
                    {"name": "Behind the scenes", "value": "behind-the-scenes"},
                    {"name": "Fact", "value": "fact"},
                ],
            },
        ],
    },
    {
        "name": "trivia",
        "type": 1,
        "options": [
            {
                "type": 1,
                "name": "start",
                "options": [
                    {"type": 4, "name": "rounds", "min_value": 1, "max_value": 10},
                    {"type": 5, "name": "hard"},
                ],
            },
            {"type": 1, "name": "stop"},
        ],
    },
    {"name": "about", "type": 1},
]


@pytest.mark.parametrize(
    ("line", "name", "sub", "values"),
    [
        ("/song love wins all", "song", None, {"title": "love wins all"}),
        ("/song title:love wins all", "song", None, {"title": "love wins all"}),
        ("/노래 love", "song", None, {"title": "love"}),
        ("/tour name:her city:seoul", "tour", None, {"name": "her", "city": "seoul"}),
        ("/tour her city:new york", "tour", None, {"name": "her", "city": "new york"}),
        ("/tour name:\"her\" city:'la'", "tour", None, {"name": "her", "city": "la"}),
        ("/fact about:iu kind:behind-the-scenes", "fact", None, {"about": "iu", "kind": "behind-the-scenes"}),
        ("/fact kind:BEHIND THE SCENES", "fact", None, {"kind": "behind-the-scenes"}),
        ("/trivia start rounds:5", "trivia", "start", {"rounds": 5}),
        ("/trivia start 7 hard:no", "trivia", "start", {"rounds": 7, "hard": False}),
        ("/trivia stop", "trivia", "stop", {}),
        ("/song title:", "song", None, {}),
        ("/song re: love", "song", None, {"title": "re: love"}),
        ("/about", "about", None, {}),
    ],
)
def test_parse_command(line: str, name: str, sub: str | None, values: dict[str, object]) -> None:
    parsed = parse_command(line, COMMANDS)
    assert (parsed.name, parsed.subcommand, parsed.values) == (name, sub, values)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/sogn", "there is no /sogn. Did you mean /song?"),
        ("/", "type a command after the slash"),
        ("/tour nmae:x", "/tour has no option nmae:. Did you mean name:?"),
        ("/fact kind:trivia", "'trivia' is not one of the choices"),
        ("/trivia", "/trivia needs one of: start, stop"),
        ("/trivia start rounds:0", "out of range"),
        ("/trivia start hard:maybe", "expected a yes/no"),
        ("/about now", "/about takes no options"),
        ("/tour name:a name:b", "given twice"),
    ],
)
def test_parse_command_mistakes(line: str, message: str) -> None:
    with pytest.raises(PlaygroundError, match=None) as caught:
        parse_command(line, COMMANDS)
    assert message in str(caught.value)


def test_parse_completion() -> None:
    parsed = parse_command("/song lov?", COMMANDS)
    assert (parsed.last, parsed.raw) == ("title", {"title": "lov"})
    parsed = parse_command("/tour name:her city:se?", COMMANDS)
    assert parsed.last == "city" and parsed.values == {"name": "her", "city": "se"}
    assert parse_command("/fact kind:?", COMMANDS).last == "kind"
    assert parse_command("/song ?", COMMANDS).last == "title"


def test_split_options_keeps_colons_in_free_text() -> None:
    assert split_options("10:30 at: home", lambda k: k == "city") == ("10:30 at: home", [])
    assert split_options("her city:seoul", lambda k: k == "city") == ("her", [("city", "seoul")])


def test_timestamps() -> None:
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    release = int(dt.datetime(2024, 1, 24, 0, 0, tzinfo=UTC).timestamp())
    text = f"<t:{release}:D> (<t:{release}:R>) <t:{release}:F> <t:{release}> <t:{release}:t> <t:{release}:d>"
    assert render_timestamps(text, now, UTC) == (
        "January 24, 2024 (3 years ago) Wednesday, January 24, 2024 at 12:00 AM January 24, 2024 at 12:00 AM "
        "12:00 AM 01/24/2024"
    )
    assert render_timestamps(f"<t:{release}:D> <t:{release}:R>", now, UTC, "ko") == "2024년 1월 24일 3년 전"
    seoul = dt.timezone(dt.timedelta(hours=9))
    assert (
        format_stamp(dt.datetime(2024, 1, 23, 15, tzinfo=UTC), "F", now, seoul, "ko")
        == "2024년 1월 24일 수요일 오전 12:00"
    )


# 10:00 on Wednesday 2 December 2026 in the reader's zone, two days after the playground's clock
SHOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
BEFORE = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
EN_US = {
    "t": "10:00 AM",
    "T": "10:00:00 AM",
    "d": "12/02/2026",
    "D": "December 2, 2026",
    "f": "December 2, 2026 at 10:00 AM",
    "F": "Wednesday, December 2, 2026 at 10:00 AM",
    "s": "12/02/2026, 10:00 AM",
    "S": "12/02/2026, 10:00:00 AM",
    "R": "in 2 days",
}
KO = {
    "t": "오전 10:00",
    "T": "오전 10:00:00",
    "d": "2026. 12. 02.",
    "D": "2026년 12월 2일",
    "f": "2026년 12월 2일 오전 10:00",
    "F": "2026년 12월 2일 수요일 오전 10:00",
    "s": "2026. 12. 02. 오전 10:00",
    "S": "2026. 12. 02. 오전 10:00:00",
    "R": "2일 후",
}


@pytest.mark.parametrize(("lang", "forms"), [("en", EN_US), ("ko", KO)])
def test_every_timestamp_style_reads_as_discord_shows_it(lang: str, forms: dict[str, str]) -> None:
    """Discord's reference, "Timestamp Styles": t T d D f F s S R, and ``f`` when no style is given."""
    stamp = int(SHOW.timestamp())
    for style, text in forms.items():
        assert render_timestamps(f"<t:{stamp}:{style}>", BEFORE, UTC, lang) == text, style
    assert render_timestamps(f"<t:{stamp}>", BEFORE, UTC, lang) == forms["f"]
    # in the reader's own zone: 10:00 UTC is 19:00 in Seoul, 05:00 in New York (EST)
    seoul, new_york = ZoneInfo("Asia/Seoul"), ZoneInfo("America/New_York")
    assert render_timestamps(f"<t:{stamp}:t>", BEFORE, seoul, lang) == {"en": "7:00 PM", "ko": "오후 7:00"}[lang]
    assert render_timestamps(f"<t:{stamp}:t>", BEFORE, new_york, lang) == {"en": "5:00 AM", "ko": "오전 5:00"}[lang]


def test_the_readers_zone_is_named_with_its_offset() -> None:
    winter, summer = dt.datetime(2026, 12, 2, tzinfo=UTC), dt.datetime(2026, 7, 2, tzinfo=UTC)
    assert local_zone(winter, UTC) == "UTC"
    assert local_zone(winter, ZoneInfo("Asia/Seoul")) == "KST (UTC+09:00)"
    assert local_zone(winter, ZoneInfo("America/New_York")) == "EST (UTC-05:00)"
    assert local_zone(summer, ZoneInfo("America/New_York")) == "EDT (UTC-04:00)"


def test_twelve_hour_clock_edges() -> None:
    midnight, noon = dt.datetime(2026, 12, 2, 0, 0, tzinfo=UTC), dt.datetime(2026, 12, 2, 12, 5, tzinfo=UTC)
    assert [format_stamp(t, "t", BEFORE, UTC) for t in (midnight, noon)] == ["12:00 AM", "12:05 PM"]
    assert [format_stamp(t, "t", BEFORE, UTC, "ko") for t in (midnight, noon)] == ["오전 12:00", "오후 12:05"]


def test_relative_times_count_from_the_playground_clock() -> None:
    for delta, en, ko in [
        (dt.timedelta(hours=-3), "3 hours ago", "3시간 전"),
        (dt.timedelta(days=2), "in 2 days", "2일 후"),
        (dt.timedelta(days=-1), "a day ago", "하루 전"),
    ]:
        stamp = int((BEFORE + delta).timestamp())
        assert render_timestamps(f"<t:{stamp}:R>", BEFORE, UTC) == en
        assert render_timestamps(f"<t:{stamp}:R>", BEFORE, UTC, "ko") == ko


def test_timestamp_edge_cases() -> None:
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert render_timestamps("<t:notanumber:D> <t:99999999999999:D>", now, UTC).startswith("<t:notanumber:D>")
    for delta, words in [
        (dt.timedelta(days=3), "in 3 days"),
        (dt.timedelta(hours=-2), "2 hours ago"),
        (dt.timedelta(seconds=10), "in a few seconds"),
        (dt.timedelta(days=60), "in 2 months"),
        (dt.timedelta(minutes=1), "in a minute"),
        (dt.timedelta(hours=1), "in an hour"),
        (dt.timedelta(days=-800), "2 years ago"),
    ]:
        assert relative(now + delta, now) == words
    assert relative(now + dt.timedelta(days=3), now, "ko") == "3일 후"


def test_render_message() -> None:
    message = {
        "flags": 64,
        "content": "hi <@&5> in <#6> </song:1>",
        "embeds": [
            {
                "title": "**Love** Wins All",
                "description": "*러브 윈즈 올*\n`played` <t:0:D>",
                "fields": [
                    {"name": "Artists", "value": "**IU**: vocals\n**V**: MV"},
                    {"name": "\u200b", "value": "no name"},
                ],
                "footer": {"text": "32 facts"},
            }
        ],
        "components": [
            {
                "type": 1,
                "components": [
                    {"type": 2, "label": "Behind the scenes", "style": 2},
                    {"type": 2, "label": "Next", "style": 2, "disabled": True},
                ],
            }
        ],
    }
    names = {("role", 5): "Moderators", ("channel", 6): "announcements"}
    ctx = RenderContext(now=dt.datetime(2026, 1, 1, tzinfo=UTC), tz=UTC, names=lambda k, i: names.get((k, i)))
    assert render(message, ctx).splitlines() == [
        "(only you can see this)",
        "hi @Moderators in #announcements /song",
        "| Love Wins All",
        "| 러브 윈즈 올",
        "| played January 1, 1970",
        "| Artists: IU: vocals",
        "|   V: MV",
        "| no name",
        "| -- 32 facts",
        "[1] Behind the scenes  [2] Next (disabled)",
    ]


def test_durations_and_cleaning() -> None:
    assert parse_duration("3d") == dt.timedelta(days=3)
    assert parse_duration("1w") == dt.timedelta(weeks=1)
    assert parse_duration("1d12h") == dt.timedelta(days=1, hours=12)
    assert parse_duration("30m") == dt.timedelta(minutes=30)
    assert parse_duration("2 days") == dt.timedelta(days=2)
    assert parse_duration("-2h") == dt.timedelta(hours=-2)
    for bad in ("", "soon", "3x", "d", "99999w"):
        with pytest.raises(PlaygroundError):
            parse_duration(bad)
    assert clean_line("\x01/song\x1b[A love\x7f\t wins\u200b") == "/song love  wins"


def piped_playground(database: Path, packs: Path | None = None) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run("/song love wins all", "2")`` pipes those lines into a playground keeping ``database`` (and reading
    the packs in ``packs``, when given, instead of the shipped ones)."""

    def run(*lines: str, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
        env.update(
            {
                "DISCORD_TOKEN": "",
                "DATABASE_PATH": str(database),
                "PYTHONPATH": str(ROOT),
                "PYTHONIOENCODING": "utf-8",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        if packs is not None:
            env["LIGHTSTICK_PACKS"] = str(packs)
        return subprocess.run(
            [sys.executable, "-m", "bot", "playground", *args],
            cwd=ROOT,
            env=env,
            text=True,
            encoding="utf-8",
            input="".join(line + "\n" for line in lines),
            capture_output=True,
            timeout=60,
        )

    return run


@pytest.mark.slow  # two playground processes, one after the other
def test_a_second_session_keeps_the_servers_settings_and_stops_the_game_left_running(tmp_path: Path) -> None:
    """The world has the same ids in every session, so a moderator's /config still applies next time; a
    trivia game left running is stopped at the next start with one line (its messages are gone), with no
    warning in any command, and its channel is free for a new game."""
    database = tmp_path / "lightstick.sqlite3"
    run = piped_playground(database)
    first = run(":as mod", "/config channel channel:#announcements", "/trivia start", "1", args=("--fresh",))
    assert first.returncode == 0, first.stderr
    assert "Announcements will go to #announcements." in answer_to(
        first.stdout, "/config channel channel:#announcements"
    )
    assert "🔒 Locked in: " in answer_to(first.stdout, "1")

    second = run(":as mod", "/config show", "/trivia start")
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert out.splitlines()[0] == (
        "(stopped the trivia game left running in #general last session: the playground keeps no messages "
        "between sessions; /trivia start begins a new one)"
    )
    assert out.splitlines()[1] == "> :as mod"
    assert "| Channel: #announcements\n" in answer_to(out, "/config show")
    assert answer_to(out, "/trivia start").startswith("| 🎮 Trivia time!\n| @Min started a game: 5 questions")
    assert [line for line in out.splitlines() if line.startswith("!")] == []
    assert "Traceback" not in out + second.stderr

    playground = Session(
        Emulator(world_seed=WORLD_SEED),
        None,
        FrozenClock(dt.datetime(2026, 1, 1, tzinfo=UTC)),
        Screen(io.StringIO()),
        False,
    )
    playground.build_world()  # the same world: Min has the same id as in both runs
    conn = sqlite3.connect(database.with_name("playground.sqlite3"))
    try:
        games = conn.execute("SELECT id, status, counted FROM trivia_games ORDER BY id").fetchall()
        left = conn.execute(
            "SELECT r.number, r.revealed_at IS NOT NULL, a.user_id, a.choice FROM trivia_rounds r "
            "JOIN trivia_answers a ON a.round_id = r.id WHERE r.game_id = 1"
        ).fetchall()
    finally:
        conn.close()
    assert games == [(1, "stopped", 0), (2, "running", 0)]  # one player: a practice game, not counted
    assert left == [(1, 1, playground.identities["mod"].user.id, 0)]  # the open round was scored


@pytest.mark.slow  # four playground processes, one after the other
def test_a_piped_playground_loads_edited_packs(pack_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Issue 9 item 10: an edited pack is noticed (row digests), loaded, and said so in one line."""
    database = tmp_path_factory.mktemp("edited") / "lightstick.sqlite3"

    run = piped_playground(database, pack_copy.parent)

    first = run(":locale ko", "/song love wins all", args=("--fresh",))
    assert first.returncode == 0, first.stderr
    assert answer_to(first.stdout, "/song love wins all").startswith("| 러브 윈즈 올\n")
    assert run("/about").stdout.startswith("> /about"), "unchanged packs: nothing to say"
    songs = pack_copy / "songs.toml"
    text = songs.read_text(encoding="utf-8")
    assert text.count('title_ko = "러브 윈즈 올"') == 1
    songs.write_text(text.replace('title_ko = "러브 윈즈 올"', 'title_ko = "러브 윈즈 올 리믹스"'), encoding="utf-8")
    later = database.with_name("playground.sqlite3").stat().st_mtime + 5
    os.utime(songs, (later, later))
    second = run(":locale ko", "/song love wins all")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == "(the packs changed since the last run; loaded them: songs 1 changed)"
    assert answer_to(second.stdout, "/song love wins all").startswith("| 러브 윈즈 올 리믹스\n")
    third = run("/about")
    assert third.stdout.startswith("> /about"), "said once"


@pytest.mark.slow  # four playground processes, one after the other
def test_a_piped_playground_loads_packs_copied_with_old_times_and_removed_files(
    pack_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 9 item 10: changes are found by content, not file times. A pack file copied in with its old time
    (``cp -p``, an unzipped archive) and a removed file are both loaded, and said so in one line."""
    database = tmp_path_factory.mktemp("copied") / "lightstick.sqlite3"

    run = piped_playground(database, pack_copy.parent)

    assert run("/about", args=("--fresh",)).returncode == 0
    songs = pack_copy / "songs.toml"
    text = songs.read_text(encoding="utf-8")
    songs.write_text(text.replace('title_ko = "러브 윈즈 올"', 'title_ko = "러브 윈즈 올 리믹스"'), encoding="utf-8")
    os.utime(songs, (1_000_000_000, 1_000_000_000))  # 2001: older than the database
    second = run(":locale ko", "/song love wins all")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == "(the packs changed since the last run; loaded them: songs 1 changed)"
    assert answer_to(second.stdout, "/song love wins all").startswith("| 러브 윈즈 올 리믹스\n")
    (pack_copy / "trivia.toml").unlink()
    third = run("/about")
    assert third.returncode == 0, third.stderr
    assert third.stdout.splitlines()[0].startswith("(the packs changed since the last run; loaded them: questions ")
    assert run("/about").stdout.startswith("> /about"), "said once"
