"""Trivia (issue 10): the game's rules apart from the Discord side that drives them.

- :mod:`bot.trivia.game`, :mod:`bot.trivia.questions`, :mod:`bot.trivia.hints`: the rules, the question pool
  and the hints, pure functions with no Discord and no SQL (tests/trivia/test_pure.py keeps them so);
- :mod:`bot.trivia.runner`: the task per running game that posts a round, sleeps until it ends and reveals it;
- :mod:`bot.trivia.views`: the buttons and the answer modal (DynamicItems, restart-proof).

The data access is :mod:`bot.db.trivia`, the embeds :mod:`bot.render.trivia`, the commands :mod:`bot.cogs.trivia`.
"""
