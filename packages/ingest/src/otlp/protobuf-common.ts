// The messages of OTLP's common.proto and resource.proto (KeyValue, AnyValue, InstrumentationScope,
// Resource) read straight into the decoded shapes of types.ts, plus the field primitives the
// trace and log walkers share. protobufjs's Reader does the wire-level reading (varints, skips,
// doubles, int64); walking the messages here instead of through its reflection decoder skips a
// whole layer of KeyValue/AnyValue objects per attribute, the largest cost of decoding.
import protobuf from 'protobufjs';
import { PendingAttributes, toAttributeMap } from './attribute-shapes.js';
import { StringTable } from './string-table.js';
import type { AttributeValue, InstrumentationScope } from './types.js';

/** A protobufjs reader over a Node Buffer (strings and bytes are read from `buffer`). */
export interface WireReader {
  readonly reader: protobuf.Reader;
  readonly buffer: Buffer;
  readonly strings: StringTable;
  /** Collectors of the attribute maps being read (a span's, inside it an event's, a kvlist's…). */
  readonly pending: PendingAttributes[];
  /** How many of `pending` are in use. */
  openMaps: number;
}

/** Wire types (the low 3 bits of a tag). */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

/** The tag of field `number` with wire type `wireType`, as it appears on the wire. */
export function tag(number: number, wireType: number): number {
  return (number << 3) | wireType;
}

/** As deep as kvlists and arrays may nest (protobufjs's own recursion limit). */
const MAX_NESTING = 100;

const strings = new StringTable();

/** A reader over `body`; one string table serves every request (it is bounded). */
export function toWireReader(body: Buffer): WireReader {
  return { reader: protobuf.Reader.create(body), buffer: body, strings, pending: [], openMaps: 0 };
}

/** Starts an attribute map: its KeyValues go to the returned collector until {@link endMap}. */
export function beginMap(wire: WireReader): PendingAttributes {
  let pending = wire.pending[wire.openMaps];
  if (pending === undefined) wire.pending.push((pending = new PendingAttributes()));
  wire.openMaps += 1;
  return pending;
}

/** Ends the map begun last: the object of its KeyValues. */
export function endMap(wire: WireReader, pending: PendingAttributes): Record<string, AttributeValue> {
  wire.openMaps -= 1;
  return toAttributeMap(pending);
}

/** Reads a length prefix; returns where the field ends. Throws RangeError past the end of the body. */
export function fieldEnd(wire: WireReader): number {
  const { reader } = wire;
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) throw new RangeError(`index out of range: ${reader.pos} + ${length} > ${reader.len}`);
  return end;
}

/** After a message's fields: its last field must not have run past the message's length. */
export function checkEnd(wire: WireReader, end: number): void {
  if (wire.reader.pos !== end) throw new RangeError(`a field runs past the end of its message (at ${wire.reader.pos}, message ends at ${end})`);
}

/** A length-delimited string field (NUL characters removed, invalid UTF-8 as U+FFFD). */
export function readText(wire: WireReader): string {
  const end = fieldEnd(wire);
  const text = wire.strings.text(wire.buffer, wire.reader.pos, end);
  wire.reader.pos = end;
  return text;
}

/** A length-delimited bytes field (a view into the body). */
export function readBytes(wire: WireReader): Buffer {
  const end = fieldEnd(wire);
  const bytes = wire.buffer.subarray(wire.reader.pos, end);
  wire.reader.pos = end;
  return bytes;
}

/** A fixed64 field, exact (nanosecond timestamps exceed 2^53). */
export function readFixed64(wire: WireReader): bigint {
  const { reader } = wire;
  if (reader.pos + 8 > reader.len) throw new RangeError(`index out of range: ${reader.pos} + 8 > ${reader.len}`);
  const value = wire.buffer.readBigUInt64LE(reader.pos);
  reader.pos += 8;
  return value;
}

/** Reads one KeyValue message into the map being read (a repeated key keeps its last value). */
export function readKeyValue(wire: WireReader, into: PendingAttributes, depth = 0): void {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) key = readText(wire);
    else if (fieldTag === tag(2, LEN)) value = readAnyValue(wire, depth);
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  into.add(key, value);
}

