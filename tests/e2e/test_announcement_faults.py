"""Announcements under faults: restarts, kills mid-run, outages, deleted channels, lost permissions, 429s."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest_asyncio

from bot.app import Lightstick
from bot.clock import FrozenClock
from bot.db.store import Store
from bot.playground.emulator import Emulator
from bot.scheduler.poster import LEASE
from bot.settings import Settings
from tests.e2e.conftest import NOW, make_settings, populate, running_bot

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the "0" step of a date-only event on 30 November


@dataclasses.dataclass
class Stage:
    emu: Emulator
    clock: FrozenClock
    people: dict[str, Any]
    settings: Settings

    @property
    def channel(self) -> Any:
        return self.people["announcements"]

    def posts(self) -> list[dict[str, Any]]:
        return self.emu.channel_messages(self.channel)

    def bot(self) -> Any:
        return running_bot(self.emu, self.settings, self.clock)

    async def command(self, bot: Lightstick, command: str, sub: str, /, **options: Any) -> Any:
        del bot
        return await self.emu.command(
            self.people["general"], self.people["admin"], command, options, subcommand=sub, locale="en-US"
        )

    async def configure(self, bot: Lightstick, events: int = 1, steps: str = "0") -> None:
        r = await self.command(bot, "config", "channel", channel=self.channel)
        assert r.content.startswith("Announcements will go to")
        await self.command(bot, "config", "anniversaries", state="off")
        await self.command(bot, "config", "milestones", steps=steps)
        for n in range(events):
            r = await self.command(bot, "event", "add", name=f"Party {n:02d}", date="2026-11-30")
            assert r.content.startswith(f"Added **Party {n:02d}**"), r.content


@pytest_asyncio.fixture
async def stage(tmp_path: Path) -> AsyncIterator[Stage]:
    emu = Emulator()
    await emu.start()
    try:
        yield Stage(emu, FrozenClock(NOW), populate(emu), make_settings(tmp_path))
        assert not emu.violations, f"Discord would have rejected: {emu.violations}"
    finally:
        await emu.stop()


async def travel(bot: Lightstick, clock: FrozenClock, to: dt.datetime) -> None:
    clock.set(to)
    await clock.settle()
    await bot.scheduler.step()


def names(posts: list[dict[str, Any]]) -> list[str]:
    return sorted(p["embeds"][0]["title"] for p in posts)


async def rows(bot: Lightstick, guild: Any) -> list[Any]:
    return [r for r in await bot.store.due.history(guild.id) if r.kind == "countdown"]


# ---------------------------------------------------------------- restarts and kills


async def test_a_restart_between_claim_and_send_posts_once(stage: Stage) -> None:
    guild = stage.people["guild"]
    async with stage.bot() as bot:
        await stage.configure(bot)
    # Another process claimed the item at its due time and died before sending.
    stage.clock.set(DUE)
    store = await Store.open(stage.settings.database_path)  # the process that "dies"
    try:
        (row,) = await store.due.due(DUE)
        assert await store.due.claim_many([(row, stage.channel.id, False)], "dead-process", DUE, LEASE) == {row.id}
    finally:
        await store.close()
    async with stage.bot() as bot:
        await travel(bot, stage.clock, DUE + dt.timedelta(seconds=30))
        assert stage.posts() == []  # the lease is still live: nobody else may send it yet
        await travel(bot, stage.clock, DUE + LEASE)
        assert names(stage.posts()) == ["🎤 Today: Party 00"]
        (row,) = await rows(bot, guild)
        assert (row.status, row.attempts, row.message_id) == ("delivered", 2, int(stage.posts()[0]["id"]))


async def test_a_send_whose_answer_was_lost_is_recorded_not_repeated(stage: Stage) -> None:
    """Discord created the message, the process died before recording it, and it came back long after the
    nonce window: the poster finds its own post in the channel instead of posting again."""
    stage.emu.nonce_window = 0.0  # the nonce can't help any more
    async with stage.bot() as bot:
        await stage.configure(bot)
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, after_processing=True)
        await travel(bot, stage.clock, DUE)
        assert len(stage.posts()) == 1  # created; the answer was a 503, so it is to be retried
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.error) == ("pending", "HTTP 503")
        for n in range(150):  # a busy channel: our post is no longer among the last 100 messages
            stage.emu.post_user_message(stage.channel, stage.people["fan"], f"so excited {n}")
        await travel(bot, stage.clock, DUE + dt.timedelta(minutes=10))
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.message_id) == ("delivered", int(stage.posts()[0]["id"]))
    assert len(stage.posts()) == 1
    assert sum(1 for m, p, _ in stage.emu.requests if m == "GET" and p.endswith("/messages")) == 2  # paged back


async def test_a_kill_at_random_points_of_a_posting_run(stage: Stage) -> None:
    """Twelve posts due at once; the bot is killed at a random moment, restarted long after (past the nonce
    window), several times over. Every post arrives exactly once."""
    stage.emu.nonce_window = 0.0
    guild = stage.people["guild"]
    async with stage.bot() as bot:
        await stage.configure(bot, events=12)
    rng = random.Random(11)
    now = DUE
    for _ in range(6):
        async with stage.bot() as bot:
            stage.clock.set(now)
            await stage.clock.settle()
            bot.scheduler.wake()
            await asyncio.sleep(rng.uniform(0.0, 0.25))  # the kill lands wherever the run has got to
        now += LEASE + dt.timedelta(minutes=1)
    async with stage.bot() as bot:
        await travel(bot, stage.clock, now)
        await travel(bot, stage.clock, now + LEASE + dt.timedelta(minutes=10))
        assert [r.status for r in await rows(bot, guild)] == ["delivered"] * 12
        ids = {r.message_id for r in await rows(bot, guild)}
    assert names(stage.posts()) == [f"🎤 Today: Party {n:02d}" for n in range(12)]
    assert ids == {int(p["id"]) for p in stage.posts()}


# ---------------------------------------------------------------- outages


async def test_an_outage_shorter_than_the_grace_window_posts_late(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot)
    stage.clock.set(DUE + dt.timedelta(hours=2))  # the bot was down from before DUE until now
    async with stage.bot() as bot:
        await bot.scheduler.step()
        (post,) = stage.posts()
        assert post["embeds"][0]["title"] == "🎤 Today: Party 00"
        assert post["embeds"][0]["description"].endswith(
            f"⚠️ Posted late: this was due <t:{int(DUE.timestamp())}:f>, while I was offline."
        )
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.late) == ("delivered", True)


async def test_a_post_retried_while_online_says_so_not_that_the_bot_was_offline(stage: Stage) -> None:
    """Discord answered 503 at the due time and ten minutes later; the third try, 20 minutes late, goes
    through. The bot was online all along, so the post says it kept trying (in the server's language)."""
    async with stage.bot() as bot:
        await stage.configure(bot, events=2)
        await stage.command(bot, "config", "language", language="ko")
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, count=4)
        for minutes in (0, 10, 20):
            await travel(bot, stage.clock, DUE + dt.timedelta(minutes=minutes))
        assert [p["embeds"][0]["description"] for p in stage.posts()] == [
            f"**일시:** 2026년 11월 30일\n⚠️ 늦게 올린 알림이에요: 원래 <t:{int(DUE.timestamp())}:f>에 올라가야 했는데 "
            "디스코드가 받아 주지 않아 계속 다시 시도했어요."
        ] * 2
        await stage.command(bot, "config", "language", language="en")
        await stage.command(bot, "event", "add", name="Encore", date="2026-12-01")
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, count=2)
        for minutes in (0, 10, 20):
            await travel(bot, stage.clock, DUE + dt.timedelta(days=1, minutes=minutes))
        assert stage.posts()[-1]["embeds"][0]["description"].endswith(
            f"⚠️ Posted late: this was due <t:{int((DUE + dt.timedelta(days=1)).timestamp())}:f>, but Discord "
            "didn't take it then, so I kept trying."
        )


