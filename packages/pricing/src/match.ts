// Model-name normalization: pure string functions, no knowledge of any price.

// Bedrock ids carry an optional cross-region prefix and a vendor prefix:
// `us.anthropic.claude-3-5-sonnet-20241022-v2:0`, `meta.llama3-1-70b-instruct-v1:0`.
const BEDROCK_PREFIX =
  /^(?:(?:us|eu|apac|jp|au|ca|us-gov|global)\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|qwen|openai)\./;

// Suffixes that name a snapshot or release channel of the same model at the same price.
// Deliberately narrow: `-mini`, `-audio`, `-32k`, `-5` (a newer version) never match, so an
// unknown variant stays unknown instead of being priced as its base model.
const SNAPSHOT_TOKEN = [
  String.raw`\d{4}-\d{2}-\d{2}`, // 2024-08-06
  String.raw`\d{2}-\d{2}`, // preview-05-20
  String.raw`\d{3,8}`, // 20241022, 0125, 2411, 002
  String.raw`v\d+(?:[.:p]\d+)*`, // v2:0 (Bedrock), v0.1, v3p1
  'latest', 'preview', 'exp', 'experimental', 'instruct', 'chat', 'it',
].join('|');
const SNAPSHOT_SUFFIX = new RegExp(`^(?:-(?:${SNAPSHOT_TOKEN}))+$`);

/**
 * Normalizes a model name for lookup: lower case, no provider path (`openai/gpt-4o`,
 * `models/gemini-1.5-pro-002`, `accounts/fireworks/models/…`), no Bedrock region or vendor
 * prefix, and `_`, `@` and spaces turned into `-` (Vertex writes `claude-3-5-sonnet@20240620`).
 */
export function normalizeModelName(name: string): string {
  let normalized = name.trim().toLowerCase();
  normalized = normalized.slice(normalized.lastIndexOf('/') + 1);
  normalized = normalized.replace(BEDROCK_PREFIX, '');
  return normalized.replace(/[\s_@]+/g, '-');
}

/** Whether `suffix` (starting with `-`) only names a snapshot, version or release channel. */
export function isSnapshotSuffix(suffix: string): boolean {
  return SNAPSHOT_SUFFIX.test(suffix);
}

/**
 * The names a normalized model name may be priced under, longest first: the name itself,
 * then each shorter `-`-bounded prefix whose cut-off part is only a snapshot suffix
 * (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini-2024-07-18`, `gpt-4o-mini`).
 */
export function lookupKeys(normalized: string): string[] {
  const keys = normalized === '' ? [] : [normalized];
  for (let cut = normalized.lastIndexOf('-'); cut > 0; cut = normalized.lastIndexOf('-', cut - 1)) {
    if (isSnapshotSuffix(normalized.slice(cut))) keys.push(normalized.slice(0, cut));
  }
  return keys;
}
