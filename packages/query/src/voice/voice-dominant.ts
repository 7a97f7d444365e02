// GET /voice/dominant: the turns where one stage took the largest part of voice-to-voice
// latency, largest contribution first, keyset-paged.
import type { ReadDb } from '../db.js';
import { afterCursorCondition, orderByClause, resolveLimit, toPage, type KeysetOrder } from '../cursor.js';
import { isoText, SqlParams, whereClause } from '../sql.js';
import { toNumber, toNumberOrNull, toText } from '../values.js';
import { resolveWindow, type WindowParams } from '../window.js';
import { STAGE_COLUMNS, TURN, type VoiceStage } from './voice-columns.js';
import { TURNS_WITH_CONVERSATION, voiceTurnConditions, type VoiceFilters } from './voice-scope.js';

export interface VoiceDominantParams extends WindowParams {
  readonly stage: VoiceStage;
  readonly filters?: Pick<VoiceFilters, 'agent'>;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface VoiceDominantTurn {
  readonly conversation_id: string;
  readonly trace_id: string;
  /** The turn span inside the trace; null when the trace is the turn. */
  readonly turn_span_id: string | null;
  readonly turn_index: number | null;
  readonly started_at: string;
  readonly voice_to_voice_ms: number;
  readonly stage: VoiceStage;
  /** The stage's contribution, ms. */
  readonly stage_ms: number;
  /** Of the turn's voice-to-voice latency, 0…1. */
  readonly share: number;
}

export interface VoiceDominant {
  readonly items: VoiceDominantTurn[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly next_cursor: string | null;
}

/** The turns started in the window whose dominant stage is `stage`, largest contribution first. */
export async function getVoiceDominant(db: ReadDb, params: VoiceDominantParams, options: { now?: Date } = {}): Promise<VoiceDominant> {
  const window = resolveWindow(params, options.now);
  const limit = resolveLimit(params.limit);
  const stageUs = `coalesce(t.${STAGE_COLUMNS[params.stage]}, 0)`;
  const order: KeysetOrder = {
    name: `dominant:${params.stage}`,
    key: stageUs,
    type: 'bigint',
    // A turn is its trace, or a turn span inside it: both together name it.
    id: `(t.${TURN.traceId} || '/' || coalesce(t.${TURN.turnSpanId}, ''))`,
  };
  const sqlParams = new SqlParams();
  const conditions = [
    `t.${TURN.v2vDominantStage} = ${sqlParams.add(params.stage, 'text')}`,
    `t.${TURN.voiceToVoiceUs} IS NOT NULL`,
    ...voiceTurnConditions(window, params.filters ?? {}, sqlParams),
    ...afterCursorCondition(order, params.cursor, sqlParams),
  ];
  const { rows } = await db.read((sql) =>
    sql.query(
      `SELECT t.${TURN.conversationId} AS conversation_id, t.${TURN.traceId} AS trace_id, t.${TURN.turnSpanId} AS turn_span_id,
              t.${TURN.turnIndex} AS turn_index, ${isoText(`t.${TURN.startedAt}`)} AS started_at, t.${TURN.voiceToVoiceUs} AS v2v_us,
              ${stageUs} AS stage_us, ${order.id} AS id
         FROM ${TURNS_WITH_CONVERSATION} ${whereClause(conditions)}
        ${orderByClause(order)} LIMIT ${sqlParams.add(Math.min(limit, db.maxRows) + 1, 'integer')}`,
      sqlParams.values,
    ),
  );
  const page = toPage(
    rows,
    Math.min(limit, db.maxRows),
    order,
    (row) => ({ key: String(row['stage_us']), id: String(row['id']) }),
    (row): VoiceDominantTurn => {
      const v2vUs = toNumber(row['v2v_us']);
      const stageUsValue = toNumber(row['stage_us']);
      return {
        conversation_id: String(row['conversation_id']),
        trace_id: String(row['trace_id']),
        turn_span_id: toText(row['turn_span_id']),
        turn_index: toNumberOrNull(row['turn_index']),
        started_at: String(row['started_at']),
        voice_to_voice_ms: v2vUs / 1000,
        stage: params.stage,
        stage_ms: stageUsValue / 1000,
        share: v2vUs === 0 ? 0 : stageUsValue / v2vUs,
      };
    },
  );
  return { items: page.items, next_cursor: page.next_cursor };
}
