"""Bad packs are rejected whole, with one line per problem naming file, line, entry and what is wrong.

Each case copies the shipped pack, breaks one thing, and returns the problems a person should see.
The same cases run through ``load_packs`` and through ``python -m bot check`` / ``ingest``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content import loader
from bot.content.loader import Problem, load_packs

SEED = "000_24b8aacb5478efeb.txt"
FACT_KEYS = "id, kind, about, text, text_ko, date, zone, source, quote"
Expected = tuple[str, int | None, str | None, str]  # (file name in the pack, line, entry, message)


def fmt(pack: Path, expected: Expected) -> str:
    name, line, entry, message = expected
    where = f"{pack / name}:{line}" if line else str(pack / name)
    return f"{where}: {entry}: {message}" if entry else f"{where}: {message}"


# ---------------------------------------------------------------- the cases
# Each takes the pack_file editor and returns the expected problems.


def broken_toml(pf) -> list[Expected]:
    f = pf("trivia.toml")
    line = f.line_of('answer = "Melon"')
    f.set_line(line, 'answer = "Melon')
    # The parser's own words (tomllib or tomli), which must name the line.
    with pytest.raises(loader.tomllib.TOMLDecodeError) as error:
        loader.tomllib.loads(f.text)
    assert f"line {line}," in str(error.value)
    return [
        (
            "trivia.toml",
            line,
            None,
            f"broken TOML: {error.value} (references into this file are checked once it parses)",
        )
    ]


def unknown_key(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.line_of('id = "lwa-mv-release"')
    f.insert_after(line, 'colour = "yellow"')
    return [("facts.toml", line + 1, "fact 'lwa-mv-release'", f"unknown key 'colour'; allowed: {FACT_KEYS}")]


def misspelt_key(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "text_ko")
    f.set_line(line, 'textKo = "노래"')
    return [("facts.toml", line, "fact 'lwa-anthem'", "unknown key 'textKo' (did you mean 'text_ko'?)")]


def missing_field(pf) -> list[Expected]:
    f = pf("facts.toml")
    f.set_line(f.key_line("lwa-anthem", "text"), None)
    return [("facts.toml", f.header_line("lwa-anthem"), "fact 'lwa-anthem'", "missing required key 'text'")]


def duplicate_id(pf) -> list[Expected]:
    f = pf("facts.toml")
    first = f.header_line("lwa-collaboration")
    f.append(f'''
[[fact]]
id = "lwa-collaboration-copy"
kind = "fact"
about = ["artist:iu"]
text = "A second entry with the same id."
source = "{SEED}"
quote = "IU and V’s latest collaboration ‘Love Wins All’"
''')
    line = f.line_of('id = "lwa-collaboration-copy"')
    f.set_line(line, 'id = "lwa-collaboration"')
    return [
        (
            "facts.toml",
            line,
            "fact 'lwa-collaboration'",
            f"duplicate id 'lwa-collaboration' (first defined at {f.path}:{first})",
        )
    ]


def unknown_artist(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "about")
    f.set_line(line, 'about = ["song:love-wins-all", "artist:suga"]')
    return [("facts.toml", line, "fact 'lwa-anthem'", "'about' names unknown artist 'suga'")]


def unknown_song(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("bts-song-costumes", "about")
    f.set_line(line, 'about = ["song:celebrity"]')
    return [("facts.toml", line, "fact 'bts-song-costumes'", "'about' names unknown song 'celebrity'")]


def unknown_tour(pf) -> list[Expected]:
    f = pf("tours.toml")
    line = f.key_line("her-seoul", "tour")
    f.set_line(line, 'tour = "love-poem-tour"')
    return [("tours.toml", line, "show 'her-seoul'", "unknown tour 'love-poem-tour'")]


def unknown_tour_in_about(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "about")
    f.set_line(line, 'about = ["tour:love-poem"]')
    return [("facts.toml", line, "fact 'lwa-anthem'", "'about' names unknown tour 'love-poem'")]


def unknown_credit_artist(pf) -> list[Expected]:
    f = pf("songs.toml")
    f.replace('{ artist = "v", role = "music-video" }', '{ artist = "suga", role = "music-video" }')
    return [
        (
            "songs.toml",
            f.key_line("love-wins-all", "credits"),
            "song 'love-wins-all'",
            "credit names unknown artist 'suga'",
        )
    ]


def unknown_tour_artist(pf) -> list[Expected]:
    f = pf("tours.toml")
    line = f.key_line("her-world-tour", "artist")
    f.set_line(line, 'artist = "suga"')
    return [("tours.toml", line, "tour 'her-world-tour'", "unknown artist 'suga'")]


def unknown_question_fact(pf) -> list[Expected]:
    f = pf("trivia.toml")
    line = f.key_line("q-melon-chart", "fact")
    f.set_line(line, 'fact = "no-such-fact"')
    return [("trivia.toml", line, "question 'q-melon-chart'", "unknown fact 'no-such-fact'")]


def impossible_date(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-mv-release", "date")
    f.set_line(line, 'date = "2024-02-30"')
    return [("facts.toml", line, "fact 'lwa-mv-release'", "'date' is an impossible date: 2024-02-30")]


def unknown_zone(pf) -> list[Expected]:
    f = pf("tours.toml")
    line = f.key_line("her-los-angeles", "zone")
    f.set_line(line, 'zone = "America/Los Angeles"')
    return [
        (
            "tours.toml",
            line,
            "show 'her-los-angeles'",
            "unknown time zone 'America/Los Angeles'; use an IANA region name such as 'Asia/Seoul' "
            "(fixed offsets like Etc/GMT+9 ignore daylight saving)",
        )
    ]


def quote_not_in_seed(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "quote")
    f.set_line(line, "quote = \"'Love Wins All' is the anthem everybody needed.\"")
    return [("facts.toml", line, "fact 'lwa-anthem'", f"quote not found in seeds/{SEED}")]


def wrong_is_answer(pf) -> list[Expected]:
    f = pf("trivia.toml")
    line = f.key_line("q-melon-chart", "wrong")
    f.set_line(line, 'wrong = ["Genie", "MELON", "FLO"]')
    return [("trivia.toml", line, "question 'q-melon-chart'", "wrong option 'MELON' is an accepted answer")]


def unknown_kind(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "kind")
    f.set_line(line, 'kind = "gossip"')
    return [
        (
            "facts.toml",
            line,
            "fact 'lwa-anthem'",
            "'kind' must be one of fact, behind-the-scenes, chart-record, music-video, tour, reception; got 'gossip'",
        )
    ]


def bad_id(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.line_of('id = "lwa-anthem"')
    f.set_line(line, 'id = "Lwa_Anthem"')
    return [
        (
            "facts.toml",
            line,
            "fact 'Lwa_Anthem'",
            "'id' must be lowercase letters, digits and hyphens (1-64), got 'Lwa_Anthem'",
        )
    ]


def impossible_time(pf) -> list[Expected]:
    f = pf("tours.toml")
    line = f.key_line("her-seoul", "date")
    f.insert_after(line, 'time = "25:00"')
    return [("tours.toml", line + 1, "show 'her-seoul'", "'time' is an impossible time: 25:00")]


def datetime_not_date(pf) -> list[Expected]:
    f = pf("tours.toml")
    line = f.key_line("her-seoul", "date")
    f.set_line(line, "date = 2024-03-02T19:00:00")
    return [
        (
            "tours.toml",
            line,
            "show 'her-seoul'",
            "'date' must be a date (YYYY-MM-DD) without a time; put the time in 'time'",
        )
    ]


def released_without_zone(pf) -> list[Expected]:
    f = pf("songs.toml")
    f.set_line(f.key_line("love-wins-all", "zone"), None)
    return [
        (
            "songs.toml",
            f.key_line("love-wins-all", "released"),
            "song 'love-wins-all'",
            "'released' needs a 'zone' (the IANA zone the date is in, e.g. 'Asia/Seoul')",
        )
    ]


def dated_fact_without_zone(pf) -> list[Expected]:
    f = pf("facts.toml")
    f.set_line(f.key_line("lwa-mv-release", "zone"), None)
    return [
        (
            "facts.toml",
            f.key_line("lwa-mv-release", "date"),
            "fact 'lwa-mv-release'",
            "'date' needs a 'zone' (the IANA zone the day is in)",
        )
    ]


def unknown_table(pf) -> list[Expected]:
    f = pf("songs.toml")
    f.append('[[album]]\nid = "palette"')
    return [
        (
            "songs.toml",
            f.line_of("[[album]]"),
            None,
            "unknown table [album]; allowed: [pack], [[artist]], [[song]], [[tour]], [[show]], [[fact]], "
            "[[article]], [[question]]",
        )
    ]


def missing_source_file(pf) -> list[Expected]:
    f = pf("facts.toml")
    line = f.key_line("lwa-anthem", "source")
    f.set_line(line, 'source = "999_missing.txt"')
    return [("facts.toml", line, "fact 'lwa-anthem'", "source '999_missing.txt' is not a file in seeds/")]


def _traversal(source: str) -> Callable[..., list[Expected]]:
    def case(pf) -> list[Expected]:
        f = pf("facts.toml")
        line = f.key_line("lwa-anthem", "source")
        f.set_line(line, f'source = "{source}"')
        return [("facts.toml", line, "fact 'lwa-anthem'", f"source {source!r} is not a file in seeds/")]

    case.__name__ = f"traversal {source}"
    return case


ISSUE_CASES = [
    broken_toml,
    unknown_key,
    missing_field,
    duplicate_id,
    unknown_artist,
    unknown_song,
    unknown_tour,
    impossible_date,
    unknown_zone,
    quote_not_in_seed,
]
EXTRA_CASES = [
    misspelt_key,
    unknown_tour_in_about,
    unknown_credit_artist,
    unknown_tour_artist,
    unknown_question_fact,
    wrong_is_answer,
    unknown_kind,
    bad_id,
    impossible_time,
    datetime_not_date,
    released_without_zone,
    dated_fact_without_zone,
    unknown_table,
    missing_source_file,
    # "../seeds/<seed>" names a file that exists, by a path that leaves seeds/: still refused.
    _traversal("../x"),
    _traversal(f"../seeds/{SEED}"),
    _traversal("../pyproject.toml"),
    _traversal("/etc/hostname"),
]


def _ids(case: Callable[..., object]) -> str:
    return case.__name__.replace(" ", "-")


def load(pack: Path, seeds: Path) -> tuple[list, list[Problem]]:
    return load_packs([pack], seeds)


# ---------------------------------------------------------------- load_packs


@pytest.mark.parametrize("case", ISSUE_CASES + EXTRA_CASES, ids=_ids)
def test_load_packs_reports_the_problem(case, pack_copy, pack_file, seeds_dir):
    expected = case(pack_file)
    packs, problems = load(pack_copy, seeds_dir)
    assert packs == []
    assert [str(p) for p in problems] == [fmt(pack_copy, e) for e in expected]


def test_problem_fields(pack_copy, pack_file, seeds_dir):
    line = pack_file("facts.toml").key_line("lwa-anthem", "quote")
    quote_not_in_seed(pack_file)
    _, problems = load(pack_copy, seeds_dir)
    assert problems == [
        Problem(str(pack_copy / "facts.toml"), line, "fact 'lwa-anthem'", f"quote not found in seeds/{SEED}")
    ]


def test_display_function_names_the_files(pack_copy, pack_file, seeds_dir):
    quote_not_in_seed(pack_file)
    _, problems = load_packs([pack_copy], seeds_dir, display=lambda p: p.relative_to(pack_copy.parent).as_posix())
    assert [p.file for p in problems] == ["iu/facts.toml"]


@pytest.mark.parametrize(
    "zone", ["America/Los Angeles", "Mars/Olympus_Mons", "KST", "+09:00", "../etc", "", "asia/seoul"]
)
def test_unknown_zones_are_rejected(zone, pack_copy, pack_file, seeds_dir):
    f = pack_file("tours.toml")
    line = f.key_line("her-seoul", "zone")
    f.set_line(line, f'zone = "{zone}"')
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.entry, p.message) for p in problems] == [
        (
            line,
            "show 'her-seoul'",
            f"unknown time zone {zone!r}; use an IANA region name such as 'Asia/Seoul' "
            "(fixed offsets like Etc/GMT+9 ignore daylight saving)",
        )
    ]


@pytest.mark.parametrize("value", ['"2024-3-2"', '"March 2"', '"2024-13-01"', "20240302"])
def test_dates_must_be_written_yyyy_mm_dd(value, pack_copy, pack_file, seeds_dir):
    f = pack_file("tours.toml")
    line = f.key_line("her-seoul", "date")
    f.set_line(line, f"date = {value}")
    _, problems = load(pack_copy, seeds_dir)
    assert len(problems) == 1 and problems[0].line == line and problems[0].entry == "show 'her-seoul'"
    assert problems[0].message.startswith("'date' ")


def test_quote_may_differ_only_in_whitespace(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "quote")
    f.set_line(line, "quote = \"'Love Wins All'   is the anthem\\ntheir hearts\\tneeded,\"")
    packs, problems = load(pack_copy, seeds_dir)
    assert problems == [] and len(packs) == 1


def test_quote_punctuation_must_match_exactly(pack_copy, pack_file, seeds_dir):
    # The seed writes BTS’ with a curly apostrophe; a straight one is a different quote.
    f = pack_file("facts.toml")
    line = f.key_line("lwa-mv-release", "quote")
    f.set_line(line, 'quote = "soloist IU and BTS\' V dropped their duet"')
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.message) for p in problems] == [(line, f"quote not found in seeds/{SEED}")]


def test_every_problem_in_one_run(pack_copy, pack_file, seeds_dir):
    cases = [
        unknown_key,
        quote_not_in_seed,
        unknown_zone,
        wrong_is_answer,
        released_without_zone,
        unknown_table,
        unknown_tour_artist,
    ]
    expected = [e for case in cases for e in case(pack_file)]
    packs, problems = load(pack_copy, seeds_dir)
    assert packs == []
    assert len(problems) == len(expected) == 7
    # Sorted by file, then line: what a person reads top to bottom.
    ordered = sorted(expected, key=lambda e: (str(pack_copy / e[0]), e[1] or 0))
    assert [str(p) for p in problems] == [fmt(pack_copy, e) for e in ordered]


def test_reference_problem_reported_alongside_field_problem(pack_copy, pack_file, seeds_dir):
    expected = released_without_zone(pack_file) + unknown_credit_artist(pack_file)
    _, problems = load(pack_copy, seeds_dir)
    assert len(problems) == len(expected)


def test_many_problems_in_one_entry_are_all_reported(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    kind = f.key_line("lwa-anthem", "kind")
    f.set_line(kind, 'kind = "gossip"')
    date_line = kind  # insert an impossible date right after kind
    f.insert_after(date_line, 'date = "2024-02-30"')
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(kind, "'kind'"), (kind + 1, "'date'")]


def test_no_toml_files(tmp_path, seeds_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    packs, problems = load(empty, seeds_dir)
    assert packs == []
    assert f"{empty}: no .toml files in this pack folder" in [str(p) for p in problems]


def test_not_a_folder(tmp_path, seeds_dir):
    missing = tmp_path / "nope"
    _, problems = load(missing, seeds_dir)
    assert [str(p) for p in problems] == [f"{missing}: not a pack folder"]


def test_pack_table_required(pack_copy, seeds_dir):
    (pack_copy / "pack.toml").unlink()
    _, problems = load(pack_copy, seeds_dir)
    assert [str(p) for p in problems] == [f"{pack_copy}: a pack needs exactly one [pack] table (in pack.toml)"]


def test_same_pack_loaded_twice_is_a_duplicate(pack_copy, shipped_pack, seeds_dir):
    packs, problems = load_packs([shipped_pack, pack_copy], seeds_dir)
    assert packs == []
    assert problems and all("duplicate id" in p.message for p in problems)
    assert all(p.file.startswith(str(pack_copy)) for p in problems)


def test_cross_pack_references_resolve(tmp_path, shipped_pack, seeds_dir):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "pack.toml").write_text('[pack]\nid = "extra"\nname = "Extra"\n', encoding="utf-8")
    (extra / "facts.toml").write_text(
        f'[[fact]]\nid = "extra-fact"\nkind = "fact"\nabout = ["artist:iu", "song:love-wins-all"]\n'
        f'text = "Points into the iu pack."\nsource = "{SEED}"\nquote = "IU and V’s latest collaboration"\n',
        encoding="utf-8",
    )
    packs, problems = load_packs([shipped_pack, extra], seeds_dir)
    assert problems == []
    assert [p.id for p in packs] == ["iu", "extra"]
    assert packs[1].facts[0].about == ("artist:iu", "song:love-wins-all")


# ---------------------------------------------------------------- the CLI on the same cases

CLI_CASES = ISSUE_CASES + [wrong_is_answer, unknown_table, _traversal("../x")]


@pytest.mark.parametrize("case", CLI_CASES, ids=_ids)
def test_cli_rejects_bad_pack_and_leaves_database_alone(case, pack_copy, pack_file, ingested_db, db_dump, cli_many):
    expected = [fmt(pack_copy, e) for e in case(pack_file)]
    before_bytes, before_rows = ingested_db.read_bytes(), db_dump(ingested_db)
    before_files = sorted(p.name for p in ingested_db.parent.iterdir())

    check, ingest = cli_many(("check", str(pack_copy)), ("ingest", str(pack_copy), "--database", str(ingested_db)))

    for result in (check, ingest):
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == expected + [f"{len(expected)} problem(s); nothing was loaded."]
    assert ingested_db.read_bytes() == before_bytes
    assert db_dump(ingested_db) == before_rows
    assert sorted(p.name for p in ingested_db.parent.iterdir()) == before_files


def test_cli_reports_every_problem_in_one_run(pack_copy, pack_file, ingested_db, db_dump, cli_many):
    cases = [
        broken_toml,
        unknown_key,
        duplicate_id,
        unknown_song,
        unknown_tour,
        impossible_date,
        unknown_zone,
        quote_not_in_seed,
        released_without_zone,
    ]
    expected = [e for case in cases for e in case(pack_file)]
    ordered = [fmt(pack_copy, e) for e in sorted(expected, key=lambda e: (str(pack_copy / e[0]), e[1] or 0))]
    before = db_dump(ingested_db)

    check, ingest = cli_many(("check", str(pack_copy)), ("ingest", str(pack_copy), "--database", str(ingested_db)))

    for result in (check, ingest):
        assert result.returncode == 2
        assert result.stderr.splitlines() == ordered + [f"{len(ordered)} problem(s); nothing was loaded."]
    assert db_dump(ingested_db) == before


def test_cli_bad_pack_creates_no_database(pack_copy, pack_file, tmp_path, cli):
    quote_not_in_seed(pack_file)
    database = tmp_path / "never" / "lightstick.sqlite3"
    result = cli("ingest", str(pack_copy), "--database", str(database))
    assert result.returncode == 2
    assert not database.parent.exists()


def test_cli_good_copy_with_bad_sibling_is_rejected_whole(pack_copy, tmp_path, ingested_db, db_dump, cli):
    # A folder of packs: one good, one bad -> nothing loads.
    packs_dir = tmp_path / "packs"
    packs_dir.mkdir()
    shutil.move(str(pack_copy), packs_dir / "iu")
    bad = packs_dir / "zz-bad"
    bad.mkdir()
    (bad / "pack.toml").write_text('[pack]\nid = "zz-bad"\nname = "Bad"\ncolor = "red"\n', encoding="utf-8")
    before = db_dump(ingested_db)
    result = cli("ingest", str(packs_dir), "--database", str(ingested_db))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad / 'pack.toml'}:4: pack 'zz-bad': unknown key 'color'; allowed: id, name, name_ko, description, "
        "description_ko",
        "1 problem(s); nothing was loaded.",
    ]
    assert db_dump(ingested_db) == before


# ---------------------------------------------------------------- quotes and odd characters


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("IU and V", True),  # as long as the quote index's window
        ("OTTplay Logo settings icon", True),  # the very start, across line breaks
        ("Get the latest updates in your inbox", True),  # the very end
        ("wouldn't want to miss!\n\nGet the latest", True),
        ("IU and BTS’ V dropped their duet, 'Love Wins All'. The music video", True),
        ("IU and BTS’ V dropped their duet, 'Love Wins None'", False),  # same start, different end
        ("Get the latest updates in your inbox today", False),  # runs past the end
        ("iu and bts’ v", False),  # case matters
    ],
)
def test_quote_lookup(quote, found, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "quote")
    f.set_line(line, "quote = " + toml_string(quote))
    _, problems = load(pack_copy, seeds_dir)
    assert [p.message for p in problems] == ([] if found else [f"quote not found in seeds/{SEED}"])


@pytest.mark.parametrize("quote", ["V", "IU and"])
def test_a_quote_too_short_to_support_anything_is_rejected(quote, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    f.set_line(f.key_line("lwa-anthem", "quote"), "quote = " + toml_string(quote))
    _, problems = load(pack_copy, seeds_dir)
    assert [p.message for p in problems] == ["'quote' is too short to support a claim; quote at least 3 words"]


def test_duplicate_reference_native_date_range_and_trailing_newline_id(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    f.set_line(f.key_line("lwa-anthem", "about"), 'about = ["song:love-wins-all", "song:love-wins-all"]')
    f.set_line(f.key_line("lwa-mv-release", "date"), "date = 0001-01-01")
    f.set_line(f.key_line("lwa-collaboration", "id"), r'id = "lwa-collaboration\n"')  # TOML's \n escape
    _, problems = load(pack_copy, seeds_dir)
    messages = sorted(p.message for p in problems)
    assert "'about' names song:love-wins-all more than once" in messages
    assert "'date' year 1 is out of range (1900-2200)" in messages
    assert any(m.startswith("'id' must be lowercase letters") for m in messages)


def test_milestones_are_one_each_and_at_the_ends(pack_copy, pack_file, seeds_dir):
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "milestone"), 'milestone = "first"')
    _, problems = load(pack_copy, seeds_dir)
    assert sorted(p.message for p in problems) == [
        "tour 'her-world-tour' already has a 'first' show (show 'her-seoul')",
    ]


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every non-ASCII or control character escaped."""

    def escape(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if " " <= char <= "~":
            return char
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"

    return '"' + "".join(escape(c) for c in text) + '"'


@pytest.mark.parametrize("char", ["\u0007", "\u200b", "\u202e", "\ufeff", "\x7f", "\r"])
def test_control_characters_are_rejected(char, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "text")
    f.set_line(line, "text = " + toml_string(f"The anthem{char} fans needed."))
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.message) for p in problems] == [(line, "'text' contains control characters")]


