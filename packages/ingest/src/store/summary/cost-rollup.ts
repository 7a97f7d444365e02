// `cost_hourly` and `cost_daily` (GET /costs over days): spend by UTC hour (day) for each key of
// each cost dimension. A turn counts under its user, session and agent (its conversation's; the
// agent arrives with the conversation span, the user and session with any span of the trace), a
// counted LLM call under its model, provider, call type and function, a priced step under its
// model and provider. A write takes each changed turn's share out under its old keys and puts it
// back under the new ones, as turn_hourly does; calls and steps add as llm_hourly's do. And
// `conversation_keys`: the rows each conversation's keys gained and lost, counted (first and last
// row of each key, and how many), under the conversation's lock.
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
  SELECT t.conversation_id, d.dimension, d.key, coalesce(s.started_at, t.started_at) AS at
    FROM traces t LEFT JOIN conversations c ON c.conversation_id = t.conversation_id
         -- A trace holding turn spans counts once per turn, at the turn's start (as its rollup shares do).
         LEFT JOIN trace_turns s ON s.trace_id = t.trace_id AND t.turn_count IS NOT NULL
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
const SPAN_RETURNING = `${K.dimension} AS dimension, ${K.key} AS key, ${K.rows}::text AS rows, (extract(epoch FROM ${K.firstAt}) * 1000000)::bigint::text AS first_us,
                        (extract(epoch FROM ${K.lastAt}) * 1000000)::bigint::text AS last_us`;

/** A stored `conversation_keys` row. */
interface StoredKeySpan extends ConversationKeySpan {
  readonly rows: number;
}

function toSpan(row: Record<string, unknown>): StoredKeySpan {
  return {
    dimension: row['dimension'] as CostDimension,
    key: String(row['key']),
    rows: Number(row['rows']),
    firstAt: BigInt(String(row['first_us'])) as Micros,
    lastAt: BigInt(String(row['last_us'])) as Micros,
  };
}

/** What a write did to `conversation_keys`: the spans it replaced and those it wrote. */
export interface ConversationKeyChanges {
  readonly removed: ConversationKeySpan[];
  readonly added: ConversationKeySpan[];
}

/** The cost rows one (conversation, dimension, key) gained and lost in a write. */
interface KeyDelta {
  readonly conversationId: string;
  readonly dimension: CostDimension;
  readonly key: string;
  readonly added: Micros[];
  readonly removed: Micros[];
}

const idOf = (conversationId: string, dimension: string, key: string): string => `${conversationId}\u0000${dimension}\u0000${key}`;

/**
 * The cost rows entering (sign 1) and leaving (sign -1) each conversation's keys in a write, and
 * the conversations whose stored rows are not all known here (a trace that joined or left one
 * with its calls and steps): those are recomputed whole from their raw rows.
 */
export class ConversationKeyDeltas {
  readonly #deltas = new Map<string, KeyDelta>();
  readonly #recomputed = new Set<string>();

  add(conversationId: string, dimension: CostDimension, key: string, at: Micros, sign: 1 | -1): void {
    const id = idOf(conversationId, dimension, key);
    let delta = this.#deltas.get(id);
    if (delta === undefined) {
      delta = { conversationId, dimension, key, added: [], removed: [] };
      this.#deltas.set(id, delta);
    }
    (sign === 1 ? delta.added : delta.removed).push(at);
  }

  /** Recomputes `conversationId` whole from its raw rows. */
  recompute(conversationId: string): void {
    this.#recomputed.add(conversationId);
  }

  get recomputed(): ReadonlySet<string> {
    return this.#recomputed;
  }

