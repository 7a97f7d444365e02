// Voice turns in a real browser against a real `convotel serve` fed by the real SDK's turn
// markers: each turn's voice-to-voice bar and its segments are the API's contributions (values
// and order, pipeline gaps and unattributed time included), the card says the voice-to-voice
// latency, the dominant stage and who interrupted, the header splits the whole call's cost with
// telephony; and the overview leads with the API's voice figures.
import type { ConversationDetailAnswer, OverviewAnswer, VoiceCostAnswer, VoiceInterruptionsAnswer, VoiceLatencyAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { formatMillis, formatRatio, formatUsd } from '../app/src/format/units.js';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { AGENT_OVER_TURN, APP_CALL_ID, BARGE_IN_TURN, PHONE_CALL_ID, sendVoiceCalls } from './helpers/voice-traffic.js';

const app = useServedApp({ seed: (ingestOrigin) => sendVoiceCalls(ingestOrigin), timeoutMs: 90_000 });

async function apiJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(`/api/v1${path}`, app.webUrl));
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('voice turns on the conversation page', () => {
  it("draws each turn's voice-to-voice bar cut into the API's contributions, in order, on the turn's time axis", async () => {
    for (const id of [PHONE_CALL_ID, APP_CALL_ID]) {
      const api = await apiJson<ConversationDetailAnswer>(`/conversations/${id}`);
      expect(api.turns).toHaveLength(3);
      await app.page.goto(new URL(`/conversations/${id}?hours=24`, app.webUrl).href);
      await app.page.getByTestId('turn-card').first().waitFor();
      const stagesSeen = new Set<string>();
      for (const turn of api.turns) {
        const voice = turn.voice!;
        expect(voice.voice_to_voice_us).not.toBeNull();
        expect(voice.contributions.reduce((sum, c) => sum + c.us, 0)).toBe(voice.voice_to_voice_us);
        const card = app.page.locator(`[data-testid="turn-card"][data-turn-id="${turn.turn_id}"]`);
        if ((await card.getByTestId('toggle-waterfall').getAttribute('aria-expanded')) !== 'true') await card.getByTestId('toggle-waterfall').click();
        const row = card.getByTestId('voice-to-voice-row');
        expect(Number(await row.getAttribute('data-voice-to-voice-us'))).toBe(voice.voice_to_voice_us);
        expect(await row.getByTestId('voice-to-voice-duration').textContent()).toBe(formatMillis(voice.voice_to_voice_ms));
        const segments = await row.getByTestId('voice-segment').evaluateAll((elements) => elements.map((e) => ({ stage: e.getAttribute('data-stage'), us: Number(e.getAttribute('data-us')), label: e.textContent, width: e.getBoundingClientRect().width })));
        expect(segments.map(({ stage, us }) => ({ stage, us }))).toEqual(voice.contributions.map(({ stage, us }) => ({ stage, us })));
        expect(segments.map((s) => s.label)).toEqual(voice.contributions.map((c) => formatMillis(c.ms)));
        const legend = await card.getByTestId('voice-legend-item').evaluateAll((items) => items.map((item) => [item.getAttribute('data-stage'), item.querySelector('[data-testid="voice-legend-ms"]')?.textContent]));
        expect(legend).toEqual(voice.contributions.map((c) => [c.stage, formatMillis(c.ms)]));
        // On the time axis: the bar spans the markers, its segments' widths are their shares of it.
        const bar = await row.locator('.wf-voice-bar').boundingBox();
        const track = await row.locator('.wf-track').boundingBox();
        const axisStart = await card.locator('.wf-axis .wf-track').boundingBox();
        expect(Math.abs(bar!.width - segments.reduce((sum, s) => sum + s.width, 0))).toBeLessThan(1.5);
        for (const [i, segment] of segments.entries()) expect(Math.abs(segment.width - (bar!.width * voice.contributions[i]!.us) / voice.voice_to_voice_us!)).toBeLessThan(1.5);
        expect(track!.x).toBe(axisStart!.x);
        expect(await card.getByTestId('turn-voice-to-voice').textContent()).toBe(formatMillis(voice.voice_to_voice_ms));
        const dominant = voice.contributions.find((c) => c.stage === voice.dominant_stage)!;
        expect(await card.getByTestId('turn-dominant-stage').getAttribute('data-stage')).toBe(voice.dominant_stage);
        expect(await card.getByTestId('turn-dominant-stage').textContent()).toContain(formatRatio(dominant.us / voice.voice_to_voice_us!, 0));
        for (const c of voice.contributions) if (c.us > 0) stagesSeen.add(c.stage);
      }
      // The plan gives every stage time somewhere, gaps and unattributed included.
      expect([...stagesSeen].sort()).toEqual(['endpointing', 'llm_ttft', 'pipeline_gaps', 'tools', 'transcription', 'tts_ttfb', 'unattributed']);
    }
  });

  it('places the bar from the end of the user speech to the first agent audio, between the speech rows', async () => {
    const api = await apiJson<ConversationDetailAnswer>(`/conversations/${PHONE_CALL_ID}`);
    await app.page.goto(new URL(`/conversations/${PHONE_CALL_ID}?hours=24`, app.webUrl).href);
    const turn = api.turns[0]!;
    const card = app.page.locator(`[data-testid="turn-card"][data-turn-id="${turn.turn_id}"]`);
    await card.getByTestId('voice-to-voice-row').waitFor();
    const bar = (await card.locator('.wf-voice-bar').boundingBox())!;
    const speech = (await card.locator('[data-testid="user-speech-row"] .wf-speech').boundingBox())!;
    const audio = (await card.locator('[data-testid="agent-speech-row"] .wf-speech').boundingBox())!;
    expect(Math.abs(bar.x - (speech.x + speech.width))).toBeLessThan(1.5);
    expect(Math.abs(bar.x + bar.width - audio.x)).toBeLessThan(1.5);
  });

  it('says who interrupted, and splits the call cost into LLM, STT, TTS and telephony', async () => {
    const api = await apiJson<ConversationDetailAnswer>(`/conversations/${PHONE_CALL_ID}`);
    expect(api.turns[BARGE_IN_TURN]!.voice!.interrupted_by).toBe('user');
    expect(api.turns[AGENT_OVER_TURN]!.voice!.interrupted_by).toBe('agent');
    await app.page.goto(new URL(`/conversations/${PHONE_CALL_ID}?hours=24`, app.webUrl).href);
    await app.page.getByTestId('turn-card').first().waitFor();
    const badges = await app.page.getByTestId('turn-card').evaluateAll((cards) => cards.map((card) => card.querySelector('[data-testid="interrupted"]')?.textContent ?? null));
    expect(badges).toEqual(api.turns.map((turn) => (turn.voice!.interrupted_by === 'user' ? 'user barged in' : turn.voice!.interrupted_by === 'agent' ? 'agent talked over the user' : null)));
    const { conversation } = api;
    expect(conversation.telephony).toMatchObject({ provider: 'twilio', direction: 'inbound' });
    expect(conversation.call_cost_usd).not.toBeNull();
    expect(await app.page.getByTestId('conversation-cost').textContent()).toBe(formatUsd(conversation.call_cost_usd));
    const split = await app.page.getByTestId('conversation-cost-split').locator('[data-part]').evaluateAll((parts) => parts.map((part) => [part.getAttribute('data-part'), part.textContent?.replace(/^ · /, '')]));
    expect(split).toEqual([
      ['LLM', `LLM ${formatUsd(conversation.llm_cost_usd)}`],
      ['STT', `STT ${formatUsd(conversation.stt_cost_usd)}`],
      ['TTS', `TTS ${formatUsd(conversation.tts_cost_usd)}`],
      ['telephony', `telephony ${formatUsd(conversation.telephony!.cost_usd)}`],
    ]);
    expect(await app.page.getByTestId('conversation-telephony-cost').textContent()).toBe(formatUsd(conversation.telephony!.cost_usd));
    await saveScreenshot(app.page, 'conversation-voice');
    // A call without telephony keeps the plain cost.
    await app.page.goto(new URL(`/conversations/${APP_CALL_ID}?hours=24`, app.webUrl).href);
    await app.page.getByTestId('turn-card').first().waitFor();
    const plain = await apiJson<ConversationDetailAnswer>(`/conversations/${APP_CALL_ID}`);
    expect(plain.conversation.telephony).toBeNull();
    expect(await app.page.getByTestId('conversation-cost').textContent()).toBe(formatUsd(plain.conversation.cost_usd));
    expect(await app.page.getByTestId('conversation-telephony-cost').count()).toBe(0);
  });
});