@pytest.mark.parametrize(
    "text", ["A line.\nAnother line.", "Tabbed\there.", "Family 👩\u200d👩\u200d👧 emoji.", "한국어와 English."]
)
def test_ordinary_text_is_accepted(text, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    f.set_line(f.key_line("lwa-anthem", "text"), "text = " + toml_string(text))
    packs, problems = load(pack_copy, seeds_dir)
    assert problems == []
    assert next(x for x in packs[0].facts if x.id == "lwa-anthem").text == text


def test_name_with_a_newline_is_rejected(pack_copy, pack_file, seeds_dir):
    f = pack_file("tours.toml")
    line = f.key_line("her-seoul", "city")
    f.set_line(line, 'city = "Seoul\\nKorea"')
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.message) for p in problems] == [(line, "'city' contains control characters")]


def test_text_length_limit(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "text")
    f.set_line(line, f'text = "{"a" * 601}"')
    _, problems = load(pack_copy, seeds_dir)
    assert [(p.line, p.message) for p in problems] == [(line, "'text' is 601 characters; the limit is 600")]


def test_wrong_option_that_is_an_accepted_alias_is_rejected(pack_copy, seeds_dir):
    trivia = pack_copy / "trivia.toml"
    text = trivia.read_text(encoding="utf-8")
    start = text.index("[[question]]")
    block = text[start : text.index("[[question]]", start + 1)]
    answer = re.search(r'^answer = "(.*)"$', block, re.M).group(1)
    wrong = re.search(r'^wrong = \["(.*?)"', block, re.M).group(1)
    trivia.write_text(text.replace(f'wrong = ["{wrong}"', f'wrong = ["{answer.upper()}!"', 1), encoding="utf-8")
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert [p.message for p in problems] == [f"wrong option '{answer.upper()}!' is an accepted answer"]


