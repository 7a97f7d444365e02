// A small voice agent started by sdk-to-ingest.test.ts with
// `node --import @convotel/instrumentation/register voice-agent-app.mjs`: two turns of one call,
// real openai and @anthropic-ai/sdk clients against a local fake server that speaks both wire
// formats, hand-instrumented STT/TTS, a failing tool, and a system event. It exports
// OTLP/protobuf (the SDK's default) to the ingest under test.
import { createServer } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { recordEvent, startConversation, step } from '@convotel/instrumentation';

const completion = {
  id: 'chatcmpl-e2e',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Your balance is 1,234 dollars.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 52, completion_tokens: 9, total_tokens: 61, prompt_tokens_details: { cached_tokens: 0 } },
};
const message = {
  id: 'msg_e2e',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'Transferring now.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 30, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
};
const fake = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/v1/messages' ? message : completion));
  });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
const openai = new OpenAI({ baseURL: `http://127.0.0.1:${fake.address().port}/v1`, apiKey: 'test', maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${fake.address().port}`, apiKey: 'test', maxRetries: 0 });

const call = startConversation({ conversationId: 'call-e2e', userId: 'caller-7', sessionId: 'line-3', agentName: 'bank-agent', channel: 'voice' });

await call.turn({ intent: 'balance' }, async (t) => {
  await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 3.2, confidence: 0.94 }, () => {});
  await step('llm', {}, () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is my balance?' }] }));
  recordEvent('balance_lookup', { 'account.type': 'checking' }, { component: 'account_service' });
  await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 84, voice: 'rachel' }, () => {});
  t.setPerceivedLatencyMs(640);
});

await call
  .turn({ intent: 'transfer' }, async () => {
    await step('llm', {}, () =>
      anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Transfer 100 dollars.' }] }),
    );
    await step('tool', {}, () => {
      throw new Error('transfer service unavailable');
    });
  })
  .catch(() => {});

call.end('hangup');
fake.close();
console.log('app done');
