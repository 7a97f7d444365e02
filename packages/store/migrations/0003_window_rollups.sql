-- convotel schema v3: what window questions over days read instead of raw rows (DESIGN.md §5).
-- Conversations and turns by hour × service × agent × channel (turns by day too), LLM calls by
-- day beside llm_hourly, LLM usage by user / session / function per day, and fine latency
-- histograms on the hourly rollups. Each is filled here from the rows stored so far (hours whose
-- raw rows retention already deleted keep their counts but no fine histogram), and from then on
-- by the ingest, with the deltas of rows that were actually new. Hours and days are UTC, whatever
-- the session's time zone, as the ingest cuts them.

-- Fine log-linear histograms (packages/store/src/tables/fine-histogram.ts holds the same math and
-- test/fine-histogram.test.ts holds the two together): a value of ms milliseconds counts in bucket
-- ceil(ln(ms) / ln γ), γ = 1.01 / 0.99, whose estimate is within 1% of it; values below 0.01 ms
-- (zero, negative, NaN) in bucket -32768, estimated as 0. Stored as two arrays: ascending bucket
-- indexes (integer[]) and their counts (bigint[]).
CREATE FUNCTION convotel_fine_bucket(ms double precision) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN ms >= 0.01::double precision AND ms < 'Infinity'::double precision
              THEN ceil(ln(ms) / 0.020000666706669435::double precision)::integer
              ELSE -32768 END
$$;

-- The sum of two histograms, bucket by bucket; buckets whose count sums to 0 are left out (a
-- delta may subtract). Upserts merge with it: SET (index, count) = (SELECT * FROM …).
CREATE FUNCTION convotel_fine_histogram_add(
  a_index integer[], a_count bigint[], b_index integer[], b_count bigint[],
  OUT bucket_index integer[], OUT bucket_count bigint[]
) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(i ORDER BY i), '{}'), coalesce(array_agg(n ORDER BY i), '{}')
    FROM (SELECT i, sum(n)::bigint AS n
            FROM (SELECT * FROM unnest(a_index, a_count) UNION ALL SELECT * FROM unnest(b_index, b_count)) AS u(i, n)
           GROUP BY i HAVING sum(n) <> 0) AS merged
$$;

-- Fine latency histograms beside the coarse latency_buckets (which stay, and stay written).
ALTER TABLE llm_hourly
  ADD COLUMN latency_bucket_index integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN latency_bucket_count bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE step_hourly
  ADD COLUMN latency_bucket_index integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN latency_bucket_count bigint[] NOT NULL DEFAULT '{}';

UPDATE llm_hourly h SET latency_bucket_index = b.bucket_index, latency_bucket_count = b.bucket_count
  FROM (SELECT hour, provider, model, call_type, status, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
          FROM (SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, coalesce(provider, '') AS provider,
                       coalesce(response_model, request_model, '') AS model, call_type, status,
                       convotel_fine_bucket(duration_ms) AS i, count(*) AS n
                  FROM llm_calls WHERE billing <> 'duplicate' GROUP BY 1, 2, 3, 4, 5, 6) AS buckets
         GROUP BY 1, 2, 3, 4, 5) AS b
 WHERE h.hour = b.hour AND h.provider = b.provider AND h.model = b.model AND h.call_type = b.call_type AND h.status = b.status;

UPDATE step_hourly h SET latency_bucket_index = b.bucket_index, latency_bucket_count = b.bucket_count
  FROM (SELECT hour, kind, name, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
          FROM (SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, kind, name,
                       convotel_fine_bucket(duration_ms) AS i, count(*) AS n
                  FROM steps GROUP BY 1, 2, 3, 4) AS buckets
         GROUP BY 1, 2, 3) AS b
 WHERE h.hour = b.hour AND h.kind = b.kind AND h.name = b.name;

