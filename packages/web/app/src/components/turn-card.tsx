// One turn as a card: what the user said and what the agent answered, its latency, perceived
// latency (voice-to-voice and its dominant stage for a voice turn), cost, status, who interrupted
// and the bottleneck, links to its trace (here, in Tempo, in Loki) and its
// waterfall. The card alone is cheap; the waterfall is drawn only when the card is open, so a
// conversation of hundreds of turns renders at once (a closed card shows a one-line step strip).
import type { LlmCallAnswer, TurnAnswer } from '@convotel/api';
import { useMemo, useState } from 'preact/hooks';
import { formatCount, formatMillis, formatRatio, formatTime, formatUsd } from '../format/units.js';
import { lokiLogsUrl, tempoTraceUrl } from '../links/grafana.js';
import { interruptionLabel, stageClass, stageLabel } from './voice-stages.js';
import { Waterfall } from './waterfall.js';
import { barKindOf, errorOrigin, isFailedStatus, toWaterfall } from './waterfall-rows.js';
import './turn-card.css';

export interface TurnCardProps {
  readonly turn: TurnAnswer;
  /** LLM calls when the answer lists them apart from the turn (a trace). */
  readonly calls?: readonly LlmCallAnswer[];
  readonly isInitiallyOpen: boolean;
  readonly isSlow?: boolean;
  /** CONVOTEL_GRAFANA_URL of the server, for Tempo and Loki links. */
  readonly grafanaUrl: string | null;
  /** Query string kept on the trace link (the window). */
  readonly search?: string;
}

function Words({ who, text }: { who: string; text: string | null }) {
  return (
    <div class={`turn-words ${who === 'User' ? 'user' : 'agent'}`}>
      <span class="turn-who">{who}</span>
      {text === null || text === '' ? <span class="muted not-captured">not captured</span> : <span class="turn-text">{text}</span>}
    </div>
  );
}

/** The top-level steps as one thin stacked strip: where the time went, without the waterfall. */
function StepStrip({ turn }: { turn: TurnAnswer }) {
  const ids = new Set(turn.steps.map((step) => step.span_id));
  const top = turn.steps.filter((step) => step.parent_span_id === null || !ids.has(step.parent_span_id));
  const total = turn.duration_ms ?? top.reduce((sum, step) => sum + step.duration_ms, 0);
  if (top.length === 0 || total <= 0) return null;
  return (
    <div class="step-strip" aria-hidden="true">
      {top.map((step) => (
        <span key={step.span_id} class={`kind-${barKindOf(step.name)}`} style={{ width: `${Math.min(100, (step.duration_ms / total) * 100)}%` }} title={`${step.name} ${formatMillis(step.duration_ms)}`} />
      ))}
    </div>
  );
}

