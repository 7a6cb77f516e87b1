-- Moderator setup and the announcement scheduler (issue 11). Community tables: written by servers, never by ingest.

-- A server's announcement settings (the table exists since 001: channel and role).
ALTER TABLE guild_settings ADD COLUMN milestones TEXT NOT NULL DEFAULT '30d,7d,1d,0';
ALTER TABLE guild_settings ADD COLUMN zone TEXT NOT NULL DEFAULT 'UTC';           -- IANA zone
ALTER TABLE guild_settings ADD COLUMN post_time TEXT NOT NULL DEFAULT '10:00';    -- local HH:MM in `zone`
ALTER TABLE guild_settings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';        -- en | ko
ALTER TABLE guild_settings ADD COLUMN anniversaries INTEGER NOT NULL DEFAULT 1;

-- A server's own dates (a show the pack lacks, a comeback, a watch party).
CREATE TABLE server_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an id keys its announcements
    guild_id   INTEGER NOT NULL,
    name       TEXT NOT NULL,                 -- as typed (shown escaped)
    day        TEXT NOT NULL,                 -- local date, YYYY-MM-DD
    time       TEXT,                          -- local HH:MM, NULL when date-only
    zone       TEXT NOT NULL,                 -- IANA zone of day/time
    city       TEXT,
    venue      TEXT,
    starts_at  INTEGER NOT NULL,              -- UTC unix seconds (the local day's start when date-only)
    created_by INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX server_events_guild ON server_events(guild_id, starts_at);

-- One row per announcement a server will get: computed from events, shows, milestones, zone and post time.
-- Never deleted: pending -> claimed -> delivered | failed | skipped, or cancelled while pending.
CREATE TABLE due_items (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    item_key    TEXT NOT NULL,                -- 'show:<id>:7d', 'event:<n>:0', 'anniv:song:<id>:release:2027'
    kind        TEXT NOT NULL,                -- countdown | anniversary
    ref         TEXT NOT NULL,                -- 'show:<id>', 'event:<n>', 'song:<id>'
    step        TEXT NOT NULL,                -- milestone ('7d', '0') or years ('2')
    due_at      INTEGER NOT NULL,             -- UTC unix seconds
    next_at     INTEGER NOT NULL,             -- when the scheduler next looks at it: due, retry or lease end
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'delivered', 'failed', 'skipped', 'cancelled')),
    claim_token TEXT,
    claimed_at  INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    channel_id  INTEGER,                      -- where it was (or is being) sent
    message_id  INTEGER,
    done_at     INTEGER,                      -- when it was delivered / failed / skipped / cancelled
    late        INTEGER NOT NULL DEFAULT 0,
    error       TEXT,                         -- why it failed or was skipped
    UNIQUE (guild_id, item_key)
);
CREATE INDEX due_items_next ON due_items(next_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX due_items_guild ON due_items(guild_id, status, due_at);
