// Which filters each hourly rollup can answer: the filters that are its dimensions. A question
// with any other filter is answered from raw rows.
import { LLM_HOURLY, TURN_HOURLY } from '@convotel/store';
import type { RollupDimensions } from './rollup-window.js';

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;

/** `turn_hourly`: the turn's service, its conversation's agent and channel. */
export const TURN_HOURLY_DIMENSIONS: RollupDimensions = { service: TH.serviceName.name, agent: TH.agentName.name, channel: TH.channel.name };

/**
 * `llm_hourly`: provider, call type and status. Not model: its key is the response model else the
 * requested one, where the model filter matches either.
 */
export const LLM_HOURLY_DIMENSIONS: RollupDimensions = { provider: LH.provider.name, call_type: LH.callType.name, status: LH.status.name };
