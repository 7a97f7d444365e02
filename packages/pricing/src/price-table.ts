// Price lookup: an index of entries by normalized name, searched overrides first.
import { lookupKeys, normalizeModelName } from './match.js';
import { parsePriceEntries } from './parse-entries.js';
import { LLM_PRICES } from './table/llm.js';
import { STT_PRICES, TTS_PRICES } from './table/speech.js';
import { TELEPHONY_PRICES } from './table/telephony.js';
import type {
  PriceEntry,
  PriceEntryByKind,
  PriceEntryInput,
  PriceKind,
  TelephonyDirection,
  TelephonyPriceEntry,
} from './types.js';

/** A set of prices that can be searched by model name. Immutable. */
export interface PriceTable {
  /**
   * Finds the price of `model` for a kind of work, or `undefined` when no entry matches.
   * Matching is case-insensitive, ignores provider prefixes and snapshot suffixes, and prefers
   * the longest matching name. Entries given as overrides are searched before built-ins.
   * `provider` (a `gen_ai.provider.name`) only chooses between hosts of the same model.
   */
  find<K extends PriceKind>(kind: K, model: string, provider?: string): PriceEntryByKind[K] | undefined;
  /**
   * Finds the per-minute price of a call leg with `provider` (case-insensitive) in `direction`,
   * or `undefined` when there is none. Overrides are searched before built-ins; within them the
   * entry for `product` wins, then the provider's entry without a product, then its first one.
   */
  findTelephony(provider: string, direction: TelephonyDirection, product?: string): TelephonyPriceEntry | undefined;
  /** Every entry, overrides first. */
  readonly entries: readonly PriceEntry[];
}

/** Options of `createPriceTable`. */
export interface CreatePriceTableOptions {
  /**
   * Entries to add or override (validated; STT per-minute rates converted). They win over
   * built-in entries for every name they match; within the list a later entry for the same
   * kind, name and provider replaces an earlier one.
   */
  entries?: readonly PriceEntryInput[];
  /** Keep the built-in prices under the given entries. Default `true`; `false` uses `entries` alone. */
  extend?: boolean;
}

// One layer per precedence level: normalized name → entries under that name.
type Layer = Map<string, PriceEntry[]>;

const MAX_MEMOIZED_LOOKUPS = 4096;

const BUILT_IN_ENTRIES: readonly PriceEntryInput[] = [...LLM_PRICES, ...STT_PRICES, ...TTS_PRICES, ...TELEPHONY_PRICES];
let defaultTable: PriceTable | undefined;

/** The built-in price table (built on first use, then shared). */
export function getDefaultPriceTable(): PriceTable {
  defaultTable ??= buildTable([BUILT_IN_ENTRIES.map(toPriceEntry)]);
  return defaultTable;
}

/**
 * Creates a price table from `entries`, on top of the built-in prices unless `extend` is
 * `false`. Throws `PriceTableError` (`CONVOTEL_INVALID_PRICE_ENTRY`) for a malformed entry.
 */
export function createPriceTable(options: CreatePriceTableOptions = {}): PriceTable {
  const overrides = parsePriceEntries(options.entries ?? []).map(toPriceEntry);
  const isExtending = options.extend ?? true;
  return buildTable(isExtending ? [overrides, getDefaultPriceTable().entries] : [overrides]);
}

