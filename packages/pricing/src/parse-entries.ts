// Validation of price entries from untrusted input (JSON files, JavaScript callers). Pure.
import { PriceTableError } from './errors.js';
import type { LlmTokenPrices, LongContextPrices, PriceEntryInput, PriceKind, TelephonyPriceEntry } from './types.js';

const COMMON_FIELDS = ['kind', 'model', 'provider', 'aliases', 'source', 'asOf', 'note'];
const TELEPHONY_FIELDS = [
  'kind', 'provider', 'direction', 'product', 'usdPerMinute', 'billingIncrementSeconds', 'minimumBilledSeconds',
  'source', 'asOf', 'note',
];
const FIELDS_BY_KIND: Record<PriceKind, readonly string[]> = {
  llm: [...COMMON_FIELDS, 'usdPerMillionTokens', 'longContext'],
  stt: [...COMMON_FIELDS, 'usdPerSecond', 'usdPerMinute', 'streamingUsdPerSecond', 'streamingUsdPerMinute'],
  tts: [...COMMON_FIELDS, 'usdPerMillionCharacters'],
};
const TOKEN_RATES: readonly (keyof LlmTokenPrices)[] = [
  'input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'audioInput', 'audioOutput',
];

type Fields = Record<string, unknown>;

/** Thrown inside this module with the field's problem; `parseEntry` adds which entry. */
class FieldProblem extends Error {}

/**
 * Validates price entries and returns clean copies. Accepts an array of entries or an object
 * `{ "entries": [...] }` (the price file format). Throws `PriceTableError` with code
 * `CONVOTEL_INVALID_PRICE_ENTRY` naming the first bad entry and field; unknown fields are
 * rejected so a misspelt rate is not silently ignored.
 */
export function parsePriceEntries(value: unknown): PriceEntryInput[] {
  const list = Array.isArray(value) ? value : isFields(value) ? value['entries'] : undefined;
  if (!Array.isArray(list)) {
    throw new PriceTableError(
      'CONVOTEL_INVALID_PRICE_ENTRY',
      `expected an array of price entries or an object with an "entries" array, got ${describe(value)}`,
    );
  }
  return list.map((item: unknown, index) => parseEntry(item, index));
}

function parseEntry(item: unknown, index: number): PriceEntryInput {
  try {
    if (!isFields(item)) throw new FieldProblem(`expected an object, got ${describe(item)}`);
    return item['kind'] === 'telephony' ? parseTelephonyFields(item) : parseFields(item);
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    throw new PriceTableError('CONVOTEL_INVALID_PRICE_ENTRY', `${nameEntry(item, index)}: ${error.message}`);
  }
}

/** `entries[2]`, with the model or the telephony provider when the entry names one. */
function nameEntry(item: unknown, index: number): string {
  if (!isFields(item)) return `entries[${index}]`;
  const key = item['kind'] === 'telephony' ? 'provider' : 'model';
  const name = item[key];
  return typeof name === 'string' ? `entries[${index}] (${key} ${JSON.stringify(name)})` : `entries[${index}]`;
}

function parseTelephonyFields(fields: Fields): TelephonyPriceEntry {
  rejectUnknownFields(fields, TELEPHONY_FIELDS, '');
  const provider = optionalString(fields, 'provider');
  if (provider === undefined) throw new FieldProblem('"provider" must be a non-empty string, got nothing');
  const direction = fields['direction'];
  if (direction !== 'inbound' && direction !== 'outbound') {
    throw new FieldProblem(`"direction" must be "inbound" or "outbound", got ${describe(direction)}`);
  }
  const increment = fields['billingIncrementSeconds'];
  if (typeof increment !== 'number' || !Number.isInteger(increment) || increment <= 0) {
    throw new FieldProblem(
      `"billingIncrementSeconds" must be a positive integer (60 = per started minute, 1 = per second), got ${describe(increment)}`,
    );
  }
  const minimum = fields['minimumBilledSeconds'];
  if (minimum !== undefined && (typeof minimum !== 'number' || !Number.isFinite(minimum) || minimum < 0)) {
    throw new FieldProblem(`"minimumBilledSeconds" must be a number of seconds >= 0, got ${describe(minimum)}`);
  }
  return {
    kind: 'telephony',
    provider,
    direction,
    ...optional('product', optionalString(fields, 'product')),
    usdPerMinute: price(fields['usdPerMinute'], 'usdPerMinute'),
    billingIncrementSeconds: increment,
    ...optional('minimumBilledSeconds', minimum as number | undefined),
    ...optional('source', optionalSource(fields['source'])),
    ...optional('asOf', optionalDate(fields['asOf'])),
    ...optional('note', optionalString(fields, 'note')),
  };
}

