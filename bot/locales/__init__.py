"""Per-feature string tables, merged into bot.i18n (one file per feature keeps them apart)."""
