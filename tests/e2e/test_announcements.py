"""Moderator setup and scheduled announcements, end to end through the emulator (issue 11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest

from bot.scheduler.poster import nonce_for
from tests.e2e.conftest import MONTHS, NOW, World, message_payloads

UTC = dt.timezone.utc
MANAGE_GUILD = discord.Permissions(manage_guild=True).value


async def run(world: World, command: str, sub: str, user: Any = None, /, **options: Any) -> Any:
    return await world.emu.command(world.general, user or world.admin, command, options, subcommand=sub, locale="en-US")


async def travel(world: World, to: dt.datetime) -> None:
    """Move the clock to ``to`` and let the scheduler handle whatever fell due."""
    world.clock.set(to)
    await world.clock.settle()
    await world.bot.scheduler.step()


def posts(world: World) -> list[dict[str, Any]]:
    return world.emu.channel_messages(world.announcements)


def titles(world: World) -> list[str]:
    return [m["embeds"][0]["title"] for m in posts(world)]


def let_bot_mention_roles(world: World) -> None:
    """Give the bot Mention @everyone, @here and All Roles (so it may ping a role that isn't mentionable)."""
    role = world.guild.bot_role
    world.emu.set_role_permissions(role, role.permissions | discord.Permissions(mention_everyone=True).value)


async def setup_channel(world: World, **settings: str) -> None:
    r = await run(world, "config", "channel", channel=world.announcements)
    assert r.ephemeral and r.content == f"Announcements will go to <#{world.announcements.id}>."
    for sub, value in settings.items():
        option = {"milestones": "steps", "timezone": "zone", "post-time": "time", "anniversaries": "state"}[sub]
        r = await run(world, "config", sub, **{option: value})
        assert r.ephemeral, r.text


# ---------------------------------------------------------------- who may configure


async def test_a_moderator_configures_and_a_member_is_refused(world: World) -> None:
    for name in ("config", "event"):
        (command,) = [c for c in world.emu.registered_commands() if c["name"] == name]
        assert int(command["default_member_permissions"]) == MANAGE_GUILD
        assert command.get("contexts") in (None, [0]) or command.get("dm_permission") is False
    r = await run(world, "config", "channel", world.mod, channel=world.announcements)
    assert r.content == f"Announcements will go to <#{world.announcements.id}>."
    for name in ("config", "event"):  # Discord's client doesn't offer them to a member without Manage Server
        with pytest.raises(PermissionError):
            await run(world, name, "show" if name == "config" else "list", world.fan)
    # A server may widen who sees /config (Integrations settings): the bot still checks on its side.
    world.emu.widen_command(world.guild.id, "config")
    world.emu.widen_command(world.guild.id, "event")
    for sub, options in (
        ("channel", {"channel": world.general}),
        ("role", {}),
        ("milestones", {"steps": "1d"}),
        ("show", {}),
        ("test", {}),
    ):
        r = await run(world, "config", sub, world.fan, **options)
        assert r.ephemeral
        assert r.content == "You need the **Manage Server** permission to use this."
    r = await run(world, "event", "add", world.fan, name="x", date="2027-01-01")
    assert r.content == "You need the **Manage Server** permission to use this."
    r = await world.emu.command(
        world.general, world.fan_ko, "config", {"steps": "1d"}, subcommand="milestones", locale="ko"
    )
    assert r.content == "이 명령을 쓰려면 **서버 관리하기** 권한이 필요해요."
    config = await world.bot.store.guild_settings.get(world.guild.id)
    assert (config.channel_id, config.milestones) == (world.announcements.id, "30d,7d,1d,0")
    assert await world.bot.store.server_events.all(world.guild.id) == []


async def test_a_channel_the_bot_cannot_send_to_is_refused_with_what_is_missing(world: World) -> None:
    r = await run(world, "config", "channel", channel=world.read_only)
    assert r.ephemeral
    assert r.content == (
        f"I can't post announcements in <#{world.read_only.id}>: I'm missing **Send Messages**, "
        "**Embed Links** there (the channel's permission overwrites included). Give me that, or pick another "
        "channel. Nothing was changed."
    )
    # a Korean moderator reads the permissions as their Discord client names them (one table with the
    # reply path's bot_missing_permissions), not Discord's English names inside a Korean sentence
    r = await world.emu.command(
        world.general, world.admin, "config", {"channel": world.read_only}, subcommand="channel", locale="ko"
    )
    assert r.ephemeral
    assert r.content == (
        f"<#{world.read_only.id}>에 알림을 올릴 수 없어요: 그 채널에서 **메시지 보내기**, **링크 첨부** 권한이 없어요 "
        "(채널 권한 덮어쓰기 포함). 권한을 주거나 다른 채널을 골라 주세요. 아무것도 바뀌지 않았어요."
    )
    hidden = world.emu.add_channel(world.guild, "mods-only", bot_can_view=False)
    world.emu.set_overwrite(
        world.announcements, world.emu.bot_member(world.guild), deny=discord.Permissions(embed_links=True)
    )
    await world.clock.settle()
    r = await run(world, "config", "channel", channel=world.announcements)
    assert "I'm missing **Embed Links** there" in r.content
    assert (await world.bot.store.guild_settings.get(world.guild.id)).channel_id is None
    del hidden


async def test_bad_settings_are_explained_and_change_nothing(world: World) -> None:
    await setup_channel(world)
    cases = [
        (
            "milestones",
            {"steps": "30d,45x"},
            "**45x** isn't a step: use a number with **d** (days), **w** (weeks), "
            "**h** (hours) or **m** (minutes), or **0** for the moment itself, e.g. "
            "`30d,7d,1d,3h,0`. Nothing was changed.",
        ),
        (
            "timezone",
            {"zone": "Mars/Olympus"},
            "I don't know the time zone **Mars/Olympus**. Pick one from the "
            "list, e.g. `Asia/Seoul` or `America/New_York`. Nothing was changed.",
        ),
        (
            "post-time",
            {"time": "25:00"},
            "**25:00** isn't a time of day. Use 24-hour `HH:MM`, e.g. `10:00` or `18:30`. Nothing was changed.",
        ),
        ("role", {"role": world.guild.everyone}, "Announcements never ping @everyone or @here. Pick a role, or none."),
    ]
    for sub, options, text in cases:
        r = await run(world, "config", sub, **options)
        assert (r.ephemeral, r.content) == (True, text)
    quiet = world.emu.add_role(world.guild, "Quiet")
    await world.clock.settle()
    r = await run(world, "config", "role", role=quiet)
    assert r.content == (
        f"I can't mention <@&{quiet.id}>: it isn't mentionable and I don't have **Mention "
        "@everyone, @here, and All Roles**. Make the role mentionable (Server Settings → Roles) or "
        "pick another. Nothing was changed."
    )
    let_bot_mention_roles(world)  # with that permission, the bot may ping a role that isn't mentionable
    await world.clock.settle()
    r = await run(world, "config", "role", role=quiet)
    assert r.content == f"Announcements will ping <@&{quiet.id}>."
    await run(world, "config", "role")
    config = await world.bot.store.guild_settings.get(world.guild.id)
    assert (config.milestones, config.zone, config.post_time, config.role_id) == ("30d,7d,1d,0", "UTC", "10:00", None)


async def test_every_change_is_confirmed_with_its_new_value(world: World) -> None:
    await setup_channel(world)
    r = await run(world, "config", "milestones", steps="1d, 30d,3h ,0")
    assert r.content == "Countdown steps: **30d,1d,3h,0**."
    r = await run(world, "config", "timezone", zone="asia/seoul")
    assert r.content == (
        "Time zone: **Asia/Seoul** (it's 2026-11-22 21:00 there now). Date-only announcements "
        "post at **10:00** local time."
    )
    r = await run(world, "config", "post-time", time="9:30")
    assert r.content == "Date-only announcements post at **09:30** (Asia/Seoul)."
    await run(world, "config", "timezone", zone="America/New_York")
    r = await run(world, "config", "post-time", time="02:30")
    assert r.content == (
        "Date-only announcements post at **02:30** (America/New_York).\nNote: 02:30 doesn't exist "
        "on 2027-03-14 in America/New_York (the clocks skip it); on such a day posts go out when the "
        "clocks jump forward."
    )
    r = await run(world, "config", "language", language="ko")
    assert r.content == "Announcements will be in **한국어**."
    r = await run(world, "config", "anniversaries", state="off")
    assert r.content == "Anniversaries are **off**."
    fans = world.emu.add_role(world.guild, "Fans")
    let_bot_mention_roles(world)
    await world.clock.settle()
    r = await run(world, "config", "role", role=fans)
    assert r.content == f"Announcements will ping <@&{fans.id}>."
    choices = await world.emu.autocomplete(
        world.general, world.admin, "config", {"zone": "seoul"}, "zone", subcommand="timezone"
    )
    assert [c["value"] for c in choices] == ["Asia/Seoul"]
    r = await run(world, "config", "show")
    assert r.ephemeral
    fields = {f["name"]: f["value"] for f in r.embeds[0]["fields"]}
    assert fields["Channel"] == f"<#{world.announcements.id}>"
    assert fields["Ping"] == f"<@&{fans.id}>"
    assert (
        fields["Countdown steps"],
        fields["Time zone"],
        fields["Post time"],
        fields["Language"],
        fields["Anniversaries"],
    ) == ("`30d,1d,3h,0`", "America/New_York", "02:30", "한국어", "off")


# ---------------------------------------------------------------- countdowns


async def test_each_milestone_posts_once_as_time_travels(world: World) -> None:
    fans = world.emu.add_role(world.guild, "Fans", mentionable=True)
    await world.clock.settle()
    await setup_channel(world, milestones="7d,1d,3h,0", anniversaries="off")
    await run(world, "config", "role", role=fans)
    r = await run(
        world,
        "event",
        "add",
        name="Seoul encore",
        date="2026-12-05",
        time="19:00",
        timezone="Asia/Seoul",
        city="Seoul",
        venue="KSPO Dome",
    )
    start = dt.datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # 19:00 KST
    due = [
        dt.datetime(2026, 11, 28, 10, tzinfo=UTC),
        dt.datetime(2026, 12, 4, 10, tzinfo=UTC),
        start - dt.timedelta(hours=3),
        start,
    ]
    first_due = int(due[0].timestamp())
    assert r.content == (
        f"Added **Seoul encore**: <t:{int(start.timestamp())}:F> (<t:{int(start.timestamp())}:R>) · Seoul · KSPO Dome."
        f"\nNext announcement: <t:{first_due}:f> (<t:{first_due}:R>)."
    )
    expected = [
        "⏳ 7 days to go: Seoul encore",
        "⏳ 1 day to go: Seoul encore",
        "⏳ 3 hours to go: Seoul encore",
        "🎤 Starting now: Seoul encore",
    ]
    for count, when in enumerate(due, 1):
        await travel(world, when - dt.timedelta(seconds=1))
        assert len(posts(world)) == count - 1
        await travel(world, when)
        assert titles(world) == expected[:count]
    await travel(world, start + dt.timedelta(days=3))
    assert titles(world) == expected
    first = posts(world)[0]
    assert first["content"] == f"<@&{fans.id}>"
    assert (
        first["embeds"][0]["description"]
        == f"**When:** <t:{int(start.timestamp())}:F> · <t:{int(start.timestamp())}:R>"
    )
    assert {f["name"]: f["value"] for f in first["embeds"][0]["fields"]} == {"Where": "Seoul", "Venue": "KSPO Dome"}
    assert first["embeds"][0]["footer"]["text"] == "A date added by this server's moderators"
    sent = [p for p in message_payloads(world.bodies) if p.get("nonce")]
    assert len(sent) == 4
    rows = [r for r in await world.bot.store.due.history(world.guild.id) if r.kind == "countdown"]
    assert [r.status for r in rows] == ["delivered"] * 4
    for payload, row in zip(sent, rows, strict=True):
        assert payload["nonce"] == nonce_for(world.guild.id, row.key) and len(payload["nonce"]) <= 25
        assert payload["enforce_nonce"] is True
        assert payload["allowed_mentions"] == {"parse": [], "roles": [fans.id]}  # never everyone, here or users


async def test_a_dst_change_between_now_and_the_event(world: World) -> None:
    await setup_channel(world, milestones="30d,7d,1d,3h,0", timezone="America/New_York", anniversaries="off")
    await run(world, "event", "add", name="Spring show", date="2027-03-20", time="19:00")
    rows = await world.bot.store.due.upcoming(world.guild.id, 10)
    assert [(r.step, r.due_at) for r in rows] == [
        ("30d", dt.datetime(2027, 2, 18, 15, tzinfo=UTC)),  # 10:00 EST
        ("7d", dt.datetime(2027, 3, 13, 15, tzinfo=UTC)),  # 10:00 EST, the day before the clocks change
        ("1d", dt.datetime(2027, 3, 19, 14, tzinfo=UTC)),  # 10:00 EDT
        ("3h", dt.datetime(2027, 3, 20, 20, tzinfo=UTC)),  # 16:00 EDT
        ("0", dt.datetime(2027, 3, 20, 23, tzinfo=UTC)),  # 19:00 EDT
    ]
    r = await run(world, "event", "add", name="Gap", date="2027-03-14", time="02:30")
    assert r.content == (
        "**02:30** doesn't exist on 2027-03-14 in America/New_York: the clocks jump from 02:00 to "
        "03:00. Pick a time before 02:00 or from 03:00 on. Nothing was changed."
    )
    for row in rows:
        await travel(world, row.due_at)
    assert titles(world) == [
        "⏳ 30 days to go: Spring show",
        "⏳ 7 days to go: Spring show",
        "⏳ 1 day to go: Spring show",
        "⏳ 3 hours to go: Spring show",
        "🎤 Starting now: Spring show",
    ]


async def test_bad_event_input_is_explained_and_changes_nothing(world: World) -> None:
    await setup_channel(world)
    cases = [
        (
            {"date": "2027-02-30"},
            "I couldn't read **2027-02-30** as a date. Use `YYYY-MM-DD`, e.g. `2027-03-20`. Nothing was changed.",
        ),
        ({"date": "2026-11-21"}, "That date has already passed in UTC. Nothing was changed."),
        (
            {"date": "2027-01-01", "timezone": "Nowhere/Land"},
            "I don't know the time zone **Nowhere/Land**. Pick one "
            "from the list, e.g. `Asia/Seoul` or `America/New_York`. "
            "Nothing was changed.",
        ),
        (
            {"date": "2027-01-01", "time": "7pm"},
            "**7pm** isn't a time of day. Use 24-hour `HH:MM`, e.g. `19:30`. Nothing was changed.",
        ),
    ]
    for options, text in cases:
        r = await run(world, "event", "add", name="Show", **options)
        assert (r.ephemeral, r.content) == (True, text)
    # today, date-only, is still to come; a time earlier today is past
    r = await run(world, "event", "add", name="Today", date="2026-11-22")
    assert r.content.startswith("Added **Today**")
    r = await run(world, "event", "add", name="Earlier", date="2026-11-22", time="08:00")
    assert r.content == "That date has already passed in UTC. Nothing was changed."
    assert [e.name for e in await world.bot.store.server_events.all(world.guild.id)] == ["Today"]


async def test_event_names_are_kept_as_typed_and_shown_inert(world: World) -> None:
    await setup_channel(world, milestones="0", anniversaries="off")
    name = "@everyone **WATCH** <@&1> `party`"
    r = await run(world, "event", "add", name=name, date="2026-11-23")
    assert r.content.startswith("Added **@\u200beveryone \\*\\*WATCH\\*\\* \\<@&1> \\`party\\`**: November 23, 2026.")
    (event,) = await world.bot.store.server_events.all(world.guild.id)
    assert event.name == name
    await travel(world, dt.datetime(2026, 11, 23, 10, tzinfo=UTC))
    (post,) = posts(world)
    assert post["embeds"][0]["title"] == "🎤 Today: @\u200beveryone \\*\\*WATCH\\*\\* \\<@&1> \\`party\\`"
    assert post["content"] is None or post["content"] == ""
    r = await run(world, "event", "list")
    assert r.embeds[0]["description"].startswith("**@\u200beveryone \\*\\*WATCH\\*\\*")


async def test_edit_and_remove_with_items_pending(world: World) -> None:
    await setup_channel(world, milestones="7d,1d,0", anniversaries="off")
    await run(world, "event", "add", name="Comeback", date="2026-12-10")
    await travel(world, dt.datetime(2026, 12, 3, 10, tzinfo=UTC))
    assert titles(world) == ["⏳ 7 days to go: Comeback"]
    choices = await world.emu.autocomplete(
        world.general, world.admin, "event", {"event": "come"}, "event", subcommand="edit"
    )
    (choice,) = choices
    assert choice["name"] == "Comeback · 2026-12-10"
    r = await run(world, "event", "edit", event=choice["value"], date="2026-12-20", name="Comeback (moved)")
    assert r.content == (
        "Updated **Comeback (moved)**: December 20, 2026.\nNext announcement: <t:1797674400:f> (<t:1797674400:R>)."
    )  # 10:00 UTC on 19 December, the 1d step
    rows = {r.step: r for r in await world.bot.store.due.history(world.guild.id) if r.kind == "countdown"}
    assert rows["7d"].status == "delivered"  # never re-posted, though 7 days before the new date is still ahead
    assert (rows["1d"].status, rows["1d"].due_at) == ("pending", dt.datetime(2026, 12, 19, 10, tzinfo=UTC))
    await travel(world, dt.datetime(2026, 12, 13, 10, tzinfo=UTC))
    assert titles(world) == ["⏳ 7 days to go: Comeback"]
    r = await run(world, "event", "remove", event="Comeback (moved)")
    assert r.content == "Removed **Comeback (moved)**; its 2 pending announcements were cancelled."
    await travel(world, dt.datetime(2026, 12, 25, tzinfo=UTC))
    assert titles(world) == ["⏳ 7 days to go: Comeback"]
    statuses = [(r.step, r.status) for r in await world.bot.store.due.history(world.guild.id) if r.kind == "countdown"]
    assert statuses == [("7d", "delivered"), ("1d", "cancelled"), ("0", "cancelled")]
    r = await run(world, "event", "list")
    assert r.embeds[0]["description"] == "This server has no dates of its own yet. Add one with `/event add`."


async def test_edit_clears_the_time_city_or_venue_with_a_dash(world: World) -> None:
    """Discord can't send an empty option, so `-` is how a moderator removes an optional field once set; the
    command says so in both languages, and every answer shows the date's place as it now stands."""
    (command,) = [c for c in world.emu.registered_commands() if c["name"] == "event"]
    (edit,) = [o for o in command["options"] if o["name"] == "edit"]
    assert edit["description"] == "Change one of this server's dates; - clears its time, city or venue"
    assert (
        edit["description_localizations"]["ko"] == "이 서버의 일정 하나를 바꿔요. -를 넣으면 시각·도시·공연장을 지워요"
    )
    described = {o["name"]: o["description"] for o in edit["options"]}
    assert (described["time"], described["city"], described["venue"]) == (
        "The local start time, HH:MM; - makes it date-only",
        "Where it happens; - clears it",
        "The venue; - clears it",
    )
    await setup_channel(world, milestones="0", anniversaries="off")
    r = await run(
        world, "event", "add", name="Encore", date="2026-12-05", time="19:00", city="Seoul", venue="KSPO *Dome*"
    )
    start = int(dt.datetime(2026, 12, 5, 19, tzinfo=UTC).timestamp())
    assert r.content.startswith(f"Added **Encore**: <t:{start}:F> (<t:{start}:R>) · Seoul · KSPO \\*Dome\\*.\n")
    r = await run(world, "event", "edit", event="Encore", venue="-")
    assert r.content.startswith(f"Updated **Encore**: <t:{start}:F> (<t:{start}:R>) · Seoul.\n")
    r = await world.emu.command(
        world.general,
        world.mod,
        "event",
        {"event": "Encore", "city": " - ", "time": "-"},
        subcommand="edit",
        locale="ko",
    )
    assert r.content == "**Encore** 일정을 바꿨어요: 2026년 12월 5일.\n다음 알림: <t:1796464800:f> (<t:1796464800:R>)."
    (event,) = await world.bot.store.server_events.all(world.guild.id)
    assert (event.name, event.time, event.city, event.venue) == ("Encore", None, None, None)
    r = await run(world, "event", "list")
    assert r.embeds[0]["description"] == "**Encore** · December 5, 2026"
    r = await run(world, "event", "edit", event="Encore", venue="-")  # clearing what is already empty is fine
    assert r.content.startswith("Updated **Encore**: December 5, 2026.\n")
    await travel(world, dt.datetime(2026, 12, 5, 10, tzinfo=UTC))
    (post,) = posts(world)
    assert (post["embeds"][0]["title"], post["embeds"][0].get("fields", [])) == ("🎤 Today: Encore", [])


async def test_config_test_posts_a_sample_pinging_nobody(world: World) -> None:
    r = await run(world, "config", "test")
    assert r.content == "Set a channel first with `/config channel`."
    await setup_channel(world)
    r = await run(world, "config", "test")
    (post,) = posts(world)
    assert r.content.startswith(f"Posted a test announcement in <#{world.announcements.id}> (https://")
    assert post["embeds"][0]["title"] == "🔔 Test announcement"
    (sent,) = [
        p for p in message_payloads(world.bodies) if p.get("embeds") and p["embeds"][0]["title"].startswith("🔔")
    ]
    assert (sent["allowed_mentions"] == {"parse": []} and "content" not in sent) or not sent.get("content")


async def test_anniversaries_of_the_shipped_pack(world: World) -> None:
    await setup_channel(world, timezone="Asia/Seoul")
    rows = await world.bot.store.due.upcoming(world.guild.id, 10)
    assert [(r.key, r.due_at) for r in rows] == [
        ("anniv:song:love-wins-all:release:2027", dt.datetime(2027, 1, 24, 1, tzinfo=UTC)),
        ("anniv:show:her-seoul:first:2027", dt.datetime(2027, 3, 2, 1, tzinfo=UTC)),
        ("anniv:show:her-los-angeles:finale:2027", dt.datetime(2027, 8, 2, 1, tzinfo=UTC)),
    ]
    for row in rows:
        await travel(world, row.due_at)
    assert titles(world) == [
        "🎂 Love Wins All came out 3 years ago today",
        "🎉 3 years ago today: IU H.E.R. World Tour opened in Seoul",
        "🎉 3 years ago today: IU H.E.R. World Tour ended in Los Angeles",
    ]
    release = posts(world)[0]["embeds"][0]
    source = {f["name"]: f["value"] for f in release["fields"]}["Source"]
    assert source == (
        "“K-pop dreams came true when soloist IU and BTS’ V dropped their duet, 'Love Wins All'. The "
        "music video, released on January 24,”\n— OTTplay: “What's cooking between IU and BTS’ V? "
        "Watch some amusing behind-the-scenes pics”"
    )
    assert release["description"] == "**On:** January 24, 2024"
    # next year's are already written
    assert [r.key for r in await world.bot.store.due.upcoming(world.guild.id, 1)] == [
        "anniv:song:love-wins-all:release:2028"
    ]


async def test_a_servers_dates_are_in_its_countdown_and_its_zone_is_its_today(world: World) -> None:
    await run(
        world, "event", "add", name="Lightstick **party**", date="2026-11-24", time="20:00", timezone="Asia/Seoul"
    )
    await run(world, "event", "add", name="Fan meeting", date="2026-11-23")
    r = await world.emu.command(world.general, world.fan, "countdown", {}, locale="en-US")
    start = int(dt.datetime(2026, 11, 24, 11, tzinfo=UTC).timestamp())
    assert r.embeds[0]["description"].split("\n")[:4] == [
        "📅 Fan meeting (this server's date)",
        "  November 23, 2026 · **<t:1795392000:R>**",  # its day starts 00:00 UTC
        "📅 Lightstick \\*\\*party\\*\\* (this server's date)",
        f"  <t:{start}:F> · **<t:{start}:R>**",
    ]
    other = world.emu.add_guild("Another server")
    channel = world.emu.add_channel(other, "general")
    member = world.emu.add_member(other, "Someone")
    await world.clock.settle()
    r = await world.emu.command(channel, member, "countdown", {}, locale="en-US")
    assert "this server's date" not in r.embeds[0]["description"]
    # /onthisday's "today" follows the server's zone once it has one: 12:00 UTC is already the 23rd in Kiritimati
    r = await world.emu.command(world.general, world.fan, "onthisday", {}, locale="en-US")
    assert "November 22" in r.text
    await run(world, "config", "timezone", zone="Pacific/Kiritimati")
    r = await world.emu.command(world.general, world.fan, "onthisday", {}, locale="en-US")
    assert r.embeds[0]["footer"]["text"] == "Today is November 23 in Pacific/Kiritimati; pick any day with `date:`."
    r = await world.emu.command(world.general, world.fan_ko, "onthisday", {}, locale="ko")
    assert r.embeds[0]["footer"]["text"] == (
        "이 서버의 시간대(Pacific/Kiritimati) 기준 오늘은 11월 23일이에요. `날짜:`로 다른 날도 볼 수 있어요."
    )


async def test_announcements_in_korean(world: World) -> None:
    await setup_channel(world, milestones="7d,0", anniversaries="off")
    await run(world, "config", "language", language="ko")
    r = await world.emu.command(
        world.general,
        world.mod,
        "event",
        {"name": "서울 앙코르", "date": "2026-12-05", "city": "서울", "venue": "KSPO 돔"},
        subcommand="add",
        locale="ko",
    )
    assert r.content.startswith("**서울 앙코르** 일정을 추가했어요: 2026년 12월 5일 · 서울 · KSPO 돔.")
    await world.bot.scheduler.travel(world.clock, dt.datetime(2026, 12, 6, tzinfo=UTC))
    first, second = posts(world)
    assert first["embeds"][0]["title"] == "⏳ D-7 · 서울 앙코르"
    assert first["embeds"][0]["description"] == "**일시:** 2026년 12월 5일"
    assert {f["name"]: f["value"] for f in first["embeds"][0]["fields"]} == {"장소": "서울", "공연장": "KSPO 돔"}
    assert second["embeds"][0]["title"] == "🎤 오늘 · 서울 앙코르"
    assert first["components"][0]["components"][0]["label"] == "다가오는 일정"
    # the button under a post lists what is coming, privately
    clicked = await world.emu.click(first, world.fan)
    assert clicked.ephemeral and clicked.embeds[0]["title"] == "Coming up in this server"


async def test_a_long_list_of_dates_is_paged_and_never_cut(world: World) -> None:
    """100 dates with the longest names, cities and venues are far past one embed's 4,096 characters: every
    one of them is on exactly one page, soonest first, and Previous/Next walk the pages privately."""
    names = []
    for n in range(100):
        day = dt.date(2027, 1, 1) + dt.timedelta(days=n)
        names.append(f"Date {n:03d} " + "*" * 91)  # 100 characters, each star escaped: 191 shown
        await world.bot.store.server_events.add(
            world.guild.id,
            names[-1],
            day,
            None,
            "UTC",
            dt.datetime.combine(day, dt.time(0), UTC),
            "C" * 100,
            "V" * 100,
            1,
            NOW,
        )
    r = await run(world, "event", "list")
    seen, footers = [], []
    while True:
        assert r.ephemeral and r.error is None
        (embed,) = r.embeds
        assert embed["title"] == "This server's dates" and len(embed["description"]) <= 4096
        footers.append(embed["footer"]["text"])
        seen += embed["description"].split("\n")
        buttons = {b["label"]: b for b in r.buttons}
        assert list(buttons) == ["First", "Previous", "Next", "Last"]
        assert buttons["Previous"].get("disabled", False) == (len(footers) == 1)
        if buttons["Next"].get("disabled"):
            break
        r = await world.emu.click(r, world.admin, label="Next")
    stars = "\\*" * 91
    assert seen == [
        f"**Date {n:03d} {stars}** · {MONTHS[(dt.date(2027, 1, 1) + dt.timedelta(days=n)).month - 1]} "
        f"{(dt.date(2027, 1, 1) + dt.timedelta(days=n)).day}, 2027 · {'C' * 100} · {'V' * 100}"
        for n in range(100)
    ]
    pages = len(footers)
    assert pages == 12  # ten lines of about 420 characters would pass 4,096: nine a page
    assert footers == [f"Page {n} of {pages} · 100 dates" for n in range(1, pages + 1)]
    back = await world.emu.click(r, world.admin, label="First")
    assert back.embeds[0]["footer"]["text"] == f"Page 1 of {pages} · 100 dates"
    ko = await world.emu.command(world.general, world.mod, "event", {}, subcommand="list", locale="ko")
    assert ko.embeds[0]["footer"]["text"] == f"{pages}쪽 중 1쪽 · 일정 100개"
    assert [b["label"] for b in ko.buttons] == ["처음", "이전", "다음", "마지막"]
    # a moderator who lost Manage Server since can't page on
    mods = next(role for role in world.guild.roles.values() if role.name == "Moderators")
    world.emu.set_role_permissions(mods, 0)
    await world.clock.settle()
    refused = await world.emu.click(ko, world.mod, label="다음")
    assert (refused.ephemeral, refused.content) == (True, "이 명령을 쓰려면 **서버 관리하기** 권한이 필요해요.")
    assert ko.embeds[0]["footer"]["text"] == f"{pages}쪽 중 1쪽 · 일정 100개"


async def test_config_show_leaves_out_whole_lines_past_a_fields_limit(world: World) -> None:
    """Five posts about dates with the longest names pass a field's 1,024 characters: the ones that fit are
    shown whole and the rest counted, never one cut in the middle."""
    await setup_channel(world, milestones="0", anniversaries="off")
    stars = "*" * 90
    for n in range(5):
        r = await run(world, "event", "add", name=f"Date {n} {stars}", date=f"2027-01-0{n + 1}")
        assert r.content.startswith("Added **Date"), r.content
    r = await run(world, "config", "show")
    lines = {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["Next posts"].split("\n")
    shown = "\\*" * 90
    day = [int(dt.datetime(2027, 1, n + 1, 10, tzinfo=UTC).timestamp()) for n in range(5)]
    assert lines == [f"<t:{day[n]}:f> (<t:{day[n]}:R>) · 0 · Date {n} {shown}" for n in range(4)] + ["…and 1 more."]
    r = await world.emu.command(world.general, world.mod, "config", {}, subcommand="show", locale="ko")
    assert {f["name"]: f["value"] for f in r.embeds[0]["fields"]}["다음 알림"].endswith(f"Date 3 {shown}\n…외 1개 더.")


async def test_a_server_past_its_limit_of_upcoming_dates_is_told_so(world: World) -> None:
    for n in range(100):
        day = dt.date(2027, 1, 1) + dt.timedelta(days=n)
        await world.bot.store.server_events.add(
            world.guild.id, f"Date {n}", day, None, "UTC", dt.datetime.combine(day, dt.time(0), UTC), None, None, 1, NOW
        )
    r = await run(world, "event", "add", name="One more", date="2027-06-01")
    assert (r.ephemeral, r.content) == (
        True,
        "This server already has 100 upcoming dates, the most it can have. Remove one first.",
    )
    assert len(await world.bot.store.server_events.all(world.guild.id)) == 100
    choices = await world.emu.autocomplete(
        world.general, world.admin, "event", {"event": ""}, "event", subcommand="remove"
    )
    assert [c["name"] for c in choices] == [
        f"Date {n} · {dt.date(2027, 1, 1) + dt.timedelta(days=n)}" for n in range(25)
    ]  # soonest first, 25 at most


async def test_event_list_is_private_and_soonest_first(world: World) -> None:
    for name, date, city in (
        ("Fan meeting", "2027-03-01", "Busan"),
        ("Encore", "2026-12-24", ""),
        ("Album", "2027-01-10", ""),
    ):
        r = await run(world, "event", "add", world.mod, name=name, date=date, **({"city": city} if city else {}))
        assert r.ephemeral, r.text
    r = await run(world, "event", "list", world.mod)
    assert r.ephemeral
    assert r.embeds[0]["title"] == "This server's dates"
    assert r.embeds[0]["description"] == (
        "**Encore** · December 24, 2026\n**Album** · January 10, 2027\n**Fan meeting** · March 1, 2027 · Busan"
    )


async def test_a_date_only_event_is_today_until_its_own_zone_says_otherwise(world: World) -> None:
    world.clock.set(dt.datetime(2026, 11, 21, 12, tzinfo=UTC))
    for name, zone in (("Kiritimati party", "Pacific/Kiritimati"), ("LA party", "America/Los_Angeles")):
        r = await run(world, "event", "add", name=name, date="2026-11-22", timezone=zone)
        assert r.content.startswith(f"Added **{name}**: November 22, 2026."), r.content

    async def dates_in_countdown(at: dt.datetime) -> list[str]:
        world.clock.set(at)
        r = await world.emu.command(world.general, world.fan, "countdown", {}, locale="en-US")
        return [line for line in r.embeds[0]["description"].split("\n") if "party" in line or "22, 2026" in line]

    kiritimati = ["📅 Kiritimati party (this server's date)", "  November 22, 2026 · **today**"]
    los_angeles = ["📅 LA party (this server's date)", "  November 22, 2026 · **today**"]
    # 09:00 UTC: 23:00 on the 22nd in Kiritimati (UTC+14), 01:00 on the 22nd in Los Angeles (UTC-8)
    assert await dates_in_countdown(dt.datetime(2026, 11, 22, 9, tzinfo=UTC)) == kiritimati + los_angeles
    # 12:00 UTC: the 23rd has begun in Kiritimati; still the 22nd in Los Angeles
    assert await dates_in_countdown(dt.datetime(2026, 11, 22, 12, tzinfo=UTC)) == los_angeles
    # 07:00 UTC on the 23rd: 23:00 on the 22nd in Los Angeles, its day not over yet
    assert await dates_in_countdown(dt.datetime(2026, 11, 23, 7, tzinfo=UTC)) == los_angeles
    assert await dates_in_countdown(dt.datetime(2026, 11, 23, 8, tzinfo=UTC)) == []


async def test_countdown_shows_the_ten_soonest(world: World) -> None:
    for day in range(1, 9):  # eight dates of the server's own before the pack's three anniversaries
        r = await run(world, "event", "add", name=f"Date {day}", date=f"2026-12-0{day}")
        assert r.ephemeral, r.text
    r = await world.emu.command(world.general, world.fan, "countdown", {}, locale="en-US")
    days = [(day, 1796083200 + (day - 1) * 86400) for day in range(1, 9)]  # 00:00 UTC, the server's zone
    assert r.embeds[0]["description"].split("\n") == [
        *(
            line
            for day, at in days
            for line in (f"📅 Date {day} (this server's date)", f"  December {day}, 2026 · **<t:{at}:R>**")
        ),
        "🎂 **Love Wins All** turns 3",
        "  January 24, 2027 · **<t:1800716400:R>**",  # 00:00 in Seoul
        "🎤 3 years since **IU H.E.R. World Tour** in Seoul",
        "  March 2, 2027 · **<t:1803913200:R>**",
    ]  # the eleventh, Los Angeles's anniversary on August 2, is left out