function parseFields(fields: Fields): PriceEntryInput {
  const model = fields['model'];
  if (typeof model !== 'string' || model.trim() === '') {
    throw new FieldProblem(`"model" must be a non-empty string, got ${describe(model)}`);
  }
  const kind = fields['kind'];
  if (kind !== 'llm' && kind !== 'stt' && kind !== 'tts') {
    throw new FieldProblem(`"kind" must be "llm", "stt", "tts" or "telephony", got ${describe(kind)}`);
  }
  rejectUnknownFields(fields, FIELDS_BY_KIND[kind], '');
  const common = {
    model,
    ...optional('provider', optionalString(fields, 'provider')),
    ...optional('aliases', optionalAliases(fields['aliases'])),
    ...optional('source', optionalSource(fields['source'])),
    ...optional('asOf', optionalDate(fields['asOf'])),
    ...optional('note', optionalString(fields, 'note')),
  };
  switch (kind) {
    case 'llm': {
      const longContext = fields['longContext'];
      return {
        ...common,
        kind,
        usdPerMillionTokens: parseTokenRates(fields['usdPerMillionTokens'], 'usdPerMillionTokens', true),
        ...optional('longContext', longContext === undefined ? undefined : parseLongContext(longContext)),
      };
    }
    case 'stt':
      return {
        ...common,
        kind,
        ...exactlyOne(fields, 'usdPerSecond', 'usdPerMinute', true),
        ...exactlyOne(fields, 'streamingUsdPerSecond', 'streamingUsdPerMinute', false),
      };
    case 'tts':
      return {
        ...common,
        kind,
        usdPerMillionCharacters: price(fields['usdPerMillionCharacters'], 'usdPerMillionCharacters'),
      };
  }
}

function parseTokenRates(value: unknown, path: string, isComplete: true): LlmTokenPrices;
function parseTokenRates(value: unknown, path: string, isComplete: false): Partial<LlmTokenPrices>;
function parseTokenRates(value: unknown, path: string, isComplete: boolean): Partial<LlmTokenPrices> {
  if (!isFields(value)) throw new FieldProblem(`"${path}" must be an object of USD per 1M tokens, got ${describe(value)}`);
  rejectUnknownFields(value, TOKEN_RATES, `${path}.`);
  const rates: Partial<LlmTokenPrices> = {};
  for (const rate of TOKEN_RATES) {
    const isRequired = isComplete && (rate === 'input' || rate === 'output');
    if (value[rate] !== undefined || isRequired) rates[rate] = price(value[rate], `${path}.${rate}`);
  }
  if (Object.keys(rates).length === 0) throw new FieldProblem(`"${path}" must set at least one rate`);
  return rates;
}

function parseLongContext(value: unknown): LongContextPrices {
  if (!isFields(value)) throw new FieldProblem(`"longContext" must be an object, got ${describe(value)}`);
  rejectUnknownFields(value, ['aboveInputTokens', 'usdPerMillionTokens'], 'longContext.');
  const above = value['aboveInputTokens'];
  if (typeof above !== 'number' || !Number.isInteger(above) || above <= 0) {
    throw new FieldProblem(`"longContext.aboveInputTokens" must be a positive integer, got ${describe(above)}`);
  }
  return {
    aboveInputTokens: above,
    usdPerMillionTokens: parseTokenRates(value['usdPerMillionTokens'], 'longContext.usdPerMillionTokens', false),
  };
}

function exactlyOne(fields: Fields, perSecond: string, perMinute: string, isRequired: boolean): Record<string, number> {
  const given = [perSecond, perMinute].filter((name) => fields[name] !== undefined);
  if (given.length > 1) throw new FieldProblem(`give either "${perSecond}" or "${perMinute}", not both`);
  const [name] = given;
  if (name === undefined) {
    if (isRequired) throw new FieldProblem(`one of "${perSecond}" or "${perMinute}" is required`);
    return {};
  }
  return { [name]: price(fields[name], name) };
}

function price(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FieldProblem(`"${path}" must be a finite number >= 0 (USD), got ${describe(value)}`);
  }
  return value;
}

function optionalString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldProblem(`"${name}" must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function optionalAliases(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((alias) => typeof alias === 'string' && alias.trim() !== '')) {
    throw new FieldProblem(`"aliases" must be an array of non-empty strings, got ${describe(value)}`);
  }
  return [...(value as string[])];
}

function optionalSource(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new FieldProblem(`"source" must be a URL, got ${describe(value)}`);
  }
  return value;
}

function optionalDate(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const isDate = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
  if (!isDate) throw new FieldProblem(`"asOf" must be a date written YYYY-MM-DD, got ${describe(value)}`);
  return value;
}

function rejectUnknownFields(fields: Fields, allowed: readonly string[], prefix: string): void {
  const unknown = Object.keys(fields).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new FieldProblem(`unknown field "${prefix}${unknown}" (allowed: ${allowed.join(', ')})`);
  }
}

/** `{ [name]: value }`, or `{}` when the value is undefined: keeps absent fields absent. */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]?: V });
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
