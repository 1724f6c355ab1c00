-- The Alignment Data Map in DuckDB SQL: the peer admap's `map` is measured against
-- (`admap bench`). Per instruction with two or more scores: mean, population variance
-- (numpy.var), std; regions by rank: the top third by variance is high-var, the rest split
-- by mean into low-avg / high-avg; ties broken by id.
-- ${INPUT} and ${OUTPUT} are replaced by the file paths; ${READ} by the reader call
-- (read_json for JSON lines, plain or .gz; read_parquet for Parquet).
COPY (
  WITH rows AS (
    SELECT id, prompt, unnest(responses) AS r FROM ${READ}
  ), stats AS (
    SELECT id, any_value(prompt) AS prompt, count(r.score) AS n,
           avg(r.score) AS mean, var_pop(r.score) AS variance
    FROM rows GROUP BY id HAVING count(r.score) >= 2
  ), by_var AS (
    SELECT *, row_number() OVER (ORDER BY variance, id) AS var_rank, count(*) OVER () AS total FROM stats
  ), by_mean AS (
    SELECT *, var_rank > (2 * total) // 3 AS high_var,
           row_number() OVER (PARTITION BY var_rank > (2 * total) // 3 ORDER BY mean, id) AS mean_rank
    FROM by_var
  )
  SELECT id, prompt, n, mean, variance, sqrt(variance) AS std,
         CASE WHEN high_var THEN 'high-var'
              WHEN mean_rank <= ((2 * total) // 3) // 2 THEN 'low-avg'
              ELSE 'high-avg' END AS region
  FROM by_mean
) TO '${OUTPUT}' (HEADER, DELIMITER ',');
