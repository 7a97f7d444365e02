-- convotel schema v6: a fine latency histogram on usage_daily, so the LLM call analysis by user,
-- session and function over days reads its latency percentiles from rollups too (within 1%, as
-- llm_daily's). Filled here from the rows stored so far (days whose raw rows retention already
-- deleted keep their counts but no histogram), and from then on by the ingest, with the deltas of
-- calls that were actually new. Same buckets as migration 0003's (convotel_fine_bucket).
ALTER TABLE usage_daily
  ADD COLUMN latency_bucket_index integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN latency_bucket_count bigint[] NOT NULL DEFAULT '{}';

UPDATE usage_daily u SET latency_bucket_index = b.bucket_index, latency_bucket_count = b.bucket_count
  FROM (SELECT day, dimension, key, array_agg(i ORDER BY i) AS bucket_index, array_agg(n ORDER BY i) AS bucket_count
          FROM (SELECT date_trunc('day', l.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, d.dimension, d.key,
                       convotel_fine_bucket(l.duration_ms) AS i, count(*) AS n
                  FROM llm_calls l
                 CROSS JOIN LATERAL (VALUES ('user', coalesce(l.user_id, '')), ('session', coalesce(l.session_id, '')),
                                            ('function', coalesce(l.function_name, ''))) AS d(dimension, key)
                 WHERE l.billing <> 'duplicate'
                 GROUP BY 1, 2, 3, 4) AS buckets
         GROUP BY 1, 2, 3) AS b
 WHERE u.day = b.day AND u.dimension = b.dimension AND u.key = b.key;