  /** The deltas of conversations not recomputed whole that change anything (a row out and back in at the same time does not). */
  effective(): KeyDelta[] {
    const sorted = (times: readonly Micros[]): Micros[] => [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return [...this.#deltas.values()].filter((d) => {
      if (this.#recomputed.has(d.conversationId)) return false;
      if (d.added.length !== d.removed.length) return true;
      const [a, r] = [sorted(d.added), sorted(d.removed)];
      return a.some((t, i) => t !== r[i]);
    });
  }
}

const minOf = (times: readonly Micros[]): Micros | undefined => times.reduce<Micros | undefined>((m, t) => (m === undefined || t < m ? t : m), undefined);
const maxOf = (times: readonly Micros[]): Micros | undefined => times.reduce<Micros | undefined>((m, t) => (m === undefined || t > m ? t : m), undefined);

/**
 * A key's row after its delta, from the stored row alone: its count moves by the rows in less
 * those out, and its span widens to the rows in. `undefined` when a row out was the span's first
 * (last) and no row in reaches that far: the new first (last) is only in the raw rows.
 */
function applyDelta(old: StoredKeySpan | undefined, delta: KeyDelta): { rows: number; firstAt: Micros; lastAt: Micros } | 'empty' | undefined {
  const rows = (old?.rows ?? 0) + delta.added.length - delta.removed.length;
  // Fewer rows than leave, or rows leaving a key never stored: read the raw rows.
  if (rows < 0 || (old === undefined && delta.removed.length > 0)) return undefined;
  if (rows === 0) return 'empty';
  if (old === undefined) {
    return { rows, firstAt: minOf(delta.added) as Micros, lastAt: maxOf(delta.added) as Micros };
  }
  const [addedFirst, addedLast] = [minOf(delta.added), maxOf(delta.added)];
  const firstKept = addedFirst !== undefined && addedFirst <= old.firstAt ? addedFirst : delta.removed.includes(old.firstAt) ? undefined : old.firstAt;
  const lastKept = addedLast !== undefined && addedLast >= old.lastAt ? addedLast : delta.removed.includes(old.lastAt) ? undefined : old.lastAt;
  if (firstKept === undefined || lastKept === undefined) return undefined;
  return { rows, firstAt: addedFirst !== undefined && addedFirst < firstKept ? addedFirst : firstKept, lastAt: addedLast !== undefined && addedLast > lastKept ? addedLast : lastKept };
}

/**
 * Keeps `conversation_keys` for a write's deltas, under the conversations' locks: a key's row
 * moves by the rows in and out of it (dropped at 0); only a key whose first or last row left
 * while others remain is read again from its raw rows, and only the conversations in
 * `deltas.recomputed` whole. Returns the spans replaced and those written (the cost rollups count
 * where spans begin and end).
 */
export async function updateConversationKeys(client: SqlClient, deltas: ConversationKeyDeltas): Promise<ConversationKeyChanges> {
  const whole = await refreshConversationKeys(client, [...deltas.recomputed]);
  const removed = [...whole.removed];
  const added = [...whole.added];
  const changed = deltas.effective();
  if (changed.length === 0) return { removed, added };
  const ids = [...new Set(changed.map((d) => d.conversationId))].sort();
  const stored = new Map<string, StoredKeySpan>();
  const found = await client.query(`SELECT ${K.conversationId} AS conversation_id, ${SPAN_RETURNING} FROM ${CONVERSATION_KEYS} WHERE ${K.conversationId} = ANY($1::text[])`, [ids]);
  for (const row of found.rows) {
    const span = toSpan(row);
    stored.set(idOf(String(row['conversation_id']), span.dimension, span.key), span);
  }
  // Each changed key as it is left: its new row, or none.
  const next: { delta: KeyDelta; span: StoredKeySpan | undefined }[] = [];
  const reread: KeyDelta[] = [];
  for (const delta of changed) {
    const result = applyDelta(stored.get(idOf(delta.conversationId, delta.dimension, delta.key)), delta);
    if (result === undefined) reread.push(delta);
    else next.push({ delta, span: result === 'empty' ? undefined : { dimension: delta.dimension, key: delta.key, ...result } });
  }
  if (reread.length > 0) {
    const keys = await client.query(
      `SELECT k.c AS conversation_id, k.d AS dimension, k.k AS key, count(r.at)::text AS rows,
              coalesce((extract(epoch FROM min(r.at)) * 1000000)::bigint, 0)::text AS first_us,
              coalesce((extract(epoch FROM max(r.at)) * 1000000)::bigint, 0)::text AS last_us
         FROM unnest($2::text[], $3::text[], $4::text[]) AS k(c, d, k)
              LEFT JOIN (${COST_KEY_ROWS}) AS r ON r.conversation_id = k.c AND r.dimension = k.d AND r.key = k.k
        GROUP BY 1, 2, 3`,
      [[...new Set(reread.map((d) => d.conversationId))].sort(), reread.map((d) => d.conversationId), reread.map((d) => d.dimension), reread.map((d) => d.key)],
    );
    const byId = new Map(reread.map((d) => [idOf(d.conversationId, d.dimension, d.key), d]));
    for (const row of keys.rows) {
      const span = toSpan(row);
      const delta = byId.get(idOf(String(row['conversation_id']), span.dimension, span.key)) as KeyDelta;
      next.push({ delta, span: span.rows === 0 ? undefined : span });
    }
  }
  next.sort((a, b) => compareText(a.delta.conversationId, b.delta.conversationId) || compareText(a.delta.dimension, b.delta.dimension) || compareText(a.delta.key, b.delta.key));
  const writes: { conversationId: string; span: StoredKeySpan }[] = [];
  const drops: KeyDelta[] = [];
  for (const { delta, span } of next) {
    const old = stored.get(idOf(delta.conversationId, delta.dimension, delta.key));
    if (span === undefined) {
      if (old !== undefined) drops.push(delta);
    } else if (old === undefined || old.rows !== span.rows || old.firstAt !== span.firstAt || old.lastAt !== span.lastAt) {
      writes.push({ conversationId: delta.conversationId, span });
    }
    // Only a span that begins or ends elsewhere moves the rollups' counts.
    if (old !== undefined && (span === undefined || old.firstAt !== span.firstAt || old.lastAt !== span.lastAt)) removed.push(old);
    if (span !== undefined && (old === undefined || old.firstAt !== span.firstAt || old.lastAt !== span.lastAt)) added.push(span);
  }
  if (drops.length > 0) {
    await client.query(
      `DELETE FROM ${CONVERSATION_KEYS} USING unnest($1::text[], $2::text[], $3::text[]) AS k(c, d, k)
        WHERE ${K.conversationId} = k.c AND ${K.dimension} = k.d AND ${K.key} = k.k`,
      [drops.map((d) => d.conversationId), drops.map((d) => d.dimension), drops.map((d) => d.key)],
    );
  }
  if (writes.length > 0) {
    await client.query(
      `INSERT INTO ${CONVERSATION_KEYS} AS k (${K.conversationId}, ${K.dimension}, ${K.key}, ${K.rows}, ${K.firstAt}, ${K.lastAt})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
       ON CONFLICT (${K.conversationId}, ${K.dimension}, ${K.key})
       DO UPDATE SET ${K.rows} = excluded.${K.rows}, ${K.firstAt} = excluded.${K.firstAt}, ${K.lastAt} = excluded.${K.lastAt}`,
      [
        writes.map((w) => w.conversationId),
        writes.map((w) => w.span.dimension),
        writes.map((w) => w.span.key),
        writes.map((w) => w.span.rows),
        writes.map((w) => microsToTimestamp(w.span.firstAt)),
        writes.map((w) => microsToTimestamp(w.span.lastAt)),
      ],
    );
  }
  return { removed, added };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Recomputes the `conversation_keys` rows of `conversationIds` from their raw rows, and returns
 * the spans it removed and those it wrote. For conversations that gained or lost stored rows
 * not known to the write (a trace that joined or left one with its calls and steps).
 */
async function refreshConversationKeys(client: SqlClient, conversationIds: readonly string[]): Promise<ConversationKeyChanges> {
  if (conversationIds.length === 0) return { removed: [], added: [] };
  const ids = [...conversationIds].sort();
  const removed = await client.query(`DELETE FROM ${CONVERSATION_KEYS} WHERE ${K.conversationId} = ANY($1::text[]) RETURNING ${SPAN_RETURNING}`, [ids]);
  const added = await client.query(
    `INSERT INTO ${CONVERSATION_KEYS} (${K.conversationId}, ${K.dimension}, ${K.key}, ${K.rows}, ${K.firstAt}, ${K.lastAt})
     SELECT conversation_id, dimension, key, count(*), min(at), max(at) FROM (${COST_KEY_ROWS}) AS r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     RETURNING ${SPAN_RETURNING}`,
    [ids],
  );
  return { removed: removed.rows.map(toSpan), added: added.rows.map(toSpan) };
}
