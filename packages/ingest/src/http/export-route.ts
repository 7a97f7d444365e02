// POST /v1/traces and /v1/logs: read → inflate → decode → write to the sink → answer. The answer
// (200 or 200 + partial_success) is sent only after the sink reports the batch committed.
import type { RequestHandler } from 'express';
import type { IngestConfig } from '../config.js';
import { QueueFullError, UnsupportedMediaTypeError } from '../errors.js';
import {
  countLogRecords,
  countSpans,
  decodeLogsRequest,
  decodeTraceRequest,
  OTLP_MEDIA_TYPES,
  type OtlpSignal,
} from '../otlp/decode.js';
import { encodeExportResponse, type ExportOutcome } from '../otlp/encode-response.js';
import type { Decoded } from '../otlp/types.js';
import type { IngestMetrics } from '../observe/metrics.js';
import type { BatchSink, WriteResult } from '../store/sink.js';
import { inflateBody, parseContentEncoding } from './inflate-body.js';
import { parseMediaType, requestEncoding } from './media-type.js';
import { readRequestBody } from './read-body.js';

export interface ExportRouteOptions {
  readonly signal: OtlpSignal;
  readonly sink: BatchSink;
  readonly config: Pick<IngestConfig, 'maxBodyBytes' | 'maxInflatedBytes'>;
  readonly metrics: IngestMetrics;
}

/** What the decoder dropped, without the request itself. */
type DecoderRejections = Omit<Decoded<unknown>, 'request'>;

const NOTHING_REJECTED: WriteResult = Object.freeze({ rejected: 0, rejectedByCategory: {}, rejectionReasons: [] });

/** The handler for one signal's OTLP path. Failures go to the error middleware as `IngestError`s. */
export function createExportHandler({ signal, sink, config, metrics }: ExportRouteOptions): RequestHandler {
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
    const raw = await readRequestBody(req, config.maxBodyBytes);
    const body = await inflateBody(raw, contentEncoding, config.maxInflatedBytes);

    // Only the decoder's rejections are kept across the wait for the commit: the decoded request
    // itself is garbage once normalized, and holding it meant copying it at every young-GC.
    let rejections: DecoderRejections;
    let kept: number;
    let write: Promise<WriteResult>;
    if (signal === 'traces') {
      const { request, ...dropped } = decodeTraceRequest(body, encoding);
      rejections = dropped;
      kept = countSpans(request);
      // Empty envelopes get a success answer without a database round trip (the spec allows dropping them).
      write = kept > 0 ? sink.writeTraces(request, body.length) : Promise.resolve(NOTHING_REJECTED);
    } else {
      const { request, ...dropped } = decodeLogsRequest(body, encoding);
      rejections = dropped;
      kept = countLogRecords(request);
      write = kept > 0 ? sink.writeLogs(request, body.length) : Promise.resolve(NOTHING_REJECTED);
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

/** Decoder and sink rejections summed into one partial_success. */
export function describeOutcome(signal: OtlpSignal, decoded: DecoderRejections, written: WriteResult): ExportOutcome {
  const rejected = decoded.rejected + written.rejected;
  if (rejected === 0) return { rejected: 0, errorMessage: '' };
  const reasons = [...decoded.rejectionReasons, ...written.rejectionReasons];
  const noun = signal === 'traces' ? (rejected === 1 ? 'span' : 'spans') : rejected === 1 ? 'log record' : 'log records';
  if (reasons.length === 0) return { rejected, errorMessage: `${rejected} ${noun} rejected` };
  const more = rejected > reasons.length ? '; …' : '';
  return { rejected, errorMessage: `${rejected} ${noun} rejected: ${reasons.join('; ')}${more}` };
}