@pytest.mark.parametrize("zone", ["Etc/GMT+9", "EST", "America/Los Angeles"])
def test_fixed_offset_and_unknown_zones_are_rejected(pack_copy, seeds_dir, zone):
    tours = pack_copy / "tours.toml"
    tours.write_text(
        tours.read_text(encoding="utf-8").replace('zone = "America/Los_Angeles"', f'zone = "{zone}"'), encoding="utf-8"
    )
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert len(problems) == 1 and problems[0].message.startswith(f"unknown time zone '{zone}'")


def test_broken_file_does_not_cascade_into_unknown_references(pack_copy, seeds_dir):
    facts = pack_copy / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + '\n[[fact]]\nid = "oops\n', encoding="utf-8")
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert len(problems) == 1 and problems[0].message.startswith("broken TOML")


# ---------------------------------------------------------------- names fans can't type (issue 9 item 8)


def test_symbol_only_title_without_an_alias_is_warned_about(pack_copy, pack_file, seeds_dir):
    f = pack_file("songs.toml")
    line = f.key_line("love-wins-all", "title")
    f.set_line(line, 'title = "♡"')
    f.set_line(f.key_line("love-wins-all", "title_ko"), None)
    f.set_line(f.key_line("love-wins-all", "aliases"), None)
    warnings: list[Problem] = []
    packs, problems = load_packs([pack_copy], seeds_dir, warnings=warnings)
    assert problems == [] and packs[0].songs[0].title == "♡"  # a warning, not a rejection
    assert [str(w) for w in warnings] == [
        f"{pack_copy / 'songs.toml'}:{line}: song 'love-wins-all': warning: title '♡' has no letters or digits, "
        "so fans can only find it by typing it exactly; add an alias they can type to 'aliases'"
    ]