describe('voice figures on the overview', () => {
  it("leads with the API's voice-to-voice p50/p95/p99, p95 and share per stage, interruptions, dead air and cost per call minute", async () => {
    const overview = await apiJson<OverviewAnswer>('/overview?hours=24');
    const latency = await apiJson<VoiceLatencyAnswer>('/voice/latency?hours=24');
    const interruptions = await apiJson<VoiceInterruptionsAnswer>('/voice/interruptions?hours=24');
    const cost = await apiJson<VoiceCostAnswer>('/voice/cost?hours=24');
    expect(overview.voice?.turns).toBe(6);
    await app.page.goto(new URL('/?hours=24', app.webUrl).href);
    await app.page.getByTestId('voice-stage').first().waitFor();
    await app.page.getByTestId('cost-per-call-minute').waitFor();
    // Above the other figures.
    const voiceBox = (await app.page.getByTestId('voice-overview').boundingBox())!;
    expect(voiceBox.y).toBeLessThan((await app.page.getByTestId('conversations').boundingBox())!.y);
    expect(await app.page.getByTestId('v2v-p50').textContent()).toBe(formatMillis(overview.voice!.voice_to_voice.p50_ms));
    expect(await app.page.getByTestId('v2v-p95').textContent()).toBe(formatMillis(overview.voice!.voice_to_voice.p95_ms));
    expect(await app.page.getByTestId('v2v-p99').textContent()).toBe(formatMillis(overview.voice!.voice_to_voice.p99_ms));
    const rows = await app.page.getByTestId('voice-stage').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-stage'), tr.querySelector('[data-testid="voice-stage-p95"]')?.textContent, tr.querySelector('[data-testid="voice-stage-share"]')?.textContent]));
    expect(rows).toEqual(latency.groups[0]!.stages.map((stage) => [stage.stage, formatMillis(stage.p95_ms), formatRatio(stage.share)]));
    expect(interruptions.interrupted_by_user).toBe(1);
    expect(interruptions.interrupted_by_agent).toBe(1);
    expect(await app.page.getByTestId('user-interruption-rate').textContent()).toBe(formatRatio(interruptions.user_interruption_rate));
    expect(await app.page.getByTestId('agent-interruption-rate').textContent()).toBe(formatRatio(interruptions.agent_interruption_rate));
    expect(await app.page.getByTestId('dead-air-rate').textContent()).toBe(formatRatio(interruptions.dead_air.rate));
    expect(cost.cost_per_call_minute_usd).not.toBeNull();
    expect(await app.page.getByTestId('cost-per-call-minute').textContent()).toBe(formatUsd(cost.cost_per_call_minute_usd));
    await saveScreenshot(app.page, 'overview-voice');
  });
});
