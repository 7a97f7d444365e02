// A chat-only install's overview in a real browser against a real `convotel serve`: no voice
// figures anywhere, and the voice routes are never asked.
import type { OverviewAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { useServedApp } from './helpers/served-app.js';
import { sendChatTurns } from './helpers/voice-traffic.js';

const app = useServedApp({ seed: (ingestOrigin) => sendChatTurns(ingestOrigin) });

describe('overview of a chat agent', () => {
  it('shows the figures as before, without a voice section or a request to the voice routes', async () => {
    const api = (await (await fetch(new URL('/api/v1/overview?hours=24', app.webUrl))).json()) as OverviewAnswer;
    expect(api.turns).toBe(4);
    expect(api.voice).toBeNull();
    const asked: string[] = [];
    app.page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await app.page.goto(new URL('/?hours=24', app.webUrl).href);
    await app.page.getByTestId('turns').waitFor();
    await app.page.locator('.chart canvas').first().waitFor();
    expect(await app.page.getByTestId('turns').textContent()).toBe('4');
    expect(await app.page.getByTestId('voice-overview').count()).toBe(0);
    expect(asked.filter((path) => path.startsWith('/api/v1/voice'))).toEqual([]);
    expect(asked).toContain('/api/v1/overview');
  });
});
