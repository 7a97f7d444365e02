-- convotel schema v1 (DESIGN.md §4). Raw rows are keyed by span (trace_id, span_id) or by
-- record hash, so a retried batch inserts nothing; summary rows (conversations, turns, hourly
-- rollups) change only by the deltas of rows that were actually new.
-- Money is numeric(24,12) and latency sums numeric(24,3) (µs): sums are exact, hence
-- independent of arrival order. Timestamps are timestamptz (µs).

-- Histogram bucket upper bounds (ms, inclusive) of the *_hourly latency_buckets arrays; the
-- last array element counts everything above the last bound.
CREATE TABLE histogram_bounds (
  name text PRIMARY KEY,
  bounds_ms double precision[] NOT NULL
);
INSERT INTO histogram_bounds (name, bounds_ms) VALUES
  ('latency', '{10,20,40,80,160,320,640,1280,2560,5120,10240,20480,40960,81920}');

CREATE TABLE conversations (
  conversation_id        text PRIMARY KEY,
  -- Attribute key the id came from (gen_ai.conversation.id, session.id, …, trace_id) and
  -- its rank in the key order (lower is better); same for user and session.
  conversation_id_key    text,
  conversation_id_rank   integer,
  service_name           text,
  agent_name             text,
  channel                text,
  user_id                text,
  user_id_key            text,
  user_id_rank           integer,
  session_id             text,
  session_id_key         text,
  session_id_rank        integer,
  started_at             timestamptz,
  ended_at               timestamptz,
  first_seen_at          timestamptz,
  last_seen_at           timestamptz,
  duration_ms            double precision,
  -- active until the conversation span arrives; then completed or error.
  status                 text NOT NULL DEFAULT 'active',
  end_reason             text,
  error_type             text,
  error_message          text,
  has_conversation_span  boolean NOT NULL DEFAULT false,
  conversation_trace_id  text,
  conversation_span_id   text,
  conversation_started_at timestamptz,
  turns                  integer NOT NULL DEFAULT 0,
  llm_calls              integer NOT NULL DEFAULT 0,
  input_tokens           bigint NOT NULL DEFAULT 0,
  output_tokens          bigint NOT NULL DEFAULT 0,
  cache_read_tokens      bigint NOT NULL DEFAULT 0,
  cache_write_tokens     bigint NOT NULL DEFAULT 0,
  reasoning_tokens       bigint NOT NULL DEFAULT 0,
  llm_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  stt_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  tts_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  other_cost_usd         numeric(24,12) NOT NULL DEFAULT 0,
  cost_usd               numeric(24,12) NOT NULL DEFAULT 0,
  -- Turns whose status is error.
  errors                 integer NOT NULL DEFAULT 0,
  llm_errors             integer NOT NULL DEFAULT 0,
  success_rate           double precision,
  sql_queries            integer NOT NULL DEFAULT 0,
  sql_rows               bigint NOT NULL DEFAULT 0,
  -- User input / agent output of the latest turn that has one (ordered by the turn's
  -- last_seen_at, then trace id).
  last_user_input        text,
  last_user_input_at_us  bigint,
  last_user_input_trace_id text,
  last_agent_output      text,
  last_agent_output_at_us bigint,
  last_agent_output_trace_id text,
  metadata               jsonb
);
CREATE INDEX conversations_last_seen_idx ON conversations (last_seen_at DESC);
CREATE INDEX conversations_started_idx ON conversations (started_at DESC);
CREATE INDEX conversations_user_idx ON conversations (user_id, started_at DESC);
CREATE INDEX conversations_session_idx ON conversations (session_id);
CREATE INDEX conversations_agent_idx ON conversations (agent_name, started_at DESC);
CREATE INDEX conversations_status_idx ON conversations (status, last_seen_at DESC);
CREATE INDEX conversations_duration_idx ON conversations (duration_ms DESC);
CREATE INDEX conversations_cost_idx ON conversations (cost_usd DESC);
CREATE INDEX conversations_metadata_idx ON conversations USING gin (metadata jsonb_path_ops);

