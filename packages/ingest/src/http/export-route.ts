// POST /v1/traces and /v1/logs: read → inflate → decode → normalize → write to the sink →
// answer. The answer (200 or 200 + partial_success) is sent only after the sink reports the
// batch committed.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { IngestConfig } from '../config.js';
import { OverloadedError, QueueFullError, toProcessingError, UnsupportedMediaTypeError } from '../errors.js';
import {
  countLogRecords,
  countSpans,
  decodeLogsRequest,
  decodeTraceRequest,
  OTLP_MEDIA_TYPES,
  type OtlpEncoding,
  type OtlpSignal,
} from '../otlp/decode.js';
import { encodeExportResponse, type ExportOutcome } from '../otlp/encode-response.js';
import type { Decoded } from '../otlp/types.js';
import type { IngestMetrics } from '../observe/metrics.js';
import { writeLogsRequest, writeTraceRequest, type NormalizeSettings } from '../pipeline/write-request.js';
import type { BatchSink, WriteResult } from '../sink/batch-sink.js';
import type { BodyBudget, BodyReservation } from './body-budget.js';
import { inflateBody, parseContentEncoding, type ContentEncoding } from './inflate-body.js';
import { parseMediaType, requestEncoding } from './media-type.js';
import { readRequestBody } from './read-body.js';

export interface ExportRouteOptions {
  readonly signal: OtlpSignal;
  readonly sink: BatchSink;
  /** How decoded requests become the sink's rows. */
  readonly normalize: NormalizeSettings;
  readonly config: Pick<IngestConfig, 'maxBodyBytes' | 'maxInflatedBytes'>;
  readonly metrics: IngestMetrics;
  /** Shared by both signals' routes: bytes of bodies between arrival and normalization. */
  readonly bodyBudget: BodyBudget;
}

/** What the decoder dropped, without the request itself. */
type DecoderRejections = Omit<Decoded<unknown>, 'request'>;

const NOTHING_REJECTED: WriteResult = Object.freeze({ rejected: 0, rejectedByCategory: {}, rejectionReasons: [] });

/** The handler for one signal's OTLP path. Failures go to the error middleware as `IngestError`s. */
export function createExportHandler({ signal, sink, normalize, config, metrics, bodyBudget }: ExportRouteOptions): RequestHandler {
  return async (req, res) => {
    // Type and encoding are checked before reading, so a wrong request costs no body buffering.
    const encoding = requestEncoding(req.headers);
    if (encoding === undefined) {
      const mediaType = parseMediaType(req.headers['content-type']);
      throw new UnsupportedMediaTypeError(
        `unsupported Content-Type ${mediaType ? `"${mediaType}"` : '(none)'}: send ${OTLP_MEDIA_TYPES.protobuf} or ${OTLP_MEDIA_TYPES.json}`,
      );
    }
    const contentEncoding = parseContentEncoding(req.headers['content-encoding']);
    if (sink.isFull?.() === true) {
      // Under overload, refuse before inflating and decoding work that would be thrown away. The
      // body is drained unbuffered so the connection stays usable for the 503.
      req.resume();
      throw new QueueFullError('the write queue is full; retry later');
    }
    const declaredBytes = Number(req.headers['content-length']);
    const reservation = bodyBudget.reserve(Number.isFinite(declaredBytes) && declaredBytes <= config.maxBodyBytes ? declaredBytes : 0);
    if (reservation === undefined) {
      req.resume();
      throw new OverloadedError('too many request bodies are being read and decoded; retry later');
    }
    let rejections: DecoderRejections;
    let kept: number;
    let write: Promise<WriteResult>;
    try {
      ({ rejections, kept, write } = await readAndSubmit(req, { signal, sink, normalize, config, encoding, contentEncoding }, reservation));
    } finally {
      // Normalized (or failed): what is left is in the write queue's budget, or garbage.
      reservation.release();
    }
    metrics.countReceived(signal, kept + rejections.rejected);
    const written = await write;
    // The sink rejects only among the items the decoder kept.
    metrics.countWritten(signal, kept - written.rejected, [rejections.rejectedByCategory, written.rejectedByCategory]);

    const outcome = describeOutcome(signal, rejections, written);
    const answer = encodeExportResponse(signal, outcome, encoding);
    // setHeader, not res.set: express would append "; charset=utf-8", and the Collector matches
    // the response type exactly before it reads a partial success.
    res.status(200).setHeader('Content-Type', OTLP_MEDIA_TYPES[encoding]);
    res.send(Buffer.from(answer.buffer, answer.byteOffset, answer.length));
  };
}

