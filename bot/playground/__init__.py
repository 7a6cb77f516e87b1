"""Loopback Discord emulator (REST v10 + gateway) for driving the real discord.py bot in tests."""
