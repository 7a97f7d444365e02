-- convotel schema v4: steps by UTC day beside step_hourly, so step questions over days (GET
-- /steps/stats, /compare) merge one histogram a day instead of 24. Filled here from step_hourly
-- (whose fine histograms 0003 filled from the raw rows), and from then on by the ingest with the
-- same deltas it adds to step_hourly. No coarse buckets: the fine histogram answers.
CREATE TABLE step_daily (
  day                    timestamptz NOT NULL,
  kind                   text NOT NULL,
  name                   text NOT NULL,
  count                  bigint NOT NULL,
  errors                 bigint NOT NULL,
  cost_usd               numeric(24,12) NOT NULL,
  latency_sum_ms         numeric(24,3) NOT NULL,
  latency_min_ms         numeric(24,3),
  latency_max_ms         numeric(24,3),
  latency_bucket_index   integer[] NOT NULL,
  latency_bucket_count   bigint[] NOT NULL,
  PRIMARY KEY (day, kind, name)
);

INSERT INTO step_daily
WITH hourly AS (
  SELECT date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, * FROM step_hourly
), latency AS (
  SELECT day, kind, name, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT day, kind, name, u.i, sum(u.n)::bigint AS n
            FROM hourly, unnest(latency_bucket_index, latency_bucket_count) AS u(i, n) GROUP BY 1, 2, 3, 4) AS buckets
   GROUP BY 1, 2, 3
), sums AS (
  SELECT day, kind, name, sum(count) AS count, sum(errors) AS errors, sum(cost_usd) AS cost_usd, sum(latency_sum_ms) AS latency_sum_ms,
         min(latency_min_ms) AS latency_min_ms, max(latency_max_ms) AS latency_max_ms
    FROM hourly GROUP BY 1, 2, 3
)
SELECT s.day, s.kind, s.name, s.count, s.errors, LEAST(s.cost_usd, 999999999999.999999999999),
       LEAST(s.latency_sum_ms, 999999999999999999999.999), s.latency_min_ms, s.latency_max_ms,
       coalesce(l.bucket_index, '{}'), coalesce(l.bucket_count, '{}')
  FROM sums s LEFT JOIN latency l USING (day, kind, name);
