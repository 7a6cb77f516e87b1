-- Content tables: rebuilt from packs by `ingest`. Nothing in the community tables points at them
-- with a foreign key, so reloading content never touches community data.
CREATE TABLE packs (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_ko        TEXT,
    description    TEXT,
    description_ko TEXT,
    path           TEXT NOT NULL,
    digest         TEXT NOT NULL
);

CREATE TABLE artists (
    id       TEXT PRIMARY KEY,
    pack_id  TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    name_ko  TEXT,
    aliases  TEXT NOT NULL DEFAULT '[]',   -- JSON list
    grp      TEXT,
    source   TEXT,
    quote    TEXT,
    digest   TEXT NOT NULL
);

CREATE TABLE songs (
    id          TEXT PRIMARY KEY,
    pack_id     TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    title_ko    TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',
    released    TEXT,                       -- local date, YYYY-MM-DD
    zone        TEXT,                       -- IANA zone of `released`
    released_at INTEGER,                    -- UTC unix seconds of the local day's start
    credits     TEXT NOT NULL DEFAULT '[]', -- JSON list of [artist_id, role]
    source      TEXT,
    quote       TEXT,
    digest      TEXT NOT NULL
);
CREATE INDEX songs_title ON songs(title COLLATE NOCASE);

CREATE TABLE tours (
    id        TEXT PRIMARY KEY,
    pack_id   TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    name_ko   TEXT,
    artist_id TEXT NOT NULL,
    aliases   TEXT NOT NULL DEFAULT '[]',
    regions   TEXT NOT NULL DEFAULT '[]',
    source    TEXT,
    quote     TEXT,
    digest    TEXT NOT NULL
);

CREATE TABLE shows (
    id         TEXT PRIMARY KEY,
    pack_id    TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    tour_id    TEXT NOT NULL REFERENCES tours(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,               -- local date
    time       TEXT,                        -- local HH:MM, NULL when unknown
    zone       TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,            -- UTC unix seconds
    city       TEXT NOT NULL,
    city_ko    TEXT,
    country    TEXT,
    country_ko TEXT,
    venue      TEXT,
    venue_ko   TEXT,
    milestone  TEXT,
    aliases    TEXT NOT NULL DEFAULT '[]',
    source     TEXT,
    quote      TEXT,
    digest     TEXT NOT NULL
);
CREATE INDEX shows_tour ON shows(tour_id, starts_at);
CREATE INDEX shows_starts ON shows(starts_at);
CREATE INDEX shows_monthday ON shows(substr(day, 6, 5));

CREATE TABLE facts (
    id       TEXT PRIMARY KEY,
    pack_id  TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    text     TEXT NOT NULL,
    text_ko  TEXT,
    day      TEXT,                           -- local date the fact happened, for /onthisday
    zone     TEXT,
    source   TEXT NOT NULL,
    quote    TEXT NOT NULL,
    digest   TEXT NOT NULL
);
CREATE INDEX facts_kind ON facts(kind);
CREATE INDEX facts_monthday ON facts(substr(day, 6, 5)) WHERE day IS NOT NULL;

CREATE TABLE fact_subjects (
    fact_id TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,                   -- 'artist:iu', 'song:love-wins-all', ...
    PRIMARY KEY (subject, fact_id)
) WITHOUT ROWID;
CREATE INDEX fact_subjects_fact ON fact_subjects(fact_id);

CREATE VIRTUAL TABLE facts_fts USING fts5(
    text, text_ko, quote, content='facts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts(rowid, text, text_ko, quote) VALUES (new.rowid, new.text, new.text_ko, new.quote);
END;
CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
    INSERT INTO facts_fts(facts_fts, rowid, text, text_ko, quote) VALUES ('delete', old.rowid, old.text, old.text_ko, old.quote);
END;
CREATE TRIGGER facts_au AFTER UPDATE ON facts BEGIN
    INSERT INTO facts_fts(facts_fts, rowid, text, text_ko, quote) VALUES ('delete', old.rowid, old.text, old.text_ko, old.quote);
    INSERT INTO facts_fts(rowid, text, text_ko, quote) VALUES (new.rowid, new.text, new.text_ko, new.quote);
END;

CREATE TABLE questions (
    id          TEXT PRIMARY KEY,
    pack_id     TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    question_ko TEXT,
    answer      TEXT NOT NULL,
    answer_ko   TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',
    wrong       TEXT NOT NULL,               -- JSON list of 3
    fact_id     TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    digest      TEXT NOT NULL
);

-- Community tables: written by servers, never by ingest.
CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    announce_channel_id INTEGER,
    ping_role_id        INTEGER,
    updated_at          INTEGER NOT NULL
);

-- Which facts a channel has seen, so /fact doesn't repeat until the pool is used up.
CREATE TABLE fact_history (
    channel_id INTEGER NOT NULL,
    fact_id    TEXT NOT NULL,
    shown_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, fact_id)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
