// Typed reads of OTLP/JSON fields. A wrong type throws `ShapeError`, which collects the field
// path on its way up; `withFieldPaths` turns it into a 400 naming the whole path
// ("resourceSpans[0].scopeSpans[1].spans[3].name: expected a string, got number 7").
import { MalformedPayloadError } from '../errors.js';
import { shorten } from './values.js';

/** A parsed JSON object (not null, not an array). */
export type JsonObject = { readonly [key: string]: unknown };

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UNSIGNED_DECIMAL = /^\d+$/;
const SIGNED_DECIMAL = /^-?\d+$/;

/**
 * A wrong JSON type somewhere in the body. Carries the path from the failing field up; the
 * decoder's entry point turns it into a `MalformedPayloadError` naming the full path.
 */
export class ShapeError extends Error {
  readonly path: string[];
  constructor(field: string, message: string) {
    super(message);
    this.path = [field];
  }
}

/** Runs `build`, turning a `ShapeError` into a 400 naming the field path. */
export function withFieldPaths<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new MalformedPayloadError(`invalid OTLP/JSON at ${error.path.join('.')}: ${error.message}`);
    }
    if (error instanceof RangeError) {
      // Stack overflow on absurd nesting, or BigInt range trouble: the payload's fault either way.
      throw new MalformedPayloadError(`invalid OTLP/JSON: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * snake_case keys are not OTLP/JSON; ignoring them as unknown fields would silently accept an
 * empty batch, so a body that uses them where a camelCase key is missing is refused.
 */
export function requireCamelCase(obj: JsonObject, camelKey: string, snakeKey: string): void {
  if (obj[camelKey] === undefined && obj[snakeKey] !== undefined) {
    throw new ShapeError(snakeKey, `OTLP/JSON keys are lowerCamelCase: use "${camelKey}", not "${snakeKey}"`);
  }
}

/** int64 (string or number) → number when it is a safe integer, else its exact decimal string. */
export function toSafeInt(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ShapeError('', `expected an integer, got ${value}`);
    if (Number.isSafeInteger(value)) return value;
    return checkedInt64(BigInt(value)).toString();
  }
  if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) {
    const exact = checkedInt64(BigInt(value));
    const approx = Number(exact);
    return Number.isSafeInteger(approx) ? approx : exact.toString();
  }
  throw new ShapeError('', `expected an int64 as a decimal string or number, got ${describeType(value)}`);
}

function checkedInt64(value: bigint): bigint {
  if (value < INT64_MIN || value > INT64_MAX) throw new ShapeError('', `${value} is out of the int64 range`);
  return value;
}

/** Doubles are numbers, or strings for the values JSON cannot spell ("NaN", "Infinity", "-Infinity"). */
export function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    const parsed = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new ShapeError('', `expected a number, got ${describeType(value)}`);
}

/** A fixed64 field (timestamps) as bigint; missing means 0. Strings are the norm, numbers are accepted. */
export function optionalUint64(obj: JsonObject, key: string): bigint {
  const value = obj[key];
  if (value === undefined || value === null) return 0n;
  let result: bigint | undefined;
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) result = BigInt(value);
  // JSON numbers above 2^53 have already lost precision in JSON.parse; nothing can recover it.
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) result = BigInt(value);
  if (result === undefined || result > UINT64_MAX) {
    throw new ShapeError(key, `expected an unsigned 64-bit integer as a decimal string or number, got ${describeType(value)}`);
  }
  return result;
}

/** OTLP/JSON enums are integers only; names are not accepted. Missing means 0. */
export function optionalEnum(obj: JsonObject, key: string): number {
  const value = obj[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ShapeError(key, `enums are integers in OTLP/JSON, got ${describeType(value)}`);
  }
  return value;
}

/** `obj[key]` as a string; missing or null → undefined, another type → `ShapeError`. */
export function optionalString(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return requireType(value, key, 'string');
}

/** `obj[key]` as an object; missing or null → undefined, another type → `ShapeError`. */
export function optionalObject(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ShapeError(key, `expected an object, got ${describeType(value)}`);
  return value;
}

/** `value` if it has the JSON type `type`, else a `ShapeError` at `key`. */
export function requireType<K extends 'string' | 'boolean'>(
  value: unknown,
  key: string,
  type: K,
): K extends 'string' ? string : boolean {
  if (typeof value !== type) throw new ShapeError(key, `expected a ${type}, got ${describeType(value)}`);
  return value as K extends 'string' ? string : boolean;
}

/**
 * Maps the array at `obj[key]` (missing → empty). Items must be objects unless `objectsOnly` is
 * false; a failure inside an item is reported as `key[i].…`.
 */
export function mapArray<T>(obj: JsonObject, key: string, map: (item: JsonObject) => T): T[];
export function mapArray<T>(obj: JsonObject, key: string, map: (item: unknown) => T, objectsOnly: false): T[];
export function mapArray<T>(obj: JsonObject, key: string, map: (item: never) => T, objectsOnly = true): T[] {
  const out: T[] = [];
  forEachItem(obj, key, objectsOnly, (item) => out.push((map as (item: unknown) => T)(item)));
  return out;
}

/** Visits the objects of the array at `obj[key]` (missing → none); failures inside are reported as `key[i].…`. */
export function forEachObject(obj: JsonObject, key: string, visit: (item: JsonObject) => void): void {
  forEachItem(obj, key, true, visit as (item: unknown) => void);
}

function forEachItem(obj: JsonObject, key: string, objectsOnly: boolean, visit: (item: unknown) => void): void {
  const value = obj[key];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw new ShapeError(key, `expected an array, got ${describeType(value)}`);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    try {
      if (objectsOnly && !isObject(item)) throw new ShapeError('', `expected an object, got ${describeType(item)}`);
      visit(item);
    } catch (error) {
      throw prefixPath(error, `${key}[${i}]`);
    }
  }
}

/** Runs `read` for a named field, prefixing the field to the path of any shape error. */
export function field<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw prefixPath(error, name);
  }
}

function prefixPath(error: unknown, segment: string): unknown {
  if (!(error instanceof ShapeError)) return error;
  // An error about a value itself has an empty leaf, named by whoever holds the value.
  if (error.path[0] === '') error.path[0] = segment;
  else error.path.unshift(segment);
  return error;
}

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value's type, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(shorten(value, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
