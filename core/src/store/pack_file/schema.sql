-- The compiled pack, schema version 4 (PRAGMA user_version). Read-only at run time.
-- A file of version 3 has the tables up to the line that opens version 4, and none after it.
-- Localized texts are JSON objects keyed by language code: {"fr": "…", "en": "…"}.
-- `ord` keeps the order of the source files.

CREATE TABLE pack_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE event (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    title         TEXT NOT NULL,
    subtitle      TEXT NOT NULL,
    date          TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    start         TEXT NOT NULL,
    "end"         TEXT NOT NULL,
    city          TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    venue         TEXT NOT NULL,
    address       TEXT NOT NULL,
    introduction  TEXT NOT NULL
);

CREATE TABLE organisations (
    ord     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    role    TEXT NOT NULL CHECK (role IN ('organiser', 'partner')),
    name    TEXT NOT NULL,
    about   TEXT,
    address TEXT,
    phone   TEXT,
    email   TEXT,
    website TEXT
);

CREATE TABLE key_figures (
    ord    INTEGER PRIMARY KEY,
    value  TEXT NOT NULL,
    label  TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE timetable (
    ord         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    start       TEXT NOT NULL,
    "end"       TEXT,
    title       TEXT NOT NULL,
    place       TEXT,
    description TEXT,
    easy_read   TEXT
);

CREATE TABLE stops (
    ord                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    theme               TEXT NOT NULL,
    host                TEXT NOT NULL,
    meeting_place       TEXT NOT NULL,
    description         TEXT NOT NULL,
    easy_read           TEXT,
    lat                 REAL,
    lon                 REAL,
    accuracy_m          REAL,
    position_confidence TEXT,
    position_source     TEXT,
    position_licence    TEXT,
    CHECK ((lat IS NULL) = (lon IS NULL))
);

CREATE TABLE speakers (
    stop_id      TEXT NOT NULL REFERENCES stops (id),
    ord          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    organisation TEXT,
    PRIMARY KEY (stop_id, ord)
) WITHOUT ROWID;

CREATE TABLE facts (
    stop_id TEXT NOT NULL REFERENCES stops (id),
    ord     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (stop_id, ord)
) WITHOUT ROWID;

CREATE TABLE routes (
    ord    INTEGER PRIMARY KEY,
    id     TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    colour TEXT NOT NULL,
    symbol TEXT NOT NULL,
    line   TEXT NOT NULL,
    start  TEXT NOT NULL,
    "end"  TEXT NOT NULL
);

CREATE TABLE route_stops (
    route_id TEXT NOT NULL REFERENCES routes (id),
    ord      INTEGER NOT NULL,
    stop_id  TEXT NOT NULL REFERENCES stops (id),
    arrive   TEXT NOT NULL,
    depart   TEXT NOT NULL,
    PRIMARY KEY (route_id, ord)
) WITHOUT ROWID;

CREATE TABLE workshops (
    ord      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    number   INTEGER NOT NULL UNIQUE,
    title    TEXT NOT NULL,
    question TEXT NOT NULL,
    topics   TEXT,
    easy_read TEXT
);

-- A stop's recordings, one per language, as the organiser gave them (MP3 or AAC in MP4).
CREATE TABLE stop_audio (
    stop_id TEXT NOT NULL REFERENCES stops (id),
    lang    TEXT NOT NULL,
    mime    TEXT NOT NULL CHECK (mime IN ('audio/mpeg', 'audio/mp4')),
    data    BLOB NOT NULL,
    PRIMARY KEY (stop_id, lang)
) WITHOUT ROWID;

-- The worksheet template: a single row of texts, then its columns and ratings.
CREATE TABLE worksheet (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    title               TEXT NOT NULL,
    instructions        TEXT NOT NULL,
    objectives          TEXT NOT NULL, -- JSON array of localized texts
    rating_instructions TEXT NOT NULL
);

CREATE TABLE worksheet_columns (
    ord   INTEGER PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    help  TEXT NOT NULL
);

CREATE TABLE worksheet_ratings (
    ord     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    colour  TEXT NOT NULL,
    label   TEXT NOT NULL,
    meaning TEXT NOT NULL
);

CREATE TABLE initiatives (
    ord         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    workshop_id TEXT NOT NULL REFERENCES workshops (id),
    title       TEXT NOT NULL,
    holder      TEXT NOT NULL,
    acts_on     TEXT NOT NULL,
    territory   TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE map_layers (
    ord         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    attribution TEXT NOT NULL,
    licence     TEXT NOT NULL,
    source      TEXT NOT NULL,
    geojson     TEXT NOT NULL
);

-- Offline full-text search; accents and case are ignored ("malegarie" finds "Malégarie").
CREATE VIRTUAL TABLE search USING fts5 (
    kind UNINDEXED,
    ref UNINDEXED,
    lang UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Since version 4: what a stop, a route and a workshop may add, each optional.
CREATE TABLE stop_access (
    stop_id TEXT PRIMARY KEY REFERENCES stops (id),
    text    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE stop_photo (
    stop_id TEXT PRIMARY KEY REFERENCES stops (id),
    mime    TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    width   INTEGER NOT NULL,
    height  INTEGER NOT NULL,
    alt     TEXT NOT NULL,
    credit  TEXT NOT NULL,
    data    BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE route_back (
    route_id TEXT PRIMARY KEY REFERENCES routes (id),
    stop_id  TEXT NOT NULL REFERENCES stops (id)
) WITHOUT ROWID;

CREATE TABLE workshop_questions (
    workshop_id TEXT NOT NULL REFERENCES workshops (id),
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (workshop_id, ord)
) WITHOUT ROWID;

-- Since version 5: the worksheet form's own words, each optional.
CREATE TABLE worksheet_form (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    title_column TEXT,
    rating_title TEXT
);
