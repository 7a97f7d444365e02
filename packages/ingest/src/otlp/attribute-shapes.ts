// Attribute maps built in V8's fast mode. An object given more than about a dozen computed keys
// one by one turns into a hash table ("dictionary mode"), which is slower to fill, to read and
// to JSON.stringify; spans carry 20–30 attributes. Spans of one kind carry the same keys in the
// same order, so a map copies a template object that has those keys (a copy keeps the fast
// layout) and then stores its values. Templates are kept for a bounded number of key lists.
import type { AttributeValue } from './types.js';
import { setAttribute } from './values.js';

/** The pairs of one map being read, in wire order (reused from map to map). */
export class PendingAttributes {
  readonly keys: string[] = [];
  readonly values: AttributeValue[] = [];
  count = 0;

  add(key: string, value: AttributeValue): void {
    this.keys[this.count] = key;
    this.values[this.count] = value;
    this.count += 1;
  }
}

/** Fewer keys than this stay fast when stored one by one: no template needed. */
const MIN_SHAPE_KEYS = 9;
/** Longer key lists are rare and costlier to compare: built one by one. */
const MAX_SHAPE_KEYS = 96;
/** Key lists remembered at once; a new one replaces the oldest. */
const SHAPES = 32;

interface Shape {
  /** The key list as it came on the wire (repeats included). */
  readonly keys: readonly string[];
  /** An object with those keys (values null), copied for each map of this shape. */
  readonly template: Record<string, AttributeValue>;
}

const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(SHAPES).fill(undefined);
let nextSlot = 0;

/**
 * The map of the pairs read (a repeated key keeps its last value, as with plain stores) and
 * `pending` emptied for its next use.
 */
export function toAttributeMap(pending: PendingAttributes): Record<string, AttributeValue> {
  const { keys, values, count } = pending;
  pending.count = 0;
  if (count < MIN_SHAPE_KEYS || count > MAX_SHAPE_KEYS) return assignEach(keys, values, count);
  const shape = findShape(keys, count);
  if (shape === undefined) {
    const map = assignEach(keys, values, count);
    remember(keys, count, map);
    return map;
  }
  const map = { ...shape.template };
  // Keys of a template never include `__proto__` (see remember): plain stores are safe.
  for (let i = 0; i < count; i += 1) map[keys[i] as string] = values[i] as AttributeValue;
  return map;
}

function assignEach(keys: readonly string[], values: readonly AttributeValue[], count: number): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (let i = 0; i < count; i += 1) setAttribute(map, keys[i] as string, values[i] as AttributeValue);
  return map;
}

function findShape(keys: readonly string[], count: number): Shape | undefined {
  for (let s = 0; s < SHAPES; s += 1) {
    const shape = shapes[s];
    if (shape === undefined) return undefined;
    const shapeKeys = shape.keys;
    if (shapeKeys.length !== count || shapeKeys[0] !== keys[0] || shapeKeys[count - 1] !== keys[count - 1]) continue;
    let i = 1;
    while (i < count - 1 && shapeKeys[i] === keys[i]) i += 1;
    if (i >= count - 1) return shape;
  }
  return undefined;
}

function remember(keys: readonly string[], count: number, map: Readonly<Record<string, AttributeValue>>): void {
  const shapeKeys = keys.slice(0, count);
  if (shapeKeys.includes('__proto__')) return;
  // A copy of a dictionary-mode object is a fast one; nulls keep no value of this span alive.
  const template: Record<string, AttributeValue> = { ...map };
  for (const key of Object.keys(template)) template[key] = null;
  shapes[nextSlot] = { keys: shapeKeys, template };
  nextSlot = (nextSlot + 1) % SHAPES;
}
