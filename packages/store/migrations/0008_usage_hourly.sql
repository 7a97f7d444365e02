-- convotel schema v8: usage_daily by UTC hour. The LLM call analysis by user, session and function
-- over days reads whole days from usage_daily, the whole hours around them from usage_hourly and
-- only the partial hours at the window's ends from raw rows (as by model from llm_daily and
-- llm_hourly), instead of up to a day of raw rows at each end. Same columns, same rules: billed
-- calls only (not 'duplicate'), under the call's user id, session id and function name ('' for
-- none), sums exact and saturating as the ingest's, the fine latency histogram of 0003. Filled
-- here from the rows stored so far (hours whose raw rows retention already deleted stay empty:
-- usage_daily keeps their days), and from then on by the ingest, from the same deltas as
-- usage_daily. Depends on 0003 (convotel_fine_bucket) only.
CREATE TABLE usage_hourly (
  hour                   timestamptz NOT NULL,
  dimension              text NOT NULL CHECK (dimension IN ('user', 'session', 'function')),
  key                    text NOT NULL,
  calls                  bigint NOT NULL,
  errors                 bigint NOT NULL,
  input_tokens           bigint NOT NULL,
  output_tokens          bigint NOT NULL,
  cache_read_tokens      bigint NOT NULL,
  cache_write_tokens     bigint NOT NULL,
  reasoning_tokens       bigint NOT NULL,
  cost_usd               numeric(24,12) NOT NULL,
  latency_sum_ms         numeric(24,3) NOT NULL,
  ttft_sum_ms            numeric(24,3) NOT NULL,
  ttft_count             bigint NOT NULL,
  latency_bucket_index   integer[] NOT NULL,
  latency_bucket_count   bigint[] NOT NULL,
  PRIMARY KEY (hour, dimension, key)
);
-- The figures of a page's keys over a window (as usage_daily_key_idx serves usage_daily): without
-- it, up to 46 hours of every key of the dimension are read for a page of 50 sessions.
CREATE INDEX usage_hourly_key_idx ON usage_hourly (dimension, key, hour);

-- The keys of one dimension over whole days, with their calls: what ranks a window's sessions
-- (10⁵ of them over 30 days) reads from this narrow index instead of usage_daily's rows, which
-- carry a latency histogram each (an eighth of the pages).
CREATE INDEX usage_daily_ranking_idx ON usage_daily (dimension, day) INCLUDE (key, calls);

INSERT INTO usage_hourly
WITH call AS (
  SELECT date_trunc('hour', l.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, d.dimension, d.key, l.status,
         l.input_tokens, l.output_tokens, l.cache_read_tokens, l.cache_write_tokens, l.reasoning_tokens, l.cost_usd,
         l.duration_ms, l.ttft_ms
    FROM llm_calls l
   CROSS JOIN LATERAL (VALUES ('user', coalesce(l.user_id, '')), ('session', coalesce(l.session_id, '')),
                              ('function', coalesce(l.function_name, ''))) AS d(dimension, key)
   WHERE l.billing <> 'duplicate'
), latency AS (
  SELECT hour, dimension, key, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT hour, dimension, key, convotel_fine_bucket(duration_ms) AS i, count(*) AS n FROM call GROUP BY 1, 2, 3, 4) AS buckets
   GROUP BY 1, 2, 3
), sums AS (
  -- ms → µs rounded half up (as the ingest does), summed exactly, saturating like its sums.
  SELECT hour, dimension, key, count(*) AS calls, count(*) FILTER (WHERE status = 'error') AS errors,
         coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
         coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens, coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
         coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
         sum(floor(duration_ms * 1000 + 0.5)::numeric) / 1000 AS latency_sum_ms,
         coalesce(sum(floor(ttft_ms * 1000 + 0.5)::numeric), 0) / 1000 AS ttft_sum_ms, count(ttft_ms) AS ttft_count
    FROM call GROUP BY 1, 2, 3
)
SELECT s.hour, s.dimension, s.key, s.calls, s.errors,
       LEAST(s.input_tokens, 9223372036854775807)::bigint, LEAST(s.output_tokens, 9223372036854775807)::bigint,
       LEAST(s.cache_read_tokens, 9223372036854775807)::bigint, LEAST(s.cache_write_tokens, 9223372036854775807)::bigint,
       LEAST(s.reasoning_tokens, 9223372036854775807)::bigint, LEAST(s.cost_usd, 999999999999.999999999999),
       LEAST(s.latency_sum_ms, 999999999999999999999.999), LEAST(s.ttft_sum_ms, 999999999999999999999.999), s.ttft_count,
       l.bucket_index, l.bucket_count
  FROM sums s JOIN latency l USING (hour, dimension, key)
 -- In time order, as the ingest writes them: a window's rows lie together.
 ORDER BY 1, 2, 3;
