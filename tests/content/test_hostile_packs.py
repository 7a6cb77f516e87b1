"""Hostile pack files and pack text (issue 9 items 13, 14, 15): one problem line each, never a traceback,
a hang or a runaway read; every problem of a run reported together."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.content.loader import load_packs
from tests.content.test_loader import toml_string

# ---------------------------------------------------------------- files (item 13)


def _problems(pack: Path, seeds: Path) -> list[str]:
    packs, problems = load_packs([pack], seeds)
    assert packs == [] or problems == []
    return [str(p) for p in problems]


def test_folder_named_like_a_toml_file_is_one_problem(pack_copy, seeds_dir):
    (pack_copy / "x.toml").mkdir()
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'x.toml'}: x.toml is not a regular file (a folder); nothing in it was read"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_without_blocking(pack_copy, seeds_dir):
    os.mkfifo(pack_copy / "p.toml")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'p.toml'}: p.toml is not a regular file (a named pipe); nothing in it was read"
    ]


def test_symlink_to_dev_zero_is_refused_without_reading(pack_copy, seeds_dir):
    (pack_copy / "zero.toml").symlink_to("/dev/zero")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'zero.toml'}: zero.toml is a symlink to /dev/zero, outside {pack_copy.name}/; "
        "only files inside the folder are read"
    ]


def test_symlink_to_a_toml_file_outside_the_pack_is_refused(pack_copy, seeds_dir, tmp_path):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text('[[artist]]\nid = "sneaky"\nname = "Sneaky"\n', encoding="utf-8")
    (pack_copy / "more.toml").symlink_to(outside)
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'more.toml'}: more.toml is a symlink to {outside.resolve()}, outside {pack_copy.name}/; "
        "only files inside the folder are read"
    ]


def test_symlink_inside_the_pack_is_followed(pack_copy, seeds_dir):
    (pack_copy / "songs.toml").rename(pack_copy / "songs.txt")
    (pack_copy / "songs.toml").symlink_to("songs.txt")
    packs, problems = load_packs([pack_copy], seeds_dir)
    assert problems == [] and [s.id for s in packs[0].songs] == ["love-wins-all"]


@pytest.mark.parametrize("kind", ["dangling", "looping"])
def test_dangling_and_looping_symlinks_are_one_problem(kind, pack_copy, seeds_dir):
    link = pack_copy / "bad.toml"
    if kind == "dangling":
        link.symlink_to(pack_copy / "missing.toml")
    else:
        link.symlink_to(link)
    assert _problems(pack_copy, seeds_dir) == [
        f"{link}: bad.toml is a symlink that leads nowhere (dangling or looping); nothing in it was read"
    ]


def test_oversized_file_is_refused_unread(pack_copy, seeds_dir, monkeypatch):
    from bot.content import toml_entries  # where pack files are read

    monkeypatch.setattr(toml_entries, "MAX_PACK_FILE_BYTES", 1000)
    size = (pack_copy / "facts.toml").stat().st_size
    problems = _problems(pack_copy, seeds_dir)
    assert (
        f"{pack_copy / 'facts.toml'}: facts.toml is {size:,} bytes; the limit is 1,000; nothing in it was read"
        in problems
    )


@pytest.mark.parametrize(
    "body", ["a = " + "[" * 1000 + "]" * 1000, "a = " + "{b = " * 1000 + "1" + "}" * 1000, "x." * 1000 + "x = 1"]
)
def test_toml_nested_a_thousand_deep_is_one_problem(body, pack_copy, seeds_dir):
    (pack_copy / "deep.toml").write_text(body, encoding="utf-8")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'deep.toml'}: TOML nested too deeply; a pack needs a few levels"
    ]


def test_zone_naming_a_folder_of_the_zone_database_is_an_unknown_zone(pack_copy, pack_file, seeds_dir):
    f = pack_file("tours.toml")
    line = f.key_line("her-seoul", "zone")
    f.set_line(line, 'zone = "America"')
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'tours.toml'}:{line}: show 'her-seoul': unknown time zone 'America'; use an IANA region "
        "name such as 'Asia/Seoul' (fixed offsets like Etc/GMT+9 ignore daylight saving)"
    ]


@pytest.mark.parametrize("source", ["a" * 300, "x" * 4000 + ".txt", "seed\x00.txt", "."])
def test_source_too_long_or_odd_for_the_file_system_is_not_a_seed(source, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "source")
    f.set_line(line, "source = " + toml_string(source))
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'facts.toml'}:{line}: fact 'lwa-anthem': source {source!r} is not a file in seeds/"
    ]


def test_every_hostile_file_reported_in_one_run(pack_copy, pack_file, seeds_dir):
    (pack_copy / "x.toml").mkdir()
    (pack_copy / "zero.toml").symlink_to("/dev/zero")
    (pack_copy / "deep.toml").write_text("a = " + "[" * 1000 + "]" * 1000, encoding="utf-8")
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-seoul", "zone"), 'zone = "America"')
    problems = _problems(pack_copy, seeds_dir)
    assert [p.split(": ", 1)[0].rsplit("/", 1)[-1] for p in problems] == [
        "deep.toml",
        f"tours.toml:{f.key_line('her-seoul', 'zone')}",
        "x.toml",
        "zero.toml",
    ]


def test_cli_check_on_a_named_pipe_exits_2_with_one_line(pack_copy, cli):
    os.mkfifo(pack_copy / "p.toml")
    (pack_copy / "x.toml").mkdir()
    result = cli("check", str(pack_copy))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{pack_copy / 'p.toml'}: p.toml is not a regular file (a named pipe); nothing in it was read",
        f"{pack_copy / 'x.toml'}: x.toml is not a regular file (a folder); nothing in it was read",
        "2 problem(s); nothing was loaded.",
    ]


# ---------------------------------------------------------------- links and block markup (item 14)

MARKUP = [
    (
        "[Click here](http://evil.example/x)",
        "contains a masked link '[Click here](http://evil.example/x)'; packs can't carry links, write the words only",
    ),
    (
        "Watch it at https://youtu.be/abc now.",
        "contains a web address 'https://youtu.be/abc'; packs can't carry links (the source is cited from seeds/)",
    ),
    (
        "Join discord.gg/abcdef for more.",
        "contains a web address 'discord.gg/abcdef'; packs can't carry links (the source is cited from seeds/)",
    ),
    (
        "www.example.com has it.",
        "contains a web address 'www.example.com'; packs can't carry links (the source is cited from seeds/)",
    ),
    ("# Huge news", "contains heading markup '# Huge news'; write the text without the leading '#'"),
    ("Small print:\n-# tiny", "contains heading markup '-# tiny'; write the text without the leading '#'"),
    ("> quoted", "contains quote markup '> quoted'; write the text without the leading '>'"),
    (">>> all of it", "contains quote markup '>>> all of it'; write the text without the leading '>'"),
    ("Code:\n```py\nprint()\n```", "contains a code fence (```); write the text without it"),
    (
        "Hi <@&123456789012345678> fans",
        "contains Discord mention or timestamp markup '<@&123456789012345678>'; write the name or date as text",
    ),
    ("Ping @everyone", "contains Discord mention or timestamp markup '@everyone'; write the name or date as text"),
]


@pytest.mark.parametrize(("text", "message"), MARKUP, ids=[m[0][:20] for m in MARKUP])
def test_links_and_block_markup_in_fact_text_are_refused(text, message, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-anthem", "text")
    f.set_line(line, "text = " + toml_string(text))
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'facts.toml'}:{line}: fact 'lwa-anthem': 'text' {message}"
    ]


@pytest.mark.parametrize(
    ("file", "entry", "key"),
    [
        ("songs.toml", "love-wins-all", "title"),
        ("tours.toml", "her-seoul", "city"),
        ("artists.toml", "iu", "name"),
        ("trivia.toml", "q-melon-chart", "answer"),
        ("trivia.toml", "q-melon-chart", "question"),
        ("tours.toml", "her-world-tour", "name_ko"),
    ],
)
def test_masked_links_are_refused_in_every_display_field(file, entry, key, pack_copy, pack_file, seeds_dir):
    f = pack_file(file)
    line = f.key_line(entry, key)
    f.set_line(line, f'{key} = "[Click here](http://evil.example/x)"')
    problems = _problems(pack_copy, seeds_dir)
    assert any(
        p.startswith(f"{pack_copy / file}:{line}: ") and f"'{key}' contains a masked link" in p for p in problems
    ), problems


@pytest.mark.parametrize(
    "text",
    [
        "#1 on Melon for a week.",
        "Love > hate, says IU.",
        "IU - Love Wins All",
        "**Bold** and _italic_ are escaped when shown.",
        "E! News [2024] (live).",
    ],
)
def test_plain_text_that_only_looks_like_markup_is_accepted(text, pack_copy, pack_file, seeds_dir):
    f = pack_file("facts.toml")
    f.set_line(f.key_line("lwa-anthem", "text"), "text = " + toml_string(text))
    assert _problems(pack_copy, seeds_dir) == []


# ---------------------------------------------------------------- invisible names (item 15)

INVISIBLE = [
    ("IU\U000e0041\U000e0042", "contains invisible tag characters (U+E0041); write the text itself"),
    ("\U000e0049\U000e0055", "contains invisible tag characters (U+E0049); write the text itself"),
    ("\u3164", "has nothing a fan could see (only invisible, blank or joining characters)"),
    ("\u3164\u3164 \u2800", "has nothing a fan could see (only invisible, blank or joining characters)"),
    ("\u0301\u0301", "has nothing a fan could see (only invisible, blank or joining characters)"),
    ("\u200d\ufe0f", "has nothing a fan could see (only invisible, blank or joining characters)"),
]


@pytest.mark.parametrize(("name", "message"), INVISIBLE, ids=[f"{i}" for i in range(len(INVISIBLE))])
def test_invisible_artist_names_are_refused(name, message, pack_copy, pack_file, seeds_dir):
    f = pack_file("artists.toml")
    line = f.key_line("v", "name")
    f.set_line(line, "name = " + toml_string(name))
    assert _problems(pack_copy, seeds_dir) == [f"{pack_copy / 'artists.toml'}:{line}: artist 'v': 'name' {message}"]


def test_invisible_alias_is_refused(pack_copy, pack_file, seeds_dir):
    f = pack_file("artists.toml")
    line = f.key_line("v", "aliases")
    f.set_line(line, 'aliases = ["BTS V", "\\u3164"]')
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'artists.toml'}:{line}: artist 'v': 'aliases' has nothing a fan could see "
        "(only invisible, blank or joining characters)"
    ]


@pytest.mark.parametrize(
    "name", ["🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland", "💜", "♡", "👩\u200d👩\u200d👧"]
)
def test_visible_symbols_and_flag_tag_sequences_are_accepted(name, pack_copy, pack_file, seeds_dir):
    f = pack_file("artists.toml")
    f.set_line(f.key_line("v", "name"), "name = " + toml_string(name))
    assert _problems(pack_copy, seeds_dir) == []
