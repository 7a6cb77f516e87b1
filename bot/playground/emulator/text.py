"""Plain-text views of messages and modals for tests and logs (the terminal has its own rich renderer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .limits import FLAG_EPHEMERAL, FLAG_LOADING


def walk_components(components: Any) -> Iterable[dict]:
    """Every component of a message or modal, depth first, in the order Discord numbers them."""
    for c in components or []:
        if not isinstance(c, dict):
            continue
        yield c
        yield from walk_components(c.get("components"))
        if c.get("accessory"):
            yield from walk_components([c["accessory"]])
        if c.get("component"):
            yield from walk_components([c["component"]])


def render_modal_text(modal: dict) -> str:
    lines = [f"[modal] {modal.get('title', '')}"]
    for row in modal.get("components") or []:
        for c in walk_components([row]):
            if c.get("type") == 4:
                label = c.get("label") or row.get("label") or ""
                lines.append(f"  {label} ({c.get('custom_id')}){' *' if c.get('required', True) else ''}")
            elif c.get("type") == 10:
                lines.append(f"  {c.get('content', '')}")
    return "\n".join(lines)


def render_message(message: dict | None) -> str:
    """Plain-text rendering: content, embeds (| prefixed), v2 text, then numbered buttons [1] Label."""
    if not message:
        return ""
    lines: list[str] = []
    flags = message.get("flags", 0) or 0
    if flags & FLAG_EPHEMERAL:
        lines.append("(only you can see this)")
    if flags & FLAG_LOADING:
        lines.append("(thinking...)")
    if message.get("content"):
        lines.append(message["content"])
    for e in message.get("embeds") or []:
        if e.get("author", {}).get("name"):
            lines.append(f"| {e['author']['name']}")
        if e.get("title"):
            lines.append(f"| {e['title']}")
        for ln in (e.get("description") or "").splitlines():
            lines.append(f"| {ln}")
        for f in e.get("fields") or []:
            value = (f.get("value") or "").splitlines() or [""]
            lines.append(f"| {f.get('name')}: {value[0]}")
            lines.extend(f"|   {v}" for v in value[1:])
        if e.get("footer", {}).get("text"):
            lines.append(f"| -- {e['footer']['text']}")
    n = 0
    for row in message.get("components") or []:
        row_parts: list[str] = []
        for c in walk_components([row]):
            t = c.get("type")
            if t == 10:
                lines.append(c.get("content", ""))
            elif t == 2:
                n += 1
                label = c.get("label") or (c.get("emoji") or {}).get("name") or "?"
                extra = " (disabled)" if c.get("disabled") else ""
                if c.get("style") == 5:
                    extra += f" <{c.get('url')}>"
                row_parts.append(f"[{n}] {label}{extra}")
            elif t in (3, 5, 6, 7, 8):
                opts = " / ".join(o.get("label", "") for o in c.get("options") or [])
                row_parts.append(f"<{c.get('placeholder') or c.get('custom_id')}>" + (f": {opts}" if opts else ""))
        if row_parts:
            lines.append("  ".join(row_parts))
    for a in message.get("attachments") or []:
        lines.append(f"[file] {a.get('filename')}")
    return "\n".join(lines)
