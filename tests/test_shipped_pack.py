"""The pack that ships, data/packs/iu, checked independently of the loader where it matters."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest

from bot.content.model import CREDIT_ROLES, FACT_KINDS
from bot.trivia.game import option_text
from bot.trivia.questions import curated

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def raw(shipped_pack) -> dict[str, list[dict]]:
    """Every table entry as written in the TOML files, read without the loader."""
    tables: dict[str, list[dict]] = {}
    for path in sorted(shipped_pack.glob("*.toml")):
        for table, value in tomllib.loads(path.read_text(encoding="utf-8")).items():
            tables.setdefault(table, []).extend(value if isinstance(value, list) else [value])
    return tables


@pytest.fixture(scope="module")
def pack(shipped_packs):
    return shipped_packs[0]


def test_check_passes(cli, pack):
    result = cli("check", "data/packs/iu")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok  {pack.id} ")
    assert result.stderr == ""


def test_tables_are_known(raw):
    assert set(raw) <= {"pack", "artist", "song", "tour", "show", "fact", "question", "article"}
    assert len(raw["pack"]) == 1


def test_fact_count(raw):
    assert 25 <= len(raw["fact"]) <= 40


def test_ids_unique(raw):
    for table, entries in raw.items():
        if table in ("pack", "article"):  # an article is keyed by its seed file
            continue
        counts = Counter(e["id"] for e in entries)
        assert [i for i, n in counts.items() if n > 1] == [], table
        assert all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?", e["id"]) for e in entries)


def test_every_sourced_entry_quotes_its_seed_verbatim(raw, seeds_dir):
    seeds = {p.name: collapse(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")}
    checked = 0
    for table, entries in raw.items():
        if table == "article":
            for article in entries:
                assert collapse(article["title"]) in seeds[article["file"]], f"article {article['file']}: title"
            continue
        for entry in entries:
            if "quote" not in entry and "source" not in entry:
                assert table in ("pack", "artist", "question"), f"{table} {entry['id']} has no source"
                continue
            where = f"{table} {entry['id']}"
            assert entry["source"] in seeds, f"{where}: no seed {entry['source']}"
            assert collapse(entry["quote"]) in seeds[entry["source"]], f"{where}: quote not in seed"
            checked += 1
    assert checked >= len(raw["fact"])


def test_every_fact_has_source_and_quote(raw, seeds_dir):
    for fact in raw["fact"]:
        assert (seeds_dir / fact["source"]).is_file()
        assert fact["quote"].strip() and fact["text"].strip()
        assert 1 <= len(fact["text"].strip()) <= 600


def test_kinds_and_roles_are_valid(raw):
    assert {f["kind"] for f in raw["fact"]} <= set(FACT_KINDS)
    assert {c["role"] for s in raw.get("song", []) for c in s["credits"]} <= set(CREDIT_ROLES)


def test_references_resolve(raw):
    ids = {table: {e["id"] for e in entries} for table, entries in raw.items() if table not in ("pack", "article")}
    for question in raw["question"]:
        assert question["fact"] in ids["fact"], question["id"]
    for fact in raw["fact"]:
        for ref in fact["about"]:
            kind, _, ident = ref.partition(":")
            assert ident in ids[kind], f"{fact['id']}: {ref}"
    for show in raw.get("show", []):
        assert show["tour"] in ids["tour"]
    for tour in raw.get("tour", []):
        assert tour["artist"] in ids["artist"]


def test_korean_fields_are_korean(raw):
    seen = 0
    for table, entries in raw.items():
        for entry in entries:
            for key, value in entry.items():
                if key.endswith("_ko"):
                    seen += 1
                    for item in value if isinstance(value, list) else [value]:
                        assert isinstance(item, str) and item.strip(), f"{table} {entry.get('id')}: {key} is empty"
                        assert HANGUL.search(item), f"{table} {entry.get('id')}: {key} has no Hangul"
    assert seen > 0


def test_every_fact_and_question_has_korean(raw):
    assert all(f.get("text_ko", "").strip() for f in raw["fact"])
    assert all(q.get("question_ko", "").strip() and q.get("answer_ko", "").strip() for q in raw["question"])


def test_trivia_options_are_unambiguous(raw):
    # trivia.toml promises that no wrong option collides with the answer or one of its aliases.
    for question in raw["question"]:
        accepted = {a.casefold() for a in [question["answer"], *question.get("aliases", [])]}
        wrong = [w.casefold() for w in question["wrong"]]
        assert len(wrong) == 3 and len(set(wrong)) == 3, question["id"]
        assert not accepted & set(wrong), question["id"]


def test_dated_entries_have_zones(pack):
    assert all(f.zone for f in pack.facts if f.date)
    assert all(s.zone for s in pack.songs if s.released)
    assert [s.milestone for s in sorted(pack.shows, key=lambda s: s.starts_at)] == ["first", "finale"]


# ---------------------------------------------------------------- issue 9 items 7, 9, 11


@pytest.fixture(scope="module")
def catalog(pack):
    from bot.content.catalog import Catalog

    return Catalog.build(pack.artists, pack.songs, pack.tours, pack.shows, pack.articles)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("taehyung", "artist:v"),
        ("Kim Taehyung", "artist:v"),
        ("김태형", "artist:v"),
        ("태형", "artist:v"),
        ("kim tae-hyung", "artist:v"),
        ("Lee Ji-eun", "artist:iu"),
        ("이지은", "artist:iu"),
        ("아이유", "artist:iu"),
        ("lee jieun", "artist:iu"),
    ],
)
def test_fact_subject_given_names_resolve_to_the_artist(catalog, typed, key):
    found = catalog.subjects.resolve(typed)
    assert found is not None and found.key == key


def test_artist_aliases_are_exactly_the_true_name_forms(raw):
    aliases = {a["id"]: a.get("aliases", []) for a in raw["artist"]}
    assert aliases == {
        "iu": ["아이유", "Lee Ji-eun", "Ji-eun", "이지은", "지은"],
        "v": ["BTS V", "뷔", "BTS 뷔", "방탄소년단 뷔", "방탄 뷔", "Kim Taehyung", "Taehyung", "김태형", "태형"],
    }


@pytest.mark.parametrize(
    "typed",
    [
        "IU - Love Wins All",
        "아이유 러브윈즈올",
        "IU love wins all",
        "V - LWA",
        "Love Wins All by IU",
        "taehyung love wins al",
    ],
)
def test_song_typed_with_its_artist_resolves_and_completes(catalog, typed):
    assert catalog.songs.resolve(typed).key == "song:love-wins-all"
    assert [m.label for m in catalog.songs.complete(typed)] == ["Love Wins All"]


def test_no_quote_carries_page_furniture(raw):
    furniture = ("Last Updated", "Recommended Videos", "Get the latest updates", "OTTplay Logo", "settings icon")
    quoted = [(e.get("id", e.get("file")), e["quote"]) for t in raw.values() for e in t if "quote" in e]
    assert [(ident, word) for ident, q in quoted for word in furniture if word in q] == []


def test_song_quote_is_the_sentences_that_make_the_claim(raw):
    [song] = raw["song"]
    assert song["quote"] == (
        "K-pop dreams came true when soloist IU and BTS’ V dropped their duet, 'Love Wins All'. "
        "The music video, released on January 24,"
    )


# The curated questions whose options a Korean reader sees in Korean (`wrong_ko` filled), and the one left in
# English because its wrong options (IU's other tour names) have no settled Hangul spelling.
KOREAN_OPTIONS = {
    "q-mv-release-date": ("1월 24일", "1월 14일", "2월 24일", "1월 28일"),
    "q-youtube-views": ("3천만 회 이상", "1천만 회 이상", "5천만 회 이상", "1억 회 이상"),
    "q-iu-gown-colour": ("노란색", "흰색", "분홍색", "하늘색"),
    "q-v-outfit": ("검은 정장과 넥타이", "흰 턱시도", "청재킷", "한복"),
    "q-melon-chart": ("멜론", "지니", "벅스", "플로"),
    "q-melon-first": ("여성", "남성", "신인", "외국인"),
    "q-sign-language": ("수어", "손편지", "모스 부호", "문자 메시지"),
    "q-v-sense": ("시각", "청각", "후각", "미각"),
    "q-running-from": ("떠다니는 큐브", "좀비", "쓰나미", "거대 로봇"),
    "q-mv-setting": ("종말을 맞은 세상", "물속", "중세", "우주"),
    "q-pretend-wedding": ("결혼식 날", "생일", "크리스마스", "새해 첫날"),
}
ENGLISH_OPTIONS = {"q-tour-name"}


def test_every_question_with_korean_forms_offers_four_korean_options(pack):
    """Through the game's own option builder: the answer's Korean form and three Korean wrong options, all
    Hangul and all different, for every question that fills `wrong_ko`; English for the rest."""
    facts = {f.id: f for f in pack.facts}
    questions = {q.id: q for q in pack.questions}
    korean: dict[str, tuple[str, ...]] = {}
    for q in curated(list(pack.questions), facts):
        shown = tuple(option_text(q, i, "ko") for i in range(4))
        if questions[q.id.removeprefix("q:")].wrong_ko:
            korean[q.id.removeprefix("q:")] = shown
            assert len(set(shown)) == 4 and all(HANGUL.search(text) for text in shown), q.id
        else:
            assert shown == tuple(option_text(q, i, "en") for i in range(4)), q.id
    assert {k: v for k, v in korean.items() if k in KOREAN_OPTIONS} == KOREAN_OPTIONS
    assert set(questions) - set(korean) == ENGLISH_OPTIONS
