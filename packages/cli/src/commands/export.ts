import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Argument, Command, Option } from 'commander';
import type { OverviewAnswer } from '../client/answers.js';
import type { ApiClient, Query } from '../client/api-client.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { formatBytes, formatCount } from '../format/units.js';
import {
  clientOf,
  filterQuery,
  windowQuery,
  withClientOptions,
  withFilterOptions,
  withWindowOptions,
  type ClientFlags,
  type FilterFlags,
  type WindowFlags,
} from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { RecordCounter, type ExportFormat } from '../record-counter.js';

/** What GET /export/:kind streams. */
const KINDS = ['conversations', 'turns', 'steps', 'llm-calls', 'events'] as const;
type Kind = (typeof KINDS)[number];

/** The /overview figure that says how many rows an unfiltered export of a kind will have. */
const OVERVIEW_COUNT: Partial<Record<Kind, 'conversations' | 'turns' | 'llm_calls'>> = { conversations: 'conversations', turns: 'turns', 'llm-calls': 'llm_calls' };

/** How long the size estimate may delay the export. */
const ESTIMATE_TIMEOUT_MS = 3000;

type ExportFlags = ClientFlags &
  WindowFlags &
  FilterFlags & { readonly format: ExportFormat; readonly output?: string; readonly progress: boolean };

/**
 * The number of rows to expect, for the bar: the window's count from /overview for kinds it
 * counts, when no filter is given (filters mean other things on /overview); else unknown.
 */
async function estimateRows(client: ApiClient, kind: Kind, window: Query, hasFilters: boolean): Promise<number | undefined> {
  const field = OVERVIEW_COUNT[kind];
  if (field === undefined || hasFilters) return undefined;
  const estimate = client.getJson<OverviewAnswer>('/overview', window).then(
    (overview) => overview[field],
    () => undefined,
  );
  const late = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ESTIMATE_TIMEOUT_MS).unref());
  return Promise.race([estimate, late]);
}

/** `convotel export <kind>`: streams GET /export/:kind to a file (with a progress bar) or to stdout. */
export function exportCommand(): Command {
  const command = new Command('export')
    .description('stream conversations, turns, steps, LLM calls or events as CSV or NDJSON, to a file (with a progress bar) or stdout')
    .addArgument(new Argument('<kind>', 'what to export').choices(KINDS))
    .addOption(new Option('--format <format>', 'CSV (RFC 4180) or NDJSON').choices(['csv', 'ndjson']).default('csv'))
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .option('--no-progress', 'no progress bar');
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (kind: Kind, flags: ExportFlags) => {
    const client = clientOf(flags);
    const filters = filterQuery(flags);
    const toFile = flags.output !== undefined && flags.output !== '-';
    const [response, expectedRows] = await Promise.all([
      client.open(`/export/${kind}`, { format: flags.format, ...windowQuery(flags), ...filters }),
      toFile && flags.progress ? estimateRows(client, kind, windowQuery(flags), Object.keys(filters).length > 0) : undefined,
    ]);
    if (response.body === null) throw new CliError(EXIT_CODES.failure, `GET /export/${kind} answered no body`);
    const counter = new RecordCounter(flags.format);
    const progress: Progress | undefined = toFile && flags.progress ? createProgress(`${kind} → ${flags.output}`, expectedRows) : undefined;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        counter.feed(chunk);
        progress?.update(counter.records, counter.bytes);
        done(null, chunk);
      },
    });
    const startedMs = Date.now();
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    // A file appears whole or not at all: written beside it, renamed when the export ends.
    const partial = `${flags.output}.partial`;
    try {
      if (toFile) await pipeline(source, counting, createWriteStream(partial));
      else await pipeline(source, counting, process.stdout, { end: false });
    } catch (error) {
      progress?.stop();
      if (toFile) await rm(partial, { force: true });
      const errno = error as NodeJS.ErrnoException;
      // `convotel export … | head`: the reader had enough.
      if (errno.code === 'EPIPE') return;
      // Errors of files and stdout carry their system call; the HTTP body's do not.
      if (errno.syscall !== undefined) throw new CliError(EXIT_CODES.failure, `cannot write ${toFile ? flags.output : 'stdout'}: ${errno.message}`);
      const cause = (error as { cause?: { message?: unknown } }).cause?.message;
      const detail = typeof cause === 'string' ? cause : (error as Error).message;
      throw new CliError(
        EXIT_CODES.serverDown,
        `the export stopped after ${formatCount(counter.records)} rows: the connection to the API at ${client.baseUrl} was lost (${detail})`,
      );
    }
    progress?.stop();
    if (toFile) await rename(partial, flags.output!);
    const seconds = ((Date.now() - startedMs) / 1000).toFixed(1);
    const where = toFile ? ` to ${flags.output}` : '';
    // stdout may be the data itself: the summary goes to stderr.
    process.stderr.write(`exported ${formatCount(counter.records)} ${kind} (${flags.format}, ${formatBytes(counter.bytes)})${where} in ${seconds}s\n`);
  });
}
