// A voice turn's rows on the waterfall: the user's speech, the voice-to-voice bar cut into its
// contributions (each labelled with its ms), the agent's audio; and a legend naming every
// contribution, pipeline gaps and unattributed time included.
import { formatMillis } from '../format/units.js';
import type { MarkedInterval, VoiceBar, VoiceLane } from './voice-lane.js';
import { stageClass, stageLabel } from './voice-stages.js';

export const percentOf = (ms: number, axisMs: number): string => `${Math.max(0, Math.min(100, (ms / axisMs) * 100)).toFixed(3)}%`;

function SpeechRow({ label, who, marked, axisMs, isCut }: { label: string; who: 'user' | 'agent'; marked: MarkedInterval; axisMs: number; isCut: boolean }) {
  const title = `${label}: ${formatMillis(marked.durationMs)} from +${formatMillis(marked.offsetMs)}${isCut ? ' (cut short)' : ''}`;
  return (
    <div class="wf-row wf-speech-row" data-testid={`${who}-speech-row`}>
      <div class="wf-label" title={title}>
        <span class={`wf-swatch speech-${who}`} />
        <span class="wf-name">{label}</span>
      </div>
      <div class="wf-track">
        <div class={`wf-speech speech-${who}${isCut ? ' cut' : ''}`} style={{ left: percentOf(marked.offsetMs, axisMs), width: `max(2px, ${percentOf(marked.durationMs, axisMs)})` }} title={title} />
      </div>
      <div class="wf-duration">{formatMillis(marked.durationMs)}</div>
    </div>
  );
}

function BarRow({ bar, axisMs }: { bar: VoiceBar; axisMs: number }) {
  const placed = bar.offsetMs !== null;
  const title = `voice-to-voice: ${formatMillis(bar.durationMs)}${placed ? ` from +${formatMillis(bar.offsetMs ?? 0)} (end of the user's speech to the agent's first audio)` : ' (no marker places it on the axis: drawn from 0)'}`;
  return (
    <div class="wf-row wf-voice-row" data-testid="voice-to-voice-row" data-voice-to-voice-us={bar.voiceToVoiceUs}>
      <div class="wf-label" title={title}>
        <span class="wf-name">voice-to-voice</span>
        {!placed && <span class="wf-detail">not placed</span>}
      </div>
      <div class="wf-track">
        <div class={`wf-voice-bar${placed ? '' : ' unplaced'}`} style={{ left: percentOf(bar.offsetMs ?? 0, axisMs), width: `max(2px, ${percentOf(bar.durationMs, axisMs)})` }} title={title}>
          {bar.segments.map((segment) => (
            <span
              key={segment.stage}
              class={`wf-voice-segment ${stageClass(segment.stage)}`}
              data-testid="voice-segment"
              data-stage={segment.stage}
              data-us={segment.us}
              style={{ width: bar.voiceToVoiceUs > 0 ? `${((segment.us / bar.voiceToVoiceUs) * 100).toFixed(3)}%` : '0' }}
              title={`${stageLabel(segment.stage)} ${formatMillis(segment.ms)} from +${formatMillis(segment.offsetMs)}`}
            >
              <span class="wf-voice-ms">{formatMillis(segment.ms)}</span>
            </span>
          ))}
        </div>
      </div>
      <div class="wf-duration" data-testid="voice-to-voice-duration">
        {formatMillis(bar.durationMs)}
      </div>
    </div>
  );
}

/** The lane's rows, in the waterfall's grid. */
export function VoiceRows({ lane, axisMs, isCut }: { lane: VoiceLane; axisMs: number; isCut: boolean }) {
  return (
    <>
      {lane.userSpeech !== null && <SpeechRow label="user speech" who="user" marked={lane.userSpeech} axisMs={axisMs} isCut={false} />}
      {lane.bar !== null && <BarRow bar={lane.bar} axisMs={axisMs} />}
      {lane.agentAudio !== null && <SpeechRow label="agent audio" who="agent" marked={lane.agentAudio} axisMs={axisMs} isCut={isCut} />}
    </>
  );
}

/** Every contribution with its colour and ms, in the bar's order. */
export function VoiceLegend({ bar }: { bar: VoiceBar }) {
  return (
    <ul class="voice-legend" data-testid="voice-legend" aria-label="Voice-to-voice contributions">
      {bar.segments.map((segment) => (
        <li key={segment.stage} data-testid="voice-legend-item" data-stage={segment.stage} class={segment.us === 0 ? 'zero' : undefined}>
          <span class={`voice-swatch ${stageClass(segment.stage)}`} />
          <span>{stageLabel(segment.stage)}</span>
          <strong data-testid="voice-legend-ms">{formatMillis(segment.ms)}</strong>
        </li>
      ))}
    </ul>
  );
}
