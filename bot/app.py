"""The Bot subclass: setup_hook opens the content index, loads the cogs and syncs the tree when it changed."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import hashlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.clock import Clock, SystemClock
from bot.content.catalog import Catalog
from bot.content.loader import discover, load_packs
from bot.db import migrate
from bot.db.ingest import has_content, ingest
from bot.db.store import Store
from bot.i18n import Translator
from bot.render.cache import CardCache
from bot.replies import answer_stale_button, guarded, reply_failure
from bot.scheduler.service import Scheduler
from bot.settings import Settings

log = logging.getLogger(__name__)

# A modal submit handler (see Lightstick.route_modal): the interaction and its custom id's match.
ModalHandler = Callable[[discord.Interaction[Any], re.Match[str]], Awaitable[None]]

CONTENT_CHECK_SECONDS = 30.0
COGS = (
    "bot.cogs.songs",
    "bot.cogs.tours",
    "bot.cogs.facts",
    "bot.cogs.events",
    "bot.cogs.about",
    "bot.cogs.trivia",
    "bot.cogs.config",
    "bot.cogs.server_events",
)


class LightstickTree(app_commands.CommandTree["Lightstick"]):
    """Picks up a new `ingest` before each command; failures go to the one reply path (:mod:`bot.replies`)."""

    async def interaction_check(self, interaction: discord.Interaction[Lightstick]) -> bool:
        await self.client.refresh_content()
        return True

    async def on_error(self, interaction: discord.Interaction[Lightstick], error: app_commands.AppCommandError) -> None:
        await reply_failure(interaction, error)


class Lightstick(commands.Bot):
    """The production bot: the store and clock are handed in; the catalogue is built in a worker thread.

    ``freeze_heap`` (what ``python -m bot run`` does): once the catalogue is built, and again after each
    rebuild, everything alive is moved out of the garbage collector's sight with :func:`gc.freeze`, so its
    full collections stop re-walking the catalogue and discord.py's start-up state while fans click (a quarter
    of the bot's CPU on a button click was the collector; issue 8, item 8). A catalogue holds no reference
    cycles (a test keeps it so), so a replaced one is freed by reference counting even while frozen.
    ``close()`` unfreezes. Off by default: a test process runs many bots one after another.

    What was frozen and later became garbage in a cycle (discord.py's guild cache after a full reconnect:
    a guild and its channels point at each other) cannot be freed while frozen, so each settling unfreezes
    first and collects the whole heap, and a READY (the first, and each one after a new session) settles
    too: such garbage lives at most until the next READY or rebuild, never for the life of the process.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock | None = None,
        sync_on_start: bool = True,
        freeze_heap: bool = False,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # no privileged intents: no message content, no member list
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=LightstickTree,
            allowed_mentions=discord.AllowedMentions.none(),
            activity=discord.Activity(type=discord.ActivityType.listening, name="/song"),
            **options,
        )
        self.settings = settings
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.sync_on_start = sync_on_start
        self.freeze_heap = freeze_heap
        self.catalog = Catalog.empty()
        self.cards = CardCache()
        self.version = __version__
        self._content_checked = float("-inf")
        self._rebuild: asyncio.Task[None] | None = None
        self._modal_routes: dict[re.Pattern[str], ModalHandler] = {}
        self.scheduler = Scheduler(self)

    async def setup_hook(self) -> None:
        await self.tree.set_translator(Translator())
        await self.store.content_changed()  # remember the content version this catalogue is built from
        self.catalog = await asyncio.to_thread(Catalog.build, *await Catalog.records(self.store))
        self._content_checked = time.monotonic()
        for name in COGS:
            await self.load_extension(name)
        if self.settings.dev_guild_id:
            self.tree.copy_global_to(guild=discord.Object(self.settings.dev_guild_id))
        if self.sync_on_start:
            await self.sync_if_changed()
        self._settle_heap()
        log.info(
            "ready to serve: %s songs, %s tours in the catalogue", len(self.catalog.songs), len(self.catalog.tours)
        )

    async def on_ready(self) -> None:
        """Start the announcement scheduler once connected (not in setup_hook: `python -m bot sync` logs in
        without connecting, and must never post). Idempotent, since on_ready fires again after a reconnect.
        With ``freeze_heap``, the heap is settled again: the guild cache a new session replaced is freed."""
        self._settle_heap()
        self.scheduler.start()

    def route_modal(self, custom_id: re.Pattern[str], handler: ModalHandler) -> None:
        """Send every modal submit whose custom id fully matches ``custom_id`` to ``handler(interaction,
        match)``, before or after a restart (discord.py only routes a modal it still holds in memory). A cog
        routes its modals in ``cog_load`` and calls :meth:`unroute_modal` in ``cog_unload``."""
        self._modal_routes[custom_id] = handler

    def unroute_modal(self, custom_id: re.Pattern[str]) -> None:
        """Stop routing modal submits matching ``custom_id`` (see :meth:`route_modal`)."""
        self._modal_routes.pop(custom_id, None)

    async def on_interaction(self, interaction: discord.Interaction[Lightstick]) -> None:
        """Every interaction passes here too (discord.py routes it on its own), in one task per interaction:
        a modal submit goes to the handler a cog routed it to (:meth:`route_modal`), and a click on an ``ls:``
        button of an older version gets a kind private answer (:func:`bot.replies.answer_stale_button`)."""
        if interaction.type is discord.InteractionType.modal_submit:
            data: Any = interaction.data or {}
            custom_id = str(data.get("custom_id", ""))
            for pattern, handler in self._modal_routes.items():
                found = pattern.fullmatch(custom_id)
                if found is not None:
                    await guarded(interaction, functools.partial(handler, interaction, found))
                    return
        else:
            await answer_stale_button(interaction)

    async def refresh_content(self, *, wait: bool = False) -> None:
        """Pick up a new `ingest` without a restart: checked lazily, at most every 30 seconds. The new
        catalogue is built in the background; commands use the old one until it is swapped in. With ``wait``
        (the scheduler, before it posts) a rebuild under way is awaited, so its recomputed schedule is used."""
        if time.monotonic() - self._content_checked >= CONTENT_CHECK_SECONDS:
            self._content_checked = time.monotonic()
            if await self.store.content_changed() and (self._rebuild is None or self._rebuild.done()):
                self._rebuild = asyncio.create_task(self._rebuild_catalog(), name="lightstick-catalogue")
        if wait and self._rebuild is not None and not self._rebuild.done():
            await asyncio.shield(self._rebuild)

    async def _rebuild_catalog(self) -> None:
        try:
            records = await Catalog.records(self.store)
            self.catalog = await asyncio.to_thread(Catalog.build, *records)  # swapping it also retires CardCache
            await self.scheduler.content_changed()
            self._settle_heap()
            log.info(
                "content changed on disk; reloaded %s songs, %s tours", len(self.catalog.songs), len(self.catalog.tours)
            )
        except Exception:  # noqa: BLE001 - keep serving the old catalogue
            log.exception("could not rebuild the catalogue after an ingest; still serving the previous one")

    def _settle_heap(self) -> None:
        """With ``freeze_heap``: collect what is garbage now (what was frozen included), then freeze everything
        left (see the class)."""
        if self.freeze_heap:
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    async def close(self) -> None:
        """End every task the bot started (the scheduler, a catalogue rebuild in flight), then log out."""
        await self.scheduler.close()
        if self._rebuild is not None and not self._rebuild.done():
            self._rebuild.cancel()
            await asyncio.gather(self._rebuild, return_exceptions=True)
        if self.freeze_heap:
            gc.unfreeze()
        await super().close()

    async def tree_digest(self, guild: discord.abc.Snowflake | None) -> str:
        """A SHA-256 of the command payloads ``tree.sync(guild=guild)`` would send (translations included)."""
        translator = self.tree.translator
        payload = [
            await command.get_translated_payload(self.tree, translator) if translator else command.to_dict(self.tree)
            for command in self.tree.get_commands(guild=guild)
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    async def sync_commands(self, guild: discord.abc.Snowflake | None = None, digest: str | None = None) -> int:
        """Push the tree to Discord and remember its digest (``digest``: the tree's, when the caller has it)."""
        synced = await self.tree.sync(guild=guild)
        await self.store.meta.set(self._sync_key(guild), digest or await self.tree_digest(guild))
        return len(synced)

    async def sync_if_changed(self) -> bool:
        """Sync only when the command tree differs from the last one pushed (remembered in the database)."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        digest = await self.tree_digest(guild)  # every string in every locale: computed once per start
        if await self.store.meta.get(self._sync_key(guild)) == digest:
            log.info("command tree unchanged since the last sync; not syncing")
            return False
        count = await self.sync_commands(guild, digest)
        log.info("synced %s commands to %s", count, f"guild {guild.id}" if guild else "all guilds")
        return True

    def _sync_key(self, guild: discord.abc.Snowflake | None) -> str:
        """Per application and scope, so another bot token on the same database still gets its commands."""
        scope = f"guild:{guild.id}" if guild else "global"
        return f"tree_digest:{self.application_id}:{scope}"


def ensure_content(settings: Settings) -> None:
    """Build the content tables from the packs when the database has none yet."""
    conn = migrate.connect(settings.database_path)
    try:
        if has_content(conn):
            return
        packs, problems = load_packs(discover(settings.packs_dir), settings.seeds_dir)
        if problems:
            for problem in problems:
                log.error("%s", problem)
            raise SystemExit("the packs have problems; run `python -m bot check` to see them")
        report = ingest(conn, packs)
        log.info("loaded %s pack(s) into an empty database: %s", len(packs), "; ".join(report.lines()))
    finally:
        conn.close()


@contextlib.asynccontextmanager
async def open_bot(settings: Settings, clock: Clock | None = None, **options: Any) -> AsyncIterator[Lightstick]:
    """The production bot with its store open: what `run` serves, and what the e2e tests drive.

    The content check and first ingest run in a worker thread, so the event loop is never blocked.
    """
    await asyncio.to_thread(ensure_content, settings)
    store = await Store.open(settings.database_path)
    try:
        yield Lightstick(settings, store, clock, **options)
    finally:
        await store.close()


async def run_bot(settings: Settings, token: str) -> None:
    async with open_bot(settings, freeze_heap=True) as bot, bot:
        await bot.start(token)


async def sync_commands(settings: Settings, token: str, guild_id: int | None) -> int:
    """`python -m bot sync`: log in (which runs setup_hook and loads the cogs), push the tree, log out."""
    async with open_bot(settings, sync_on_start=False) as bot, bot:
        await bot.login(token)
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        return await bot.sync_commands(guild)