-- Turns of conversations by the UTC hour they started in, their trace's service, and their
-- conversation's agent and channel ('' where unknown). SLA violations are read from the duration
-- histogram for any threshold. Sums are exact: money numeric(24,12), ms sums numeric(24,3) (µs).
CREATE TABLE turn_hourly (
  hour                   timestamptz NOT NULL,
  service_name           text NOT NULL,
  agent_name             text NOT NULL,
  channel                text NOT NULL,
  turns                  bigint NOT NULL,
  -- Turns whose status is error.
  errors                 bigint NOT NULL,
  interruptions          bigint NOT NULL,
  llm_cost_usd           numeric(24,12) NOT NULL,
  stt_cost_usd           numeric(24,12) NOT NULL,
  tts_cost_usd           numeric(24,12) NOT NULL,
  other_cost_usd         numeric(24,12) NOT NULL,
  cost_usd               numeric(24,12) NOT NULL,
  duration_sum_ms        numeric(24,3) NOT NULL,
  duration_bucket_index  integer[] NOT NULL,
  duration_bucket_count  bigint[] NOT NULL,
  -- Turns with a perceived latency.
  perceived_count        bigint NOT NULL,
  perceived_sum_ms       numeric(24,3) NOT NULL,
  perceived_bucket_index integer[] NOT NULL,
  perceived_bucket_count bigint[] NOT NULL,
  PRIMARY KEY (hour, service_name, agent_name, channel)
);

INSERT INTO turn_hourly
WITH turn AS (
  SELECT date_trunc('hour', t.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, coalesce(t.service_name, '') AS service_name,
         coalesce(c.agent_name, '') AS agent_name, coalesce(c.channel, '') AS channel, t.status, t.interrupted,
         t.llm_cost_usd, t.stt_cost_usd, t.tts_cost_usd, t.other_cost_usd, t.cost_usd, t.duration_ms, t.perceived_latency_ms
    FROM traces t LEFT JOIN conversations c ON c.conversation_id = t.conversation_id
   WHERE t.conversation_id IS NOT NULL AND t.started_at IS NOT NULL
), duration AS (
  SELECT hour, service_name, agent_name, channel, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT hour, service_name, agent_name, channel, convotel_fine_bucket(duration_ms) AS i, count(*) AS n
            FROM turn WHERE duration_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5) AS buckets
   GROUP BY 1, 2, 3, 4
), perceived AS (
  SELECT hour, service_name, agent_name, channel, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT hour, service_name, agent_name, channel, convotel_fine_bucket(perceived_latency_ms) AS i, count(*) AS n
            FROM turn WHERE perceived_latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5) AS buckets
   GROUP BY 1, 2, 3, 4
), sums AS (
  -- ms → µs rounded half up (as the ingest does), summed exactly, saturating like its sums.
  SELECT hour, service_name, agent_name, channel, count(*) AS turns, count(*) FILTER (WHERE status = 'error') AS errors,
         count(*) FILTER (WHERE interrupted) AS interruptions,
         sum(llm_cost_usd) AS llm_cost_usd, sum(stt_cost_usd) AS stt_cost_usd, sum(tts_cost_usd) AS tts_cost_usd,
         sum(other_cost_usd) AS other_cost_usd, sum(cost_usd) AS cost_usd,
         coalesce(sum(floor(duration_ms * 1000 + 0.5)::numeric), 0) / 1000 AS duration_sum_ms,
         count(perceived_latency_ms) AS perceived_count,
         coalesce(sum(floor(perceived_latency_ms * 1000 + 0.5)::numeric), 0) / 1000 AS perceived_sum_ms
    FROM turn GROUP BY 1, 2, 3, 4
)
SELECT s.hour, s.service_name, s.agent_name, s.channel, s.turns, s.errors, s.interruptions,
       LEAST(s.llm_cost_usd, 999999999999.999999999999), LEAST(s.stt_cost_usd, 999999999999.999999999999),
       LEAST(s.tts_cost_usd, 999999999999.999999999999), LEAST(s.other_cost_usd, 999999999999.999999999999),
       LEAST(s.cost_usd, 999999999999.999999999999), LEAST(s.duration_sum_ms, 999999999999999999999.999),
       coalesce(d.bucket_index, '{}'), coalesce(d.bucket_count, '{}'),
       s.perceived_count, GREATEST(LEAST(s.perceived_sum_ms, 999999999999999999999.999), -999999999999999999999.999),
       coalesce(p.bucket_index, '{}'), coalesce(p.bucket_count, '{}')
  FROM sums s
  LEFT JOIN duration d USING (hour, service_name, agent_name, channel)
  LEFT JOIN perceived p USING (hour, service_name, agent_name, channel);

