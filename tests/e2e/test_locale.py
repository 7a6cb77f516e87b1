"""Korean for Korean users, English for everyone else; the command tree is localised too."""

from __future__ import annotations

import datetime as dt

from tests.e2e.conftest import World, fields, labels

UTC = dt.timezone.utc
CITATIONS_KO = {
    "000_24b8aacb5478efeb.txt": "OTTplay: “아이유와 방탄소년단 뷔 사이에 무슨 일이? 재미있는 비하인드 사진”",
    "004_7c4a4874365c364d.txt": "The Mary Sue: “아이유, 방탄소년단 뷔와 함께한 신곡 ‘Love Wins All’로 역사를 쓰다”",
}
COMMANDS = {
    "song": "노래",
    "tour": "투어",
    "fact": "팩트",
    "onthisday": "오늘의기록",
    "countdown": "카운트다운",
    "about": "정보",
}


def ago(years: int) -> str:
    return f"{years}년 전"


async def test_every_command_option_and_choice_has_a_korean_localisation(world: World) -> None:
    registered = {c["name"]: c for c in world.emu.registered_commands()}
    assert set(COMMANDS) <= set(registered)
    for name, cmd in registered.items():
        ko = (cmd.get("name_localizations") or {}).get("ko")
        assert ko, f"/{name} has no Korean name"
        assert (cmd.get("description_localizations") or {}).get("ko"), f"/{name} has no Korean description"
        for option in cmd.get("options") or []:
            assert (option.get("name_localizations") or {}).get("ko"), f"/{name} {option['name']}"
            assert (option.get("description_localizations") or {}).get("ko"), f"/{name} {option['name']}"
            for choice in option.get("choices") or []:
                assert (choice.get("name_localizations") or {}).get("ko"), f"/{name} {option['name']} {choice}"
    assert {name: registered[name]["name_localizations"]["ko"] for name in COMMANDS} == COMMANDS
    # /about is not "관련" (related): that is /fact's about: option
    [about] = [o for o in registered["fact"]["options"] if o["name"] == "about"]
    assert about["name_localizations"]["ko"] == "관련"


async def test_korean_command_names_are_unique(world: World) -> None:
    names = [c["name_localizations"]["ko"] for c in world.emu.registered_commands()]
    assert len(names) == len(set(names)), names


async def test_song_card_in_korean_and_english(world: World) -> None:
    ko = await world.emu.command(world.general, world.fan_ko, "song", {"title": "러브 윈즈 올"})
    [embed] = ko.embeds
    assert embed["title"] == "러브 윈즈 올" and embed["description"] == "*Love Wins All*"
    f = fields(embed)
    assert f["아티스트"] == "**아이유**: 보컬\n**뷔**: 뮤직비디오 출연"
    assert set(f) == {"아티스트", "발매", "차트 기록", "뮤직비디오"}
    assert "멜론 TOP100 차트에 1위로 진입" in f["차트 기록"]
    assert embed["footer"]["text"] == "출처가 있는 팩트 32개 · 출처 버튼으로 확인하세요"
    assert labels(ko) == ["비하인드", "다른 팩트", "출처"]
    en = await world.emu.command(world.general, world.fan, "song", {"title": "러브 윈즈 올"})
    assert en.embeds[0]["title"] == "Love Wins All"
    assert set(fields(en.embeds[0])) == {"Artists", "Released", "Chart records", "Music video"}
    # the buttons answer in the clicker's language, whoever posted the card
    bts = await world.emu.click(en, world.fan_ko, label="Behind the scenes")
    assert bts.embeds[0]["title"] == "비하인드: 러브 윈즈 올"
    assert "웨딩드레스" in bts.embeds[0]["description"]
    src = await world.emu.click(en, world.fan_ko, label="Sources")
    assert src.embeds[0]["title"] == "📚 출처: 러브 윈즈 올"
    assert [b["label"] for b in src.buttons] == ["처음", "이전", "다음", "마지막"]


async def test_song_list_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "song")
    assert r.embeds[0]["title"] == "노래 목록"
    assert r.embeds[0]["footer"]["text"] == "1쪽 중 1쪽 · 노래 1곡"


