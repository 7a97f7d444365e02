-- convotel schema v5: SQL spans by hour and by day, what /sql-queries/analysis reads over days;
-- and the error rows of steps, turns and SQL spans findable without a scan (/errors reads only
-- failed rows for its patterns; llm_calls has had such an index since v1). Filled here from the
-- rows stored so far, and from then on by the ingest with the deltas of rows that were actually
-- new. Hours and days are UTC. Depends on 0003's fine histogram functions only.

CREATE INDEX steps_errors_idx ON steps (started_at) WHERE status = 'error';
CREATE INDEX traces_errors_idx ON traces (started_at) WHERE status = 'error' AND conversation_id IS NOT NULL;
CREATE INDEX db_queries_errors_idx ON db_queries (started_at) WHERE status = 'error';

-- Keyed by the statement's md5 (packages/store/src/tables/sql-rollups.ts says why): a btree key
-- holds at most about 2.7 kB, and normalized statements can be longer. The text rides beside.
-- Latency sums and extremes in µs-exact numeric(24,3); the fine histogram as in llm_hourly.
CREATE TABLE sql_hourly (
  hour                   timestamptz NOT NULL,
  system                 text NOT NULL,
  statement_hash         text NOT NULL,
  statement              text NOT NULL,
  count                  bigint NOT NULL,
  errors                 bigint NOT NULL,
  returned_rows          bigint NOT NULL,
  latency_sum_ms         numeric(24,3) NOT NULL,
  latency_min_ms         numeric(24,3),
  latency_max_ms         numeric(24,3),
  latency_bucket_index   integer[] NOT NULL,
  latency_bucket_count   bigint[] NOT NULL,
  PRIMARY KEY (hour, system, statement_hash)
);

INSERT INTO sql_hourly
WITH query AS (
  SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, system, md5(coalesce(statement, '')) AS statement_hash,
         coalesce(statement, '') AS statement, status, returned_rows, duration_ms
    FROM db_queries
), latency AS (
  SELECT hour, system, statement_hash, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT hour, system, statement_hash, convotel_fine_bucket(duration_ms) AS i, count(*) AS n FROM query GROUP BY 1, 2, 3, 4) AS buckets
   GROUP BY 1, 2, 3
), sums AS (
  -- ms → µs rounded half up (as the ingest does), summed exactly, saturating like its sums.
  SELECT hour, system, statement_hash, min(statement) AS statement, count(*) AS count, count(*) FILTER (WHERE status = 'error') AS errors,
         coalesce(sum(returned_rows), 0) AS returned_rows, sum(floor(duration_ms * 1000 + 0.5)::numeric) / 1000 AS latency_sum_ms,
         round(min(duration_ms)::numeric, 3) AS latency_min_ms, round(max(duration_ms)::numeric, 3) AS latency_max_ms
    FROM query GROUP BY 1, 2, 3
)
SELECT s.hour, s.system, s.statement_hash, s.statement, s.count, s.errors,
       GREATEST(LEAST(s.returned_rows, 9223372036854775807), -9223372036854775808)::bigint,
       GREATEST(LEAST(s.latency_sum_ms, 999999999999999999999.999), -999999999999999999999.999), s.latency_min_ms, s.latency_max_ms,
       l.bucket_index, l.bucket_count
  FROM sums s JOIN latency l USING (hour, system, statement_hash)
 -- In time order, as the ingest writes them: a window's rows lie together.
 ORDER BY 1, 2, 3;

-- sql_hourly by day: what windows over days read for their whole days.
CREATE TABLE sql_daily (LIKE sql_hourly);
ALTER TABLE sql_daily RENAME COLUMN hour TO day;
ALTER TABLE sql_daily ADD PRIMARY KEY (day, system, statement_hash);

INSERT INTO sql_daily
WITH hourly AS (
  SELECT date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, * FROM sql_hourly
), latency AS (
  SELECT day, system, statement_hash, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT day, system, statement_hash, u.i, sum(u.n)::bigint AS n
            FROM hourly, unnest(latency_bucket_index, latency_bucket_count) AS u(i, n) GROUP BY 1, 2, 3, 4) AS buckets
   GROUP BY 1, 2, 3
), sums AS (
  SELECT day, system, statement_hash, min(statement) AS statement, sum(count) AS count, sum(errors) AS errors, sum(returned_rows) AS returned_rows,
         sum(latency_sum_ms) AS latency_sum_ms, min(latency_min_ms) AS latency_min_ms, max(latency_max_ms) AS latency_max_ms
    FROM hourly GROUP BY 1, 2, 3
)
SELECT s.day, s.system, s.statement_hash, s.statement, s.count, s.errors,
       GREATEST(LEAST(s.returned_rows, 9223372036854775807), -9223372036854775808)::bigint,
       GREATEST(LEAST(s.latency_sum_ms, 999999999999999999999.999), -999999999999999999999.999), s.latency_min_ms, s.latency_max_ms,
       coalesce(l.bucket_index, '{}'), coalesce(l.bucket_count, '{}')
  FROM sums s LEFT JOIN latency l USING (day, system, statement_hash)
 ORDER BY 1, 2, 3;