async def test_a_post_discord_refuses_past_the_grace_window_is_not_blamed_on_an_outage(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot)
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, count=100)
        for hours in range(8):
            await travel(bot, stage.clock, DUE + dt.timedelta(hours=hours))
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.error) == ("skipped", "missed: Discord didn't take it within the grace window")
    assert stage.posts() == []


async def test_an_outage_longer_than_the_grace_window_skips_and_says_so(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot, steps="1d,0")
    stage.clock.set(DUE + dt.timedelta(hours=7))  # both the 1d (a day before) and the 0 are older than 6 h
    async with stage.bot() as bot:
        await bot.scheduler.step()
        assert stage.posts() == []
        assert [(r.step, r.status, r.error) for r in await rows(bot, stage.people["guild"])] == [
            ("1d", "skipped", "missed: the bot was offline past the grace window"),
            ("0", "skipped", "missed: the bot was offline past the grace window"),
        ]


# ---------------------------------------------------------------- late "today" posts after their day


# 2027-03-14 lasts 23 hours in New York (the clocks jump from 02:00 EST to 03:00 EDT): from 05:00 UTC to 00:00 EDT
# on the 15th, 04:00 UTC; a fixed 24 hours would wrongly run to 05:00 UTC.
NY_DATE = "2027-03-14"
NY_DAY_ENDS = dt.datetime(2027, 3, 15, 4, 0, tzinfo=UTC)
WATCH_DUE = dt.datetime(2027, 3, 15, 1, 0, tzinfo=UTC)  # 21:00 EDT: the server's post time, a date-only "today"
ENCORE_DUE = dt.datetime(2027, 3, 15, 3, 30, tzinfo=UTC)  # 23:30 EDT: a timed event's start
DAY_OVER_LINE = "not posted: I was offline until its day was over, and it would have said “today” on the wrong day"