def test_symbol_only_title_with_a_typeable_alias_is_fine(pack_copy, pack_file, seeds_dir):
    f = pack_file("songs.toml")
    f.set_line(f.key_line("love-wins-all", "title"), 'title = "♡"')
    warnings: list[Problem] = []
    _packs, problems = load_packs([pack_copy], seeds_dir, warnings=warnings)
    assert problems == [] and warnings == []


def test_cli_check_prints_the_warning_and_passes(pack_copy, pack_file, cli):
    f = pack_file("tours.toml")
    line = f.key_line("her-seoul", "city")
    f.set_line(line, 'city = "★"')
    f.set_line(f.key_line("her-seoul", "city_ko"), None)
    result = cli("check", str(pack_copy))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # one plain line on stdout (no logging prefix), before the pack's ok line
    warning, ok = result.stdout.splitlines()
    assert warning == (
        f"{pack_copy / 'tours.toml'}:{line}: show 'her-seoul': warning: city '★' has no letters or digits, so fans "
        "can only find it by typing it exactly; add an alias they can type to 'aliases'"
    )
    assert ok.startswith("ok  iu ")


# ---------------------------------------------------------------- datelines (issue 9 item 11)


def test_article_dateline_must_be_copied_exactly(pack_copy, pack_file, seeds_dir):
    f = pack_file("articles.toml")
    line = f.line_of('dateline = "Last Updated: 07.01 PM, Jan 28, 2024"')
    f.set_line(line, 'dateline = "Last Updated: 7:01 PM, Jan 28, 2024"')
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert [str(p) for p in problems] == [
        f"{pack_copy / 'articles.toml'}:{line}: article '{SEED}': dateline not found in seeds/{SEED} (copy it exactly)"
    ]