/**
 * Reads, inflates and decodes the body, normalizes it and hands the rows to the sink, returning
 * its promise of the commit. Every byte on the way is held in `reservation`.
 */
async function readAndSubmit(
  req: IncomingMessage,
  route: Pick<ExportRouteOptions, 'signal' | 'sink' | 'normalize' | 'config'> & { encoding: OtlpEncoding; contentEncoding: ContentEncoding },
  reservation: BodyReservation,
): Promise<{ rejections: DecoderRejections; kept: number; write: Promise<WriteResult> }> {
  const { signal, sink, normalize, config, encoding } = route;
  const raw = await readRequestBody(req, config.maxBodyBytes, reservation);
  const body = await inflateBody(raw, route.contentEncoding, config.maxInflatedBytes, reservation);
  // Only the decoder's rejections are kept across the wait for the commit: the decoded request
  // itself is garbage once normalized, and holding it meant copying it at every young-GC.
  if (signal === 'traces') {
    const { request, ...rejections } = decode(() => decodeTraceRequest(body, encoding));
    const kept = countSpans(request);
    await betweenStages(body);
    // Empty envelopes get a success answer without a database round trip (the spec allows dropping them).
    return { rejections, kept, write: kept > 0 ? writeTraceRequest(sink, request, body.length, normalize) : Promise.resolve(NOTHING_REJECTED) };
  }
  const { request, ...rejections } = decode(() => decodeLogsRequest(body, encoding));
  const kept = countLogRecords(request);
  await betweenStages(body);
  return { rejections, kept, write: kept > 0 ? writeLogsRequest(sink, request, body.length, normalize) : Promise.resolve(NOTHING_REJECTED) };
}

function decode<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toProcessingError(error, 'decoding the request');
  }
}

/** Bodies from this size on take long enough to decode and normalize to let other work in between. */
const LARGE_BODY_BYTES = 1024 * 1024;

/**
 * Decoding and normalizing a large body each hold the event loop for a good while (about a
 * second each for 64 MiB): a turn of the loop between them lets health checks and small
 * requests through instead of queueing them behind both.
 */
async function betweenStages(body: Uint8Array): Promise<void> {
  if (body.length >= LARGE_BODY_BYTES) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Decoder and sink rejections summed into one partial_success. Values the sink dropped from
 * items it kept are a warning in the same message: OTLP allows an error_message with 0 rejected.
 */
export function describeOutcome(signal: OtlpSignal, decoded: DecoderRejections, written: WriteResult): ExportOutcome {
  const rejected = decoded.rejected + written.rejected;
  const dropped = written.droppedValues ?? 0;
  const messages: string[] = [];
  if (rejected > 0) {
    const reasons = [...decoded.rejectionReasons, ...written.rejectionReasons];
    const noun = signal === 'traces' ? (rejected === 1 ? 'span' : 'spans') : rejected === 1 ? 'log record' : 'log records';
    messages.push(reasons.length === 0 ? `${rejected} ${noun} rejected` : `${rejected} ${noun} rejected: ${reasons.join('; ')}${rejected > reasons.length ? '; …' : ''}`);
  }
  if (dropped > 0) {
    const reasons = written.droppedValueReasons ?? [];
    const kept = signal === 'traces' ? 'spans kept' : 'log records kept';
    const head = `${dropped} ${dropped === 1 ? 'value' : 'values'} dropped, ${kept}`;
    messages.push(reasons.length === 0 ? head : `${head}: ${reasons.join('; ')}${dropped > reasons.length ? '; …' : ''}`);
  }
  return { rejected, errorMessage: messages.join('; ') };
}
