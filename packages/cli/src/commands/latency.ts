import type { VoiceFilters, VoiceGroupBy } from '@convotel/query';
import { Command, Option } from 'commander';
import type { VoiceLatencyAnswer, VoiceLatencyGroup } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { bullets, framed, heading, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatCount, formatMs, formatShare } from '../format/units.js';
import { clientOf, describeWindow, windowQuery, withClientOptions, withWindowOptions, type ClientFlags, type WindowFlags } from '../options.js';

// Keyed by the API's voice filters (a type only), so a filter the API adds is a compile error
// until it has its option. model and provider are the LLM on the turn's critical path.
const VOICE_FILTERS: Readonly<Record<keyof VoiceFilters, { readonly flags: string; readonly description: string }>> = {
  agent: { flags: '--agent <name>', description: 'agent name' },
  model: { flags: '--model <model>', description: 'the LLM on the critical path (its time to first token)' },
  provider: { flags: '--provider <provider>', description: "that LLM's provider" },
  service: { flags: '--service <name>', description: 'service.name of the sending service' },
};

/** The groupings of GET /voice/latency (but none, the default), with their heading. */
const GROUPINGS: Readonly<Record<Exclude<VoiceGroupBy, 'none'>, string>> = { agent: 'Agent', model: 'Model', provider: 'Provider', hour: 'Hour (UTC)' };

type LatencyFlags = ClientFlags & WindowFlags & { readonly by?: Exclude<VoiceGroupBy, 'none'> } & { readonly [K in keyof VoiceFilters]?: string };

interface LatencyRow {
  readonly label: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms?: number;
  readonly avgMs: number;
  readonly share: number;
  readonly turns?: number;
}

const COLUMNS: readonly Column<LatencyRow>[] = [
  { header: 'Stage', value: (r) => r.label },
  { header: 'P50 (ms)', align: 'right', value: (r) => formatMs(r.p50Ms) },
  { header: 'P95 (ms)', align: 'right', value: (r) => formatMs(r.p95Ms) },
  { header: 'P99 (ms)', align: 'right', value: (r) => (r.p99Ms === undefined ? '' : formatMs(r.p99Ms)) },
  { header: 'Avg (ms)', align: 'right', value: (r) => formatMs(r.avgMs) },
  { header: 'Share', align: 'right', value: (r) => formatShare(r.share) },
  { header: 'Turns', align: 'right', value: (r) => (r.turns === undefined ? '' : formatCount(r.turns)) },
];

/** The voice-to-voice row under the stages'. */
export const VOICE_TO_VOICE_LABEL = 'voice-to-voice';

/** One group's table: a row per stage (p50, p95, avg, share), then voice-to-voice (p50, p95, p99, turns). */
function groupTable(group: VoiceLatencyGroup): string[] {
  const v2v = group.voice_to_voice;
  return renderTable(COLUMNS, [
    ...group.stages.map((s): LatencyRow => ({ label: s.stage, p50Ms: s.p50_ms, p95Ms: s.p95_ms, avgMs: s.avg_ms, share: s.share })),
    { label: VOICE_TO_VOICE_LABEL, p50Ms: v2v.p50_ms, p95Ms: v2v.p95_ms, p99Ms: v2v.p99_ms, avgMs: v2v.avg_ms, share: 1, turns: group.turns },
  ]);
}

/** "p95 voice-to-voice 2,300.0 ms over 123 turns; llm_ttft takes the largest share (42%)". */
function insight(group: VoiceLatencyGroup, name: string): string {
  const largest = [...group.stages].sort((a, b) => b.share - a.share)[0];
  const where = largest === undefined || largest.share === 0 ? '' : `; ${largest.stage} takes the largest share (${formatShare(largest.share)})`;
  return `${name}p95 voice-to-voice ${formatMs(group.voice_to_voice.p95_ms)} ms over ${formatCount(group.turns)} turn${group.turns === 1 ? '' : 's'}${where}`;
}

/** `convotel latency`'s lines: the stage table of all turns, or one block per group with --by. */
export function renderLatency(answer: VoiceLatencyAnswer, title: string): string[] {
  if (answer.groups.length === 0) return framed(title, ['no voice turns with a voice-to-voice latency in the window']);
  if (answer.by === 'none') {
    const [group] = answer.groups as [VoiceLatencyGroup];
    return [...framed(title, groupTable(group)), ...bullets('Key insights', [insight(group, '')])];
  }
  const label = GROUPINGS[answer.by];
  const body = answer.groups.flatMap((group, i) => [...(i === 0 ? [] : ['']), ...heading(`${label}: ${group.key ?? '—'}`), ...groupTable(group)]);
  return [...framed(title, body), ...bullets('Key insights', answer.groups.map((g) => insight(g, `${g.key ?? '—'}: `)))];
}

function titleOf(flags: LatencyFlags): string {
  const scope = (Object.keys(VOICE_FILTERS) as (keyof VoiceFilters)[]).flatMap((name) => (flags[name] === undefined ? [] : [`${name} ${flags[name]}`]));
  const by = flags.by === undefined ? '' : ` by ${GROUPINGS[flags.by].toLowerCase()}`;
  return `Voice-to-Voice Latency by Stage${by} (${[...scope, describeWindow(flags)].join(', ')})`;
}

/** `convotel latency --agent support --hours 168`: p95 voice-to-voice by stage (GET /voice/latency). */
export function latencyCommand(): Command {
  const command = new Command('latency')
    .description("voice-to-voice latency (end of the user's speech to the agent's first audio) and each stage's p50, p95 and share")
    .addOption(new Option('--by <grouping>', 'one block per agent, model, provider or UTC hour').choices(Object.keys(GROUPINGS)));
  for (const { flags, description } of Object.values(VOICE_FILTERS)) command.addOption(new Option(flags, `filter: ${description}`));
  withClientOptions(withWindowOptions(command));
  return command.action(async (flags: LatencyFlags) => {
    const filters = Object.fromEntries((Object.keys(VOICE_FILTERS) as (keyof VoiceFilters)[]).map((name) => [name, flags[name]]));
    const answer = await clientOf(flags).getJson<VoiceLatencyAnswer>('/voice/latency', { by: flags.by, ...windowQuery(flags), ...filters });
    if (flags.json) return printJson(answer);
    printLines(renderLatency(answer, titleOf(flags)));
  });
}