async def set_up_server(stage: Stage, bot: Lightstick, zone: str, post_time: str, anniversaries: str) -> None:
    for sub, option in [
        ("channel", {"channel": stage.channel}),
        ("anniversaries", {"state": anniversaries}),
        ("milestones", {"steps": "0"}),
        ("timezone", {"zone": zone}),
        ("post-time", {"time": post_time}),
    ]:
        r = await stage.command(bot, "config", sub, **option)
        assert "Nothing was changed" not in r.content, r.content


def missed_posts(result: Any) -> str | None:
    return {f["name"]: f["value"] for f in result.embeds[0]["fields"]}.get("Missed posts (last 7 days)")


async def test_a_late_today_post_goes_out_while_its_day_lasts(stage: Stage) -> None:
    async with stage.bot() as bot:
        await set_up_server(stage, bot, "America/New_York", "21:00", "off")
        await stage.command(bot, "event", "add", name="Watch party", date=NY_DATE)
        await stage.command(bot, "event", "add", name="Encore", date=NY_DATE, time="23:30")
    stage.clock.set(NY_DAY_ENDS - dt.timedelta(minutes=1))  # 23:59 EDT: down since before 21:00, back now
    async with stage.bot() as bot:
        await bot.scheduler.step()
        assert [(p["embeds"][0]["title"], p["embeds"][0]["description"].splitlines()[-1]) for p in stage.posts()] == [
            (
                "🎤 Today: Watch party",
                f"⚠️ Posted late: this was due <t:{int(WATCH_DUE.timestamp())}:f>, while I was offline.",
            ),
            (
                "🎤 Starting now: Encore",
                f"⚠️ Posted late: this was due <t:{int(ENCORE_DUE.timestamp())}:f>, while I was offline.",
            ),
        ]
        r = await stage.command(bot, "config", "show")
        assert missed_posts(r) is None


