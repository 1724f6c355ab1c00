-- The run store: one DuckDB file per run. Statements are separated by ';' at line ends.
-- Keys: an item is item_key (dense, 0..N-1 in input order); a response is (item_key, position).

-- Free-form provenance of the run: admap version, creation time, ingest options.
CREATE TABLE run_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- The files the run was built from.
CREATE TABLE inputs (
    input_id  INTEGER PRIMARY KEY,
    path      VARCHAR NOT NULL,
    format    VARCHAR NOT NULL,
    gzip      BOOLEAN NOT NULL,
    layout    VARCHAR NOT NULL,
    bytes     BIGINT,
    modified  TIMESTAMP,
    rows_read BIGINT,
    bad_rows  BIGINT
);

-- One row per instruction.
CREATE TABLE items (
    item_key    INTEGER NOT NULL,
    id          VARCHAR NOT NULL,
    prompt      VARCHAR NOT NULL,
    input       VARCHAR NOT NULL,
    reference   VARCHAR,
    input_id    INTEGER NOT NULL,
    source_line BIGINT NOT NULL
);

-- One row per response, with the score and label that came with the data (NULL when absent).
CREATE TABLE responses (
    item_key INTEGER NOT NULL,
    position INTEGER NOT NULL,
    text     VARCHAR NOT NULL,
    model    VARCHAR,
    score    DOUBLE,
    label    DOUBLE
);

-- Where scores come from. 'input' (scores in the data) and 'labels' (the data's labels used
-- as scores) are built in; each scorer configuration adds one row, with its provenance.
CREATE TABLE score_sources (
    source         VARCHAR PRIMARY KEY,
    kind           VARCHAR NOT NULL,
    description    VARCHAR,
    model          VARCHAR,
    prompt_version VARCHAR,
    parameters     VARCHAR,
    created        TIMESTAMP
);

-- Scores computed by scorers, one row per (response, source), with full provenance.
-- Rows are written as results arrive; status 'failed' keeps the raw output and no value.
CREATE TABLE scores (
    item_key   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    source     VARCHAR NOT NULL,
    value      DOUBLE,
    status     VARCHAR NOT NULL,
    error      VARCHAR,
    raw_output VARCHAR,
    tokens_in  INTEGER,
    tokens_out INTEGER,
    cost_usd   DOUBLE,
    latency_ms INTEGER,
    created    TIMESTAMP
);

-- The current map: one row per mapped instruction (n >= 2 scored responses).
CREATE TABLE map_points (
    item_key    INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    mean        DOUBLE NOT NULL,
    variance    DOUBLE NOT NULL,
    std         DOUBLE NOT NULL,
    region      VARCHAR NOT NULL,
    correlation DOUBLE
);

-- Flags from the diagnosis, one row per (instruction, reason).
CREATE TABLE flags (
    item_key  INTEGER NOT NULL,
    reason    VARCHAR NOT NULL,
    value     DOUBLE,
    threshold DOUBLE,
    detail    VARCHAR
);
