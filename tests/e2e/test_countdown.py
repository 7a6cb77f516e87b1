"""/countdown: upcoming shows and anniversaries, soonest first, at the start of the day where they happened."""

from __future__ import annotations

import datetime as dt

from tests.e2e.conftest import World, assert_days, assert_embed_within_limits, local_midnight, norm

UTC = dt.timezone.utc


def turns(years: int, title: str = "Love Wins All") -> str:
    return f"🎂 **{title}** turns {years}"


def since(years: int, city: str, tour: str = "IU H.E.R. World Tour") -> str:
    """Literal English: "1 year since", "3 years since"."""
    return f"🎤 {years} {'year' if years == 1 else 'years'} since **{tour}** in {city}"


def entries(description: str) -> list[tuple[str, str]]:
    lines = description.splitlines()
    return list(zip(lines[0::2], lines[1::2], strict=False))


def when(stamp: int) -> str:
    """The second line of an entry, date stamps normalised (see ``norm``); ``stamp`` is the exact instant."""
    return f"  <date> · **<t:{stamp}:R>**"


async def test_anniversaries_soonest_first(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "countdown")
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    assert embed["title"] == "⏳ Countdown"
    lwa = local_midnight(dt.date(2027, 1, 24), "Asia/Seoul")
    assert lwa == int(dt.datetime(2027, 1, 23, 15, tzinfo=UTC).timestamp())  # 2027-01-24 00:00 KST
    seoul = local_midnight(dt.date(2027, 3, 2), "Asia/Seoul")
    la = local_midnight(dt.date(2027, 8, 2), "America/Los_Angeles")
    assert entries(norm(embed["description"])) == [
        (turns(3), when(lwa)),
        (since(3, "Seoul"), when(seoul)),
        (since(3, "Los Angeles"), when(la)),
    ]
    assert_days(embed["description"], dt.date(2027, 1, 24), dt.date(2027, 3, 2), dt.date(2027, 8, 2))
    assert embed["footer"]["text"] == "Times show in your own time zone."
    assert_embed_within_limits(embed)


async def test_on_the_release_day_in_seoul_the_next_anniversary_is_a_year_away(world: World) -> None:
    # 2027-01-24 09:00 in Seoul: the 3rd anniversary has begun, so the next one is the 4th
    world.clock.set(dt.datetime(2027, 1, 24, 0, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "countdown")
    pairs = entries(norm(r.embeds[0]["description"]))
    assert pairs[0][0] == since(3, "Seoul")
    assert pairs[-1] == (turns(4), when(local_midnight(dt.date(2028, 1, 24), "Asia/Seoul")))


async def test_before_the_tour_the_shows_come_first(world: World) -> None:
    world.clock.set(dt.datetime(2024, 2, 1, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "countdown")
    labels = [label for label, _ in entries(r.embeds[0]["description"])]
    assert labels == [
        "🎤 **IU H.E.R. World Tour**: Seoul",
        "🎤 **IU H.E.R. World Tour**: Los Angeles",
        turns(1),
        since(1, "Seoul"),
        since(1, "Los Angeles"),
    ]
    assert entries(norm(r.embeds[0]["description"]))[0][1] == when(local_midnight(dt.date(2024, 3, 2), "Asia/Seoul"))
    assert_days(
        r.embeds[0]["description"],
        dt.date(2024, 3, 2),
        dt.date(2024, 8, 2),
        dt.date(2025, 1, 24),
        dt.date(2025, 3, 2),
        dt.date(2025, 8, 2),
    )