async def test_a_late_today_post_is_skipped_once_its_day_has_ended_and_never_posted_later(stage: Stage) -> None:
    """Back at 00:30 EDT on the 15th, 3.5 hours after the post time and within the grace window: "Today" is
    no longer true in the event's zone, so nothing is posted; the moderators see why; later starts leave it."""
    async with stage.bot() as bot:
        await set_up_server(stage, bot, "America/New_York", "21:00", "off")
        await stage.command(bot, "event", "add", name="Watch party", date=NY_DATE)
        await stage.command(bot, "event", "add", name="Encore", date=NY_DATE, time="23:30")
    stage.clock.set(NY_DAY_ENDS + dt.timedelta(minutes=30))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        assert stage.posts() == []
        assert [(r.key.split(":")[-1], r.status, r.error) for r in await rows(bot, stage.people["guild"])] == [
            ("0", "skipped", "missed: its day was over when the bot came back"),
            ("0", "skipped", "missed: its day was over when the bot came back"),
        ]
        r = await stage.command(bot, "config", "show")
        assert missed_posts(r) == "\n".join(  # newest first
            [
                f"<t:{int(ENCORE_DUE.timestamp())}:f>: 0 · Encore — {DAY_OVER_LINE}",
                f"<t:{int(WATCH_DUE.timestamp())}:f>: 0 · Watch party — {DAY_OVER_LINE}",
            ]
        )
        r = await stage.emu.command(
            stage.people["general"], stage.people["mod"], "config", {}, subcommand="show", locale="ko"
        )
        assert {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["올리지 못한 알림 (최근 7일)"].endswith(
            "0 · Watch party — 올리지 않았어요: 그날이 지날 때까지 봇이 꺼져 있어서, 올렸다면 지난 날을 ‘오늘’이라고 했을 거예요"
        )
    for hours in (1, 3):  # restarts within the grace window: still never posted, recorded once
        stage.clock.set(NY_DAY_ENDS + dt.timedelta(hours=hours))
        async with stage.bot() as bot:
            await bot.scheduler.step()
            assert stage.posts() == []
            assert [r.status for r in await rows(bot, stage.people["guild"])] == ["skipped", "skipped"]
    stage.clock.set(NY_DAY_ENDS + dt.timedelta(days=8))
    async with stage.bot() as bot:
        r = await stage.command(bot, "config", "show")
        assert missed_posts(r) is None  # a week on, the record is off the card (still in the table)


async def test_a_today_post_discord_refuses_until_its_day_ends_is_skipped_not_blamed_on_an_outage(
    stage: Stage,
) -> None:
    async with stage.bot() as bot:
        await set_up_server(stage, bot, "America/New_York", "21:00", "off")
        await stage.command(bot, "event", "add", name="Watch party", date=NY_DATE)
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, count=100)
        for minutes in range(0, 4 * 60, 30):  # 21:00 EDT to 00:30 EDT, trying every half hour
            await travel(bot, stage.clock, WATCH_DUE + dt.timedelta(minutes=minutes))
        assert stage.posts() == []
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.error) == ("skipped", "missed: its day was over before Discord took it")
        r = await stage.command(bot, "config", "show")
        assert missed_posts(r) == (
            f"<t:{int(WATCH_DUE.timestamp())}:f>: 0 · Watch party — not posted: Discord didn't take it before its "
            "day was over"
        )


async def test_a_show_day_post_follows_the_shows_own_zone(stage: Stage) -> None:
    """A server in Seoul posting at 22:00. IU's Seoul show (2 March 2024, date-only): back at 00:30 KST on the 3rd,
    its day is over in Seoul: skipped. The Los Angeles finale (2 August 2024): back at 02:00 KST on the 3rd, it is
    still 2 August in Los Angeles (10:00 PDT): posted late, "Today" is true there."""
    kst = dt.timezone(dt.timedelta(hours=9))
    stage.clock.set(dt.datetime(2024, 2, 20, tzinfo=UTC))
    async with stage.bot() as bot:
        await set_up_server(stage, bot, "Asia/Seoul", "22:00", "off")
    stage.clock.set(dt.datetime(2024, 3, 3, 0, 30, tzinfo=kst))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        assert stage.posts() == []
    stage.clock.set(dt.datetime(2024, 8, 3, 2, 0, tzinfo=kst))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        (post,) = stage.posts()
        assert post["embeds"][0]["title"] == "🎤 Today: IU H.E.R. World Tour in Los Angeles"
        assert [(r.key, r.status, r.error) for r in await rows(bot, stage.people["guild"]) if r.step == "0"] == [
            ("show:her-seoul:0", "skipped", "missed: its day was over when the bot came back"),
            ("show:her-los-angeles:0", "delivered", None),
        ]


