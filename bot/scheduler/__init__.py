"""Scheduled announcements (issue 11): countdowns and anniversaries that arrive exactly once.

- :mod:`bot.scheduler.due`: the due-time rules, pure functions (no Discord, no SQL);
- :mod:`bot.scheduler.model`: the records (a server's settings, its own dates, a due item);
- :mod:`bot.scheduler.poster`: claims due items and sends them (nonce, reconciliation, pacing);
- :mod:`bot.scheduler.service`: the task that sleeps until the next due item and keeps the schedule in step.

The data access is :mod:`bot.db.schedule`, the embeds :mod:`bot.render.announcements`, the moderator commands
:mod:`bot.cogs.config` and :mod:`bot.cogs.server_events`.
"""
