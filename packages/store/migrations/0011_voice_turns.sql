-- convotel schema v11: the voice turn model (docs/voice.md).
--
-- Turns inside long traces. LiveKit and Pipecat put a whole call in one trace with a span per
-- turn. span_edges keeps the parent of every span of such frameworks, and the raw rows keep
-- theirs, so each span finds its turn span by walking up, whatever the order spans arrived in.
-- The ingest recomputes a touched trace's membership and its trace_turns rows from what is
-- stored (so a redelivery or any order gives the same rows) in the write transaction.
CREATE TABLE span_edges (
  trace_id        text NOT NULL,
  span_id         text NOT NULL,
  parent_span_id  text,
  name            text NOT NULL,
  -- A framework turn span (LiveKit agent_turn, Pipecat turn).
  is_turn         boolean NOT NULL,
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz NOT NULL,
  -- What the span says about its turn: for a turn span its index, status, texts; for any span
  -- the voice turn model's markers, stage delays and interruptions. Normalized; NULL when nothing.
  facts           jsonb,
  PRIMARY KEY (trace_id, span_id)
);

-- The turn span a raw row belongs to, once its trace holds turn spans; NULL when its trace is
-- its turn (one trace per turn, convotel's SDK) or its chain reaches no turn span yet.
ALTER TABLE llm_calls ADD COLUMN turn_span_id text;
ALTER TABLE steps ADD COLUMN turn_span_id text;
ALTER TABLE db_queries ADD COLUMN turn_span_id text;

-- One row per turn span inside a trace. The trace's own row (traces) keeps the identity and the
-- trace-wide sums; turn_count there says how many of these it holds.
CREATE TABLE trace_turns (
  trace_id              text NOT NULL,
  turn_span_id          text NOT NULL,
  name                  text NOT NULL,
  turn_index            integer,
  started_at            timestamptz NOT NULL,
  ended_at              timestamptz NOT NULL,
  duration_ms           double precision NOT NULL,
  status                text NOT NULL,
  error_type            text,
  error_message         text,
  interrupted           boolean,
  perceived_latency_ms  double precision,
  user_input            text,
  agent_output          text,
  llm_calls             integer NOT NULL,
  input_tokens          bigint NOT NULL,
  output_tokens         bigint NOT NULL,
  cache_read_tokens     bigint NOT NULL,
  cache_write_tokens    bigint NOT NULL,
  reasoning_tokens      bigint NOT NULL,
  llm_cost_usd          numeric(24,12) NOT NULL,
  stt_cost_usd          numeric(24,12) NOT NULL,
  tts_cost_usd          numeric(24,12) NOT NULL,
  other_cost_usd        numeric(24,12) NOT NULL,
  cost_usd              numeric(24,12) NOT NULL,
  llm_errors            integer NOT NULL,
  steps                 integer NOT NULL,
  step_errors           integer NOT NULL,
  sql_queries           integer NOT NULL,
  sql_rows              bigint NOT NULL,
  PRIMARY KEY (trace_id, turn_span_id)
);
CREATE INDEX trace_turns_started_at ON trace_turns (started_at);

-- Turns inside the trace (NULL: the trace is one turn).
ALTER TABLE traces ADD COLUMN turn_count integer;
ALTER TABLE traces ADD COLUMN turn_errors integer;

-- The voice turn, on both kinds of turn row. Markers: when the user started and stopped
-- speaking and the agent's audio started and stopped. agent_interrupted: the agent talked over
-- the user (interrupted: the user barged in on the agent). voice_to_voice_us runs from the end
-- of the user's speech to the agent's first audio, and the v2v_*_us contributions sum to it
-- exactly (integers); v2v_source says what measured it (markers, spans, reported), v2v_model and
-- v2v_provider name the LLM on its critical path, v2v_dominant_stage the largest contribution.
ALTER TABLE traces
  -- The voice facts of all the trace's spans, merged (normalized, order-free); NULL when none.
  ADD COLUMN voice_facts            jsonb,
  ADD COLUMN user_speech_started_at timestamptz,
  ADD COLUMN user_speech_ended_at   timestamptz,
  ADD COLUMN agent_audio_started_at timestamptz,
  ADD COLUMN agent_audio_ended_at   timestamptz,
  ADD COLUMN agent_interrupted      boolean,
  ADD COLUMN voice_to_voice_us      bigint,
  ADD COLUMN v2v_endpointing_us     bigint,
  ADD COLUMN v2v_transcription_us   bigint,
  ADD COLUMN v2v_llm_ttft_us        bigint,
  ADD COLUMN v2v_tools_us           bigint,
  ADD COLUMN v2v_tts_ttfb_us        bigint,
  ADD COLUMN v2v_pipeline_gaps_us   bigint,
  ADD COLUMN v2v_unattributed_us    bigint,
  ADD COLUMN v2v_dominant_stage     text,
  ADD COLUMN v2v_source             text,
  ADD COLUMN v2v_model              text,
  ADD COLUMN v2v_provider           text;
ALTER TABLE trace_turns
  ADD COLUMN user_speech_started_at timestamptz,
  ADD COLUMN user_speech_ended_at   timestamptz,
  ADD COLUMN agent_audio_started_at timestamptz,
  ADD COLUMN agent_audio_ended_at   timestamptz,
  ADD COLUMN agent_interrupted      boolean,
  ADD COLUMN voice_to_voice_us      bigint,
  ADD COLUMN v2v_endpointing_us     bigint,
  ADD COLUMN v2v_transcription_us   bigint,
  ADD COLUMN v2v_llm_ttft_us        bigint,
  ADD COLUMN v2v_tools_us           bigint,
  ADD COLUMN v2v_tts_ttfb_us        bigint,
  ADD COLUMN v2v_pipeline_gaps_us   bigint,
  ADD COLUMN v2v_unattributed_us    bigint,
  ADD COLUMN v2v_dominant_stage     text,
  ADD COLUMN v2v_source             text,
  ADD COLUMN v2v_model              text,
  ADD COLUMN v2v_provider           text;

-- Whole-call cost: telephony minutes priced from the price table, on the conversation span's
-- provider and direction. cost_usd stays the turns' sum; call_cost_usd adds telephony.
ALTER TABLE conversations
  ADD COLUMN telephony_provider  text,
  ADD COLUMN telephony_direction text,
  ADD COLUMN telephony_minutes   double precision,
  ADD COLUMN telephony_cost_usd  numeric(24,12),
  ADD COLUMN call_cost_usd       numeric(24,12);

-- turns: every turn of a conversation, whether it is a trace or a turn span inside one.
-- turn_span_id is NULL for a trace that is its turn; otherwise (trace_id, turn_span_id) names it.
-- turn_id names a turn in one column: its trace id, or its turn span id.
DROP VIEW turns;
CREATE VIEW turns AS
SELECT trace_id, NULL::text AS turn_span_id, trace_id AS turn_id, conversation_id, conversation_id_key, user_id, session_id, service_name,
       root_span_id, root_name AS name, root_is_turn AS has_turn_span, turn_index, intent, classification,
       interrupted, perceived_latency_ms, started_at, ended_at, duration_ms, status, error_type, error_message,
       first_seen_at, last_seen_at, user_input, agent_output, db_system, llm_calls, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, reasoning_tokens, llm_cost_usd, stt_cost_usd, tts_cost_usd,
       other_cost_usd, cost_usd, llm_errors, steps, step_errors, sql_queries, sql_rows,
       user_speech_started_at, user_speech_ended_at, agent_audio_started_at, agent_audio_ended_at, agent_interrupted,
       voice_to_voice_us, v2v_endpointing_us, v2v_transcription_us, v2v_llm_ttft_us, v2v_tools_us, v2v_tts_ttfb_us,
       v2v_pipeline_gaps_us, v2v_unattributed_us, v2v_dominant_stage, v2v_source, v2v_model, v2v_provider
  FROM traces
 WHERE conversation_id IS NOT NULL AND turn_count IS NULL
UNION ALL
SELECT t.trace_id, s.turn_span_id, s.turn_span_id AS turn_id, t.conversation_id, t.conversation_id_key, t.user_id, t.session_id, t.service_name,
       s.turn_span_id AS root_span_id, s.name, true AS has_turn_span, s.turn_index, NULL::text AS intent, NULL::text AS classification,
       s.interrupted, s.perceived_latency_ms, s.started_at, s.ended_at, s.duration_ms, s.status, s.error_type, s.error_message,
       s.started_at AS first_seen_at, s.ended_at AS last_seen_at, s.user_input, s.agent_output, t.db_system, s.llm_calls, s.input_tokens, s.output_tokens,
       s.cache_read_tokens, s.cache_write_tokens, s.reasoning_tokens, s.llm_cost_usd, s.stt_cost_usd, s.tts_cost_usd,
       s.other_cost_usd, s.cost_usd, s.llm_errors, s.steps, s.step_errors, s.sql_queries, s.sql_rows,
       s.user_speech_started_at, s.user_speech_ended_at, s.agent_audio_started_at, s.agent_audio_ended_at, s.agent_interrupted,
       s.voice_to_voice_us, s.v2v_endpointing_us, s.v2v_transcription_us, s.v2v_llm_ttft_us, s.v2v_tools_us, s.v2v_tts_ttfb_us,
       s.v2v_pipeline_gaps_us, s.v2v_unattributed_us, s.v2v_dominant_stage, s.v2v_source, s.v2v_model, s.v2v_provider
  FROM trace_turns s
  JOIN traces t ON t.trace_id = s.trace_id
 WHERE t.conversation_id IS NOT NULL;
