-- Trivia (issue 10): community tables, written by servers, never by ingest. Question ids are the
-- stable ids of bot/trivia/questions.py ("q:<pack id>", "gen:...", "tf:..."), not foreign keys, so
-- reloading content never touches a game.

-- Per-guild settings: the fewest players for a game to count, and the default round length.
CREATE TABLE trivia_settings (
    guild_id    INTEGER PRIMARY KEY,
    min_players INTEGER NOT NULL DEFAULT 2 CHECK (min_players BETWEEN 1 AND 25),
    seconds     INTEGER NOT NULL DEFAULT 20 CHECK (seconds BETWEEN 10 AND 60),
    updated_at  INTEGER NOT NULL
);

-- Seasons are archived (ended_at set, top three kept), never deleted. At most one open per guild.
CREATE TABLE trivia_seasons (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    started_at INTEGER NOT NULL,              -- UTC unix seconds
    ended_at   INTEGER,
    top        TEXT,                          -- JSON [[user_id, points], ...] when archived
    UNIQUE (guild_id, number)
);
CREATE UNIQUE INDEX trivia_one_open_season ON trivia_seasons(guild_id) WHERE ended_at IS NULL;
CREATE TRIGGER trivia_seasons_kept BEFORE DELETE ON trivia_seasons BEGIN
    SELECT RAISE(ABORT, 'trivia seasons are archived, never deleted');
END;

CREATE TABLE trivia_games (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    season_id   INTEGER NOT NULL REFERENCES trivia_seasons(id),
    starter_id  INTEGER NOT NULL,
    lang        TEXT NOT NULL,                -- the language of the channel messages
    mode        TEXT NOT NULL CHECK (mode IN ('buttons', 'typed', 'truefalse', 'mixed')),
    rounds      INTEGER NOT NULL CHECK (rounds BETWEEN 1 AND 20),
    seconds     INTEGER NOT NULL CHECK (seconds BETWEEN 10 AND 60),
    about       TEXT,                          -- subject key, or NULL for anything
    seed        INTEGER NOT NULL,              -- shuffles options and modes the same way after a restart
    min_players INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'stopped')),
    counted     INTEGER NOT NULL DEFAULT 0,    -- 1 when it ended with enough players for the season
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER
);
-- One running game per channel, enforced here and not only in memory.
CREATE UNIQUE INDEX trivia_one_game_per_channel ON trivia_games(channel_id) WHERE status = 'running';
CREATE INDEX trivia_games_guild ON trivia_games(guild_id, season_id);

CREATE TABLE trivia_rounds (
    id          INTEGER PRIMARY KEY,
    game_id     INTEGER NOT NULL REFERENCES trivia_games(id),
    number      INTEGER NOT NULL,              -- 1-based
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('buttons', 'typed', 'truefalse')),
    options     TEXT NOT NULL,                 -- JSON display order, indexes into [answer, *wrong]
    right_index INTEGER NOT NULL,              -- display index of the right option (-1 typed)
    started_at  INTEGER NOT NULL,              -- UTC unix milliseconds (bot clock)
    ends_at     INTEGER NOT NULL,              -- UTC unix milliseconds (bot clock)
    message_id  INTEGER,                       -- the one channel message of the round
    revealed_at INTEGER,
    UNIQUE (game_id, number)
);

-- One answer per (round, user), enforced here. A typed answer's row counts tries and hints.
CREATE TABLE trivia_answers (
    round_id       INTEGER NOT NULL REFERENCES trivia_rounds(id),
    user_id        INTEGER NOT NULL,
    choice         INTEGER,                    -- display index picked (buttons, true/false)
    typed          TEXT,                       -- the last typed try, clipped
    tries          INTEGER NOT NULL DEFAULT 0,
    hints          INTEGER NOT NULL DEFAULT 0,
    right          INTEGER NOT NULL DEFAULT 0,
    interaction_id INTEGER,                    -- snowflake of the scored (last) try
    elapsed_ms     INTEGER,
    points         INTEGER NOT NULL DEFAULT 0, -- set at the reveal
    streak         INTEGER NOT NULL DEFAULT 0, -- right answers in a row in this game, set at the reveal
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;
CREATE INDEX trivia_answers_user ON trivia_answers(user_id);

-- Which questions each server has seen, and whether anyone got them right (they come back first).
CREATE TABLE trivia_seen (
    guild_id    INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    seen_at     INTEGER NOT NULL,
    answered    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, question_id)
) WITHOUT ROWID;
