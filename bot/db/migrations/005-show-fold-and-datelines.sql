-- Two things a pack says that the store did not keep. Content tables: written by ingest only.

-- Which occurrence of a local time that happens twice (the hour when clocks go back) a show starts at:
-- 0 the first, 1 the second, as in Python's datetime.fold; the pack's `offset` picks it (issue 9 item 6).
ALTER TABLE shows ADD COLUMN fold INTEGER NOT NULL DEFAULT 0;

-- An article's date line, verbatim from its seed ("Last Updated: 07.01 PM, Jan 28, 2024"); NULL when the
-- pack gives none (issue 9 item 11).
ALTER TABLE articles ADD COLUMN dateline TEXT;
