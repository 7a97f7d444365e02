-- convotel schema v7: error occurrences, what /errors counts and sorts into patterns over days
-- instead of every failed row (packages/store/src/tables/error-occurrences.ts says what a row is).
-- Filled here from the rows stored so far, and from then on by the ingest, which recomputes the
-- occurrences of each trace it touches with failed rows by this same statement, limited to the
-- trace. Depends on 0005's partial indexes on failed rows only for speed.

CREATE TABLE error_occurrences (
  trace_id           text NOT NULL,
  message_hash       text NOT NULL,
  first_started_at   timestamptz NOT NULL,
  last_started_at    timestamptz NOT NULL,
  error_hash         text NOT NULL,
  at                 timestamptz,
  conversation_id    text,
  error_type         text,
  error_message      text,
  PRIMARY KEY (trace_id, message_hash)
);

-- Failed rows as (trace, conversation, type, message, start, end): counted LLM calls, steps,
-- turns (traces of a conversation) and SQL spans; one row per trace and message (md5 of the
-- message, else the type, else ''), the earliest-ending row's facts (ties by type, then
-- conversation), with the first and last start among the rows, and the md5 of its (type, message)
-- as a row's text (which tells a missing part from an empty one): what /errors groups by.
INSERT INTO error_occurrences (trace_id, message_hash, first_started_at, last_started_at, error_hash, at, conversation_id, error_type, error_message)
SELECT DISTINCT ON (trace_id, message_hash) trace_id, message_hash,
       min(started_at) OVER rows_of AS first_started_at, max(started_at) OVER rows_of AS last_started_at,
       md5(row(error_type, error_message)::text) AS error_hash, at, conversation_id, error_type, error_message
  FROM (SELECT f.*, md5(coalesce(f.error_message, f.error_type, '')) AS message_hash
          FROM (SELECT trace_id, conversation_id, error_type, error_message, started_at, ended_at AS at
                  FROM llm_calls WHERE status = 'error' AND billing <> 'duplicate'
                UNION ALL
                SELECT trace_id, conversation_id, error_type, error_message, started_at, ended_at
                  FROM steps WHERE status = 'error'
                UNION ALL
                SELECT trace_id, conversation_id, error_type, error_message, started_at, ended_at
                  FROM traces WHERE status = 'error' AND conversation_id IS NOT NULL AND started_at IS NOT NULL
                UNION ALL
                SELECT trace_id, conversation_id, error_type, error_message, started_at, started_at + duration_ms * interval '1 millisecond'
                  FROM db_queries WHERE status = 'error') AS f) AS keyed
WINDOW rows_of AS (PARTITION BY trace_id, message_hash)
 ORDER BY trace_id, message_hash, at NULLS LAST, error_type NULLS LAST, conversation_id NULLS LAST;

-- A window counts the occurrences wholly inside it by the first index alone (error_hash rides
-- along), finds those that started before it and reach into it by the second, and each group's
-- newest occurrences by the third.
CREATE INDEX error_occurrences_first_started_idx ON error_occurrences (first_started_at, last_started_at) INCLUDE (error_hash);
CREATE INDEX error_occurrences_last_started_idx ON error_occurrences (last_started_at, first_started_at);
CREATE INDEX error_occurrences_error_at_idx ON error_occurrences (error_hash, at DESC NULLS LAST, trace_id);