-- turn_hourly by day: what windows over days read for their whole days.
CREATE TABLE turn_daily (LIKE turn_hourly);
ALTER TABLE turn_daily RENAME COLUMN hour TO day;
ALTER TABLE turn_daily ADD PRIMARY KEY (day, service_name, agent_name, channel);

INSERT INTO turn_daily
WITH hourly AS (
  SELECT date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, * FROM turn_hourly
), duration AS (
  SELECT day, service_name, agent_name, channel, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT day, service_name, agent_name, channel, u.i, sum(u.n)::bigint AS n
            FROM hourly, unnest(duration_bucket_index, duration_bucket_count) AS u(i, n) GROUP BY 1, 2, 3, 4, 5) AS buckets
   GROUP BY 1, 2, 3, 4
), perceived AS (
  SELECT day, service_name, agent_name, channel, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT day, service_name, agent_name, channel, u.i, sum(u.n)::bigint AS n
            FROM hourly, unnest(perceived_bucket_index, perceived_bucket_count) AS u(i, n) GROUP BY 1, 2, 3, 4, 5) AS buckets
   GROUP BY 1, 2, 3, 4
), sums AS (
  SELECT day, service_name, agent_name, channel, sum(turns) AS turns, sum(errors) AS errors, sum(interruptions) AS interruptions,
         sum(llm_cost_usd) AS llm_cost_usd, sum(stt_cost_usd) AS stt_cost_usd, sum(tts_cost_usd) AS tts_cost_usd,
         sum(other_cost_usd) AS other_cost_usd, sum(cost_usd) AS cost_usd, sum(duration_sum_ms) AS duration_sum_ms,
         sum(perceived_count) AS perceived_count, sum(perceived_sum_ms) AS perceived_sum_ms
    FROM hourly GROUP BY 1, 2, 3, 4
)
SELECT s.day, s.service_name, s.agent_name, s.channel, s.turns, s.errors, s.interruptions,
       LEAST(s.llm_cost_usd, 999999999999.999999999999), LEAST(s.stt_cost_usd, 999999999999.999999999999),
       LEAST(s.tts_cost_usd, 999999999999.999999999999), LEAST(s.other_cost_usd, 999999999999.999999999999),
       LEAST(s.cost_usd, 999999999999.999999999999), LEAST(s.duration_sum_ms, 999999999999999999999.999),
       coalesce(d.bucket_index, '{}'), coalesce(d.bucket_count, '{}'),
       s.perceived_count, GREATEST(LEAST(s.perceived_sum_ms, 999999999999999999999.999), -999999999999999999999.999),
       coalesce(p.bucket_index, '{}'), coalesce(p.bucket_count, '{}')
  FROM sums s
  LEFT JOIN duration d USING (day, service_name, agent_name, channel)
  LEFT JOIN perceived p USING (day, service_name, agent_name, channel);

-- llm_hourly by day, without extremes and coarse buckets (the fine histogram answers).
CREATE TABLE llm_daily (
  day                    timestamptz NOT NULL,
  provider               text NOT NULL,
  model                  text NOT NULL,
  call_type              text NOT NULL,
  status                 text NOT NULL,
  count                  bigint NOT NULL,
  errors                 bigint NOT NULL,
  input_tokens           bigint NOT NULL,
  output_tokens          bigint NOT NULL,
  cache_read_tokens      bigint NOT NULL,
  cache_write_tokens     bigint NOT NULL,
  reasoning_tokens       bigint NOT NULL,
  cost_usd               numeric(24,12) NOT NULL,
  latency_sum_ms         numeric(24,3) NOT NULL,
  latency_bucket_index   integer[] NOT NULL,
  latency_bucket_count   bigint[] NOT NULL,
  ttft_sum_ms            numeric(24,3) NOT NULL,
  ttft_count             bigint NOT NULL,
  PRIMARY KEY (day, provider, model, call_type, status)
);

