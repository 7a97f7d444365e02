// A turn's waterfall: one bar per step, LLM call and SQL query on the turn's time axis, nested
// under the span that made it, coloured by kind; the bottleneck step marked; events as markers;
// the error of every failed bar in full underneath. A voice turn leads with its speech and its
// voice-to-voice bar on the same axis, and a legend of the bar's contributions.
import type { TurnAnswer } from '@convotel/api';
import { formatMillis, formatRatio } from '../format/units.js';
import { percentOf, VoiceLegend, VoiceRows } from './voice-rows.js';
import type { Waterfall as WaterfallData, WaterfallRow } from './waterfall-rows.js';
import './waterfall.css';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

const percent = percentOf;

function Bar({ row, axisMs, isBottleneck }: { row: WaterfallRow; axisMs: number; isBottleneck: boolean }) {
  const title = `${row.what} ${row.label}${row.detail === null ? '' : ` · ${row.detail}`}: ${formatMillis(row.durationMs)} from +${formatMillis(row.offsetMs)}`;
  return (
    <div
      class={`wf-row${row.isFailed ? ' failed' : ''}${isBottleneck ? ' bottleneck' : ''}`}
      data-testid="waterfall-row"
      data-what={row.what}
      data-kind={row.kind}
      data-span-id={row.spanId}
      data-duration-ms={row.durationMs}
    >
      <div class="wf-label" style={{ paddingLeft: `${row.depth * 14}px` }} title={title}>
        <span class={`wf-swatch kind-${row.kind}`} />
        <span class="wf-name">{row.label}</span>
        {row.detail !== null && <span class="wf-detail">{row.detail}</span>}
      </div>
      <div class="wf-track">
        <div class={`wf-bar kind-${row.kind}`} style={{ left: percent(row.offsetMs, axisMs), width: `max(2px, ${percent(row.durationMs, axisMs)})` }} title={title} />
        {isBottleneck && row.share !== null && (
          <span class="wf-bottleneck" data-testid="bottleneck" style={{ left: `min(${percent(row.offsetMs + row.durationMs, axisMs)}, calc(100% - 70px))` }}>
            ▲ {row.label} {formatRatio(row.share, 0)}
          </span>
        )}
      </div>
      <div class="wf-duration" data-testid="row-duration">
        {formatMillis(row.durationMs)}
      </div>
    </div>
  );
}

/**
 * `turnError`: the turn's own error, shown by the card; failed bars repeating it are not shown twice.
 * `isAudioCut`: the agent's audio was cut (the user barged in).
 */
export function Waterfall({ data, bottleneck, turnError, isAudioCut = false }: { data: WaterfallData; bottleneck: TurnAnswer['bottleneck']; turnError?: { type: string | null; message: string | null }; isAudioCut?: boolean }) {
  const isTurnError = (row: WaterfallRow): boolean => turnError !== undefined && row.errorType === turnError.type && row.errorMessage === turnError.message;
  const failed = data.rows.filter((row) => row.isFailed && (row.errorType !== null || row.errorMessage !== null) && !isTurnError(row));
  return (
    <div class="waterfall" data-testid="waterfall">
      <div class="wf-row wf-axis" aria-hidden="true">
        <div class="wf-label" />
        <div class="wf-track">
          {TICKS.map((tick) => (
            <span key={tick} class="wf-tick" style={{ left: `${tick * 100}%` }}>
              {formatMillis(tick * data.axisMs)}
            </span>
          ))}
        </div>
        <div class="wf-duration" />
      </div>
      {data.voice !== null && <VoiceRows lane={data.voice} axisMs={data.axisMs} isCut={isAudioCut} />}
      {data.rows.map((row) => (
        <Bar key={row.spanId} row={row} axisMs={data.axisMs} isBottleneck={bottleneck?.span_id === row.spanId} />
      ))}
      {data.events.length > 0 && (
        <div class="wf-row wf-events">
          <div class="wf-label">
            <span class="wf-name">events</span>
          </div>
          <div class="wf-track">
            {data.events.map((mark) => (
              <span
                key={mark.event.event_id}
                class={`wf-event severity-${(mark.event.severity_text ?? 'info').toLowerCase()}`}
                data-testid="event-marker"
                style={{ left: percent(mark.offsetMs, data.axisMs) }}
                title={`+${formatMillis(mark.offsetMs)} ${mark.event.severity_text ?? ''} ${mark.event.name ?? ''}${mark.event.message === null ? '' : `: ${mark.event.message}`}`}
              />
            ))}
          </div>
          <div class="wf-duration" />
        </div>
      )}
      {data.voice !== null && data.voice.bar !== null && <VoiceLegend bar={data.voice.bar} />}
      {failed.map((row) => (
        <div key={row.spanId} class="wf-error" role="alert" data-testid="span-error">
          <strong>
            {row.what} {row.label} failed: {row.errorType ?? 'error'}
          </strong>
          {row.errorMessage !== null && <pre>{row.errorMessage}</pre>}
        </div>
      ))}
      {data.events.length > 0 && (
        <ul class="wf-event-list">
          {data.events.map((mark) => (
            <li key={mark.event.event_id} data-testid="turn-event">
              <span class="muted">+{formatMillis(mark.offsetMs)}</span> <span class={`sev severity-${(mark.event.severity_text ?? 'info').toLowerCase()}`}>{mark.event.severity_text ?? 'INFO'}</span>{' '}
              <strong>{mark.event.name ?? 'event'}</strong>
              {mark.event.component !== null && <span class="muted"> · {mark.event.component}</span>}
              {mark.event.message !== null && <span>: {mark.event.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