-- One row per trace the ingest has seen: the state a turn is built from (a turn is its
-- trace, DESIGN.md §2). Traces without any GenAI span keep conversation_id NULL; the `turns`
-- view below shows only the traces that belong to a conversation.
CREATE TABLE traces (
  trace_id               text PRIMARY KEY,
  -- The trace's conversation: its best id candidate (or, with none, the trace id) once the
  -- trace has a GenAI span; NULL before.
  conversation_id        text,
  conversation_id_key    text,
  conversation_id_rank   integer,
  -- Best explicit id candidate seen on any span, GenAI or not.
  conversation_candidate text,
  user_id                text,
  user_id_key            text,
  user_id_rank           integer,
  session_id             text,
  session_id_key         text,
  session_id_rank        integer,
  has_genai              boolean NOT NULL DEFAULT false,
  service_name           text,
  -- From the root span (our turn span, or the root of a foreign trace) once it arrived.
  root_span_id           text,
  root_name              text,
  root_is_turn           boolean,
  root_started_at        timestamptz,
  root_ended_at          timestamptz,
  root_duration_us       bigint,
  root_status            text,
  error_type             text,
  error_message          text,
  turn_index             integer,
  intent                 text,
  classification         text,
  interrupted            boolean,
  perceived_latency_ms   double precision,
  -- Root timings when known, else the span extent seen so far.
  started_at             timestamptz,
  ended_at               timestamptz,
  duration_ms            double precision,
  -- Root status when known, else error if any step or LLM call failed.
  status                 text NOT NULL DEFAULT 'ok',
  first_seen_at          timestamptz,
  last_seen_at           timestamptz,
  user_input             text,
  user_input_rank        integer,
  user_input_at_us       bigint,
  agent_output           text,
  agent_output_rank      integer,
  agent_output_at_us     bigint,
  db_system              text,
  llm_calls              integer NOT NULL DEFAULT 0,
  billable_calls         integer NOT NULL DEFAULT 0,
  input_tokens           bigint NOT NULL DEFAULT 0,
  output_tokens          bigint NOT NULL DEFAULT 0,
  cache_read_tokens      bigint NOT NULL DEFAULT 0,
  cache_write_tokens     bigint NOT NULL DEFAULT 0,
  reasoning_tokens       bigint NOT NULL DEFAULT 0,
  llm_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  stt_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  tts_cost_usd           numeric(24,12) NOT NULL DEFAULT 0,
  other_cost_usd         numeric(24,12) NOT NULL DEFAULT 0,
  cost_usd               numeric(24,12) NOT NULL DEFAULT 0,
  llm_errors             integer NOT NULL DEFAULT 0,
  steps                  integer NOT NULL DEFAULT 0,
  step_errors            integer NOT NULL DEFAULT 0,
  sql_queries            integer NOT NULL DEFAULT 0,
  sql_rows               bigint NOT NULL DEFAULT 0,
  -- The agent span standing in as this trace's LLM call while it has no billable call.
  fallback_span_id       text,
  fallback_started_at_us bigint
);
CREATE INDEX traces_conversation_idx ON traces (conversation_id, started_at);
CREATE INDEX traces_started_idx ON traces (started_at DESC) WHERE conversation_id IS NOT NULL;
CREATE INDEX traces_last_seen_idx ON traces (last_seen_at);

-- One row per turn (trace of a conversation), without the merge bookkeeping of `traces`.
CREATE VIEW turns AS
SELECT trace_id, conversation_id, conversation_id_key, user_id, session_id, service_name,
       root_span_id, root_name AS name, root_is_turn AS has_turn_span, turn_index, intent, classification,
       interrupted, perceived_latency_ms, started_at, ended_at, duration_ms, status, error_type, error_message,
       first_seen_at, last_seen_at, user_input, agent_output, db_system, llm_calls, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, reasoning_tokens, llm_cost_usd, stt_cost_usd, tts_cost_usd,
       other_cost_usd, cost_usd, llm_errors, steps, step_errors, sql_queries, sql_rows
  FROM traces
 WHERE conversation_id IS NOT NULL;

