-- The whole admap pipeline (map, diagnose with duplicates, select high-avg, a report's
-- numbers) as one DuckDB SQL script, written as a DuckDB user would: the peer of
-- 'admap bench --pipeline'. Statements are separated by a semicolon at a line's end.
-- ${READ} is replaced by the reader call (read_json for JSON lines, plain or .gz;
-- read_parquet for Parquet), ${OUT} by the output directory. It writes:
--   ${OUT}/map.csv     id,prompt,n,mean,variance,std,region (as bench/map.sql)
--   ${OUT}/flags.csv   id,reasons: misannotated (cosine of labels and scores, three or more
--                      responses with both, <= 0.65 or in the bottom 1%), low-impact (variance
--                      in the bottom 5% of the map), duplicate-responses (equal but for
--                      whitespace), duplicate-instruction (an earlier prompt equal after lower
--                      case, punctuation and symbols as spaces, whitespace collapsed)
--   ${OUT}/pairs.jsonl every pair of high-avg responses with different labels and different
--                      texts: prompt, chosen, rejected, score_chosen, score_rejected (TRL;
--                      the scores are the two responses' scores, as admap's export has them)
--   ${OUT}/report.json the numbers of a report: items per region, means and variances
-- Where it differs from admap by design: admap normalises prompts with NFKC first (DuckDB has
-- only NFC), and for two-response items a repeated instruction also needs the same two
-- responses; on admap's generated data neither changes a flag.
CREATE TABLE items AS
  SELECT row_number() OVER () AS key, id, prompt, responses FROM ${READ};

CREATE TABLE responses AS
  SELECT key, generate_subscripts(responses, 1) AS pos, unnest(responses) AS r FROM items;

CREATE TABLE stats AS
  SELECT key, count(r.score) AS n, avg(r.score) AS mean, var_pop(r.score) AS variance
  FROM responses GROUP BY key HAVING count(r.score) >= 2;

CREATE TABLE map AS
  WITH by_var AS (
    SELECT s.*, i.id, row_number() OVER (ORDER BY variance, id) AS var_rank, count(*) OVER () AS total
    FROM stats s JOIN items i USING (key)
  ), by_mean AS (
    SELECT *, var_rank > (2 * total) // 3 AS high_var,
           row_number() OVER (PARTITION BY var_rank > (2 * total) // 3 ORDER BY mean, id) AS mean_rank
    FROM by_var
  )
  SELECT key, id, n, mean, variance, sqrt(variance) AS std,
         CASE WHEN high_var THEN 'high-var'
              WHEN mean_rank <= ((2 * total) // 3) // 2 THEN 'low-avg'
              ELSE 'high-avg' END AS region
  FROM by_mean;

COPY (SELECT m.id, i.prompt, m.n, m.mean, m.variance, m.std, m.region
      FROM map m JOIN items i USING (key) ORDER BY m.key) TO '${OUT}/map.csv' (HEADER, DELIMITER ',');

CREATE TABLE cosines AS
  SELECT key, count(*) AS both_n,
         sum(r.label * r.score) / sqrt(sum(r.label * r.label) * sum(r.score * r.score)) AS cosine
  FROM responses WHERE r.label IS NOT NULL AND r.score IS NOT NULL AND key IN (SELECT key FROM map)
  GROUP BY key HAVING count(*) >= 3;

CREATE TABLE flags AS
  WITH defined AS (
    SELECT key, cosine FROM cosines WHERE cosine IS NOT NULL AND NOT isnan(cosine)
  ), bottom AS (
    SELECT max(cosine) AS threshold FROM (
      SELECT cosine, row_number() OVER (ORDER BY cosine) AS rk, count(*) OVER () AS total FROM defined
    ) WHERE rk <= floor(total * 0.01)
  ), low AS (
    SELECT max(variance) AS threshold FROM (
      SELECT variance, row_number() OVER (ORDER BY variance) AS rk, count(*) OVER () AS total FROM map
    ) WHERE rk <= floor(total * 0.05)
  ), spaced AS (
    SELECT key, count(*) - count(DISTINCT trim(regexp_replace(r.text, '\s+', ' ', 'g'))) AS repeated
    FROM responses GROUP BY key
  ), normalised AS (
    SELECT key, trim(regexp_replace(regexp_replace(lower(nfc_normalize(prompt)), '[[:punct:]]+', ' ', 'g'),
                                    '\s+', ' ', 'g')) AS text
    FROM items
  ), repeats AS (
    SELECT key FROM (SELECT key, row_number() OVER (PARTITION BY text ORDER BY key) AS nth FROM normalised)
    WHERE nth > 1
  ), reasons AS (
    SELECT key, 'misannotated' AS reason FROM defined
      WHERE cosine <= 0.65 OR cosine <= (SELECT threshold FROM bottom)
    UNION ALL
    SELECT key, 'low-impact' FROM map WHERE variance <= (SELECT threshold FROM low)
    UNION ALL
    SELECT key, 'duplicate-responses' FROM spaced WHERE repeated > 0
    UNION ALL
    SELECT key, 'duplicate-instruction' FROM repeats
  )
  SELECT key, string_agg(reason, ';' ORDER BY reason) AS reasons FROM reasons GROUP BY key;

COPY (SELECT i.id, f.reasons FROM flags f JOIN items i USING (key) ORDER BY f.key)
  TO '${OUT}/flags.csv' (HEADER, DELIMITER ',');

COPY (
  SELECT i.prompt,
         CASE WHEN a.r.label > b.r.label THEN a.r.text ELSE b.r.text END AS chosen,
         CASE WHEN a.r.label > b.r.label THEN b.r.text ELSE a.r.text END AS rejected,
         -- the two responses' scores (what the map reads), null for both when either has none
         CASE WHEN a.r.score IS NULL OR b.r.score IS NULL THEN NULL
              WHEN a.r.label > b.r.label THEN a.r.score ELSE b.r.score END AS score_chosen,
         CASE WHEN a.r.score IS NULL OR b.r.score IS NULL THEN NULL
              WHEN a.r.label > b.r.label THEN b.r.score ELSE a.r.score END AS score_rejected
  FROM map m
  JOIN items i USING (key)
  JOIN responses a ON a.key = m.key
  JOIN responses b ON b.key = m.key AND b.pos > a.pos
  WHERE m.region = 'high-avg' AND a.r.label IS NOT NULL AND b.r.label IS NOT NULL
    AND a.r.label <> b.r.label AND a.r.text <> b.r.text
  ORDER BY m.key, a.pos, b.pos
) TO '${OUT}/pairs.jsonl' (FORMAT json);

COPY (
  SELECT region, count(*) AS items, avg(mean) AS mean_of_means, avg(variance) AS mean_variance,
         min(mean) AS min_mean, max(mean) AS max_mean, min(variance) AS min_variance,
         max(variance) AS max_variance
  FROM map GROUP BY region ORDER BY region
) TO '${OUT}/report.json' (FORMAT json);
