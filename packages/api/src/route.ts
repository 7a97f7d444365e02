// What a route is: method, path, one zod schema for its parameters (query and path, validated
// and documented), one for its answer (documented, checked by the tests), and a handler that
// calls a query. Adding a route is one module exporting a RouteDefinition plus one line in
// routes/index.ts.
import type { ReadDb } from '@convotel/query';
import type { Request, Response } from 'express';
import type { z } from 'zod';

/** What a handler gets besides its parameters. */
export interface RouteContext {
  readonly db: ReadDb;
  /** The request's "now" (ends default windows). */
  readonly now: Date;
  readonly req: Request;
  /** For streaming routes (export, SSE): write the answer here and resolve `undefined`. */
  readonly res: Response;
}

export type ParamsSchema = z.ZodObject;

export interface RouteDefinition<P extends ParamsSchema = ParamsSchema, R extends z.ZodType = z.ZodType> {
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
  readonly body?: z.ZodObject;
  /** The 200 answer; `undefined` for a route that streams (then `contentType` says what). */
  readonly response: R;
  /** Media type of a streamed answer. Default `application/json`. */
  readonly contentType?: string;
  /** Admin routes need CONVOTEL_ADMIN_KEY. */
  readonly isAdmin?: boolean;
  /** The answer of a valid request; `undefined` when the handler wrote it to `ctx.res` itself. */
  // A method, not a function property: a list of routes holds routes of different types.
  handler(input: z.output<P> & { readonly body?: unknown }, ctx: RouteContext): Promise<z.output<R> | undefined>;
}

/** Keeps a route's types tied together (its handler's input is its schema's output). */
export function defineRoute<P extends ParamsSchema, R extends z.ZodType>(route: RouteDefinition<P, R>): RouteDefinition<P, R> {
  return route;
}

/** Names of the path parameters of an express path (`:id`). */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string);
}

/** The express path in OpenAPI form (`{id}`). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