def test_dateline_is_loaded_onto_the_article(shipped_packs):
    article = next(a for a in shipped_packs[0].articles if a.id == SEED)
    assert article.dateline == "Last Updated: 07.01 PM, Jan 28, 2024"


def test_quote_that_takes_in_the_dateline_is_refused(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-mv-release", "quote")
    f.set_line(
        line,
        'quote = "Last Updated: 07.01 PM, Jan 28, 2024 K-pop dreams came true when soloist IU and '
        "BTS’ V dropped their duet, 'Love Wins All'. The music video, released on January 24,\"",
    )
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert [str(p) for p in problems] == [
        f"{pack_copy / 'facts.toml'}:{line}: fact 'lwa-mv-release': quote includes the article's dateline "
        "'Last Updated: 07.01 PM, Jan 28, 2024'; it is recorded on the [[article]], so quote only the sentences "
        "that make the claim"
    ]


def test_dated_claim_year_must_rest_on_quote_or_dateline(pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-mv-release", "date")
    f.set_line(line, 'date = "2023-01-24"')
    _packs, problems = load_packs([pack_copy], seeds_dir)
    assert [str(p) for p in problems] == [
        f"{pack_copy / 'facts.toml'}:{line}: fact 'lwa-mv-release': the year of 'date' (2023) is in neither the "
        f"quote nor the dateline 'Last Updated: 07.01 PM, Jan 28, 2024' of seeds/{SEED}"
    ]
