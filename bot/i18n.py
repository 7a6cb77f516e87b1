"""English and Korean: reply strings, and the translator discord.py uses for the command tree.

A reply's language follows the user's Discord locale; anything without a Korean translation falls back
to English. Command names, descriptions, options and choices are translated by :class:`Translator`,
keyed by their English text.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

LANGS = ("en", "ko")

# A template is a string, or for English nouns that change with a number {"one": ..., "other": ...},
# chosen by the `count` parameter.
MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "en": {
        "error.unexpected": "Something went wrong on my side. If it keeps happening, tell a moderator the error id `{error_id}`.",
        "error.not_allowed": "You don't have permission to use that here.",
        "error.not_found.song": "I couldn't find a song called **{query}**.",
        "error.not_found.tour": "I couldn't find a tour called **{query}**.",
        "error.not_found.city": "**{tour}** has no show in **{query}**.",
        "error.not_found.city_any": "I don't know of a show in **{query}**.",
        "error.not_found.about": "I don't know anything about **{query}** yet.",
        "error.did_you_mean": "Did you mean: {options}?",
        "error.try_list": "Try `/song` with no title to see every song.",
        "error.try_tours": "Try `/tour` with no name to see every tour.",
        "error.bad_date": "I couldn't read **{query}** as a date. Try `03-02`, `2024-03-02`, `March 2` or `3월 2일`.",
        "error.no_facts": "I have no facts matching that yet.",
        "error.member_missing_permissions": {
            "one": "You need the {permissions} permission to use this.",
            "other": "You need these permissions to use this: {permissions}.",
        },
        "error.bot_missing_permissions": {
            "one": "I need the {permissions} permission here to do that. A moderator can give it to me in the channel or role settings.",
            "other": "I need these permissions here to do that: {permissions}. A moderator can give them to me in the channel or role settings.",
        },
        "error.cooldown": "Slow down a little: you can use this again {retry}.",
        "error.guild_only": "This command only works in a server, not in direct messages.",
        "error.stale_button": "That button is from an older version of me and no longer works. Run the command again for a fresh one.",
        "perm.administrator": "Administrator",
        "perm.manage_guild": "Manage Server",
        "perm.manage_roles": "Manage Roles",
        "perm.manage_channels": "Manage Channels",
        "perm.manage_messages": "Manage Messages",
        "perm.manage_events": "Manage Events",
        "perm.mention_everyone": "Mention @everyone, @here, and All Roles",
        "perm.view_channel": "View Channel",
        "perm.send_messages": "Send Messages",
        "perm.send_messages_in_threads": "Send Messages in Threads",
        "perm.embed_links": "Embed Links",
        "perm.attach_files": "Attach Files",
        "perm.add_reactions": "Add Reactions",
        "perm.read_message_history": "Read Message History",
        "perm.use_external_emojis": "Use External Emoji",
        "when.today": "today",
        "song.artists": "Artists",
        "song.released": "Released",
        "song.charts": "Chart records",
        "song.mv": "Music video",
        "song.more_mv": "…and {count} more in Behind the scenes.",
        "song.footer": {
            "one": "{count} sourced fact · tap Sources to check it",
            "other": "{count} sourced facts · tap Sources to check them",
        },
        "song.no_facts": "No facts about this song yet.",
        "role.vocals": "vocals",
        "role.featuring": "featuring",
        "role.music-video": "appears in the music video",
        "role.songwriting": "songwriting",
        "role.production": "production",
        "button.behind": "Behind the scenes",
        "button.another": "Another fact",
        "button.sources": "Sources",
        "button.first": "First",
        "button.last": "Last",
        "button.prev": "Previous",
        "button.next": "Next",
        "button.source": "Source",
        "behind.title": "Behind the scenes: {title}",
        "behind.none": "No behind-the-scenes notes for this one yet.",
        "sources.title": "Sources",
        "sources.none": "Nothing to cite here.",
        "songs.title": "Songs",
        "songs.page": {
            "one": "Page {page} of {pages} · {count} song",
            "other": "Page {page} of {pages} · {count} songs",
        },
        "songs.empty": "No songs are loaded yet.",
        "tour.regions": "Regions",
        "tour.dates": "Dates",
        "tour.next": "Next show",
        "tour.first": "First show",
        "tour.finale": "Finale",
        "tour.state.played": "played",
        "tour.state.next": "next",
        "tour.state.upcoming": "upcoming",
        "tour.ended": "Every date of this tour is in the past: the finale was {ago}. Relive it with `/onthisday` and the anniversaries in `/countdown`.",
        "tour.in_city": "Shows in {city}",
        "tour.more_dates": "…and {count} more dates.",
        "tours.title": "Tours",
        "tours.empty": "No tours are loaded yet.",
        "tours.pick": "Pick one with `/tour name:`.",
        "fact.title": "Did you know?",
        "fact.about": "About",
        "fact.kind": "Kind",
        "fact.source": "Source: {source}",
        "fact.pool_reset": "You've seen every fact here, so I'm starting over.",
        "source.title": "Where this comes from",
        "source.quote": "Quote",
        "source.article": "Article",
        "onthisday.title": "On this day: {day}",
        "onthisday.none": "Nothing I know of happened on {day}. Try another date, like `03-02`.",
        "onthisday.today_in": "Today is {day} in {zone}; pick any day with `date:`.",
        "onthisday.years_ago": {"one": "{count} year ago", "other": "{count} years ago"},
        "onthisday.this_year": "this year",
        "onthisday.release": "🎵 **{title}** was released",
        "onthisday.show": "🎤 **{tour}** played {city}",
        "countdown.title": "Countdown",
        "countdown.none": "Nothing is coming up right now.",
        "countdown.show": "🎤 **{tour}**: {city}",
        "countdown.release_anniversary": "🎂 **{title}** turns {count}",
        "countdown.show_anniversary": {
            "one": "🎤 {count} year since **{tour}** in {city}",
            "other": "🎤 {count} years since **{tour}** in {city}",
        },
        "countdown.footer": "Times show in your own time zone.",
        "about.title": "Lightstick {version}",
        "about.description": "Facts with sources, song and tour cards, and countdowns for fan communities.",
        "about.packs": "Packs",
        "about.pack_line": "**{name}**\nSongs: {songs} · Tours: {tours} · Dates: {shows} · Facts: {facts}",
        "about.sources": "Source articles",
        "about.source_line": {
            "one": "{source} · `{file}` ({count} fact)",
            "other": "{source} · `{file}` ({count} facts)",
        },
        "about.none": "No packs loaded.",
        "kind.fact": "Fact",
        "kind.behind-the-scenes": "Behind the scenes",
        "kind.chart-record": "Chart record",
        "kind.music-video": "Music video",
        "kind.tour": "Tour",
        "kind.reception": "Reception",
    },
    "ko": {
        "error.unexpected": "처리 중에 문제가 생겼어요. 계속 그러면 모더레이터에게 오류 번호를 알려 주세요: `{error_id}`",
        "error.not_allowed": "여기서 이 명령을 쓸 권한이 없어요.",
        "error.not_found.song": "**{query}**(이)라는 노래를 찾지 못했어요.",
        "error.not_found.tour": "**{query}**(이)라는 투어를 찾지 못했어요.",
        "error.not_found.city": "**{tour}**에는 **{query}** 공연이 없어요.",
        "error.not_found.city_any": "**{query}**에서 열리는 공연은 찾지 못했어요.",
        "error.not_found.about": "**{query}**에 대해서는 아직 아는 게 없어요.",
        "error.did_you_mean": "혹시 이걸 찾으셨나요? {options}",
        "error.try_list": "제목 없이 `/노래`를 쓰면 모든 노래를 볼 수 있어요.",
        "error.try_tours": "이름 없이 `/투어`를 쓰면 모든 투어를 볼 수 있어요.",
        "error.bad_date": "**{query}**을(를) 날짜로 읽지 못했어요. `03-02`, `2024-03-02`, `3월 2일`처럼 써 주세요.",
        "error.no_facts": "조건에 맞는 팩트가 아직 없어요.",
        "error.member_missing_permissions": "이 명령을 쓰려면 {permissions} 권한이 필요해요.",
        "error.bot_missing_permissions": "그 작업을 하려면 제게 여기서 {permissions} 권한이 필요해요. 모더레이터가 채널이나 역할 설정에서 줄 수 있어요.",
        "error.cooldown": "조금만 천천히요! {retry} 다시 쓸 수 있어요.",
        "error.guild_only": "이 명령은 서버에서만 쓸 수 있어요. DM에서는 안 돼요.",
        "error.stale_button": "예전 버전의 버튼이라 더 이상 작동하지 않아요. 명령을 다시 실행해 새 버튼을 받아 주세요.",
        "perm.administrator": "관리자",
        "perm.manage_guild": "서버 관리하기",
        "perm.manage_roles": "역할 관리하기",
        "perm.manage_channels": "채널 관리하기",
        "perm.manage_messages": "메시지 관리",
        "perm.manage_events": "이벤트 관리",
        "perm.mention_everyone": "@everyone, @here, 모든 역할 멘션하기",
        "perm.view_channel": "채널 보기",
        "perm.send_messages": "메시지 보내기",
        "perm.send_messages_in_threads": "스레드에서 메시지 보내기",
        "perm.embed_links": "링크 첨부",
        "perm.attach_files": "파일 첨부",
        "perm.add_reactions": "반응 추가하기",
        "perm.read_message_history": "메시지 기록 보기",
        "perm.use_external_emojis": "외부 이모티콘 사용",
        "when.today": "오늘",
        "song.artists": "아티스트",
        "song.released": "발매",
        "song.charts": "차트 기록",
        "song.mv": "뮤직비디오",
        "song.more_mv": "…비하인드에 {count}개 더 있어요.",
        "song.footer": "출처가 있는 팩트 {count}개 · 출처 버튼으로 확인하세요",
        "song.no_facts": "이 노래에 대한 팩트가 아직 없어요.",
        "role.vocals": "보컬",
        "role.featuring": "피처링",
        "role.music-video": "뮤직비디오 출연",
        "role.songwriting": "작사·작곡",
        "role.production": "프로듀싱",
        "button.behind": "비하인드",
        "button.another": "다른 팩트",
        "button.sources": "출처",
        "button.first": "처음",
        "button.last": "마지막",
        "button.prev": "이전",
        "button.next": "다음",
        "button.source": "출처",
        "behind.title": "비하인드: {title}",
        "behind.none": "아직 비하인드 노트가 없어요.",
        "sources.title": "출처",
        "sources.none": "인용할 출처가 없어요.",
        "songs.title": "노래 목록",
        "songs.page": "{pages}쪽 중 {page}쪽 · 노래 {count}곡",
        "songs.empty": "아직 불러온 노래가 없어요.",
        "tour.regions": "지역",
        "tour.dates": "일정",
        "tour.next": "다음 공연",
        "tour.first": "첫 공연",
        "tour.finale": "피날레",
        "tour.state.played": "종료",
        "tour.state.next": "다음",
        "tour.state.upcoming": "예정",
        "tour.ended": "이 투어의 모든 공연이 끝났어요. 피날레는 {ago}에 열렸어요. `/오늘의기록`과 `/카운트다운`의 기념일로 다시 즐겨 보세요.",
        "tour.in_city": "{city} 공연",
        "tour.more_dates": "…외 {count}개 일정.",
        "tours.title": "투어 목록",
        "tours.empty": "아직 불러온 투어가 없어요.",
        "tours.pick": "`/투어 이름:`으로 골라 주세요.",
        "fact.title": "알고 계셨나요?",
        "fact.about": "관련",
        "fact.kind": "종류",
        "fact.source": "출처: {source}",
        "fact.pool_reset": "여기 있는 팩트를 모두 보셔서 처음부터 다시 보여 드려요.",
        "source.title": "출처",
        "source.quote": "인용",
        "source.article": "기사",
        "onthisday.title": "오늘의 기록: {day}",
        "onthisday.none": "{day}에 있었던 일은 아직 몰라요. `03-02`처럼 다른 날짜를 넣어 보세요.",
        "onthisday.today_in": "한국 시간 기준 오늘은 {day}이에요. `날짜:`로 다른 날도 볼 수 있어요.",
        "onthisday.years_ago": "{count}년 전",
        "onthisday.this_year": "올해",
        "onthisday.release": "🎵 **{title}** 발매",
        "onthisday.show": "🎤 **{tour}** {city} 공연",
        "countdown.title": "카운트다운",
        "countdown.none": "지금은 다가오는 일정이 없어요.",
        "countdown.show": "🎤 **{tour}**: {city}",
        "countdown.release_anniversary": "🎂 **{title}** {count}주년",
        "countdown.show_anniversary": "🎤 **{tour}** {city} 공연 {count}주년",
        "countdown.footer": "시간은 각자의 시간대로 표시돼요.",
        "about.title": "Lightstick {version}",
        "about.description": "팬 커뮤니티를 위한 출처 있는 팩트, 노래·투어 카드와 카운트다운.",
        "about.packs": "팩",
        "about.pack_line": "**{name}**\n노래 {songs}곡 · 투어 {tours}개 · 일정 {shows}개 · 팩트 {facts}개",
        "about.sources": "출처 기사",
        "about.source_line": "{source} · `{file}` (팩트 {count}개)",
        "about.none": "불러온 팩이 없어요.",
        "kind.fact": "팩트",
        "kind.behind-the-scenes": "비하인드",
        "kind.chart-record": "차트 기록",
        "kind.music-video": "뮤직비디오",
        "kind.tour": "투어",
        "kind.reception": "반응",
    },
}

# The command tree, keyed by the English text discord.py hands the translator.
TREE_KO: dict[str, str] = {
    "song": "노래",
    "Look up a song: its card, behind the scenes, facts and sources": "노래 찾기: 카드, 비하인드, 팩트와 출처",
    "title": "제목",
    "Song title (English, Korean or an alias); leave empty for the list": "노래 제목 (영어, 한국어, 별칭); 비우면 목록",
    "tour": "투어",
    "A tour's dates, what's next, first show and finale": "투어 일정, 다음 공연, 첫 공연과 피날레",
    "name": "이름",
    "Tour name; leave empty to see them all": "투어 이름; 비우면 전체 목록",
    "city": "도시",
    "Only the shows in this city": "이 도시의 공연만",
    "fact": "팩트",
    "A random fact or behind-the-scenes note, with its source": "출처가 있는 랜덤 팩트나 비하인드",
    "about": "관련",
    "An artist, song or tour": "아티스트, 노래 또는 투어",
    "kind": "종류",
    "What sort of fact": "팩트 종류",
    "onthisday": "오늘의기록",
    "Releases, shows and moments that happened on this day": "이날 있었던 발매, 공연과 순간들",
    "date": "날짜",
    "A day like 03-02, 2024-03-02 or March 2 (default: today)": "03-02, 2024-03-02, 3월 2일 같은 날짜 (기본: 오늘)",
    "countdown": "카운트다운",
    "Upcoming shows and anniversaries, soonest first": "다가오는 공연과 기념일, 가까운 순",
    "Version, loaded packs and the articles the facts come from": "버전, 불러온 팩과 팩트의 출처 기사",
}


# The fact kinds' choice names, as /fact shows them.
TREE_KO.update({str(MESSAGES["en"][k]): str(MESSAGES["ko"][k]) for k in MESSAGES["en"] if k.startswith("kind.")})

# Names that mean something else as a command than as an option ("about" is /about, and /fact's about:).
TREE_KO_COMMANDS: dict[str, str] = {
    "about": "정보",
}


def _merge_feature_tables() -> None:
    """Fold each feature's table (``bot.locales.*``) into the ones above; a key defined twice is a bug."""
    from bot.locales import announcements, trivia

    for table in (trivia, announcements):
        for lang, messages in table.MESSAGES.items():
            clash = set(messages) & set(MESSAGES[lang])
            if clash:
                raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
            MESSAGES[lang].update(messages)
        TREE_KO.update(table.TREE_KO)
        TREE_KO_COMMANDS.update(table.TREE_KO_COMMANDS)


_merge_feature_tables()


def lang_of(interaction: discord.Interaction[Any] | None) -> str:
    if interaction is None:
        return "en"
    return "ko" if str(interaction.locale).startswith("ko") else "en"


def t(lang: str, key: str, **params: object) -> str:
    template = MESSAGES.get(lang, {}).get(key) or MESSAGES["en"].get(key)
    if template is None:
        return key
    if isinstance(template, dict):
        template = template["one" if params.get("count") == 1 else "other"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def pick(lang: str, english: str, korean: str | None) -> str:
    """Pack content: the Korean text for Korean readers when the pack has it, else English."""
    return korean if lang == "ko" and korean else english


class Translator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        if locale is discord.Locale.korean:
            if context.location is app_commands.TranslationContextLocation.command_name:
                return TREE_KO_COMMANDS.get(string.message) or TREE_KO.get(string.message)
            return TREE_KO.get(string.message)
        return None
