// Time of the SDK's content redaction (redactText) on long texts that stress the e-mail search:
// runs of letters with no '@', 'a.a.a…', and a letter run that ends in an address. Each size is
// timed several times and the best kept; linear time shows as ~10× from 10k to 100k characters.
// Usage: node bench/instrumentation/redact-text.mjs [sizes…]   (after `npx tsc -b`)
import { performance } from 'node:perf_hooks';
import { redactText } from '@convotel/instrumentation';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 100_000];
const RUNS = 5;

const texts = {
  letters: (n) => 'a'.repeat(n),
  'a.a.a…': (n) => 'a.'.repeat(n / 2),
  'letters@x.com': (n) => `${'a'.repeat(n - 6)}@x.com`,
  'a@a@a…': (n) => 'a@'.repeat(n / 2),
  prose: (n) => 'Hello, my account is jane.doe@example.com and my number is 415 555 0132. '.repeat(Math.ceil(n / 73)).slice(0, n),
};

// Warm-up, so the first texts timed are not also the compiler's.
for (let round = 0; round < 200; round++) for (const make of Object.values(texts)) redactText(make(1000));

for (const [name, make] of Object.entries(texts)) {
  for (const size of sizes) {
    const text = make(size);
    let bestMs = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const startedAt = performance.now();
      redactText(text);
      bestMs = Math.min(bestMs, performance.now() - startedAt);
    }
    console.log(`${name.padEnd(14)} ${String(size).padStart(7)} chars  ${bestMs.toFixed(2).padStart(10)} ms`);
  }
}
