// Before the demo sends anything: is there an OTLP receiver at the endpoint? The SDK never
// fails its host, so without this check a demo into the void would end "successfully".
import { CliError, EXIT_CODES } from '../exit-codes.js';

const CHECK_TIMEOUT_MS = 5000;

/** The endpoint without a trailing slash; refuses what is not an http(s) URL. */
export function parseOtlpEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(EXIT_CODES.badArguments, `--otlp-endpoint: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(EXIT_CODES.badArguments, `--otlp-endpoint: expected an http(s) URL, got ${value}`);
  return url.href.replace(/\/+$/, '');
}

/**
 * Posts an empty trace export (zero spans, valid OTLP protobuf) to `/v1/traces`. Any HTTP answer
 * means something listens; only a failed connection is fatal, since receivers differ in what they
 * answer to an empty request.
 */
export async function checkOtlpEndpoint(endpoint: string): Promise<void> {
  try {
    const response = await fetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(0),
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
    throw new CliError(
      EXIT_CODES.serverDown,
      `nothing answers at the OTLP endpoint ${endpoint} (${reason}): start \`convotel serve\` first, or point --otlp-endpoint at a running ingest or collector`,
    );
  }
}