async def test_tour_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "tour")
    [embed] = r.embeds
    assert embed["title"] == "아이유 H.E.R. 월드 투어" and embed["author"]["name"] == "아이유"
    assert embed["description"].startswith("이 투어의 모든 공연이 끝났어요.")
    assert "`/오늘의기록`" in embed["description"] and "`/카운트다운`" in embed["description"]
    assert "**일정**" in embed["description"] and "`종료`" in embed["description"]
    assert "서울, 대한민국" in embed["description"] and "로스앤젤레스, 미국" in embed["description"]
    assert {"지역", "첫 공연", "피날레"} <= set(fields(embed))
    world.clock.set(dt.datetime(2024, 5, 1, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan_ko, "tour")
    assert fields(r.embeds[0])["다음 공연"] == "로스앤젤레스: 2024년 8월 2일 (<t:1722582000:R>)"
    assert "`다음`" in r.embeds[0]["description"]


async def test_tour_city_heading_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "tour", {"city": "서울"})
    assert "**서울 공연**" in r.embeds[0]["description"]
    r = await world.emu.command(world.general, world.fan_ko, "tour", {"city": "Los Angeles"})
    assert "**로스앤젤레스 공연**" in r.embeds[0]["description"]
    r = await world.emu.command(world.general, world.fan, "tour", {"city": "서울"})
    assert "**Shows in Seoul**" in r.embeds[0]["description"]


async def test_fact_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "fact", {"kind": "tour"})
    [embed] = r.embeds
    assert embed["title"] == "💡 알고 계셨나요?"
    fact_id = r.buttons[0]["custom_id"].rpartition(":")[2]
    fact = await world.bot.store.facts.get(fact_id)
    assert embed["description"] == fact.text_ko
    assert fields(embed)["관련"]
    assert embed["footer"]["text"] == f"출처: {CITATIONS_KO[fact.source]}"
    assert labels(r) == ["출처", "다른 팩트"]
    src = await world.emu.click(r, world.fan_ko, label="출처")
    assert src.embeds[0]["title"] == "출처"
    assert set(fields(src.embeds[0])) == {"인용", "기사"}
    en = await world.emu.command(world.general, world.fan, "fact", {"kind": "tour"})
    en_fact = await world.bot.store.facts.get(en.buttons[0]["custom_id"].rpartition(":")[2])
    assert en.embeds[0]["description"] == en_fact.text


async def test_onthisday_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "onthisday", {"date": "3월 2일"})
    [embed] = r.embeds
    assert embed["title"] == "오늘의 기록: 3월 2일"
    assert embed["description"].splitlines()[0] == f"🎤 **아이유 H.E.R. 월드 투어** 서울 공연 · 2024 ({ago(2)})"
    r = await world.emu.command(world.general, world.fan_ko, "onthisday", {"date": "01-24"})
    assert r.embeds[0]["description"].splitlines()[0] == f"🎵 **러브 윈즈 올** 발매 · 2024 ({ago(2)})"
    r = await world.emu.command(world.general, world.fan_ko, "onthisday", {"date": "12-25"})
    assert r.embeds[0]["description"].startswith("12월 25일에 있었던 일은 아직 몰라요.")


async def test_countdown_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "countdown")
    [embed] = r.embeds
    assert embed["title"] == "⏳ 카운트다운"
    lines = embed["description"].splitlines()
    assert lines[0] == "🎂 **러브 윈즈 올** 3주년"
    assert lines[2] == "🎤 **아이유 H.E.R. 월드 투어** 서울 공연 3주년"
    assert "3주년" in lines[0] and "서울 공연 3주년" in lines[2]
    assert embed["footer"]["text"] == "시간은 각자의 시간대로 표시돼요."


async def test_about_title_and_fields_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "about")
    assert set(fields(r.embeds[0])) == {"팩", "출처 기사"}
    assert r.embeds[0]["description"].startswith("팬 커뮤니티를 위한")


async def test_errors_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "song", {"title": "Blueming"})
    assert r.ephemeral
    assert r.content == "**Blueming**(이)라는 노래를 찾지 못했어요.\n제목 없이 `/노래`를 쓰면 모든 노래를 볼 수 있어요."
    r = await world.emu.command(world.general, world.fan_ko, "tour", {"city": "Paris"})
    assert r.content == "**Paris**에서 열리는 공연은 찾지 못했어요.\n이름 없이 `/투어`를 쓰면 모든 투어를 볼 수 있어요."
    r = await world.emu.command(world.general, world.fan_ko, "fact", {"about": "xyzzy"})
    assert r.content == "**xyzzy**에 대해서는 아직 아는 게 없어요."
    r = await world.emu.command(world.general, world.fan_ko, "onthisday", {"date": "banana"})
    assert r.content.startswith("**banana**을(를) 날짜로 읽지 못했어요.")
    r = await world.emu.command(world.general, world.fan_ko, "song", {"title": "러브"})
    assert "혹시 이걸 찾으셨나요? **러브 윈즈 올**" in r.content


async def test_the_moderator_with_a_korean_client_gets_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.mod, "countdown")
    assert r.embeds[0]["title"] == "⏳ 카운트다운"
    r = await world.emu.command(world.general, world.admin, "countdown")
    assert r.embeds[0]["title"] == "⏳ Countdown"