/**
 * An AnyValue as plain data: kvlists become objects, arrays arrays, bytes base64 text, int64
 * a number when safe and its exact decimal text otherwise; an empty AnyValue (legal since
 * proto v1.9.0) is null.
 */
export function readAnyValue(wire: WireReader, depth = 0): AttributeValue {
  if (depth >= MAX_NESTING) throw new RangeError(`attribute values nest deeper than ${MAX_NESTING} levels`);
  const end = fieldEnd(wire);
  const { reader } = wire;
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    switch (fieldTag) {
      case tag(1, LEN):
        value = readText(wire);
        break;
      case tag(2, VARINT):
        value = reader.bool();
        break;
      case tag(3, VARINT):
        value = readInt64(wire);
        break;
      case tag(4, I64):
        value = reader.double();
        break;
      case tag(5, LEN):
        value = readArrayValue(wire, depth + 1);
        break;
      case tag(6, LEN):
        value = readKeyValueList(wire, depth + 1);
        break;
      case tag(7, LEN):
        value = readBytes(wire).toString('base64');
        break;
      default:
        reader.skipType(fieldTag & 7);
    }
  }
  checkEnd(wire, end);
  return value;
}

function readArrayValue(wire: WireReader, depth: number): AttributeValue[] {
  const end = fieldEnd(wire);
  const { reader } = wire;
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) values.push(readAnyValue(wire, depth));
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return values;
}

function readKeyValueList(wire: WireReader, depth: number): Record<string, AttributeValue> {
  const end = fieldEnd(wire);
  const { reader } = wire;
  const values = beginMap(wire);
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) readKeyValue(wire, values, depth);
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return endMap(wire, values);
}

/** A Resource message: its attributes. */
export function readResource(wire: WireReader): Record<string, AttributeValue> {
  return readKeyValueList(wire, 0);
}

/** An InstrumentationScope message. */
export function readScope(wire: WireReader): InstrumentationScope {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let name = '';
  let version = '';
  const attributes = beginMap(wire);
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) name = readText(wire);
    else if (fieldTag === tag(2, LEN)) version = readText(wire);
    else if (fieldTag === tag(3, LEN)) readKeyValue(wire, attributes);
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return { name, version: version === '' ? undefined : version, attributes: endMap(wire, attributes) };
}

/** An absent scope. */
export const NO_SCOPE: InstrumentationScope = Object.freeze({ name: '', version: undefined, attributes: Object.freeze({}) });

/**
 * A varint int64 field → a safe number or its exact decimal text. Read here rather than with
 * protobufjs's `int64()`, which builds two objects per value (LongBits, then a Long).
 */
function readInt64(wire: WireReader): number | string {
  const { reader, buffer } = wire;
  let pos = reader.pos;
  let low = 0;
  let byte = 0;
  // Bits 0–27 from the first four bytes; a value that ends there is a small positive number.
  for (let shift = 0; shift < 28; shift += 7) {
    byte = byteAt(buffer, pos++, reader.len);
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      reader.pos = pos;
      return low;
    }
  }
  // The fifth byte holds bits 28–34: four for the low word, three for the high one.
  byte = byteAt(buffer, pos++, reader.len);
  low = (low | ((byte & 0x7f) << 28)) >>> 0;
  let high = (byte & 0x7f) >> 4;
  for (let shift = 3; byte >= 0x80; shift += 7) {
    if (shift > 31) throw new RangeError('invalid varint encoding');
    byte = byteAt(buffer, pos++, reader.len);
    high |= (byte & 0x7f) << shift;
  }
  reader.pos = pos;
  // Two's complement: the high word is signed. Rounding is monotonic, so an unsafe true value
  // never rounds to a safe one.
  const approx = (high | 0) * 4294967296 + low;
  if (Number.isSafeInteger(approx)) return approx;
  return ((BigInt(high | 0) << 32n) + BigInt(low)).toString();
}

function byteAt(buffer: Buffer, pos: number, length: number): number {
  if (pos >= length) throw new RangeError(`index out of range: ${pos} + 1 > ${length}`);
  return buffer[pos] as number;
}
