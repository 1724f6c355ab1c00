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

-- One row per instruction. prompt is the instruction as text (a conversation flattened, as the
-- map and ids read it); turns is the prompt as chat messages when the input gave a conversation,
-- a JSON list of {"role", "content"}, NULL for a plain prompt. images is the images the prompt
-- carries, a JSON list of {"source", "kind", "location", "sha256"} (ImagesColumn), NULL for text
-- only. Stores older than the turns or images column get it, NULL, when opened (RunStore.migrate).
CREATE TABLE items (
    item_key    INTEGER NOT NULL,
    id          VARCHAR NOT NULL,
    prompt      VARCHAR NOT NULL,
    input       VARCHAR NOT NULL,
    reference   VARCHAR,
    input_id    INTEGER NOT NULL,
    source_line BIGINT NOT NULL,
    turns       VARCHAR,
    images      VARCHAR
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

-- The samples of scores that came with the data as lists (Prometheus' gpt4_score: three GPT-4
-- grades per response), one row per (response, sample); responses.score holds their mean. The
-- 'input' source's standard errors come from here. Absent from stores made before it existed.
CREATE TABLE IF NOT EXISTS input_samples (
    item_key INTEGER NOT NULL,
    position INTEGER NOT NULL,
    sample   INTEGER NOT NULL,
    value    DOUBLE NOT NULL
);

-- Where scores come from. 'input' (scores in the data) and 'labels' (the data's labels used
-- as scores) are built in and not listed here; each scorer source adds one row: its name,
-- the fingerprint of its configuration (what makes two scores comparable) and provenance.
CREATE TABLE score_sources (
    source         VARCHAR PRIMARY KEY,
    kind           VARCHAR NOT NULL,
    fingerprint    VARCHAR NOT NULL,
    endpoint       VARCHAR,
    model          VARCHAR,
    prompt_version VARCHAR,
    parameters     VARCHAR,
    created        TIMESTAMP
);

-- Scores computed by scorers, one row per (response, source, sample), with full provenance.
-- A score is identified for caching by (fingerprint, prompt_hash, response_hash, sample): a
-- response whose instruction and text were already scored under the same configuration is
-- never sent again. Rows are committed as results arrive; status 'failed' keeps the error and
-- the raw output and has no value. call_order records how the responses of one call were
-- shuffled. sample is the 0-based index of a repeated judgment (--samples K); spread is the
-- standard deviation of the judge's score distribution from log-probabilities (NULL when not
-- computed); method says how value was obtained: plain, logprobs or logprobs-fallback (NULL on
-- rows written before the column existed means plain). Stores older than these three columns
-- get them when opened (RunStore.migrate).
CREATE TABLE scores (
    item_key      INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    source        VARCHAR NOT NULL,
    fingerprint   VARCHAR NOT NULL,
    prompt_hash   VARCHAR NOT NULL,
    response_hash VARCHAR NOT NULL,
    value         DOUBLE,
    status        VARCHAR NOT NULL,
    error         VARCHAR,
    raw_output    VARCHAR,
    tokens_in     INTEGER,
    tokens_out    INTEGER,
    cost_usd      DOUBLE,
    latency_ms    INTEGER,
    attempts      INTEGER,
    call_order    VARCHAR,
    endpoint      VARCHAR,
    model         VARCHAR,
    created       TIMESTAMP,
    sample        INTEGER NOT NULL DEFAULT 0,
    spread        DOUBLE,
    method        VARCHAR
);

-- Reference answers for reference-based scoring, one per (instruction text, writer):
-- written once, reused by every later run and scorer. writer is 'data' for references that
-- came with the input, otherwise the generating model.
CREATE TABLE reference_answers (
    prompt_hash VARCHAR NOT NULL,
    writer      VARCHAR NOT NULL,
    text        VARCHAR NOT NULL,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    cost_usd    DOUBLE,
    created     TIMESTAMP
);

-- Sentence embeddings, one per (text, model): a text is embedded once.
CREATE TABLE embeddings (
    text_hash VARCHAR NOT NULL,
    model     VARCHAR NOT NULL,
    vector    FLOAT[] NOT NULL,
    created   TIMESTAMP
);

-- OpenAI Batch API jobs, so a restarted 'score --batch' resumes them instead of resubmitting.
CREATE TABLE batches (
    batch_id       VARCHAR PRIMARY KEY,
    source         VARCHAR NOT NULL,
    fingerprint    VARCHAR NOT NULL,
    input_file_id  VARCHAR,
    status         VARCHAR NOT NULL,
    request_count  INTEGER,
    output_file_id VARCHAR,
    error_file_id  VARCHAR,
    imported       BOOLEAN NOT NULL,
    created        TIMESTAMP,
    updated        TIMESTAMP
);

-- The current map: one row per mapped instruction (n >= 2 scored responses).
CREATE TABLE map_points (
    item_key    INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    mean        DOUBLE NOT NULL,
    variance    DOUBLE NOT NULL,
    std         DOUBLE NOT NULL,
    region      VARCHAR NOT NULL,
    correlation DOUBLE,
    region_p    DOUBLE
);

-- Flags from the diagnosis, one row per (instruction, reason).
CREATE TABLE flags (
    item_key  INTEGER NOT NULL,
    reason    VARCHAR NOT NULL,
    value     DOUBLE,
    threshold DOUBLE,
    detail    VARCHAR
);
