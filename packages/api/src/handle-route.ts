// Turns a route definition into an express handler: access check, parameter validation, then
// the query and its JSON answer, or the stream. Failures go to the error middleware
// (error-handler.ts).
import type { ReadDb } from '@convotel/query';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import type { AccessCheck } from './auth.js';
import { ForbiddenError, InvalidParameterError, UnauthorizedError } from './errors.js';
import type { LiveFeed } from './live/live-feed.js';
import { gatherAttrParams } from './params.js';
import type { ApiRoute } from './route.js';

/** The parameter a zod issue is about, as the client spelled it. */
export function issueParameter(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0) return issue.keys[0] ?? '';
  const [first, second] = issue.path;
  if (first === 'attr' && second !== undefined) return `attr.${String(second)}`;
  if (issue.code === 'unrecognized_keys') return `${issue.path.map(String).join('.')}.${issue.keys[0] ?? ''}`;
  return issue.path.map(String).join('.');
}

/** Parses `value` with `schema`, or throws a 400 naming the first bad parameter. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new InvalidParameterError('', 'invalid request');
  const parameter = issueParameter(issue);
  const message = issue.code === 'unrecognized_keys' ? `unknown parameter ${parameter}` : issue.message;
  throw new InvalidParameterError(parameter, message);
}

export interface HandlerOptions {
  readonly db: ReadDb;
  readonly access: AccessCheck;
  readonly now: () => Date;
  readonly live: LiveFeed | undefined;
  readonly isLiveDisabled: boolean;
}

export function createRouteHandler(route: ApiRoute, options: HandlerOptions): RequestHandler {
  return async (req, res) => {
    const refusal = route.isAdmin === true ? options.access.admin(req.headers) : options.access.read(req.headers);
    if (refusal !== undefined) throw refusal.isForbidden ? new ForbiddenError(refusal.message) : new UnauthorizedError(refusal.message);
    const raw = Object.assign(gatherAttrParams(req.query as Record<string, unknown>), req.params);
    const input = parseOrThrow(route.params, raw);
    const context = { db: options.db, now: options.now(), req };
    if (route.kind === 'stream') {
      // The stream stops when the client goes away ('close' also follows a complete answer: harmless).
      const controller = new AbortController();
      const abort = (): void => controller.abort();
      res.once('close', abort);
      try {
        await route.stream(input, { ...context, res, signal: controller.signal, live: options.live, isLiveDisabled: options.isLiveDisabled });
      } finally {
        res.off('close', abort);
      }
      return;
    }
    const body = route.body === undefined ? undefined : parseOrThrow(route.body, req.body ?? {});
    res.json(await route.handler(body === undefined ? input : { ...input, body }, context));
  };
}
