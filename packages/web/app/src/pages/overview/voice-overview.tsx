// The overview's lead for voice agents: voice-to-voice latency p50/p95/p99, where the wait goes
// (each stage's p95 and share of the total), interruptions both ways, dead air, and what a call
// minute costs. Drawn only when the overview answers a voice figure: a chat-only install never
// asks the voice routes.
import type { OverviewAnswer, VoiceCostAnswer, VoiceInterruptionsAnswer, VoiceLatencyAnswer } from '@convotel/api';
import { useAnswer } from '../../api/use-answer.js';
import { Figure } from '../../components/figure.js';
import { stageClass, stageLabel } from '../../components/voice-stages.js';
import { formatCount, formatMillis, formatRatio, formatUsd } from '../../format/units.js';
import { windowQuery, windowSearch, type TimeWindow } from '../../window/time-window.js';
import './voice-overview.css';

type VoiceFigures = NonNullable<OverviewAnswer['voice']>;
type LatencyGroup = VoiceLatencyAnswer['groups'][number];

function StageBreakdown({ group }: { group: LatencyGroup }) {
  const longestP95 = Math.max(1e-9, ...group.stages.map((stage) => stage.p95_ms));
  return (
    <div class="panel voice-stages" data-testid="voice-stages">
      <h2>Where the caller's wait goes</h2>
      <div class="voice-share-bar" aria-label="Share of voice-to-voice latency by stage">
        {group.stages.map((stage) => (
          <span key={stage.stage} class={stageClass(stage.stage)} style={{ width: `${(stage.share * 100).toFixed(3)}%` }} title={`${stageLabel(stage.stage)} ${formatRatio(stage.share)}`} />
        ))}
      </div>
      <table class="data-table">
        <thead>
          <tr>
            <th>Stage</th>
            <th class="num">p95</th>
            <th class="num">p50</th>
            <th class="num">mean</th>
            <th class="num">share</th>
            <th aria-label="p95 bar" />
          </tr>
        </thead>
        <tbody>
          {group.stages.map((stage) => (
            <tr key={stage.stage} data-testid="voice-stage" data-stage={stage.stage}>
              <td>
                <span class={`voice-swatch ${stageClass(stage.stage)}`} /> {stageLabel(stage.stage)}
              </td>
              <td class="num" data-testid="voice-stage-p95">
                {formatMillis(stage.p95_ms)}
              </td>
              <td class="num">{formatMillis(stage.p50_ms)}</td>
              <td class="num">{formatMillis(stage.avg_ms)}</td>
              <td class="num" data-testid="voice-stage-share">
                {formatRatio(stage.share)}
              </td>
              <td class="voice-p95-cell">
                <span class={`voice-p95-bar ${stageClass(stage.stage)}`} style={{ width: `${((stage.p95_ms / longestP95) * 100).toFixed(2)}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted voice-footnote">p50 and p95 of each stage are over every voice turn (a turn without the stage counts 0), so they do not add up to the totals; the shares do.</p>
    </div>
  );
}

/** The voice lead of the overview (`voice`: the overview's own voice figures). */
export function VoiceOverview({ voice, window }: { voice: VoiceFigures; window: TimeWindow }) {
  const query = windowQuery(window);
  const latency = useAnswer<VoiceLatencyAnswer>('/voice/latency', query).data;
  const interruptions = useAnswer<VoiceInterruptionsAnswer>('/voice/interruptions', query).data;
  const cost = useAnswer<VoiceCostAnswer>('/voice/cost', query).data;
  const search = windowSearch(window);
  const group = latency?.groups[0];
  return (
    <section class="voice-overview" data-testid="voice-overview" aria-label="Voice agents">
      <h2 class="section-title">Voice-to-voice latency</h2>
      <div class="figures voice-figures">
        <Figure label="Voice-to-voice p50" testId="v2v-p50" value={formatMillis(voice.voice_to_voice.p50_ms)} href={`/conversations${search}`} note={`${formatCount(voice.turns)} voice turns`} />
        <Figure label="Voice-to-voice p95" testId="v2v-p95" value={formatMillis(voice.voice_to_voice.p95_ms)} href={`/conversations${search}&sort=slowest`} note="end of speech → first audio" />
        <Figure label="Voice-to-voice p99" testId="v2v-p99" value={formatMillis(voice.voice_to_voice.p99_ms)} href={`/conversations${search}&sort=slowest`} />
        {interruptions !== undefined && (
          <>
            <Figure label="User barged in" testId="user-interruption-rate" value={formatRatio(interruptions.user_interruption_rate)} note={`${formatCount(interruptions.interrupted_by_user)} of ${formatCount(interruptions.turns)} turns`} />
            <Figure label="Agent talked over" testId="agent-interruption-rate" value={formatRatio(interruptions.agent_interruption_rate)} note={`${formatCount(interruptions.interrupted_by_agent)} of ${formatCount(interruptions.turns)} turns`} />
            <Figure
              label={`Dead air (> ${formatMillis(interruptions.dead_air.threshold_ms)})`}
              testId="dead-air-rate"
              value={formatRatio(interruptions.dead_air.rate)}
              note={`${formatCount(interruptions.dead_air.silences)} silences${interruptions.dead_air.longest_ms === null ? '' : `, longest ${formatMillis(interruptions.dead_air.longest_ms)}`}`}
            />
          </>
        )}
        {cost !== undefined && (
          <Figure
            label="Cost per call minute"
            testId="cost-per-call-minute"
            value={formatUsd(cost.cost_per_call_minute_usd)}
            href={`/costs${search}`}
            note={`${formatCount(cost.calls)} calls · ${cost.call_minutes.toFixed(1)} min · telephony ${formatUsd(cost.cost_usd.telephony)}`}
          />
        )}
      </div>
      {group !== undefined && <StageBreakdown group={group} />}
    </section>
  );
}
