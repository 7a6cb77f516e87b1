"""The one place that knows Discord's limits: clipping, echoing user text, fitting embeds."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.common import join_lines
from bot.render.limits import ECHO, EMBED_TOTAL, FIELD_VALUE, clip, echo, fit_embed


@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_clip_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert len(out) <= limit
    assert out == text or out.endswith("…")


@settings(max_examples=300)
@given(st.text(max_size=6000))
def test_echo_is_short_inert_and_single_line(text: str) -> None:
    out = echo(text)
    assert len(out) <= 4 * ECHO  # escaping can at most double a clipped string, plus the mark
    assert "\n" not in out and "\x00" not in out and "\u202e" not in out
    assert "@everyone" not in out and "@here" not in out
    assert "<" not in out.replace("\\<", "")  # no raw <@id>, <#id> or <t:...> markup


def test_echo_examples() -> None:
    assert echo("@everyone") == "@\u200beveryone"
    assert echo("<@&123> **bold** `code`") == "\\<@&123> \\*\\*bold\\*\\* \\`code\\`"
    assert echo("<@&123456789012345678>") == "\\<@\u200b&123456789012345678>"
    assert echo("a\x00b\u202ec\nd") == "abc d"
    assert echo("x" * 5000).endswith("…") and len(echo("x" * 5000)) == ECHO


def test_fit_embed_keeps_every_part_inside_discord_limits() -> None:
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for _ in range(30):
        embed.add_field(name="n" * 300, value="v" * 2000)
    embed.set_footer(text="f" * 3000)
    fitted = fit_embed(embed)
    assert len(fitted.title or "") <= 256 and len(fitted.description or "") <= 4096
    assert len(fitted.fields) <= 25
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= FIELD_VALUE for f in fitted.fields)
    assert len(fitted) <= EMBED_TOTAL


def test_join_lines_says_how_many_were_left_out() -> None:
    lines = [f"line {i}" for i in range(100)]
    out = join_lines(lines, 60, "…and {count} more")
    assert len(out) <= 60
    assert out.splitlines()[-1].startswith("…and ") and out.splitlines()[-1].endswith(" more")
    shown = len(out.splitlines()) - 1
    assert out.splitlines()[-1] == f"…and {100 - shown} more"
    assert join_lines(["a", "b"], 60, "…") == "a\nb"
