// What a route is: method, path, one zod schema for its parameters (query and path, validated
// and documented), and either a JSON answer (a zod schema, documented and checked by the tests,
// and a handler that calls a query) or a streamed one (media types, documented, and a function
// that writes the response). Adding a route is one module exporting a route definition plus one
// line in routes/index.ts.
import type { ReadDb } from '@convotel/query';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { LiveFeed } from './live/live-feed.js';

/** What a handler gets besides its parameters. */
export interface RouteContext {
  readonly db: ReadDb;
  /** The request's "now" (ends default windows). */
  readonly now: Date;
  readonly req: Request;
}

/** What a streaming route gets: the response to write, and when to stop. */
export interface StreamContext extends RouteContext {
  readonly res: Response;
  /** Aborted when the client goes away (or the server closes): stop reading and writing. */
  readonly signal: AbortSignal;
  /** Committed turns, errors and conversations; undefined when this API runs without a feed. */
  readonly live: LiveFeed | undefined;
  /** The live feed is turned off (CONVOTEL_LIVE=off): there is nothing to relay. */
  readonly isLiveDisabled: boolean;
}

export type ParamsSchema = z.ZodObject;

/** The parsed JSON body of a route that takes one. */
type BodyOf<B> = B extends z.ZodObject ? { readonly body: z.output<B> } : { readonly body?: undefined };

/** What every route declares. */
interface RouteBase<P extends ParamsSchema, B extends z.ZodObject | undefined> {
  readonly method: 'get' | 'post' | 'delete';
  /** Express path under /api/v1, e.g. `/conversations/:conversation_id`; path parameters are fields of `params`. */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly description?: string;
  /** OpenAPI tag. */
  readonly tag: string;
  /** Query and path parameters (strict: an unknown parameter is a 400). */
  readonly params: P;
  /** JSON body of a POST (strict), when the route takes one. */
  readonly body?: B;
  /** Admin routes need CONVOTEL_ADMIN_KEY. */
  readonly isAdmin?: boolean;
}

/** A route that answers one JSON document. */
export interface RouteDefinition<P extends ParamsSchema = ParamsSchema, R extends z.ZodType = z.ZodType, B extends z.ZodObject | undefined = z.ZodObject | undefined>
  extends RouteBase<P, B> {
  readonly kind?: 'json';
  /** The 200 answer. */
  readonly response: R;
  /** The answer of a valid request. */
  // A method, not a function property: a list of routes holds routes of different types.
  handler(input: z.output<P> & BodyOf<B>, ctx: RouteContext): Promise<z.output<R>>;
}

/** One media type a streaming route may answer with. */
export interface StreamMedia {
  /** `text/csv`, `application/x-ndjson`, `text/event-stream`. */
  readonly type: string;
  /** What the stream holds (for the OpenAPI document). */
  readonly description: string;
  /** Schema of the body as a whole (a string) or of each record in it; documented only. */
  readonly schema: z.ZodType;
}

/**
 * A route that writes its answer as it goes (exports, server-sent events). Parameters are
 * validated and access checked first, so failures up to `stream` are plain JSON errors; once
 * `stream` has sent headers, a failure can only cut the response short.
 */
export interface StreamRouteDefinition<P extends ParamsSchema = ParamsSchema> extends RouteBase<P, undefined> {
  readonly kind: 'stream';
  /** The media types of the 200 answer. */
  readonly media: readonly StreamMedia[];
  /** Writes the answer to `ctx.res`; resolves when it is complete or the client has gone. */
  stream(input: z.output<P>, ctx: StreamContext): Promise<void>;
}

/** Any route of the list. */
export type ApiRoute = RouteDefinition | StreamRouteDefinition;

/** Keeps a route's types tied together (its handler's input is its schema's output). */
export function defineRoute<P extends ParamsSchema, R extends z.ZodType, B extends z.ZodObject | undefined = undefined>(
  route: RouteDefinition<P, R, B>,
): RouteDefinition<P, R, B> {
  return route;
}

/** Same for a streaming route. */
export function defineStreamRoute<P extends ParamsSchema>(route: Omit<StreamRouteDefinition<P>, 'kind'>): StreamRouteDefinition<P> {
  return { ...route, kind: 'stream' };
}

/** Names of the path parameters of an express path (`:id`). */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string);
}

/** The express path in OpenAPI form (`{id}`). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