export function TurnCard({ turn, calls, isInitiallyOpen, isSlow = false, grafanaUrl, search = '' }: TurnCardProps) {
  const [isOpen, setOpen] = useState(isInitiallyOpen);
  const isFailed = isFailedStatus(turn.status);
  // The error's origin needs the rows; a failed turn builds them even while closed (few turns fail).
  const waterfall = useMemo(() => (isOpen || isFailed ? toWaterfall(turn, calls) : null), [isOpen, isFailed, turn, calls]);
  const origin = isFailed && waterfall !== null ? errorOrigin(turn, waterfall.rows) : undefined;
  const span = { traceId: turn.trace_id, startedAt: turn.started_at, durationMs: turn.duration_ms };
  const number = turn.index === null ? '?' : String(turn.index + 1);
  const voice = turn.voice;
  const interruption = interruptionLabel(voice?.interrupted_by ?? null, turn.interrupted);
  const dominant = voice?.contributions.find((contribution) => contribution.stage === voice.dominant_stage);
  return (
    <article class={`turn-card${isFailed ? ' failed' : ''}${isSlow ? ' slow' : ''}`} data-testid="turn-card" data-trace-id={turn.trace_id} data-turn-id={turn.turn_id} data-turn-span-id={turn.turn_span_id ?? ''} data-turn-index={turn.index ?? ''}>
      <header class="turn-head">
        <a class="turn-number" href={`/traces/${turn.trace_id}${search}`} title="This turn alone (its trace)">
          Turn {number}
        </a>
        <span class={`badge status-${turn.status}`}>{turn.status}</span>
        {interruption !== null && (
          <span class="badge interrupted" data-testid="interrupted" data-by={voice?.interrupted_by ?? ''}>
            {interruption}
          </span>
        )}
        {isSlow && <span class="badge slow">slow</span>}
        <span class="turn-fact" title="Turn latency">
          <span class="muted">latency</span> {formatMillis(turn.duration_ms)}
        </span>
        {voice !== null && voice.voice_to_voice_ms !== null ? (
          <span class="turn-fact" title={`End of the user's speech to the agent's first audio (${voice.source ?? 'measured'})`}>
            <span class="muted">voice-to-voice</span> <span data-testid="turn-voice-to-voice">{formatMillis(voice.voice_to_voice_ms)}</span>
          </span>
        ) : (
          <span class="turn-fact" title="End of user speech to first agent audio">
            <span class="muted">perceived</span> {formatMillis(turn.perceived_latency_ms)}
          </span>
        )}
        {voice !== null && voice.dominant_stage !== null && (
          <span
            class={`voice-chip ${stageClass(voice.dominant_stage)}`}
            data-testid="turn-dominant-stage"
            data-stage={voice.dominant_stage}
            title={`Largest share of voice-to-voice${dominant === undefined ? '' : `: ${formatMillis(dominant.ms)}`}`}
          >
            {stageLabel(voice.dominant_stage)}
            {dominant !== undefined && voice.voice_to_voice_us !== null && voice.voice_to_voice_us > 0 ? ` ${formatRatio(dominant.us / voice.voice_to_voice_us, 0)}` : ''}
          </span>
        )}
        <span class="turn-fact" title={`LLM ${formatUsd(turn.llm_cost_usd)} · STT ${formatUsd(turn.stt_cost_usd)} · TTS ${formatUsd(turn.tts_cost_usd)}`}>
          <span class="muted">cost</span> {formatUsd(turn.cost_usd)}
        </span>
        <span class="turn-fact">
          <span class="muted">tokens</span> {formatCount(turn.input_tokens)} → {formatCount(turn.output_tokens)}
        </span>
        {turn.bottleneck !== null && (
          <span class={`bottleneck-chip kind-${barKindOf(turn.bottleneck.step)}`} data-testid="turn-bottleneck" title={`Longest step: ${formatMillis(turn.bottleneck.duration_ms)}`}>
            {turn.bottleneck.step} {formatRatio(turn.bottleneck.share, 0)}
          </span>
        )}
        <span class="turn-links">
          <span class="muted">{formatTime(turn.started_at)}</span>
          {grafanaUrl !== null && (
            <>
              <a href={tempoTraceUrl(grafanaUrl, span)} target="_blank" rel="noreferrer" data-testid="tempo-link">
                Tempo
              </a>
              <a href={lokiLogsUrl(grafanaUrl, span)} target="_blank" rel="noreferrer" data-testid="loki-link">
                Loki
              </a>
            </>
          )}
        </span>
      </header>
      <div class="turn-body">
        <Words who="User" text={turn.user_input} />
        <Words who="Agent" text={turn.agent_output} />
      </div>
      {isFailed && (turn.error_type !== null || turn.error_message !== null) && (
        <div class="turn-error" role="alert" data-testid="turn-error">
          <strong>{turn.error_type ?? 'error'}</strong>
          {origin !== undefined && (
            <span class="error-origin">
              {' '}
              in {origin.what} <strong>{origin.label}</strong>
              {origin.detail !== null && <span> ({origin.detail})</span>}
            </span>
          )}
          {turn.error_message !== null && <pre>{turn.error_message}</pre>}
        </div>
      )}
      <div class="turn-foot">
        <button type="button" class="link-button" aria-expanded={isOpen} onClick={() => setOpen(!isOpen)} data-testid="toggle-waterfall">
          {isOpen ? '▾ Hide waterfall' : `▸ Waterfall (${turn.steps.length} steps, ${(calls ?? turn.llm_calls).length} LLM calls, ${turn.sql_queries.length} SQL)`}
        </button>
        {!isOpen && <StepStrip turn={turn} />}
      </div>
      {isOpen && waterfall !== null && <Waterfall data={waterfall} bottleneck={turn.bottleneck} turnError={{ type: turn.error_type, message: turn.error_message }} isAudioCut={voice?.interrupted_by === 'user'} />}
    </article>
  );
}
