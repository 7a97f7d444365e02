// `cost_hourly` and `cost_daily` (GET /costs over days): spend by UTC hour (day) for each key of
// each cost dimension. A turn counts under its user, session and agent (its conversation's; the
// agent arrives with the conversation span, the user and session with any span of the trace), a
// counted LLM call under its model, provider, call type and function, a priced step under its
// model and provider. A write takes each changed turn's share out under its old keys and puts it
// back under the new ones, as turn_hourly does; calls and steps add as llm_hourly's do. And
// `conversation_keys`: each conversation the write touched, recomputed from its raw rows (first
// and last row of each key), under the conversation's lock.
import { CONVERSATION_KEYS, COST_DAILY, COST_HOURLY, type CostDimension, type SqlClient } from '@convotel/store';
import type { LlmCallRow, StepRow } from '../../normalize/rows.js';
import { saturateInt64, saturateMoney } from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { deleteEmptiedRows, toRollupUpsert, upsertRollup, type RollupColumn, type RollupUpsert } from './rollup-upsert.js';
import type { LlmRollupRow } from './rollups.js';
import { totalCostPicos, type Sums } from './sums.js';

type CostKey = { dimension: CostDimension; key: string };

interface CostMeasures {
  rows: number;
  costPicos: bigint;
  llmCostPicos: bigint;
  sttCostPicos: bigint;
  ttsCostPicos: bigint;
  otherCostPicos: bigint;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  conversationsStarted: number;
  conversationsEnded: number;
}

function emptyCostMeasures(): CostMeasures {
  return {
    rows: 0,
    costPicos: 0n,
    llmCostPicos: 0n,
    sttCostPicos: 0n,
    ttsCostPicos: 0n,
    otherCostPicos: 0n,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    conversationsStarted: 0,
    conversationsEnded: 0,
  };
}

/** A turn's keys in the cost rollups. */
export interface TurnCostKeys {
  readonly user: string;
  readonly session: string;
  readonly agent: string;
}

/** What one row (turn, call or step) adds under each of its keys. */
type CostShare = Omit<CostMeasures, 'rows' | 'conversationsStarted' | 'conversationsEnded'>;

/** A `conversation_keys` row: a conversation's first and last cost row under a key. */
export interface ConversationKeySpan {
  readonly dimension: CostDimension;
  readonly key: string;
  readonly firstAt: Micros;
  readonly lastAt: Micros;
}

