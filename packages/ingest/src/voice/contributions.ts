// A breakdown's contributions: the empty record, the dominant stage, and the exact-sum check
// every answer passes before it leaves the module. Pure.
import { VOICE_STAGES, type VoiceStage } from '@convotel/semconv';
import type { VoiceBreakdown } from './types.js';

/** Every stage at 0 µs. */
export function zeroContributions(): Record<VoiceStage, bigint> {
  return Object.fromEntries(VOICE_STAGES.map((stage) => [stage, 0n])) as Record<VoiceStage, bigint>;
}

/** The largest contribution; a tie goes to the stage earlier in VOICE_STAGES. */
export function dominantStageOf(contributions: Readonly<Record<VoiceStage, bigint>>): VoiceStage {
  return VOICE_STAGES.reduce((best, stage) => (contributions[stage] > contributions[best] ? stage : best));
}

/**
 * The frozen answer. Throws when the contributions are negative or do not sum to the total:
 * both are bugs here, never bad input.
 */
export function toBreakdown(fields: Omit<VoiceBreakdown, 'dominantStage'>): VoiceBreakdown {
  const sum = VOICE_STAGES.reduce((total, stage) => total + fields.contributions[stage], 0n);
  if (sum !== fields.voiceToVoiceUs || VOICE_STAGES.some((stage) => fields.contributions[stage] < 0n)) {
    throw new Error(`voice breakdown: contributions ${VOICE_STAGES.map((s) => `${s}=${fields.contributions[s]}`).join(' ')} do not sum to ${fields.voiceToVoiceUs} µs`);
  }
  return Object.freeze({ ...fields, contributions: Object.freeze({ ...fields.contributions }), dominantStage: dominantStageOf(fields.contributions) });
}
