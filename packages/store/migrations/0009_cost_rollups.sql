-- convotel schema v9: what GET /costs reads over days instead of raw rows. cost_hourly and
-- cost_daily hold the spend of each key of each dimension by UTC hour (day): the turns' figures
-- for user, session and agent (an agent is its conversation's), the counted LLM calls' for
-- model, provider, call type and function, and the priced steps' too for model and provider.
-- `rows` counts the rows summed (turns, calls and steps), so a key emptied by a move is dropped.
-- conversation_keys holds, per conversation and key, the first and last time a row of that key
-- was seen and how many such rows there are (a row leaving a key is a decrement; the span is read
-- again from raw rows only when that row was its first or last and others remain): the
-- conversations of a key in a window are those whose span overlaps it (off only for a
-- conversation idle under that key for the whole window). Those are counted as the spans
-- that began before the window's end less those that ended before its start, and the rollups
-- count, per hour (day) and key, the spans that began (conversations_started) and ended
-- (conversations_ended) in it: a count over days reads a key's daily rows, not its spans.
-- Filled here from the raw rows, and from then on by the ingest.
CREATE TABLE cost_hourly (
  hour           timestamptz NOT NULL,
  -- user, session, agent, model, provider, call_type or function (GET /costs' `by`).
  dimension      text NOT NULL,
  key            text NOT NULL,
  rows           bigint NOT NULL,
  cost_usd       numeric(24,12) NOT NULL,
  llm_cost_usd   numeric(24,12) NOT NULL,
  stt_cost_usd   numeric(24,12) NOT NULL,
  tts_cost_usd   numeric(24,12) NOT NULL,
  other_cost_usd numeric(24,12) NOT NULL,
  calls          bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  -- conversation_keys rows of the key whose first_at (last_at) falls in the hour.
  conversations_started bigint NOT NULL,
  conversations_ended   bigint NOT NULL,
  PRIMARY KEY (hour, dimension, key)
);

CREATE TABLE cost_daily (LIKE cost_hourly);
ALTER TABLE cost_daily RENAME COLUMN hour TO day;
ALTER TABLE cost_daily ADD PRIMARY KEY (day, dimension, key);
-- A page's keys are read over all times before one; the whole days of a window are ranked by
-- cost in key order from the index alone (no hashing of a hundred thousand sessions).
CREATE INDEX cost_hourly_key_idx ON cost_hourly (dimension, key, hour);
CREATE INDEX cost_daily_key_idx ON cost_daily (dimension, key, day) INCLUDE (cost_usd);

CREATE TABLE conversation_keys (
  conversation_id text NOT NULL,
  dimension       text NOT NULL,
  key             text NOT NULL,
  rows            bigint NOT NULL,
  first_at        timestamptz NOT NULL,
  last_at         timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, dimension, key)
);
-- The spans of a key that began (ended) in the partial hour before a time.
CREATE INDEX conversation_keys_first_idx ON conversation_keys (dimension, key, first_at);
CREATE INDEX conversation_keys_last_idx ON conversation_keys (dimension, key, last_at);

-- The cost rows of every dimension, as GET /costs reads them from raw rows.
CREATE TEMPORARY TABLE cost_rows AS
WITH turn AS (
  SELECT t.conversation_id, t.started_at AS at, coalesce(t.user_id, '') AS user_key, coalesce(t.session_id, '') AS session_key,
         coalesce(c.agent_name, '') AS agent_key, t.cost_usd, t.llm_cost_usd AS llm, t.stt_cost_usd AS stt, t.tts_cost_usd AS tts,
         t.other_cost_usd AS other, t.llm_calls::bigint AS calls, t.input_tokens::bigint AS input_tokens, t.output_tokens::bigint AS output_tokens
    FROM traces t LEFT JOIN conversations c ON c.conversation_id = t.conversation_id
   WHERE t.conversation_id IS NOT NULL AND t.started_at IS NOT NULL
), call AS (
  SELECT l.conversation_id, l.started_at AS at, coalesce(l.response_model, l.request_model, '') AS model_key, coalesce(l.provider, '') AS provider_key,
         coalesce(l.call_type, '') AS call_type_key, coalesce(l.function_name, '') AS function_key, coalesce(l.cost_usd, 0) AS cost_usd,
         coalesce(l.input_tokens, 0)::bigint AS input_tokens, coalesce(l.output_tokens, 0)::bigint AS output_tokens
    FROM llm_calls l WHERE l.billing <> 'duplicate'
), step AS (
  SELECT s.conversation_id, s.started_at AS at, coalesce(s.model, '') AS model_key, coalesce(s.provider, '') AS provider_key, s.cost_usd,
         CASE WHEN s.cost_category = 'stt' THEN s.cost_usd ELSE 0 END AS stt, CASE WHEN s.cost_category = 'tts' THEN s.cost_usd ELSE 0 END AS tts,
         CASE WHEN s.cost_category = 'other' THEN s.cost_usd ELSE 0 END AS other
    FROM steps s WHERE s.cost_usd IS NOT NULL
)
SELECT d.dimension, d.key, r.conversation_id, r.at, r.cost_usd, r.llm, r.stt, r.tts, r.other, r.calls, r.input_tokens, r.output_tokens
  FROM turn r CROSS JOIN LATERAL (VALUES ('user', r.user_key), ('session', r.session_key), ('agent', r.agent_key)) AS d(dimension, key)
UNION ALL
SELECT d.dimension, d.key, r.conversation_id, r.at, r.cost_usd, r.cost_usd, 0, 0, 0, 1, r.input_tokens, r.output_tokens
  FROM call r CROSS JOIN LATERAL (VALUES ('model', r.model_key), ('provider', r.provider_key), ('call_type', r.call_type_key), ('function', r.function_key)) AS d(dimension, key)
UNION ALL
SELECT d.dimension, d.key, r.conversation_id, r.at, r.cost_usd, 0, r.stt, r.tts, r.other, 0, 0, 0
  FROM step r CROSS JOIN LATERAL (VALUES ('model', r.model_key), ('provider', r.provider_key)) AS d(dimension, key);

INSERT INTO conversation_keys
SELECT conversation_id, dimension, key, count(*), min(at), max(at) FROM cost_rows WHERE conversation_id IS NOT NULL GROUP BY 1, 2, 3;

-- Sums saturate at the columns' maximum, as the ingest's do.
INSERT INTO cost_hourly
WITH sums AS (
  SELECT date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS rows,
         LEAST(sum(cost_usd), 999999999999.999999999999) AS cost_usd, LEAST(sum(llm), 999999999999.999999999999) AS llm,
         LEAST(sum(stt), 999999999999.999999999999) AS stt, LEAST(sum(tts), 999999999999.999999999999) AS tts,
         LEAST(sum(other), 999999999999.999999999999) AS other, sum(calls) AS calls,
         LEAST(sum(input_tokens), 9223372036854775807) AS input_tokens, LEAST(sum(output_tokens), 9223372036854775807) AS output_tokens
    FROM cost_rows GROUP BY 1, 2, 3
), started AS (
  SELECT date_trunc('hour', first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS n FROM conversation_keys GROUP BY 1, 2, 3
), ended AS (
  SELECT date_trunc('hour', last_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS n FROM conversation_keys GROUP BY 1, 2, 3
)
SELECT s.t, s.dimension, s.key, s.rows, s.cost_usd, s.llm, s.stt, s.tts, s.other, s.calls, s.input_tokens, s.output_tokens,
       coalesce(b.n, 0), coalesce(e.n, 0)
  FROM sums s LEFT JOIN started b USING (t, dimension, key) LEFT JOIN ended e USING (t, dimension, key);

INSERT INTO cost_daily
WITH sums AS (
  SELECT date_trunc('day', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS rows,
         LEAST(sum(cost_usd), 999999999999.999999999999) AS cost_usd, LEAST(sum(llm), 999999999999.999999999999) AS llm,
         LEAST(sum(stt), 999999999999.999999999999) AS stt, LEAST(sum(tts), 999999999999.999999999999) AS tts,
         LEAST(sum(other), 999999999999.999999999999) AS other, sum(calls) AS calls,
         LEAST(sum(input_tokens), 9223372036854775807) AS input_tokens, LEAST(sum(output_tokens), 9223372036854775807) AS output_tokens
    FROM cost_rows GROUP BY 1, 2, 3
), started AS (
  SELECT date_trunc('day', first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS n FROM conversation_keys GROUP BY 1, 2, 3
), ended AS (
  SELECT date_trunc('day', last_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, dimension, key, count(*) AS n FROM conversation_keys GROUP BY 1, 2, 3
)
SELECT s.t, s.dimension, s.key, s.rows, s.cost_usd, s.llm, s.stt, s.tts, s.other, s.calls, s.input_tokens, s.output_tokens,
       coalesce(b.n, 0), coalesce(e.n, 0)
  FROM sums s LEFT JOIN started b USING (t, dimension, key) LEFT JOIN ended e USING (t, dimension, key);


DROP TABLE cost_rows;