/** Cost rollup deltas of a batch, by the time bucket `bucketOf` (hourOf, dayOf). */
export class CostRollup extends RollupDeltas<CostKey, CostMeasures> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros) {
    super(emptyCostMeasures);
    this.#bucketOf = bucketOf;
  }

  #add(at: Micros, keys: readonly CostKey[], share: CostShare, sign: 1 | -1): void {
    const big = BigInt(sign);
    for (const key of keys) {
      const m = this.measuresOf(this.#bucketOf(at), key);
      m.rows += sign;
      m.costPicos += big * share.costPicos;
      m.llmCostPicos += big * share.llmCostPicos;
      m.sttCostPicos += big * share.sttCostPicos;
      m.ttsCostPicos += big * share.ttsCostPicos;
      m.otherCostPicos += big * share.otherCostPicos;
      m.calls += sign * share.calls;
      m.inputTokens += sign * share.inputTokens;
      m.outputTokens += sign * share.outputTokens;
    }
  }

  /** Adds (sign 1) or takes out (sign -1) a turn started at `startedAt` with `sums` under its keys. */
  addTurn(startedAt: Micros, sums: Sums, keys: TurnCostKeys, sign: 1 | -1): void {
    this.#add(
      startedAt,
      [
        { dimension: 'user', key: keys.user },
        { dimension: 'session', key: keys.session },
        { dimension: 'agent', key: keys.agent },
      ],
      {
        costPicos: totalCostPicos(sums),
        llmCostPicos: sums.llmCostPicos,
        sttCostPicos: sums.sttCostPicos,
        ttsCostPicos: sums.ttsCostPicos,
        otherCostPicos: sums.otherCostPicos,
        calls: sums.llmCalls,
        inputTokens: sums.inputTokens,
        outputTokens: sums.outputTokens,
      },
      sign,
    );
  }

  /** Adds (sign 1) or takes out (sign -1) a counted LLM call. */
  addCall(row: LlmRollupRow & Pick<LlmCallRow, 'functionName'>, sign: 1 | -1): void {
    const cost = row.costPicos ?? 0n;
    this.#add(
      row.startedAt,
      [
        { dimension: 'model', key: row.responseModel ?? row.requestModel ?? '' },
        { dimension: 'provider', key: row.provider ?? '' },
        { dimension: 'call_type', key: row.callType },
        { dimension: 'function', key: row.functionName ?? '' },
      ],
      { costPicos: cost, llmCostPicos: cost, sttCostPicos: 0n, ttsCostPicos: 0n, otherCostPicos: 0n, calls: 1, inputTokens: row.inputTokens ?? 0, outputTokens: row.outputTokens ?? 0 },
      sign,
    );
  }

  /** Counts (sign 1) or uncounts (sign -1) a conversation's span under a key where it begins and ends. */
  addConversationSpan(span: ConversationKeySpan, sign: 1 | -1): void {
    const key = { dimension: span.dimension, key: span.key };
    this.measuresOf(this.#bucketOf(span.firstAt), key).conversationsStarted += sign;
    this.measuresOf(this.#bucketOf(span.lastAt), key).conversationsEnded += sign;
  }

  /** Adds a new step, when it is priced. */
  addStep(row: StepRow): void {
    const cost = row.costPicos;
    if (cost === undefined) return;
    const of = (category: StepRow['costCategory']): bigint => (row.costCategory === category ? cost : 0n);
    this.#add(
      row.startedAt,
      [
        { dimension: 'model', key: row.model ?? '' },
        { dimension: 'provider', key: row.provider ?? '' },
      ],
      { costPicos: cost, llmCostPicos: 0n, sttCostPicos: of('stt'), ttsCostPicos: of('tts'), otherCostPicos: of('other'), calls: 0, inputTokens: 0, outputTokens: 0 },
      1,
    );
  }
}

type Entry = RollupEntry<CostKey, CostMeasures>;

const usd = (picos: bigint): string => picosToDecimal(saturateMoney(picos));

function costRollupColumns(table: typeof COST_HOURLY | typeof COST_DAILY): RollupColumn<Entry>[] {
  const C = table.columns;
  return [
    { column: table.key[0] as (typeof table.key)[number], value: (e) => microsToTimestamp(e.time) },
    { column: C.dimension, value: (e) => e.key.dimension },
    { column: C.key, value: (e) => e.key.key },
    { column: C.rows, value: (e) => e.measures.rows, merge: 'add' },
    { column: C.costUsd, value: (e) => usd(e.measures.costPicos), merge: 'addMoney' },
    { column: C.llmCostUsd, value: (e) => usd(e.measures.llmCostPicos), merge: 'addMoney' },
    { column: C.sttCostUsd, value: (e) => usd(e.measures.sttCostPicos), merge: 'addMoney' },
    { column: C.ttsCostUsd, value: (e) => usd(e.measures.ttsCostPicos), merge: 'addMoney' },
    { column: C.otherCostUsd, value: (e) => usd(e.measures.otherCostPicos), merge: 'addMoney' },
    { column: C.calls, value: (e) => e.measures.calls, merge: 'add' },
    { column: C.inputTokens, value: (e) => saturateInt64(e.measures.inputTokens), merge: 'addTokens' },
    { column: C.outputTokens, value: (e) => saturateInt64(e.measures.outputTokens), merge: 'addTokens' },
    { column: C.conversationsStarted, value: (e) => e.measures.conversationsStarted, merge: 'add' },
    { column: C.conversationsEnded, value: (e) => e.measures.conversationsEnded, merge: 'add' },
  ];
}