CREATE TABLE llm_calls (
  trace_id               text NOT NULL,
  span_id                text NOT NULL,
  parent_span_id         text,
  conversation_id        text,
  user_id                text,
  session_id             text,
  -- call: a provider call; agent_fallback: an agent span standing in for missing calls.
  billing                text NOT NULL,
  span_name              text NOT NULL,
  provider               text,
  request_model          text,
  response_model         text,
  operation              text NOT NULL,
  call_type              text NOT NULL,
  function_name          text,
  tags                   jsonb,
  response_id            text,
  input_tokens           bigint,
  output_tokens          bigint,
  cache_read_tokens      bigint,
  cache_write_tokens     bigint,
  reasoning_tokens       bigint,
  audio_input_tokens     bigint,
  audio_output_tokens    bigint,
  total_tokens           bigint,
  usage_estimated        boolean NOT NULL DEFAULT false,
  cost_usd               numeric(24,12),
  -- reported (the span carried it) or computed (from the price table at ingest).
  cost_source            text,
  started_at             timestamptz NOT NULL,
  ended_at               timestamptz NOT NULL,
  duration_ms            double precision NOT NULL,
  ttft_ms                double precision,
  finish_reason          text,
  status                 text NOT NULL,
  error_type             text,
  error_message          text,
  temperature            double precision,
  max_tokens             bigint,
  input_messages         jsonb,
  output_messages        jsonb,
  system_instructions    jsonb,
  attributes             jsonb NOT NULL,
  -- Concept → attribute key it was read from (provider → gen_ai.system, …).
  source_keys            jsonb NOT NULL,
  scope_name             text NOT NULL,
  scope_version          text,
  flavour                text NOT NULL,
  service_name           text,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX llm_calls_started_idx ON llm_calls (started_at);
CREATE INDEX llm_calls_conversation_idx ON llm_calls (conversation_id, started_at);
CREATE INDEX llm_calls_user_idx ON llm_calls (user_id, started_at);
CREATE INDEX llm_calls_session_idx ON llm_calls (session_id, started_at);
CREATE INDEX llm_calls_model_idx ON llm_calls (response_model, started_at);
CREATE INDEX llm_calls_call_type_idx ON llm_calls (call_type, started_at);
CREATE INDEX llm_calls_errors_idx ON llm_calls (started_at) WHERE status = 'error';

CREATE TABLE steps (
  trace_id               text NOT NULL,
  span_id                text NOT NULL,
  parent_span_id         text,
  conversation_id        text,
  -- step (ours, STT/TTS, retrieval), tool, agent, workflow.
  kind                   text NOT NULL,
  name                   text NOT NULL,
  span_name              text NOT NULL,
  started_at             timestamptz NOT NULL,
  ended_at               timestamptz NOT NULL,
  duration_ms            double precision NOT NULL,
  status                 text NOT NULL,
  error_type             text,
  error_message          text,
  operation              text,
  provider               text,
  model                  text,
  tool_name              text,
  stt_audio_seconds      double precision,
  stt_confidence         double precision,
  stt_language           text,
  tts_characters         bigint,
  tts_voice              text,
  tts_audio_seconds      double precision,
  tts_ttfb_ms            double precision,
  cost_usd               numeric(24,12),
  cost_source            text,
  cost_category          text,
  attributes             jsonb NOT NULL,
  source_keys            jsonb NOT NULL,
  scope_name             text NOT NULL,
  scope_version          text,
  flavour                text NOT NULL,
  service_name           text,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX steps_started_idx ON steps (started_at);
CREATE INDEX steps_name_idx ON steps (kind, name, started_at);
CREATE INDEX steps_conversation_idx ON steps (conversation_id, started_at);

CREATE TABLE db_queries (
  trace_id               text NOT NULL,
  span_id                text NOT NULL,
  parent_span_id         text,
  conversation_id        text,
  system                 text NOT NULL,
  db_name                text,
  operation              text,
  -- Literals replaced by ?.
  statement              text,
  started_at             timestamptz NOT NULL,
  duration_ms            double precision NOT NULL,
  returned_rows          bigint,
  status                 text NOT NULL,
  error_type             text,
  error_message          text,
  scope_name             text NOT NULL,
  service_name           text,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX db_queries_started_idx ON db_queries (started_at);
CREATE INDEX db_queries_conversation_idx ON db_queries (conversation_id, started_at);

CREATE TABLE events (
  -- Hash of the record: a redelivered record is stored once.
  event_id               text PRIMARY KEY,
  time                   timestamptz NOT NULL,
  severity_number        integer NOT NULL,
  severity_text          text,
  name                   text,
  component              text,
  message                text,
  body                   jsonb,
  attributes             jsonb NOT NULL,
  conversation_id        text,
  trace_id               text,
  span_id                text,
  -- GenAI content events: input or output messages of the LLM call (trace_id, span_id).
  content_kind           text,
  content                jsonb,
  scope_name             text NOT NULL,
  service_name           text
);
CREATE INDEX events_time_idx ON events (time);
CREATE INDEX events_conversation_idx ON events (conversation_id, time);
CREATE INDEX events_span_idx ON events (trace_id, span_id);
CREATE INDEX events_name_idx ON events (name, time);

CREATE TABLE llm_hourly (
  hour                   timestamptz NOT NULL,
  provider               text NOT NULL,
  -- Response model, else request model ('' when neither is known).
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
  latency_min_ms         numeric(24,3),
  latency_max_ms         numeric(24,3),
  -- Counts per histogram_bounds 'latency' bucket.
  latency_buckets        bigint[] NOT NULL,
  ttft_sum_ms            numeric(24,3) NOT NULL,
  ttft_count             bigint NOT NULL,
  PRIMARY KEY (hour, provider, model, call_type, status)
);

CREATE TABLE step_hourly (
  hour                   timestamptz NOT NULL,
  kind                   text NOT NULL,
  name                   text NOT NULL,
  count                  bigint NOT NULL,
  errors                 bigint NOT NULL,
  cost_usd               numeric(24,12) NOT NULL,
  latency_sum_ms         numeric(24,3) NOT NULL,
  latency_min_ms         numeric(24,3),
  latency_max_ms         numeric(24,3),
  latency_buckets        bigint[] NOT NULL,
  PRIMARY KEY (hour, kind, name)
);
