-- Seed articles as a pack describes them, so facts can cite "OTTplay: <title>" instead of a file name.
CREATE TABLE articles (
    id        TEXT PRIMARY KEY,              -- the seed file name
    pack_id   TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    title_ko  TEXT,
    publisher TEXT NOT NULL,
    author    TEXT,
    published TEXT,                          -- YYYY-MM-DD
    digest    TEXT NOT NULL
);

-- Tour regions in Korean.
ALTER TABLE tours ADD COLUMN regions_ko TEXT NOT NULL DEFAULT '[]';
