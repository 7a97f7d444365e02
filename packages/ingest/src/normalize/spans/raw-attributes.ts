// The raw `attributes` jsonb column of span rows: the span's attributes as storable JSON,
// without the content keys (those are stored parsed, as messages). Pure.
import type { AttributeMap } from '../../otlp/types.js';
import { attributeKeys, attributeValues } from '../read/attributes.js';
import { CONTENT_KEY_PREFIXES } from '../read/keys.js';
import type { Json } from '../rows.js';
import { isStorableText, isStorableValue, toStorableValue } from '../read/sanitize.js';

/** Span attributes for the raw jsonb column: storable, and without content keys (stored parsed). */
export function toRawAttributes(attributes: AttributeMap): Json {
  // One pass classifying every key. The usual map (already storable: the decoders clean every
  // string) with no content key is stored as it is; rows only read it, so no copy is needed.
  const keys = attributeKeys(attributes);
  const values = attributeValues(attributes);
  let hasContentKey = false;
  for (let i = 0; i < keys.length; i += 1) {
    const kind = keyKindOf(keys[i] as string);
    if (kind === 'content') {
      hasContentKey = true;
    } else if (kind === 'unsafe' || !isStorableValue(values[i])) {
      return copyWithoutContent(attributes);
    }
  }
  if (!hasContentKey) return attributes;
  // Keyed stores beat a spread or Object.fromEntries here: those give fast properties (a bit
  // cheaper to JSON.stringify) but cost ~3 µs more to build from a dictionary-mode map.
  const kept: Record<string, Json> = {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (keyKindOf(key) !== 'content') kept[key] = values[i] as Json;
  }
  return kept;
}

/** The general case of {@link toRawAttributes}: keys or values to sanitize, or a `__proto__` key (dropped). */
function copyWithoutContent(attributes: AttributeMap): Json {
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (isContentKey(key)) continue;
    kept[key] = value;
  }
  return toStorableValue(kept);
}

/** `plain`: stored as it is; `content`: left out; `unsafe` (`__proto__`, unstorable text): needs the general copy. */
type KeyKind = 'plain' | 'content' | 'unsafe';

// Spans of one service repeat the same few dozen keys, so each distinct key is classified once
// (a Map lookup is a fraction of the prefix and storability checks). Bounded: a client sending
// ever-new keys only empties it now and then.
const MAX_CLASSIFIED_KEYS = 4096;
const keyKinds = new Map<string, KeyKind>();

function keyKindOf(key: string): KeyKind {
  let kind = keyKinds.get(key);
  if (kind === undefined) {
    kind = isContentKey(key) ? 'content' : key === '__proto__' || !isStorableText(key) ? 'unsafe' : 'plain';
    if (keyKinds.size >= MAX_CLASSIFIED_KEYS) keyKinds.clear();
    keyKinds.set(key, kind);
  }
  return kind;
}

/** Whether `key` starts with one of {@link CONTENT_KEY_PREFIXES} (once per distinct key: see keyKindOf). */
function isContentKey(key: string): boolean {
  for (const prefix of CONTENT_KEY_PREFIXES) if (key.startsWith(prefix)) return true;
  return false;
}
