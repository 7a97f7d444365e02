// The breakdown from a framework's figures alone (durations without times, an end-to-end
// total): stages in pipeline order, each trimmed to what is left of the total. Pure.
import type { VoiceStage } from '@convotel/semconv';
import { zeroContributions } from './contributions.js';
import type { VoiceTurnInput } from './types.js';

/** Total and contributions from reported figures, or undefined when there is nothing positive to split. */
export function reportedContributions(input: VoiceTurnInput): { totalUs: bigint; contributions: Record<VoiceStage, bigint> } | undefined {
  const endpointing = positive(input.durations.endpointing);
  const transcription = positive(input.durations.transcription);
  // Endpointing and transcription both run from the end of speech: only the longer one waits.
  const front: [VoiceStage, bigint] = transcription > endpointing ? ['transcription', transcription] : ['endpointing', endpointing];
  const stages: [VoiceStage, bigint][] = [front, ['llm_ttft', positive(input.durations.llm_ttft)], ['tools', positive(input.durations.tools)], ['tts_ttfb', positive(input.durations.tts_ttfb)]];
  const reported = positive(input.reportedVoiceToVoiceUs);
  const totalUs = reported > 0n ? reported : stages.reduce((sum, [, us]) => sum + us, 0n);
  if (totalUs === 0n) return undefined;

  const contributions = zeroContributions();
  let leftUs = totalUs;
  for (const [stage, us] of stages) {
    const taken = us < leftUs ? us : leftUs;
    contributions[stage] += taken;
    leftUs -= taken;
  }
  contributions.unattributed = leftUs;
  return { totalUs, contributions };
}

// Absent, zero and negative figures all mean "not measured".
function positive(us: bigint | undefined): bigint {
  return us !== undefined && us > 0n ? us : 0n;
}
