"""/tour: every date with its state, the next show, first show and finale, travelling in time."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import (
    World,
    assert_choices_ok,
    assert_days,
    assert_embed_within_limits,
    fields,
    local_midnight,
    norm,
    public_messages,
)

UTC = dt.timezone.utc
SEOUL = local_midnight(dt.date(2024, 3, 2), "Asia/Seoul")
LA = local_midnight(dt.date(2024, 8, 2), "America/Los_Angeles")
TOUR = "tour:her-world-tour"
SEOUL_DAY, LA_DAY = dt.date(2024, 3, 2), dt.date(2024, 8, 2)
SEOUL_LINE = "<date> · Seoul, South Korea"
LA_LINE = "<date> · Los Angeles, United States"


def no_full_stamps(embed: dict) -> None:
    """The pack gives no show times, so nothing may pretend to know one (:F / :f / :t)."""
    text = str(embed)
    assert ":F>" not in text and ":f>" not in text and ":t>" not in text


async def test_after_the_finale_the_card_says_the_tour_is_over(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "tour")
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    assert embed["author"]["name"] == "IU"
    assert embed["title"] == "IU H.E.R. World Tour"
    description = norm(embed["description"])
    assert description.startswith(f"Every date of this tour is in the past: the finale was <t:{LA}:R>.")
    assert "`/onthisday`" in description and "anniversaries in `/countdown`" in description
    assert description.endswith(f"**Dates**\n`played` {SEOUL_LINE}\n`played` {LA_LINE}")
    f = fields(embed)
    assert f["Regions"] == "Asia, North America, Europe"
    assert "Next show" not in f
    assert norm(f["First show"]) == "Seoul: <date>"
    assert norm(f["Finale"]) == "Los Angeles: <date>"
    assert_days(embed["description"], SEOUL_DAY, LA_DAY)
    assert_days(f["First show"], SEOUL_DAY)
    assert_days(f["Finale"], LA_DAY)
    no_full_stamps(embed)
    assert_embed_within_limits(embed)


async def test_before_the_first_show_seoul_is_next(world: World) -> None:
    world.clock.set(dt.datetime(2024, 2, 1, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "IU H.E.R. World Tour"})
    [embed] = r.embeds
    assert "in the past" not in embed["description"]
    assert norm(embed["description"]) == f"**Dates**\n`next` {SEOUL_LINE}\n`upcoming` {LA_LINE}"
    f = fields(embed)
    assert norm(f["Next show"]) == f"Seoul: <date> (<t:{SEOUL}:R>)"
    assert_days(f["Next show"], SEOUL_DAY)
    assert list(f) == ["Regions", "Next show", "First show", "Finale"]
    no_full_stamps(embed)


async def test_between_the_shows_seoul_is_played_and_la_is_next(world: World) -> None:
    world.clock.set(dt.datetime(2024, 5, 1, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "HER"})
    [embed] = r.embeds
    assert norm(embed["description"]) == f"**Dates**\n`played` {SEOUL_LINE}\n`next` {LA_LINE}"
    assert norm(fields(embed)["Next show"]) == f"Los Angeles: <date> (<t:{LA}:R>)"
    assert_days(fields(embed)["Next show"], LA_DAY)


async def test_on_the_day_of_the_show_it_is_still_next(world: World) -> None:
    # 2024-03-02 20:00 in Seoul: the show's local day isn't over yet
    world.clock.set(dt.datetime(2024, 3, 2, 11, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "tour")
    assert norm(r.embeds[0]["description"]).splitlines()[1] == f"`next` {SEOUL_LINE}"
    world.clock.set(dt.datetime(2024, 3, 3, 0, 30, tzinfo=UTC))  # 09:30 on the 3rd in Seoul
    r = await world.emu.command(world.general, world.fan, "tour")
    assert norm(r.embeds[0]["description"]).splitlines()[1] == f"`played` {SEOUL_LINE}"


@pytest.mark.parametrize(
    "city, line",
    [("LA", LA_LINE), ("Los Angeles", LA_LINE), ("seoul", SEOUL_LINE), ("서울", SEOUL_LINE), ("Los Angelos", LA_LINE)],
)
async def test_city_narrows_the_dates(world: World, city: str, line: str) -> None:
    r = await world.emu.command(world.general, world.fan, "tour", {"city": city})
    assert r.error is None and not r.ephemeral, r.text
    description = norm(r.embeds[0]["description"])
    shown = line.split(" · ")[1].split(",")[0]
    assert description.endswith(f"**Shows in {shown}**\n`played` {line}")
    assert description.count("`played`") == 1
    assert_days(r.embeds[0]["description"].split("**Shows in")[1], SEOUL_DAY if shown == "Seoul" else LA_DAY)


async def test_name_and_city_together(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "tour:her-world-tour", "city": "Seoul"})
    assert norm(r.embeds[0]["description"]).endswith(f"**Shows in Seoul**\n`played` {SEOUL_LINE}")


# ---------------------------------------------------------------- autocomplete


@pytest.mark.parametrize("typed", ["", "h", "HER", "H.E.R.", "허 월드투어", "아이유", "world tour", "iu her"])
async def test_tour_name_autocomplete(world: World, typed: str) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "tour", {"name": typed}, "name")
    assert_choices_ok(choices)
    assert choices[0]["value"] == TOUR


async def test_city_autocomplete_lists_the_cities_of_the_picked_tour(world: World) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "tour", {"name": TOUR, "city": ""}, "city")
    assert_choices_ok(choices)
    assert sorted(c["value"] for c in choices) == ["Los Angeles", "Seoul"]
    for typed, value in [("los", "Los Angeles"), ("LA", "Los Angeles"), ("엘에이", "Los Angeles"), ("seo", "Seoul")]:
        choices = await world.emu.autocomplete(world.general, world.fan, "tour", {"city": typed}, "city")
        assert_choices_ok(choices)
        assert choices[0]["value"] == value, typed


async def test_city_autocomplete_in_korean(world: World) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan_ko, "tour", {"city": "서"}, "city")
    assert choices == [{"name": "서울", "value": "Seoul"}]


# ---------------------------------------------------------------- unknown places and tours


async def test_a_city_with_no_show_is_a_private_kind_reply(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "tour", {"city": "Paris"})
    assert r.ephemeral and r.embeds == [] and r.error is None
    assert r.content == "I don't know of a show in **Paris**.\nTry `/tour` with no name to see every tour."
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "HER", "city": "Paris"})
    assert r.ephemeral
    assert (
        r.content == "**IU H.E.R. World Tour** has no show in **Paris**.\nTry `/tour` with no name to see every tour."
    )
    assert public_messages(world.emu, world.general) == []


@pytest.mark.parametrize("city, suggestion", [("Seol", "Seoul"), ("로스", "Los Angeles")])
async def test_a_misspelt_city_gets_did_you_mean(world: World, city: str, suggestion: str) -> None:
    r = await world.emu.command(world.general, world.fan, "tour", {"city": city})
    assert r.ephemeral
    assert f"Did you mean: **{suggestion}**?" in r.content
    assert public_messages(world.emu, world.general) == []


async def test_an_unknown_tour_points_to_the_list(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "Golden Hour"})
    assert r.ephemeral
    assert r.content == "I couldn't find a tour called **Golden Hour**.\nTry `/tour` with no name to see every tour."
    r = await world.emu.command(world.general, world.fan, "tour", {"name": "허"})
    assert "Did you mean: **IU H.E.R. World Tour**?" in r.content
    assert public_messages(world.emu, world.general) == []
