import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { toEncodingName } from './encoding.js';

// Counting runs in a worker thread: building an encoder takes ~0.5–1.5 s and a 32 KB prompt
// ~15 ms, which must not stall the host's event loop (DESIGN.md §7). The worker is evaluated
// from source and requires js-tiktoken's CommonJS build by resolved path, so it runs the same
// from the TypeScript sources and from the build.
const require = createRequire(import.meta.url);

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Tiktoken } = require(workerData.lite);
const encoders = new Map();
function encoderFor(name) {
  let encoder = encoders.get(name);
  if (encoder === undefined) {
    const ranks = require(workerData.ranks[name]);
    encoder = new Tiktoken(ranks.default ?? ranks);
    encoders.set(name, encoder);
  }
  return encoder;
}
parentPort.on('message', (message) => {
  try {
    const encoder = encoderFor(message.encoding);
    // No special-token handling: user text containing '<|endoftext|>' is counted as text, not rejected.
    const counts = message.texts.map((text) => encoder.encode(text, [], []).length);
    parentPort.postMessage({ id: message.id, counts });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error) });
  }
});
`;

interface Reply {
  id: number;
  counts?: number[];
  error?: string;
}

interface Waiter {
  resolve(counts: number[]): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
let nextId = 0;
const waiters = new Map<number, Waiter>();

function failAll(from: Worker, error: Error): void {
  if (worker !== from) return;
  worker = undefined;
  for (const waiter of waiters.values()) waiter.reject(error);
  waiters.clear();
}

function getWorker(): Worker {
  if (worker !== undefined) return worker;
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      lite: require.resolve('js-tiktoken/lite'),
      ranks: {
        o200k_base: require.resolve('js-tiktoken/ranks/o200k_base'),
        cl100k_base: require.resolve('js-tiktoken/ranks/cl100k_base'),
      },
    },
  });
  started.on('message', (reply: Reply) => {
    const waiter = waiters.get(reply.id);
    if (waiter === undefined) return;
    waiters.delete(reply.id);
    if (reply.counts !== undefined) waiter.resolve(reply.counts);
    else waiter.reject(new Error(reply.error ?? 'token count failed'));
    if (waiters.size === 0) started.unref();
  });
  started.on('error', (error) => failAll(started, error));
  started.on('exit', () => failAll(started, new Error('token counter exited')));
  worker = started;
  return started;
}

/**
 * Counts the tokens of each text with the encoding of `model`, off the calling thread.
 * Encoders are loaded lazily, once per encoding.
 */
export function countTokens(model: string | undefined, texts: readonly string[]): Promise<number[]> {
  if (texts.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiters.set(id, { resolve, reject });
    const target = getWorker();
    // Keep the process alive only while counts are pending, so a span still gets its usage at exit.
    target.ref();
    target.postMessage({ id, encoding: toEncodingName(model), texts });
  });
}

/** Stops the counting thread; the next count starts a new one. */
export async function stopTokenCounter(): Promise<void> {
  const current = worker;
  if (current === undefined) return;
  failAll(current, new Error('token counter stopped'));
  await current.terminate();
}
