-- The raw span and event tables (llm_calls, steps, db_queries, events) become range partitions
-- by week of their row's time, so retention drops whole weeks instead of deleting rows
-- (docs/scaling-partitioning.md). A partitioned table's unique keys must hold the partition
-- key: the keys gain the row's time, which is a function of the span or record (its start time,
-- the record's time, hashed into event_id), so a redelivered span still meets its first copy.
-- The summary tables (traces, conversations, error_occurrences, conversation_keys) and the
-- rollups stay whole: their rows change time as spans arrive, or are small.

-- Monday 00:00 UTC of the week holding t: the lower bound of t's partition.
CREATE FUNCTION convotel_week_start(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT date_trunc('week', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
$$;

-- Creates the weekly partitions of parent (partitioned by time_column) that cover
-- [from_at, to_at) and do not exist yet, named parent_wYYYYMMDD after their Monday. Rows the
-- DEFAULT partition caught for such a week move into it first (attaching checks the default
-- holds none). Returns how many it created. Serialized by an advisory lock: the ingest's
-- retention may run in several processes.
CREATE FUNCTION convotel_ensure_partitions(parent text, time_column text, from_at timestamptz, to_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  week timestamptz := convotel_week_start(from_at);
  part text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(4242000002);
  WHILE week < to_at LOOP
    part := parent || '_w' || to_char(week AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(quote_ident(part)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
      EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                     parent || '_default', time_column, time_column, part) USING week, week + interval '7 days';
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, week, week + interval '7 days');
      created := created + 1;
    END IF;
    week := week + interval '7 days';
  END LOOP;
  RETURN created;
END $$;

-- Moves one table's rows into its partitioned successor: the weeks its rows span (up to two
-- years back; older rows wait in the DEFAULT partition for retention) and four weeks ahead.
-- Keys and indexes are built after the copy, which is faster than maintaining them row by row.
CREATE FUNCTION convotel_partition_table(tbl text, time_column text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  oldest timestamptz;
BEGIN
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, tbl || '_unpartitioned');
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE (%I)', tbl, tbl || '_unpartitioned', time_column);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
  EXECUTE format('SELECT min(%I) FROM %I', time_column, tbl || '_unpartitioned') INTO oldest;
  PERFORM convotel_ensure_partitions(tbl, time_column, greatest(least(coalesce(oldest, now()), now() - interval '7 days'), now() - interval '104 weeks'), now() + interval '4 weeks');
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, tbl || '_unpartitioned');
  EXECUTE format('DROP TABLE %I', tbl || '_unpartitioned');
END $$;

SELECT convotel_partition_table('llm_calls', 'started_at');
ALTER TABLE llm_calls ADD PRIMARY KEY (trace_id, span_id, started_at);
CREATE INDEX llm_calls_started_idx ON llm_calls (started_at);
CREATE INDEX llm_calls_conversation_idx ON llm_calls (conversation_id, started_at);
CREATE INDEX llm_calls_user_idx ON llm_calls (user_id, started_at);
CREATE INDEX llm_calls_session_idx ON llm_calls (session_id, started_at);
CREATE INDEX llm_calls_model_idx ON llm_calls (response_model, started_at);
CREATE INDEX llm_calls_call_type_idx ON llm_calls (call_type, started_at);
CREATE INDEX llm_calls_errors_idx ON llm_calls (started_at) WHERE status = 'error';

SELECT convotel_partition_table('steps', 'started_at');
ALTER TABLE steps ADD PRIMARY KEY (trace_id, span_id, started_at);
CREATE INDEX steps_started_idx ON steps (started_at);
CREATE INDEX steps_name_idx ON steps (kind, name, started_at);
CREATE INDEX steps_conversation_idx ON steps (conversation_id, started_at);
CREATE INDEX steps_errors_idx ON steps (started_at) WHERE status = 'error';

SELECT convotel_partition_table('db_queries', 'started_at');
ALTER TABLE db_queries ADD PRIMARY KEY (trace_id, span_id, started_at);
CREATE INDEX db_queries_started_idx ON db_queries (started_at);
CREATE INDEX db_queries_conversation_idx ON db_queries (conversation_id, started_at);
CREATE INDEX db_queries_errors_idx ON db_queries (started_at) WHERE status = 'error';

SELECT convotel_partition_table('events', 'time');
ALTER TABLE events ADD PRIMARY KEY (event_id, time);
CREATE INDEX events_time_idx ON events (time);
CREATE INDEX events_conversation_idx ON events (conversation_id, time);
CREATE INDEX events_span_idx ON events (trace_id, span_id);
CREATE INDEX events_name_idx ON events (name, time);

DROP FUNCTION convotel_partition_table(text, text);