const UPSERTS = new Map([COST_HOURLY, COST_DAILY].map((table) => [table, toRollupUpsert(table, costRollupColumns(table))]));

/** Adds the deltas to `table` (cost_hourly or cost_daily) in one upsert, in key order, and drops rows left without rows. */
export async function upsertCostRollup(client: SqlClient, table: typeof COST_HOURLY | typeof COST_DAILY, rollup: CostRollup): Promise<void> {
  const entries = rollup.entries();
  await upsertRollup(client, UPSERTS.get(table) as RollupUpsert<Entry>, entries);
  const shrunk = entries.filter((e) => e.measures.rows < 0);
  await deleteEmptiedRows(
    client,
    table,
    table.columns.rows,
    shrunk.map((e) => [microsToTimestamp(e.time), e.key.dimension, e.key.key]),
  );
}

const K = CONVERSATION_KEYS.columns;

/**
 * The cost rows of the conversations in `$1` as (conversation_id, dimension, key, at): the same
 * rows, keys and times as migration 0009's backfill and GET /costs' raw path.
 */
const COST_KEY_ROWS = `
  SELECT t.conversation_id, d.dimension, d.key, t.started_at AS at
    FROM traces t LEFT JOIN conversations c ON c.conversation_id = t.conversation_id
         CROSS JOIN LATERAL (VALUES ('user', coalesce(t.user_id, '')), ('session', coalesce(t.session_id, '')), ('agent', coalesce(c.agent_name, ''))) AS d(dimension, key)
   WHERE t.conversation_id = ANY($1::text[]) AND t.started_at IS NOT NULL
  UNION ALL
  SELECT l.conversation_id, d.dimension, d.key, l.started_at
    FROM llm_calls l
         CROSS JOIN LATERAL (VALUES ('model', coalesce(l.response_model, l.request_model, '')), ('provider', coalesce(l.provider, '')),
                                    ('call_type', coalesce(l.call_type, '')), ('function', coalesce(l.function_name, ''))) AS d(dimension, key)
   WHERE l.conversation_id = ANY($1::text[]) AND l.billing <> 'duplicate'
  UNION ALL
  SELECT s.conversation_id, d.dimension, d.key, s.started_at
    FROM steps s CROSS JOIN LATERAL (VALUES ('model', coalesce(s.model, '')), ('provider', coalesce(s.provider, ''))) AS d(dimension, key)
   WHERE s.conversation_id = ANY($1::text[]) AND s.cost_usd IS NOT NULL`;

/** A span's times as epoch microseconds (text: a bigint), exact where a Date keeps milliseconds. */
const SPAN_RETURNING = `${K.dimension} AS dimension, ${K.key} AS key, (extract(epoch FROM ${K.firstAt}) * 1000000)::bigint::text AS first_us,
                        (extract(epoch FROM ${K.lastAt}) * 1000000)::bigint::text AS last_us`;

function toSpan(row: Record<string, unknown>): ConversationKeySpan {
  return { dimension: row['dimension'] as CostDimension, key: String(row['key']), firstAt: BigInt(String(row['first_us'])) as Micros, lastAt: BigInt(String(row['last_us'])) as Micros };
}

/** What a write did to `conversation_keys`: the spans it replaced and those it wrote. */
export interface ConversationKeyChanges {
  readonly removed: ConversationKeySpan[];
  readonly added: ConversationKeySpan[];
}

/** A cost row new in a write, as `conversation_keys` sees it. */
export interface ConversationKeyRow {
  readonly conversationId: string;
  readonly dimension: CostDimension;
  readonly key: string;
  readonly at: Micros;
}

/**
 * Widens the `conversation_keys` spans of conversations that only gained rows (no row of theirs
 * left a key or moved): each (conversation, key)'s span stretched to its new rows. Returns the
 * spans replaced and those written.
 */
