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
 * Posts an empty trace export (zero spans, valid OTLP protobuf) to `/v1/traces`. A failed
 * connection is fatal, and so is 404 or 405 (a server that is no OTLP receiver, such as the API's
 * port); any other answer will do, since receivers differ in what they say to an empty request
 * (a collector may want headers this check does not send).
 */
export async function checkOtlpEndpoint(endpoint: string): Promise<void> {
  let status: number;
  try {
    const response = await fetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(0),
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
    throw new CliError(
      EXIT_CODES.serverDown,
      `nothing answers at the OTLP endpoint ${endpoint} (${reason}): start \`convotel serve\` first, or point --otlp-endpoint at a running ingest or collector`,
    );
  }
  if (status === 404 || status === 405) {
    throw new CliError(
      EXIT_CODES.serverDown,
      `${endpoint} answers, but is no OTLP receiver (POST /v1/traces: ${status}): pass the ingest's address, the one \`convotel serve\` prints as "convotel ingest:"`,
    );
  }
}