async def test_a_late_anniversary_is_skipped_once_its_day_has_ended(stage: Stage) -> None:
    """'Love Wins All' came out on 24 January 2024 in Seoul. Its first anniversary is due at 22:00 KST in a server
    in Seoul; back at 00:30 KST on the 25th, "1 year ago today" is no longer true there: skipped."""
    kst = dt.timezone(dt.timedelta(hours=9))
    due = dt.datetime(2025, 1, 24, 22, 0, tzinfo=kst)
    stage.clock.set(dt.datetime(2025, 1, 20, tzinfo=UTC))
    async with stage.bot() as bot:
        await set_up_server(stage, bot, "Asia/Seoul", "22:00", "on")
    stage.clock.set(dt.datetime(2025, 1, 25, 0, 30, tzinfo=kst))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        assert stage.posts() == []
        (row,) = [r for r in await bot.store.due.history(stage.people["guild"].id) if r.status == "skipped"]
        assert (row.key, row.status, row.error) == (
            "anniv:song:love-wins-all:release:2025",
            "skipped",
            "missed: its day was over when the bot came back",
        )
        r = await stage.command(bot, "config", "show")
        assert missed_posts(r) == (f"<t:{int(due.timestamp())}:f>: 1st anniversary · Love Wins All — {DAY_OVER_LINE}")


# ---------------------------------------------------------------- channels that stop working