INSERT INTO llm_daily
WITH hourly AS (
  SELECT date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, * FROM llm_hourly
), latency AS (
  SELECT day, provider, model, call_type, status, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
    FROM (SELECT day, provider, model, call_type, status, u.i, sum(u.n)::bigint AS n
            FROM hourly, unnest(latency_bucket_index, latency_bucket_count) AS u(i, n) GROUP BY 1, 2, 3, 4, 5, 6) AS buckets
   GROUP BY 1, 2, 3, 4, 5
), sums AS (
  SELECT day, provider, model, call_type, status, sum(count) AS count, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
         sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
         sum(reasoning_tokens) AS reasoning_tokens, sum(cost_usd) AS cost_usd, sum(latency_sum_ms) AS latency_sum_ms,
         sum(ttft_sum_ms) AS ttft_sum_ms, sum(ttft_count) AS ttft_count
    FROM hourly GROUP BY 1, 2, 3, 4, 5
)
SELECT s.day, s.provider, s.model, s.call_type, s.status, s.count, s.errors,
       LEAST(s.input_tokens, 9223372036854775807)::bigint, LEAST(s.output_tokens, 9223372036854775807)::bigint,
       LEAST(s.cache_read_tokens, 9223372036854775807)::bigint, LEAST(s.cache_write_tokens, 9223372036854775807)::bigint,
       LEAST(s.reasoning_tokens, 9223372036854775807)::bigint, LEAST(s.cost_usd, 999999999999.999999999999),
       LEAST(s.latency_sum_ms, 999999999999999999999.999), coalesce(l.bucket_index, '{}'), coalesce(l.bucket_count, '{}'),
       LEAST(s.ttft_sum_ms, 999999999999999999999.999), s.ttft_count
  FROM sums s LEFT JOIN latency l USING (day, provider, model, call_type, status);

-- Conversations by the UTC hour they started in (their first span), service, agent, channel and
-- status: what counts conversations over days.
CREATE TABLE conversation_hourly (
  hour                   timestamptz NOT NULL,
  service_name           text NOT NULL,
  agent_name             text NOT NULL,
  channel                text NOT NULL,
  status                 text NOT NULL,
  conversations          bigint NOT NULL,
  PRIMARY KEY (hour, service_name, agent_name, channel, status)
);

-- Where a conversation lies in a window (the read side's time of a conversation): the partial
-- hours at a window's ends, and short windows, find theirs without a scan of every conversation.
CREATE INDEX conversations_window_idx ON conversations ((coalesce(started_at, first_seen_at)));

INSERT INTO conversation_hourly
SELECT date_trunc('hour', coalesce(started_at, first_seen_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', coalesce(service_name, ''),
       coalesce(agent_name, ''), coalesce(channel, ''), status, count(*)
  FROM conversations WHERE coalesce(started_at, first_seen_at) IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;

-- Counted LLM calls by UTC day and by each dimension's key: the call's user id, session id or
-- function name ('' for calls without one).
CREATE TABLE usage_daily (
  day                    timestamptz NOT NULL,
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
  PRIMARY KEY (day, dimension, key)
);
CREATE INDEX usage_daily_key_idx ON usage_daily (dimension, key, day);

INSERT INTO usage_daily
SELECT date_trunc('day', l.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', d.dimension, d.key, count(*),
       count(*) FILTER (WHERE l.status = 'error'),
       LEAST(coalesce(sum(l.input_tokens), 0), 9223372036854775807)::bigint,
       LEAST(coalesce(sum(l.output_tokens), 0), 9223372036854775807)::bigint,
       LEAST(coalesce(sum(l.cache_read_tokens), 0), 9223372036854775807)::bigint,
       LEAST(coalesce(sum(l.cache_write_tokens), 0), 9223372036854775807)::bigint,
       LEAST(coalesce(sum(l.reasoning_tokens), 0), 9223372036854775807)::bigint,
       LEAST(coalesce(sum(l.cost_usd), 0), 999999999999.999999999999),
       LEAST(sum(floor(l.duration_ms * 1000 + 0.5)::numeric) / 1000, 999999999999999999999.999),
       LEAST(coalesce(sum(floor(l.ttft_ms * 1000 + 0.5)::numeric), 0) / 1000, 999999999999999999999.999),
       count(l.ttft_ms)
  FROM llm_calls l
 CROSS JOIN LATERAL (VALUES ('user', coalesce(l.user_id, '')), ('session', coalesce(l.session_id, '')),
                            ('function', coalesce(l.function_name, ''))) AS d(dimension, key)
 WHERE l.billing <> 'duplicate'
 GROUP BY 1, 2, 3;
