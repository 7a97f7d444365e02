// `convotel tail` follows a running `convotel serve`: a conversation the real SDK sends to the
// ingest reaches the tail process as live events.
import { init, startConversation, step } from '@convotel/instrumentation';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { startServe, stopServe, urlIn, type ServeProcess } from './helpers/serve-process.js';

describe('convotel tail', () => {
  let server: ServeProcess | undefined;
  afterAll(async () => {
    if (server !== undefined) await stopServe(server);
  });

  it('prints the turn and the conversation the ingest commits, then stops at --count', async () => {
    server = await startServe(['--otlp-port', '0', '--port', '0'], 2);
    const ingestUrl = urlIn(server.lines[0]);
    const apiUrl = urlIn(server.lines[1]);
    const tail = runCli(['tail', '--json', '--count', '2', '--url', apiUrl.toString()], {}, 60_000);
    // The feed sends only what is committed after the client connected: the CLI takes over a
    // second to start, more on a loaded machine.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const sdk = init({ serviceName: 'tail-test', endpoint: ingestUrl.origin, http: false, pg: false, openai: false, anthropic: false });
    const call = startConversation({ conversationId: 'tailed-1', userId: 'u-1', agentName: 'support', channel: 'chat' });
    await call.turn({}, () => step('tool', {}, () => undefined));
    call.end('hangup');
    await sdk.shutdown();
    const { code, stdout, stderr } = await tail;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; data: { conversation_id?: string } });
    expect(events.map((e) => e.event).sort()).toEqual(['conversation', 'turn']);
    for (const event of events) expect(event.data.conversation_id).toBe('tailed-1');
  }, 90_000);
});
