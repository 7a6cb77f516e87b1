"""``python -m bot playground``: use the production bot from a terminal, against the loopback Discord emulator.

No Discord account, no token, no network (only 127.0.0.1). Type slash commands the way Discord's client
sends them (``/song love wins all``, ``/tour name:her city:seoul``), press buttons by number, fill forms,
act as other members (``:as fan2``) and travel in time (``:advance 3d``). At a terminal, input is read with
prompt_toolkit (history, line editing, Tab completion of commands, options and the bot's own autocomplete)
and output drawn with rich (Discord markdown, embeds as panels in their colour). When standard input is not
a terminal (or ``--script FILE`` is given) lines are read as a script: each is echoed as ``> line`` and
followed by the bot's answer, in plain text.

Layout::

    app.py       main(): settings, pack reload, the read-handle loop
    session.py   Session: the world, who you are, dispatch, what the bot posts or edits on its own
    meta.py      the :commands (:as, :locale, :advance, :help ...)
    actions.py   slash commands, autocomplete, buttons, menus, forms
    parsing.py   a typed slash command -> what Discord's client sends (pure)
    render.py    messages, embeds, components, forms -> rich renderables or plain lines
    markdown.py  Discord markdown -> rich Text (escapes before emphasis, spoilers, strikes)
    timefmt.py   <t:...> timestamps and typed time spans (pure)
    screen.py    output: a rich console, or plain lines for a pipe
    reader.py    input: prompt_toolkit at a terminal, a thread reading lines from a pipe
"""

from .app import main

__all__ = ["main"]
