// Reads the raw request body with a byte cap (no express.json: OTLP bodies are protobuf or JSON,
// maybe gzipped, and both caps must hold before any parsing).
import type { IncomingMessage } from 'node:http';
import { MalformedPayloadError, OverloadedError, PayloadTooLargeError } from '../errors.js';
import type { BodyReservation } from './body-budget.js';

/**
 * The whole body as one Buffer, or `PayloadTooLargeError` when it is over `maxBytes` (declared
 * or actual). An oversized body is still read to its end and discarded, so the client sees the
 * 413 instead of a reset connection (which it would retry). The bytes read are held in
 * `reservation`; when it cannot grow, the rest is discarded and the answer is `OverloadedError`.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number, reservation?: BodyReservation): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declaredBytes = Number(req.headers['content-length']);
    let isTooLarge = Number.isFinite(declaredBytes) && declaredBytes > maxBytes;
    let isOverBudget = false;
    let receivedBytes = 0;
    let chunks: Buffer[] = [];
    let isSettled = false;

    const settle = (error: Error | undefined, body?: Buffer): void => {
      if (isSettled) return;
      isSettled = true;
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) {
        // Keep draining whatever is left so the connection stays usable for the answer.
        if (!req.readableEnded) req.resume();
        reject(error);
      } else {
        resolve(body ?? Buffer.alloc(0));
      }
    };
    const onData = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (isTooLarge || isOverBudget) return;
      if (receivedBytes > maxBytes) {
        isTooLarge = true;
        chunks = [];
        return;
      }
      if (reservation !== undefined && receivedBytes > reservation.bytes && !reservation.resize(receivedBytes)) {
        isOverBudget = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (isTooLarge) {
        settle(
          new PayloadTooLargeError(`request body is over the ${maxBytes}-byte limit`, { limitBytes: maxBytes }),
        );
      } else if (isOverBudget) {
        settle(new OverloadedError('too many request bodies are being processed; retry later'));
      } else {
        settle(undefined, Buffer.concat(chunks, receivedBytes));
      }
    };
    const onError = (error: Error): void => {
      settle(new MalformedPayloadError(`could not read the request body: ${error.message}`, { cause: error }));
    };
    const onClose = (): void => {
      // 'close' before 'end' means the client went away mid-body; nobody will read our answer.
      settle(new MalformedPayloadError('the request body ended early (client disconnected)'));
    };

    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
