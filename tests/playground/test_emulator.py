"""The loopback Discord emulator driven by a small real discord.py bot."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest
from discord import app_commands

from bot.playground.emulator import Emulator, render_message, run_client


# ----------------------------------------------------------------------------- the bot under test
class SongView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="Like", custom_id="song:like", style=discord.ButtonStyle.primary)
    async def like(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        button.label = f"Like ({self.count})"
        await interaction.response.edit_message(content=f"liked {self.count}x", view=self)

    @discord.ui.button(label="Lyrics", custom_id="song:lyrics")
    async def lyrics(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("la la la", ephemeral=True)

    @discord.ui.select(
        custom_id="song:era",
        placeholder="Era",
        options=[discord.SelectOption(label="Debut", value="debut"), discord.SelectOption(label="Now", value="now")],
    )
    async def era(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"era: {select.values[0]}")


class AnswerModal(discord.ui.Modal, title="Guess the song"):
    answer = discord.ui.TextInput(label="Your answer", custom_id="answer", max_length=100)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if self.answer.value == "say nothing":
            raise RuntimeError("failed before answering")  # unanswered (and discord.py keeps listening)
        ok = self.answer.value.lower() == "love wins all"
        await interaction.response.send_message("correct!" if ok else f"nope: {self.answer.value}")

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        pass  # left unanswered on purpose


class ModalButton(discord.ui.View):
    @discord.ui.button(label="Answer", custom_id="quiz:answer")
    async def open(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(AnswerModal())


SHORT_DEADLINE = 0.3  # seconds: the late-reply test's stand-in for Discord's 3-second deadline
SONGS = ["love wins all", "lovesick girls", "lovedive", "blueming", "palette"]


def make_bot(errors: list[BaseException]) -> discord.Client:
    client = discord.Client(intents=discord.Intents.default())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]

    @tree.error
    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        errors.append(getattr(error, "original", error))

    @tree.command(description="Find a song")
    @app_commands.describe(title="Song title")
    async def song(interaction: discord.Interaction, title: str) -> None:
        e = discord.Embed(title=title.title(), description=f"Locale {interaction.locale.value}")
        e.add_field(name="Artist", value="IU").set_footer(text="source: melon")
        await interaction.response.send_message(f"Found {title}", embed=e, view=SongView())

    @song.autocomplete("title")
    async def song_ac(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in SONGS if s.startswith(current)]

    @tree.command(description="Slow answer")
    async def slow(interaction: discord.Interaction, followup: bool = False) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        if followup:
            await interaction.followup.send("done (followup)")
        else:
            await interaction.edit_original_response(content="done (edited)")

    @tree.command(description="Quiz")
    async def quiz(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal())

    @tree.command(description="Quiz via a button")
    async def quizbutton(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ready?", view=ModalButton())

    @tree.command(description="Too long")
    async def huge(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))

    @tree.command(description="Too late")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(SHORT_DEADLINE + 0.1)  # the test shortens the emulator's 3 s to SHORT_DEADLINE
        await interaction.response.send_message("sorry I'm late")

    @tree.command(description="Answers twice")
    async def double(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        interaction.response._response_type = None  # defeat discord.py's local guard to reach Discord
        await interaction.response.send_message("two")

    @tree.command(description="Who")
    async def who(interaction: discord.Interaction, member: discord.Member, role: discord.Role) -> None:
        perms = interaction.permissions.manage_guild
        await interaction.response.send_message(
            f"{member.display_name} / {role.name} / asker-manage={perms} / bot-send={interaction.app_permissions.send_messages}"
        )

    tour = app_commands.Group(name="tour", description="Tours")

    @tour.command(name="start", description="Start a tour")
    async def tour_start(interaction: discord.Interaction, city: str) -> None:
        await interaction.response.send_message(f"tour starts in {city}", ephemeral=True)

    tree.add_command(tour)

    @tree.command(description="Post to a channel")
    async def post(interaction: discord.Interaction, channel_id: str) -> None:
        await interaction.response.defer(ephemeral=True)
        ch = interaction.client.get_channel(int(channel_id))
        try:
            await ch.send("hello")
        except discord.HTTPException as exc:
            await interaction.followup.send(f"failed {exc.status} {exc.code}", ephemeral=True)
        else:
            await interaction.followup.send("posted", ephemeral=True)

    return client


class World:
    def __init__(self, emu: Emulator):
        self.emu = emu
        self.guild = emu.add_guild("Fan Club", locale="en-US")
        self.general = emu.add_channel(self.guild, "general")
        self.readonly = emu.add_channel(self.guild, "read-only", bot_can_send=False)
        self.mods = emu.add_role(self.guild, "Moderators", permissions=discord.Permissions(manage_guild=True).value)
        self.admin = emu.add_member(self.guild, "Ada", administrator=True, locale="en-US")
        self.mod = emu.add_member(self.guild, "Min", roles=[self.mods], locale="ko")
        self.fan = emu.add_member(self.guild, "Fan", locale="en-US")
        self.errors: list[BaseException] = []
        self.client = make_bot(self.errors)


@pytest.fixture
async def world(emulator: Emulator):
    w = World(emulator)
    async with run_client(emulator, w.client):
        await w.client.tree.sync()
        yield w
    assert not emulator.unhandled, emulator.unhandled


# ----------------------------------------------------------------------------- login, sync, commands
async def test_ready_is_fast_and_sync_registers(emulator: Emulator):
    w = World(emulator)
    t0 = time.perf_counter()
    async with run_client(emulator, w.client):
        assert time.perf_counter() - t0 < 2.0
        assert w.client.get_guild(w.guild.id) is not None
        assert w.client.get_channel(w.general.id).name == "general"
        synced = await w.client.tree.sync()
        assert {c.name for c in synced} == {
            "song",
            "slow",
            "quiz",
            "quizbutton",
            "huge",
            "late",
            "double",
            "who",
            "tour",
            "post",
        }
        names = {c["name"]: c for c in emulator.registered_commands()}
        assert names["song"]["options"][0]["name"] == "title"
        assert names["song"]["options"][0]["autocomplete"] is True
        assert all(c["application_id"] == str(emulator.application_id) and c["id"] for c in names.values())
        # a guild sync is stored separately
        await w.client.tree.sync(guild=discord.Object(w.guild.id))
        assert emulator.registered_commands(w.guild) == []
        assert emulator.identify_count == 1
    assert emulator.violations == []


def world_ids(seed: str | None) -> dict[str, int]:
    """The ids of a World built on an emulator with ``seed``, by what they are."""
    w = World(Emulator(world_seed=seed))
    return {
        "application": w.emu.application_id,
        "app owner": w.emu.app_owner.id,
        "guild": w.guild.id,
        "bot role": w.guild.bot_role.id,  # type: ignore[union-attr]
        "general": w.general.id,
        "read-only": w.readonly.id,
        "Moderators": w.mods.id,
        "Admin": w.guild.admin_role.id,  # type: ignore[union-attr]
        "Ada": w.admin.id,
        "Min": w.mod.id,
        "Fan": w.fan.id,
    }


def test_a_world_seed_gives_the_same_names_the_same_ids_in_every_run() -> None:
    first = world_ids("playground")
    assert world_ids("playground") == first
    assert len(set(first.values())) == len(first)
    assert set(world_ids("another seed").values()).isdisjoint(first.values())
    assert set(world_ids(None).values()).isdisjoint(first.values())  # no seed: fresh snowflakes
    for sid in first.values():  # snowflakes of worker 3, dated 2020-2022 (before the bot joined)
        assert (sid >> 17) & 0x1F == 3, sid
        assert 2020 <= discord.utils.snowflake_time(sid).year <= 2022, sid
    # The playground's ids are kept in its users' databases: the derivation may never change.
    playground = Emulator(world_seed="lightstick-playground")
    guild = playground.add_guild("IU Fan Club")
    assert (playground.application_id, guild.id, playground.add_channel(guild, "general").id) == (
        674887609637800284,
        745558260840792090,
        679278309649285790,
    )


def test_with_a_world_seed_the_same_name_twice_gets_two_ids() -> None:
    emu = Emulator(world_seed="playground")
    guild = emu.add_guild("Fan Club")
    one, two = emu.add_channel(guild, "general"), emu.add_channel(guild, "general")
    other_guild = emu.add_guild("Second Server")
    elsewhere = emu.add_channel(other_guild, "general")
    assert len({one.id, two.id, elsewhere.id}) == 3
    again = Emulator(world_seed="playground")
    guild_again = again.add_guild("Fan Club")
    assert [again.add_channel(guild_again, "general").id for _ in range(2)] == [one.id, two.id]


async def test_a_seeded_world_is_what_discord_py_sees() -> None:
    emu = Emulator(world_seed="playground")
    w = World(emu)
    await emu.start()
    try:
        async with run_client(emu, w.client):
            guild = w.client.get_guild(world_ids("playground")["guild"])
            assert guild is not None and guild.name == "Fan Club" and guild.created_at.year in (2020, 2021, 2022)
            assert [c.name for c in guild.text_channels] == ["general", "read-only"]
            assert [c.id for c in guild.text_channels] == [world_ids("playground")[n] for n in ("general", "read-only")]
            r = await emu.command(w.general, w.fan, "who", {"member": w.mod, "role": w.mods})
            assert r.content == "Min / Moderators / asker-manage=False / bot-send=True"
    finally:
        await emu.stop()
    assert emu.violations == []


async def test_bad_command_payload_is_rejected(world: World):
    http = world.client.http
    app = world.client.application_id
    base = {"type": 1, "description": "ok"}
    for bad in (
        {**base, "name": "Bad Name"},
        {**base, "name": "x" * 33},
        {**base, "name": "ok", "description": "d" * 101},
        {
            **base,
            "name": "ok",
            "options": [
                {"type": 3, "name": "a", "description": "a"},
                {"type": 3, "name": "b", "description": "b", "required": True},
            ],
        },
        {**base, "name": "ok", "name_localizations": {"ko": "Song"}},
    ):
        with pytest.raises(discord.HTTPException) as exc:
            await http.bulk_upsert_global_commands(app, [bad])
        assert exc.value.status == 400 and exc.value.code == 50035
    assert len(world.emu.violations) == 5
    # Hangul in localizations is fine
    ok = await http.bulk_upsert_global_commands(
        app,
        [
            {
                **base,
                "name": "song",
                "name_localizations": {"ko": "노래"},
                "description_localizations": {"ko": "노래 찾기"},
            }
        ],
    )
    assert ok[0]["name_localizations"] == {"ko": "노래"}


async def test_slash_command_with_embed_and_buttons(world: World):
    r = await world.emu.command(world.general, world.fan, "song", {"title": "love wins all"})
    assert r.type == 4 and r.error is None
    assert r.content == "Found love wins all"
    assert r.embeds[0]["title"] == "Love Wins All"
    assert r.embeds[0]["fields"] == [{"name": "Artist", "value": "IU", "inline": True}]
    assert [b["label"] for b in r.buttons] == ["Like", "Lyrics"]
    assert not r.ephemeral
    assert "[1] Like" in r.text and "| Love Wins All" in r.text and "| -- source: melon" in r.text
    assert r.latency is not None and r.latency < 1.0
    # locale override reaches interaction.locale
    r2 = await world.emu.command(world.general, world.mod, "song", {"title": "palette"})
    assert "Locale ko" in r2.embeds[0]["description"]
    r3 = await world.emu.command(world.general, world.mod, "song", {"title": "palette"}, locale="ja")
    assert "Locale ja" in r3.embeds[0]["description"]
    assert world.emu.violations == []


async def test_button_click_updates_message(world: World):
    r = await world.emu.command(world.general, world.fan, "song", {"title": "love wins all"})
    r2 = await world.emu.click(r, world.fan, label="Like")
    assert r2.type == 7
    assert r2.content == "liked 1x"
    assert r.content == "liked 1x"  # the same message, as users now see it
    r3 = await world.emu.click(r, world.admin, custom_id="song:like")
    assert r3.buttons[0]["label"] == "Like (2)"
    r4 = await world.emu.click(r, world.fan, index=1)
    assert r4.type == 4 and r4.ephemeral and r4.content == "la la la"
    r5 = await world.emu.select(r, world.fan, "song:era", ["now"])
    assert r5.type == 7 and r.content == "era: now"
    with pytest.raises(ValueError):
        await world.emu.select(r, world.fan, "song:era", ["bogus"])
    assert world.emu.violations == []


async def test_deferred_then_edited_or_followup(world: World):
    r = await world.emu.command(world.general, world.fan, "slow")
    assert r.type == 5
    assert r.content == "done (edited)"
    assert not r.message["flags"] & 128  # no longer "thinking"
    r = await world.emu.command(world.general, world.fan, "slow", {"followup": True})
    assert r.type == 5 and r.content == "done (followup)"
    assert [f["content"] for f in r.followups] == ["done (followup)"]
    assert world.emu.violations == []


async def test_modal_shown_and_submitted(world: World):
    r = await world.emu.command(world.general, world.fan, "quiz")
    assert r.type == 9 and r.message is None
    assert r.modal["title"] == "Guess the song"
    assert "[modal] Guess the song" in r.text
    r2 = await world.emu.submit_modal(r, world.fan, {"answer": "love wins all"})
    assert r2.type == 4 and r2.content == "correct!"
    # modal from a button
    r3 = await world.emu.command(world.general, world.fan, "quizbutton")
    r4 = await world.emu.click(r3, world.fan, label="Answer")
    assert r4.type == 9
    r5 = await world.emu.submit_modal(r4, world.fan, {"answer": "palette"})
    assert r5.content == "nope: palette"
    r6 = await world.emu.click(r3, world.fan, label="Answer")  # r4's modal is closed: a new one
    with pytest.raises(ValueError, match="text input 'answer' is required"):
        await world.emu.submit_modal(r6, world.fan, {"nope": "x"})


async def test_a_modal_is_submitted_once(world: World):
    """Discord closes a modal when its submission is answered: the same form can't be sent again (the user
    opens a new one), and nothing reaches the bot."""
    question = await world.emu.command(world.general, world.fan, "quizbutton")
    opened = await world.emu.click(question, world.fan, label="Answer")
    first = await world.emu.submit_modal(opened, world.fan, {"answer": "palette"})
    assert first.content == "nope: palette"
    sent = len(world.emu.requests)
    for values in ({"answer": "love wins all"}, {"answer": "palette"}):
        with pytest.raises(ValueError) as refused:
            await world.emu.submit_modal(opened, world.fan, values)
        assert str(refused.value) == (
            "Fan already submitted the modal 'Guess the song': Discord closes a modal on submit, so it can't be "
            "sent twice (open a new one to answer again)"
        )
    assert len(world.emu.requests) == sent  # nothing reached the bot, so it answered nothing
    again = await world.emu.submit_modal(
        await world.emu.click(question, world.fan, label="Answer"), world.fan, {"answer": "love wins all"}
    )
    assert again.content == "correct!"
    from_command = await world.emu.command(world.general, world.fan, "quiz")  # a modal opened by a slash command
    assert (await world.emu.submit_modal(from_command, world.fan, {"answer": "blueming"})).content == "nope: blueming"
    with pytest.raises(ValueError, match=r"^Fan already submitted the modal 'Guess the song'"):
        await world.emu.submit_modal(from_command, world.fan, {"answer": "love wins all"})
    assert world.emu.violations == []


async def test_a_modal_whose_submission_went_unanswered_stays_open(world: World):
    """The client keeps a modal up ("Something went wrong. Try again.") when the bot does not answer its
    submission: the user can press Submit again, and the modal closes once an answer arrives. (discord.py
    stops listening for a modal only after an on_submit that did not raise.)"""
    opened = await world.emu.command(world.general, world.fan, "quiz")
    silent = await world.emu.submit_modal(opened, world.fan, {"answer": "say nothing"}, timeout=0.3)
    assert (silent.type, silent.message) == (None, None)
    retried = await world.emu.submit_modal(opened, world.fan, {"answer": "love wins all"})
    assert retried.content == "correct!"
    with pytest.raises(ValueError, match=r"^Fan already submitted the modal 'Guess the song'"):
        await world.emu.submit_modal(opened, world.fan, {"answer": "palette"})


async def test_a_modal_can_be_submitted_only_by_the_user_it_was_shown_to(world: World):
    """Discord pops a modal up for the user whose interaction opened it, and for nobody else: another member
    can't submit it (not even someone allowed to click the button that opened it), so the bot never sees
    such a submission."""
    question = await world.emu.command(world.general, world.fan, "quizbutton")
    opened = await world.emu.click(question, world.fan, label="Answer")
    sent = len(world.emu.requests)
    for other in (world.mod, world.admin):
        with pytest.raises(ValueError, match=f"{other.name} can't submit Fan's modal: Discord shows a modal only"):
            await world.emu.submit_modal(opened, other, {"answer": "palette"})
    assert len(world.emu.requests) == sent  # nothing reached the bot, so it answered nothing
    mine = await world.emu.submit_modal(opened, world.fan, {"answer": "palette"})
    assert mine.content == "nope: palette"
    assert world.emu.violations == []


async def test_autocomplete(world: World):
    choices = await world.emu.autocomplete(world.general, world.fan, "song", {"title": "lov"}, focused="title")
    assert [c["value"] for c in choices] == ["love wins all", "lovesick girls", "lovedive"]
    assert await world.emu.autocomplete(world.general, world.fan, "song", {"title": "zzz"}, focused="title") == []


async def test_subcommand_and_resolved_options(world: World):
    r = await world.emu.command(world.general, world.fan, "tour", {"city": "Seoul"}, subcommand="start")
    assert r.content == "tour starts in Seoul" and r.ephemeral
    r = await world.emu.command(world.general, world.mod, "who", {"member": world.fan, "role": world.mods})
    assert r.content == "Fan / Moderators / asker-manage=True / bot-send=True"
    with pytest.raises(ValueError):
        await world.emu.command(world.general, world.fan, "who", {"member": world.fan})  # required option missing


async def test_over_limit_embed_is_rejected(world: World):
    r = await world.emu.command(world.general, world.fan, "huge")
    assert r.error["code"] == 50035
    assert r.error["errors"]["data"]["embeds"]["0"]["description"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert r.message is None
    assert len(world.emu.violations) == 1
    route, body, error = world.emu.violations[0]
    assert (
        route.endswith("/callback") and error["code"] == 50035 and len(body["data"]["embeds"][0]["description"]) == 4097
    )
    await asyncio.sleep(0.05)
    assert isinstance(world.errors[-1], discord.HTTPException) and world.errors[-1].code == 50035


async def test_late_reply_gets_unknown_interaction(world: World):
    assert world.emu.interaction_deadline == 3.0  # Discord's first-response deadline, unless a test shortens it
    world.emu.interaction_deadline = SHORT_DEADLINE
    r = await world.emu.command(world.general, world.fan, "late", timeout=5)
    assert r.error == {"message": "Unknown interaction", "code": 10062}
    assert r.message is None
    await asyncio.sleep(0.05)
    assert isinstance(world.errors[-1], discord.NotFound) and world.errors[-1].code == 10062


async def test_double_ack(world: World):
    r = await world.emu.command(world.general, world.fan, "double")
    await asyncio.sleep(0.1)
    assert r.content == "one"
    assert r.error["code"] == 40060
    assert isinstance(world.errors[-1], discord.HTTPException) and world.errors[-1].code == 40060


# ----------------------------------------------------------------------------- channel messages
async def test_forbidden_and_deleted_channels(world: World):
    client = world.client
    with pytest.raises(discord.Forbidden) as exc:
        await client.get_channel(world.readonly.id).send("hi")
    assert exc.value.code == 50013
    gone = world.emu.add_channel(world.guild, "gone")
    await asyncio.sleep(0.05)
    ch = client.get_channel(gone.id)
    world.emu.delete_channel(gone)
    with pytest.raises(discord.NotFound) as exc:
        await ch.send("hi")
    assert exc.value.code == 10003
    # the same through a command: deferred ephemeral + followup
    r = await world.emu.command(world.general, world.fan, "post", {"channel_id": str(world.readonly.id)})
    assert r.content == "failed 403 50013" and r.ephemeral
    assert world.emu.channel_messages(world.readonly) == []


async def test_nonce_dedup(world: World):
    ch = world.client.get_channel(world.general.id)
    m1 = await ch.send("countdown: 3 days", nonce="countdown-1")
    m2 = await ch.send("countdown: 3 days", nonce="countdown-1")
    assert m1.id == m2.id
    assert [m["content"] for m in world.emu.channel_messages(world.general)] == ["countdown: 3 days"]
    await ch.send("countdown: 2 days", nonce="countdown-2")
    assert len(world.emu.channel_messages(world.general)) == 2
    # without enforce_nonce Discord creates a second message
    await world.client.http.send_message(
        world.general.id,
        params=discord.http.MultipartParameters({"content": "raw", "nonce": "countdown-2"}, None, None),
    )
    assert len(world.emu.channel_messages(world.general)) == 3


async def test_message_edit_delete_and_history(world: World):
    ch = world.client.get_channel(world.general.id)
    m = await ch.send("v1", embed=discord.Embed(title="T", description="D"))
    await m.edit(content="v2")
    assert world.emu.channel_messages(world.general)[-1]["content"] == "v2"
    fetched = await ch.fetch_message(m.id)
    assert fetched.content == "v2" and fetched.embeds[0].title == "T"
    history = [x.content async for x in ch.history(limit=10)]
    assert history == ["v2"]
    await m.delete()
    assert world.emu.channel_messages(world.general) == []
    with pytest.raises(discord.HTTPException) as exc:
        await ch.send("x" * 2001)
    assert exc.value.code == 50035
    with pytest.raises(discord.HTTPException) as exc:
        await ch.send(embeds=[discord.Embed(description="y" * 4000), discord.Embed(description="z" * 2001)])
    assert "6000" in str(exc.value)


async def test_scheduled_events(world: World):
    import datetime as dt

    g = world.client.get_guild(world.guild.id)
    start = discord.utils.utcnow() + dt.timedelta(days=3)
    ev = await g.create_scheduled_event(
        name="Comeback",
        start_time=start,
        end_time=start + dt.timedelta(hours=2),
        entity_type=discord.EntityType.external,
        location="Seoul",
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    assert ev.name == "Comeback" and ev.location == "Seoul"
    assert [e["name"] for e in world.emu.scheduled_events(world.guild)] == ["Comeback"]
    ev = await ev.edit(name="Comeback show")
    assert world.emu.scheduled_events(world.guild)[0]["name"] == "Comeback show"
    fetched = await g.fetch_scheduled_events()
    assert [e.name for e in fetched] == ["Comeback show"]
    with pytest.raises(discord.HTTPException) as exc:
        await g.create_scheduled_event(
            name="Past",
            start_time=discord.utils.utcnow() - dt.timedelta(days=1),
            end_time=discord.utils.utcnow(),
            entity_type=discord.EntityType.external,
            location="x",
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    assert exc.value.code == 50035
    await ev.delete()
    assert world.emu.scheduled_events(world.guild) == []


async def test_bad_token_is_rejected(emulator: Emulator):
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        async with run_client(emulator, client, token="wrong"):
            pass
    await client.close()


def test_render_message():
    text = render_message(
        {
            "content": "hi",
            "flags": 64,
            "embeds": [
                {
                    "title": "T",
                    "description": "line1\nline2",
                    "fields": [{"name": "n", "value": "v"}],
                    "footer": {"text": "f"},
                }
            ],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "label": "A", "custom_id": "a", "style": 1},
                        {"type": 2, "label": "B", "custom_id": "b", "style": 1, "disabled": True},
                    ],
                }
            ],
        }
    )
    assert text.splitlines() == [
        "(only you can see this)",
        "hi",
        "| T",
        "| line1",
        "| line2",
        "| n: v",
        "| -- f",
        "[1] A  [2] B (disabled)",
    ]