function buildTable(entryLayers: readonly (readonly PriceEntry[])[]): PriceTable {
  const deduplicated = entryLayers.map(withoutReplaced);
  const layers = deduplicated.map(indexEntries);
  const telephonyLayers = deduplicated.map((layer) => layer.filter(isTelephony));
  const entries = Object.freeze(deduplicated.flat());
  // Lookups repeat the same few models on every call; the table never changes, so memoize.
  // Bounded, because model names reaching the ingest are not ours to trust.
  const found = new Map<string, PriceEntry | null>();
  const lookup = (kind: PriceKind, model: string, provider: string | undefined): PriceEntry | undefined => {
    const keys = lookupKeys(normalizeModelName(model)).map((key) => `${kind}:${key}`);
    const matches = layers.flatMap((layer) => longestMatch(layer, keys));
    const hint = typeof provider === 'string' ? provider.trim().toLowerCase() : undefined;
    return matches.find((entry) => !hint || !entry.provider || entry.provider === hint) ?? matches[0];
  };
  return Object.freeze({
    entries,
    find<K extends PriceKind>(kind: K, model: string, provider?: string): PriceEntryByKind[K] | undefined {
      if (typeof model !== 'string') return undefined;
      const memoKey = `${kind}\u0000${provider ?? ''}\u0000${model}`;
      let entry = found.get(memoKey);
      if (entry === undefined) {
        entry = lookup(kind, model, typeof provider === 'string' ? provider : undefined) ?? null;
        if (found.size >= MAX_MEMOIZED_LOOKUPS) found.clear();
        found.set(memoKey, entry);
      }
      return (entry ?? undefined) as PriceEntryByKind[K] | undefined;
    },
    findTelephony(provider: string, direction: TelephonyDirection, product?: string): TelephonyPriceEntry | undefined {
      if (typeof provider !== 'string') return undefined;
      const wanted = provider.trim().toLowerCase();
      const wantedProduct = typeof product === 'string' ? product.trim().toLowerCase() : undefined;
      for (const layer of telephonyLayers) {
        const candidates = layer.filter((entry) => entry.provider === wanted && entry.direction === direction);
        const chosen =
          candidates.find((entry) => wantedProduct !== undefined && entry.product?.toLowerCase() === wantedProduct)
          ?? candidates.find((entry) => entry.product === undefined)
          ?? candidates[0];
        if (chosen) return chosen;
      }
      return undefined;
    },
  });
}

function isTelephony(entry: PriceEntry): entry is TelephonyPriceEntry {
  return entry.kind === 'telephony';
}

function longestMatch(layer: Layer, keys: readonly string[]): PriceEntry[] {
  for (const key of keys) {
    const found = layer.get(key);
    if (found) return found;
  }
  return [];
}

/** Drops entries that a later entry of the same kind, model and provider replaces. */
function withoutReplaced(entries: readonly PriceEntry[]): PriceEntry[] {
  const identity = (entry: PriceEntry) =>
    isTelephony(entry)
      ? `telephony:${entry.provider}:${entry.direction}:${entry.product?.toLowerCase() ?? ''}`
      : `${entry.kind}:${normalizeModelName(entry.model)}:${entry.provider ?? ''}`;
  const last = new Map(entries.map((entry) => [identity(entry), entry]));
  return entries.filter((entry) => last.get(identity(entry)) === entry);
}

function indexEntries(entries: readonly PriceEntry[]): Layer {
  const layer: Layer = new Map();
  for (const entry of entries) {
    if (isTelephony(entry)) continue; // keyed by provider and direction, not by model name
    for (const name of new Set([entry.model, ...(entry.aliases ?? [])].map(normalizeModelName))) {
      const key = `${entry.kind}:${name}`;
      const list = layer.get(key) ?? [];
      // A later entry for the same name and provider replaces the earlier one in place.
      const same = list.findIndex((other) => other.provider === entry.provider);
      if (same === -1) list.push(entry);
      else list[same] = entry;
      layer.set(key, list);
    }
  }
  return layer;
}

/** Resolves an input entry: provider lower-cased, STT per-minute rates turned into per-second. */
function toPriceEntry(input: PriceEntryInput): PriceEntry {
  if (input.kind === 'telephony') return Object.freeze({ ...input, provider: input.provider.trim().toLowerCase() });
  const provider = input.provider?.toLowerCase();
  const common = provider === undefined ? { ...input } : { ...input, provider };
  if (common.kind !== 'stt') return Object.freeze(common);
  const { usdPerMinute, streamingUsdPerMinute, usdPerSecond, streamingUsdPerSecond, ...rest } = common;
  const streaming = streamingUsdPerSecond ?? perSecond(streamingUsdPerMinute);
  return Object.freeze({
    ...rest,
    usdPerSecond: usdPerSecond ?? perSecond(usdPerMinute) ?? 0,
    ...(streaming === undefined ? {} : { streamingUsdPerSecond: streaming }),
  });
}

function perSecond(usdPerMinute: number | undefined): number | undefined {
  return usdPerMinute === undefined ? undefined : usdPerMinute / 60;
}