async def test_a_deleted_channel_is_reported_not_retried_and_fixing_it_resumes(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot, events=2, steps="1d,0")
        stage.emu.delete_channel(stage.channel)
        await stage.clock.settle()
        await travel(bot, stage.clock, DUE - dt.timedelta(days=1))
        failed = [r for r in await rows(bot, stage.people["guild"]) if r.status == "failed"]
        assert [(r.step, r.error) for r in failed] == [("1d", "channel_gone"), ("1d", "channel_gone")]
        posts_before = [p for p in stage.emu.requests if p[0] == "POST" and p[1].endswith("/messages")]
        await travel(bot, stage.clock, DUE - dt.timedelta(days=1) + dt.timedelta(hours=1))
        posts_after = [p for p in stage.emu.requests if p[0] == "POST" and p[1].endswith("/messages")]
        assert posts_after == posts_before  # not retried in a loop
        r = await stage.command(bot, "config", "show")
        problems = {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["Delivery problems"]
        failed_at = int((DUE - dt.timedelta(days=1)).timestamp())
        assert problems.splitlines() == [  # newest first (same moment here: then the later item first)
            f"<t:{failed_at}:R>: 1d · Party 01 — the channel was deleted; pick another with `/config channel`",
            f"<t:{failed_at}:R>: 1d · Party 00 — the channel was deleted; pick another with `/config channel`",
        ]
        r = await stage.command(bot, "config", "test")
        assert r.content == (
            f"I couldn't post in <#{stage.channel.id}>: the channel was deleted; pick another with `/config channel`."
        )
        # the moderator picks another channel: the failed ones (still within the grace window) go out there
        general = stage.people["general"]
        await stage.command(bot, "config", "channel", channel=general)
        await bot.scheduler.step()
        titles = sorted(m["embeds"][0]["title"] for m in stage.emu.channel_messages(general))
        assert titles == ["⏳ 1 day to go: Party 00", "⏳ 1 day to go: Party 01"]
        await travel(bot, stage.clock, DUE)
        assert len(stage.emu.channel_messages(general)) == 4
        r = await stage.command(bot, "config", "show")
        assert {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["Delivery problems"] == "No problems."


async def test_a_missing_permission_is_reported_and_the_next_post_goes_out_once_fixed(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot, steps="1d,0")
        me = stage.emu.bot_member(stage.people["guild"])
        stage.emu.set_overwrite(stage.channel, me, deny=discord.Permissions(send_messages=True))
        await stage.clock.settle()
        await travel(bot, stage.clock, DUE - dt.timedelta(days=1))
        assert next((r.step, r.status, r.error) for r in await rows(bot, stage.people["guild"])) == (
            "1d",
            "failed",
            "no_permission",
        )
        r = await stage.command(bot, "config", "show")
        problems = {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["Delivery problems"]
        assert problems.endswith(
            "1d · Party 00 — I'm missing a permission in the channel (Send Messages or Embed Links)"
        )
        stage.emu.set_overwrite(stage.channel, me)  # the moderator fixes the channel in Discord
        await travel(bot, stage.clock, DUE)
        assert names(stage.posts()) == ["🎤 Today: Party 00"]


async def test_a_429_storm_loses_nothing_and_posts_nothing_twice(stage: Stage) -> None:
    async with stage.bot() as bot:
        await stage.configure(bot, events=5)
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 429, retry_after=0.05, is_global=True, count=30)
        await travel(bot, stage.clock, DUE)
        for minutes in (5, 15, 30, 60):
            await travel(bot, stage.clock, DUE + dt.timedelta(minutes=minutes))
        assert names(stage.posts()) == [f"🎤 Today: Party {n:02d}" for n in range(5)]
        assert [r.status for r in await rows(bot, stage.people["guild"])] == ["delivered"] * 5
        assert sum(1 for _m, _p, status in stage.emu.faults_served if status == 429) == 30


async def test_two_bot_processes_sharing_one_database_post_each_item_once(stage: Stage) -> None:
    """Two bots (as in a rolling restart, or several processes later) on one database and one Discord: each
    claims with a conditional UPDATE, so every post goes out exactly once between them."""
    async with stage.bot() as first:
        await stage.configure(first, events=20)
        async with stage.bot() as second:
            first.scheduler.poster.batch = second.scheduler.poster.batch = 3  # small batches: they interleave
            stage.clock.set(DUE)
            await stage.clock.settle()
            await asyncio.gather(first.scheduler.step(), second.scheduler.step())
            posted = first.scheduler.poster.stats["delivered"], second.scheduler.poster.stats["delivered"]
            assert sum(posted) == 20, posted
            assert min(posted) > 0  # both did part of the work
            assert [r.status for r in await rows(first, stage.people["guild"])] == ["delivered"] * 20
    assert names(stage.posts()) == [f"🎤 Today: Party {n:02d}" for n in range(20)]


async def test_a_post_whose_answer_was_lost_before_an_outage_past_the_grace_window_is_recorded_delivered(
    stage: Stage,
) -> None:
    """Discord created the message, the answer was lost (a 503), and the bot was then down longer than the grace
    window: the item is looked for in the channel and recorded as delivered with its message, not as "missed"
    (and of course not posted again)."""
    stage.emu.nonce_window = 0.0
    async with stage.bot() as bot:
        await stage.configure(bot)
        stage.emu.fail_next("POST", r"/channels/\d+/messages$", 503, after_processing=True)
        await travel(bot, stage.clock, DUE)
        assert len(stage.posts()) == 1
    stage.clock.set(DUE + dt.timedelta(hours=7))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.message_id) == ("delivered", int(stage.posts()[0]["id"]))
    assert len(stage.posts()) == 1


async def test_an_item_claimed_by_a_process_that_died_before_an_outage_past_the_grace_window_is_skipped(
    stage: Stage,
) -> None:
    """Claimed, never sent, then the bot was down past the grace window: the channel shows no post of it, so
    it is recorded as missed, not posted late."""
    async with stage.bot() as bot:
        await stage.configure(bot)
    stage.clock.set(DUE)
    store = await Store.open(stage.settings.database_path)
    try:
        (row,) = await store.due.due(DUE)
        assert await store.due.claim_many([(row, stage.channel.id, False)], "dead-process", DUE, LEASE) == {row.id}
    finally:
        await store.close()
    stage.clock.set(DUE + dt.timedelta(hours=7))
    async with stage.bot() as bot:
        await bot.scheduler.step()
        (row,) = await rows(bot, stage.people["guild"])
        assert (row.status, row.error) == ("skipped", "missed: the bot was offline past the grace window")
    assert stage.posts() == []
