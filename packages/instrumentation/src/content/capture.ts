import { diag } from '@opentelemetry/api';
import { CONVOTEL_CONTENT_TRUNCATED_SUFFIX as TRUNCATED } from '@convotel/semconv';
import { getActiveConfig } from '../config.js';
import { redactText } from './redact.js';

/**
 * Turns content into the string stored on a span: JSON for structures, redacted by the
 * built-in patterns and the user's hook, cut to `maxContentLength`. Returns undefined when
 * capture is off, so callers never serialize content nobody asked for. `isCaptured` overrides
 * the global setting (an instrumentation's own `captureMessageContent`).
 */
export function toCapturedContent(value: unknown, isCaptured?: boolean): string | undefined {
  const config = getActiveConfig();
  if (!(isCaptured ?? config.captureContent) || value === undefined || value === null) return undefined;
  try {
    let text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined) return undefined;
    // Cut before redacting so a huge value costs no more than the cap (plus slack for a pattern at the edge).
    if (text.length > config.maxContentLength + 256) text = text.slice(0, config.maxContentLength + 256);
    text = redactText(text);
    if (config.redact) text = config.redact(text);
    if (text.length > config.maxContentLength) text = text.slice(0, config.maxContentLength) + TRUNCATED;
    return text;
  } catch (err) {
    diag.warn('convotel: content not captured', err);
    return undefined;
  }
}

/** True when content capture is on; lets callers skip building message arrays. */
export function isContentCaptured(): boolean {
  return getActiveConfig().captureContent;
}
