// A crowd of idle client sockets must not take the file descriptors the database connection
// needs: the server caps its connections (half the open-file limit by default), sheds sockets
// that send nothing, and never answers 200 for a batch it could not store ("connect EMFILE").
// A real `convotel serve` under `ulimit -n 256`, against the real PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, terminateConnections, type TestDatabase } from '../helpers/db.js';
import { countRows, postTraces, sendUntilAccepted, type Delivery } from '../helpers/ingest-client.js';
import { recordTurnSpans, serializeTracesJson } from '../helpers/otlp-fixtures.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/convotel.js', import.meta.url));
const OPEN_FILES = 256;

let database: TestDatabase;
let child: ChildProcess;
let port: number;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  child = spawn('bash', ['-c', `ulimit -n ${OPEN_FILES} && exec node "${CLI}" serve --only ingest --otlp-port 0`], {
    env: { ...process.env, DATABASE_URL: database.url, CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_REQUEST_TIMEOUT_MS: '3000', CONVOTEL_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /convotel ingest: http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`convotel serve exited with ${code}: ${out}`)));
  });
}, 30_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  await database?.drop();
});

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Opens an idle socket (connects, sends nothing); resolves once connected or refused. */
function idleSocket(): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    sockets.push(socket);
  });
}

describe('a crowd of idle connections', () => {
  it('never acknowledges a batch it could not store, keeps descriptors for the database, and lands the retried turn once', async () => {
    const pid = child.pid as number;
    await sendUntilAccepted(port, serializeTracesJson(recordTurnSpans()));
    // The pool must open a new connection for the next write (the one it had is gone).
    await terminateConnections(database.name);

    // Idle sockets until the server is one descriptor short of its limit, or 300 of them.
    for (let i = 0; i < 300 && openDescriptors(pid) < OPEN_FILES - 1; i += 1) await idleSocket();
    const crowded = serializeTracesJson(recordTurnSpans());
    const deliveries: Delivery[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) deliveries.push(await postTraces(port, crowded, { timeoutMillis: 10_000 }));
    for (const delivery of deliveries) {
      // Refused (reset, 503) is fine: the sender retries. Acknowledged with rejections is loss.
      if (delivery.kind === 'answer') expect([200, 503]).toContain(delivery.status);
      if (delivery.kind === 'answer' && delivery.status === 200) expect(delivery.body).toBe('{}');
    }
    expect(openDescriptors(pid), 'the connection cap keeps descriptors free').toBeLessThan(OPEN_FILES - 1);

    // The idle sockets are shed by the server's header timeout; the sender's retry lands.
    await sendUntilAccepted(port, crowded, { attempts: 100, delayMillis: 200 });
    expect(await countRows(database.url, 'llm_calls')).toBe(2);
  }, 60_000);
});
