// `/live`: calls in progress and their turns as the ingest commits them (GET /live, server-sent
// events), the recent events with errors in red, filters in the URL (?agent=&service=&conversation=),
// a pause that holds the view still while the feed keeps buffering.
import { useLocation } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';
import { useAppConfig } from '../api/app-config.js';
import { PageHeader } from '../components/layout.js';
import { UrlFilters, filterValues, type FilterField } from '../components/url-filters.js';
import { formatCount } from '../format/units.js';
import { LiveCalls } from './live/live-calls.js';
import { LiveEvents } from './live/live-events.js';
import { MAX_TURNS, type LiveCall } from './live/live-state.js';
import { MAX_BUFFERED, useLiveFeed, type LiveConnection } from './live/use-live-feed.js';
import './live.css';

const FILTERS: readonly FilterField[] = [
  { name: 'agent', label: 'Agent' },
  { name: 'service', label: 'Service' },
  { name: 'conversation', label: 'Conversation', placeholder: 'conversation id' },
];

function ConnectionStatus({ connection, isPaused, buffered }: { connection: LiveConnection; isPaused: boolean; buffered: number }) {
  const [kind, label] =
    connection.kind === 'connected'
      ? ['on', 'Connected']
      : connection.kind === 'reconnecting'
        ? ['retry', 'Reconnecting…']
        : connection.kind === 'off'
          ? ['off', 'Live feed off']
          : ['retry', 'Connecting…'];
  return (
    <span class={`live-status ${kind}`} data-testid="live-status" data-state={connection.kind} title={connection.kind === 'reconnecting' ? connection.reason : undefined} role="status">
      <span class="live-dot" aria-hidden="true" />
      {label}
      {isPaused && <span class="live-paused"> · paused, {formatCount(buffered)} new</span>}
    </span>
  );
}

function FeedOff({ reason }: { reason: string }) {
  return (
    <div class="notice info live-off" data-testid="live-off" role="status">
      <strong>The live feed is off on this server.</strong> It runs with <code>--no-live</code> (or <code>CONVOTEL_LIVE=off</code>), so the ingest does not announce what it commits
      {reason !== '' ? <span class="muted"> ({reason})</span> : null}. Restart <code>convotel serve</code> without it to follow calls here, or see{' '}
      <a href="/conversations?hours=1&status=active">the conversations still active</a>.
    </div>
  );
}

function Waiting() {
  const otlp = `${location.protocol}//${location.hostname}:4318`;
  return (
    <div class="empty-state" data-testid="live-empty">
      <h2>Waiting for calls</h2>
      <p>Connected: turns show here within a second of the ingest committing them. To see some:</p>
      <ul>
        <li>
          Run the demo voice agent: <code>npx convotel demo</code>
        </li>
        <li>
          Or start your instrumented app: <code>OTEL_EXPORTER_OTLP_ENDPOINT={otlp} node --import @convotel/instrumentation/register app.js</code>
        </li>
        <li>Or clear the filters above if they hide the calls you expect.</li>
      </ul>
    </div>
  );
}

export function LivePage() {
  const { query } = useLocation();
  const config = useAppConfig();
  const [isPaused, setPaused] = useState(false);
  const filters = filterValues(FILTERS, query);
  const feed = useLiveFeed(filters, config.is_live_enabled, isPaused);
  const { state, connection } = feed;
  const active = useMemo(() => [...state.active.values()].sort(byNewest), [state.active]);
  const isEmpty = active.length === 0 && state.ended.length === 0 && state.events.length === 0;
  return (
    <>
      <PageHeader title="Live" hasWindow={false}>
        <ConnectionStatus connection={connection} isPaused={isPaused} buffered={feed.buffered} />
        <button type="button" class={isPaused ? 'chip active' : 'chip'} aria-pressed={isPaused} onClick={() => setPaused(!isPaused)} disabled={connection.kind === 'off'}>
          {isPaused ? `Resume${feed.buffered > 0 ? ` (${formatCount(feed.buffered)} new)` : ''}` : 'Pause'}
        </button>
      </PageHeader>
      <UrlFilters fields={FILTERS} />
      {filters['agent'] !== undefined && (
        <p class="muted live-hint">
          A call's agent is known once its conversation span arrives (with the convotel SDK, when the call ends): to follow calls in progress, filter by service or conversation.
        </p>
      )}
      {connection.kind === 'off' && <FeedOff reason={connection.reason} />}
      {connection.kind === 'reconnecting' && (
        <div class="notice error" role="alert">
          Lost the live feed ({connection.reason}); reconnecting. Turns committed meanwhile arrive on reconnection.
        </div>
      )}
      {feed.bufferDropped > 0 && (
        <div class="notice info">
          Paused for long: {formatCount(feed.bufferDropped)} older events were let go (the buffer keeps {formatCount(MAX_BUFFERED)}).
        </div>
      )}
      {state.gaps > 0 && <div class="notice info">Some events may be missing after a reconnection; the conversation pages have every turn.</div>}
      {feed.snapshotError !== undefined && <div class="notice error">Could not read the calls already in progress: {feed.snapshotError}</div>}
      {isEmpty && connection.kind === 'connected' ? (
        <Waiting />
      ) : (
        <div class="live-grid">
          <div>
            <LiveCalls active={active} ended={state.ended} />
          </div>
          <LiveEvents events={state.events} />
        </div>
      )}
      <p class="muted live-footnote">
        Keeps the last {formatCount(MAX_TURNS)} turns in this tab
        {state.turnsDropped > 0 ? ` (${formatCount(state.turnsDropped)} older let go; the conversation pages have them all)` : ''}.
      </p>
    </>
  );
}

/** Newest call first (by start, then by activity). */
function byNewest(a: LiveCall, b: LiveCall): number {
  const left = a.started_at ?? '';
  const right = b.started_at ?? '';
  if (left !== right) return left < right ? 1 : -1;
  return b.touched - a.touched;
}
