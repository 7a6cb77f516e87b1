"""Trivia: pure game logic (questions, rounds, scoring, hints) with no Discord and no SQL."""
