// What every route promises, checked by walking the route list: 401 without a valid key, 400
// with the parameter's name for unknown or out-of-range parameters, and a place in the
// OpenAPI document generated from the same schemas.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES, type ApiRoute } from '../src/index.js';
import { INJECTION_STRINGS } from './helpers/injection.js';
import { API_KEY, ADMIN_KEY, useReadSide, type ReadSide } from './helpers/read-side.js';

/**
 * A concrete URL path of a route: path parameters filled with a value that exists nowhere, or
 * with the first of the values an enum allows.
 */
function samplePath(route: ApiRoute): string {
  const shape = route.params.shape as Record<string, unknown>;
  return `/api/v1${route.path.replace(/:([A-Za-z_]+)/g, (_match, name: string) => {
    const schema = shape[name];
    return schema instanceof z.ZodEnum ? String(schema.options[0]) : `no-such-${name}`;
  })}`;
}

/**
 * The route's method on `path`: status and, for a JSON answer, its body. A streamed answer is
 * not read (a live stream never ends).
 */
async function call(side: ReadSide, route: ApiRoute, path: string, query: Record<string, string>, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, `http://127.0.0.1:${side.api.port}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const controller = new AbortController();
  const response = await fetch(url, { method: route.method.toUpperCase(), headers, signal: controller.signal });
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
    controller.abort();
    return { status: response.status, body: undefined };
  }
  return { status: response.status, body: await response.json() };
}

/** Values for a route's required query parameters (the first of an enum), so only the parameter under test is wrong. */
function requiredQuery(route: ApiRoute): Record<string, string> {
  const schema = z.toJSONSchema(route.params, { io: 'input' }) as { required?: string[]; properties?: Record<string, { enum?: string[] }> };
  const inPath = new Set([...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]));
  const query: Record<string, string> = {};
  for (const name of schema.required ?? []) {
    if (inPath.has(name)) continue;
    const first = schema.properties?.[name]?.enum?.[0];
    if (first === undefined) throw new Error(`no sample value for the required ${name} of ${route.path}`);
    query[name] = first;
  }
  return query;
}

describe('every route', () => {
  const side = useReadSide('postgres', { conversations: 3 });

  it('covers the routes of the issue built so far', () => {
    expect(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /overview',
        'GET /conversations',
        'GET /conversations/:conversation_id',
        'GET /traces/:trace_id',
        'GET /timeseries',
        'GET /busiest-hours',
        'GET /events',
        'GET /steps/stats',
        'GET /llm-calls/analysis',
        'GET /llm-calls',
        'GET /errors',
        'GET /sql-queries/analysis',
        'GET /costs',
        'GET /compare',
        'GET /export/:kind',
        'GET /live',
        'POST /admin/cleanup',
      ]),
    );
  });

  for (const route of ROUTES) {
    const path = samplePath(route);
    // The key the route takes: parameter checks come after the access check.
    const key = route.isAdmin === true ? ADMIN_KEY : API_KEY;
    const required = requiredQuery(route);
    const request = (query: Record<string, string>, headers: Record<string, string> = { authorization: `Bearer ${key}` }) =>
      call(side, route, path, { ...required, ...query }, headers);
    describe(`${route.method.toUpperCase()} ${route.path}`, () => {
      it('answers 401 without a key, with a wrong key and with a malformed header', async () => {
        for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-key' }, { authorization: API_KEY }, { authorization: `Basic ${API_KEY}` }]) {
          const { status, body } = await request({}, headers);
          expect(status).toBe(401);
          expect(body).toMatchObject({ error: { code: 'unauthorized' } });
        }
      });

      it('answers 400 naming an unknown parameter', async () => {
        for (const name of ['bogus', '__proto__', 'constructor']) {
          const { status, body } = await request({ [name]: '1' });
          expect(status).toBe(400);
          expect(body).toEqual({ error: { code: 'invalid_parameter', parameter: name, message: `unknown parameter ${name}` } });
        }
      });

      const shape = route.params.shape as Record<string, unknown>;
      const outOfRange: Array<[string, string]> = [
        ['hours', '0'],
        ['hours', '2161'],
        ['hours', 'abc'],
        ['from', 'yesterday'],
        ['to', '2026-13-01'],
        ['limit', '0'],
        ['limit', '1001'],
      ];
      for (const [name, value] of outOfRange.filter(([name]) => name in shape)) {
        it(`answers 400 for ${name}=${value}`, async () => {
          const { status, body } = await request({ [name]: value });
          expect(status).toBe(400);
          expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: name } });
        });
      }

      if ('from' in shape) {
        it('answers 400 for a window over 90 days and for from after to', async () => {
          const far = await request({ from: '2026-01-01T00:00:00Z', to: '2026-04-02T00:00:00Z' });
          expect(far).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'from' } } });
          const reversed = await request({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
          expect(reversed).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'from' } } });
          const ninety = await request({ from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
          expect(ninety.status).not.toBe(400);
        });
      }

      it('takes injection strings in every string parameter without failing', async () => {
        const schema = z.toJSONSchema(route.params, { io: 'input' }) as { properties?: Record<string, { type?: string; enum?: unknown }> };
        const names = Object.entries(schema.properties ?? {})
          .filter(([, property]) => property.type === 'string' && property.enum === undefined)
          .map(([name]) => name);
        if ('attr' in shape) names.push('attr.company_id');
        const inPath = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
        for (const value of INJECTION_STRINGS) {
          for (const name of names) {
            const target = inPath.includes(name) ? `/api/v1${route.path.replace(`:${name}`, encodeURIComponent(value))}` : path;
            const { status, body } = await call(side, route, target, inPath.includes(name) ? required : { ...required, [name]: value }, { authorization: `Bearer ${key}` });
            expect([200, 400, 404], `${name}=${value}: ${JSON.stringify(body)}`).toContain(status);
            if (status === 400) expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: name } });
          }
        }
      });

      if (route.isAdmin === true) {
        it('answers 403 to a read key and takes the admin key', async () => {
          const refused = await request({}, { authorization: `Bearer ${API_KEY}` });
          expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
          // No body: a 400, past the key check.
          const { status } = await request({}, { authorization: `Bearer ${ADMIN_KEY}` });
          expect(status).toBe(route.body === undefined ? 200 : 400);
        });
      } else {
        it('accepts the admin key as a read key', async () => {
          const { status } = await request({}, { authorization: `Bearer ${ADMIN_KEY}` });
          expect([200, 404]).toContain(status);
        });
      }

      it('is in the OpenAPI document with its parameters', async () => {
        const { status, body } = await side.get('/api/openapi.json', {}, {});
        expect(status).toBe(200);
        const document = body as { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }> }>> };
        expect(document.openapi).toBe('3.1.0');
        const operation = document.paths[`/api/v1${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`]?.[route.method];
        expect(operation).toBeDefined();
        const documented = operation!.parameters.map((p) => p.name);
        for (const name of Object.keys(shape)) expect(documented).toContain(name === 'attr' ? 'attr.{key}' : name);
      });
    });
  }

  it('answers /healthz and /readyz without a key', async () => {
    expect(await side.get('/healthz', {}, {})).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await side.get('/readyz', {}, {})).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('answers 404 in the error format for an unknown route', async () => {
    expect(await side.get('/api/v1/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});
