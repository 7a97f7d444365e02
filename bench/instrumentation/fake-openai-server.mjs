// A local server that answers OpenAI chat completions with a fixed body and swallows OTLP
// exports, so the benchmark measures the client side only. Prints its port on stdout.
import { createServer } from 'node:http';

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Your balance is 1,234 dollars.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 52, completion_tokens: 9, total_tokens: 61, prompt_tokens_details: { cached_tokens: 0 } },
});

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    if (req.url?.startsWith('/v1/traces') || req.url?.startsWith('/v1/logs')) {
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bench' });
    res.end(completion);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