export async function extendConversationKeys(client: SqlClient, rows: readonly ConversationKeyRow[]): Promise<ConversationKeyChanges> {
  if (rows.length === 0) return { removed: [], added: [] };
  const idOf = (conversationId: string, dimension: string, key: string): string => `${conversationId}\u0000${dimension}\u0000${key}`;
  const next = new Map<string, { conversationId: string; span: ConversationKeySpan }>();
  for (const row of rows) {
    const id = idOf(row.conversationId, row.dimension, row.key);
    const found = next.get(id)?.span;
    const span: ConversationKeySpan = {
      dimension: row.dimension,
      key: row.key,
      firstAt: found === undefined || row.at < found.firstAt ? row.at : found.firstAt,
      lastAt: found === undefined || row.at > found.lastAt ? row.at : found.lastAt,
    };
    next.set(id, { conversationId: row.conversationId, span });
  }
  const ids = [...new Set(rows.map((row) => row.conversationId))].sort();
  const stored = await client.query(
    `SELECT ${K.conversationId} AS conversation_id, ${SPAN_RETURNING} FROM ${CONVERSATION_KEYS} WHERE ${K.conversationId} = ANY($1::text[])`,
    [ids],
  );
  const removed: ConversationKeySpan[] = [];
  for (const row of stored.rows) {
    const old = toSpan(row);
    const id = idOf(String(row['conversation_id']), old.dimension, old.key);
    const entry = next.get(id);
    if (entry === undefined) continue;
    const span = { ...entry.span, firstAt: old.firstAt < entry.span.firstAt ? old.firstAt : entry.span.firstAt, lastAt: old.lastAt > entry.span.lastAt ? old.lastAt : entry.span.lastAt };
    if (span.firstAt === old.firstAt && span.lastAt === old.lastAt) next.delete(id);
    else {
      removed.push(old);
      next.set(id, { conversationId: entry.conversationId, span });
    }
  }
  const changed = [...next.values()].sort((a, b) => compareText(a.conversationId, b.conversationId) || compareText(a.span.dimension, b.span.dimension) || compareText(a.span.key, b.span.key));
  if (changed.length > 0) {
    await client.query(
      `INSERT INTO ${CONVERSATION_KEYS} AS k (${K.conversationId}, ${K.dimension}, ${K.key}, ${K.firstAt}, ${K.lastAt})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
       ON CONFLICT (${K.conversationId}, ${K.dimension}, ${K.key}) DO UPDATE SET ${K.firstAt} = excluded.${K.firstAt}, ${K.lastAt} = excluded.${K.lastAt}`,
      [
        changed.map((c) => c.conversationId),
        changed.map((c) => c.span.dimension),
        changed.map((c) => c.span.key),
        changed.map((c) => microsToTimestamp(c.span.firstAt)),
        changed.map((c) => microsToTimestamp(c.span.lastAt)),
      ],
    );
  }
  return { removed, added: changed.map((c) => c.span) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Recomputes the `conversation_keys` rows of `conversationIds` from their raw rows, and returns
 * the spans it removed and those it wrote (the cost rollups count where spans begin and end).
 * The conversations are locked by the write: whoever adds rows to one waits, and then sees these.
 * Recomputing (not adding) keeps a first or last time exact when a row leaves a key or moves.
 */
export async function refreshConversationKeys(client: SqlClient, conversationIds: readonly string[]): Promise<ConversationKeyChanges> {
  if (conversationIds.length === 0) return { removed: [], added: [] };
  const ids = [...conversationIds].sort();
  const removed = await client.query(`DELETE FROM ${CONVERSATION_KEYS} WHERE ${K.conversationId} = ANY($1::text[]) RETURNING ${SPAN_RETURNING}`, [ids]);
  const added = await client.query(
    `INSERT INTO ${CONVERSATION_KEYS} (${K.conversationId}, ${K.dimension}, ${K.key}, ${K.firstAt}, ${K.lastAt})
     SELECT conversation_id, dimension, key, min(at), max(at) FROM (${COST_KEY_ROWS}) AS r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     RETURNING ${SPAN_RETURNING}`,
    [ids],
  );
  return { removed: removed.rows.map(toSpan), added: added.rows.map(toSpan) };
}
