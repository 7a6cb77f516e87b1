"""Discord's numbers the emulator speaks: permission bits, intents, interaction and callback types,
and the JSON helpers every module shares."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, NamedTuple

import discord
import orjson
from aiohttp import web
from discord import Permissions

DISCORD_EPOCH = 1420070400000
ALL_PERMISSIONS = Permissions.all().value
P = discord.Permissions
ADMINISTRATOR = P(administrator=True).value
VIEW_CHANNEL = P(view_channel=True).value
SEND_MESSAGES = P(send_messages=True).value
READ_HISTORY = P(read_message_history=True).value
MANAGE_MESSAGES = P(manage_messages=True).value
MANAGE_EVENTS = P(manage_events=True).value
CREATE_EVENTS = P(create_events=True).value

DEFAULT_EVERYONE_PERMISSIONS = P(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
    use_external_emojis=True,
    use_external_stickers=True,
    connect=True,
    speak=True,
    stream=True,
    use_voice_activation=True,
    change_nickname=True,
    create_instant_invite=True,
    request_to_speak=True,
    use_embedded_activities=True,
).value
DEFAULT_BOT_PERMISSIONS = P(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_application_commands=True,
    use_external_emojis=True,
    manage_events=True,
    create_events=True,
).value

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_SCHEDULED_EVENTS = 1 << 16

# interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# callback types
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = (
    1,
    4,
    5,
    6,
    7,
    8,
    9,
)
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
INTERACTION_TOKEN_TTL = 15 * 60.0


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat()


def perm_value(p: Any) -> int:
    if p is None:
        return 0
    return int(getattr(p, "value", p))


def copy_tree(obj: Any) -> Any:
    """A copy of parsed JSON (dicts, lists, scalars), as deep as copy.deepcopy but through orjson, which is
    several times faster than walking the tree in Python (the emulator copies every embed it stores)."""
    try:
        return orjson.loads(orjson.dumps(obj))
    except (TypeError, orjson.JSONDecodeError):  # an integer beyond 64 bits, a non-JSON value: walk it
        if isinstance(obj, dict):
            return {k: copy_tree(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [copy_tree(v) for v in obj]
        return obj


def jdump_bytes(obj: Any) -> bytes:
    """Compact UTF-8 JSON, as Discord sends it.  orjson (a dependency already: discord.py uses it too) is the
    fast path; the standard library takes what orjson refuses (integers beyond 64 bits, which a test may send
    to see Discord's own 400)."""
    try:
        return orjson.dumps(obj)
    except TypeError:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def jdump(obj: Any) -> str:
    """:func:`jdump_bytes` as text (a gateway frame)."""
    return jdump_bytes(obj).decode()


def jload(raw: str | bytes) -> Any:
    """Parse JSON sent to the emulator.  Raises ValueError when it is not JSON (orjson's error is one)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)  # what orjson refuses but Python reads (huge integers), or the same ValueError


# a REST route: (HTTP method, path regex after /api/v10, name of the handler method, needs "Authorization: Bot")
Route = tuple[str, str, str, bool]


def json_response(status: int, body: Any, headers: dict | None = None) -> web.Response:
    """A JSON answer as Discord sends it.

    ``body=`` (bytes) so aiohttp does not append "; charset=utf-8": discord.py parses a body as JSON only when
    the Content-Type is exactly ``application/json``.
    """
    return web.Response(status=status, body=jdump_bytes(body), content_type="application/json", headers=headers)


class RestRequest(NamedTuple):
    """One REST request as the handlers see it: path after /api/v10, parsed JSON body, uploaded files."""

    method: str
    path: str
    query: Any
    json: Any
    files: list[dict]
    headers: Any
