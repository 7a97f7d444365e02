// The OpenAPI 3.1 document, generated from the route list: each route's parameter schema
// becomes its parameters, its response schema (or a streaming route's media types) the 200
// answer. JSON Schema 2020-12 is what OpenAPI 3.1 embeds, and what z.toJSONSchema writes.
import { z } from 'zod';
import { API_PREFIX } from './paths.js';
import { pathParamNames, toOpenApiPath, type ApiRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, parameter: { type: 'string' } },
    },
  },
};

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function toParameters(route: ApiRoute): JsonSchema[] {
  const schema = toJsonSchema(route.params, 'input');
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const inPath = new Set(pathParamNames(route.path));
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    const isAttr = name === 'attr';
    return {
      name: isAttr ? 'attr.{key}' : name,
      in: inPath.has(name) ? 'path' : 'query',
      required: inPath.has(name) || required.has(name),
      ...(description === undefined ? {} : { description }),
      // attr.<key>=<value> pairs: each key its own parameter, which OpenAPI has no style for.
      schema: isAttr ? { type: 'string' } : propertySchema,
    };
  });
}

function toOperation(route: ApiRoute): JsonSchema {
  const errors: Record<string, JsonSchema> = {
    '400': { description: 'invalid_parameter', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    '401': { description: 'unauthorized', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  };
  if (route.isAdmin === true) {
    errors['403'] = { description: 'forbidden (a read key)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  if (pathParamNames(route.path).length > 0) {
    errors['404'] = { description: 'not_found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    parameters: toParameters(route),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } } } }),
    security: [{ [route.isAdmin === true ? 'adminKey' : 'apiKey']: [] }],
    responses: {
      '200': { description: 'OK', content: toContent(route) },
      ...errors,
    },
  };
}

/** The media types of a route's 200 answer, with their schemas. */
function toContent(route: ApiRoute): JsonSchema {
  if (route.kind !== 'stream') return { 'application/json': { schema: toJsonSchema(route.response, 'output') } };
  const content: JsonSchema = {};
  for (const media of route.media) content[media.type] = { schema: { ...toJsonSchema(media.schema, 'output'), description: media.description } };
  return content;
}

/** The OpenAPI 3.1 document of `routes` (served at /api/openapi.json). */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `${API_PREFIX}${toOpenApiPath(route.path)}`;
    paths[path] = { ...paths[path], [route.method]: toOperation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'convotel API',
      version: info.version,
      description:
        'Conversation telemetry: overview, conversations, turns, LLM calls, events. Windows: hours (1…2160, default 24) or from/to (at most 90 days apart). Lists: limit (1…1000, default 50) and cursor; answers { items, next_cursor }.',
    },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A key of CONVOTEL_API_KEYS' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'CONVOTEL_ADMIN_KEY' },
      },
    },
  };
}
