// The error pattern library: which kind of failure an error type and message describe. Pure.
// Specific wordings win over HTTP status codes, which win over generic wordings, so "400 This
// model's maximum context length is …" is a context-length error, not an invalid request.

export const ERROR_PATTERNS = [
  'rate_limit',
  'timeout',
  'context_length',
  'auth',
  'content_filter',
  'network',
  'server_error',
  'invalid_request',
  'other',
] as const;
export type ErrorPattern = (typeof ERROR_PATTERNS)[number];

type Rule = readonly [ErrorPattern, RegExp];

/** Wordings specific enough to decide alone (provider SDK error names included), in order. */
const SPECIFIC: readonly Rule[] = [
  ['rate_limit', /rate[\s_-]?limit|too many requests|quota|throttl|resource[\s_-]?exhausted|requests per (?:min|minute|day)|tokens per min/i],
  [
    'context_length',
    /context[\s_-]?(?:length|window|limit)|maximum context|prompt is too long|too many tokens|exceeds? the maximum (?:number of )?tokens|token limit|max_tokens|length[\s_-]?finish[\s_-]?reason/i,
  ],
  ['content_filter', /content[\s_-]?(?:filter|policy|management)|safety (?:system|filter|settings)|moderation|flagged|responsible ?ai|harmful/i],
  [
    'auth',
    /unauthori[sz]ed|authenticat|forbidden|permission[\s_-]?denied|access[\s_-]?denied|api[\s_-]?key|invalid[\s_-]?token|token (?:has )?expired|expired[\s_-]?token|not authorized|credentials/i,
  ],
  ['timeout', /\btime[ds]?[\s_-]?out|timeout|deadline[\s_-]?exceeded|ETIMEDOUT|took too long/i],
  [
    'network',
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up|connection[\s_-]?(?:refused|reset|closed|error|aborted|lost)|network|fetch failed|getaddrinfo|dns|unreachable/i,
  ],
];

/** Wordings that only decide when no status code does. */
const GENERIC: readonly Rule[] = [
  ['server_error', /internal[\s_-]?server|server[\s_-]?error|service[\s_-]?unavailable|bad[\s_-]?gateway|overloaded|\bunavailable\b|upstream|try again later/i],
  ['invalid_request', /bad[\s_-]?request|invalid|unprocessable|validation|not[\s_-]?found|malformed|unsupported|missing required/i],
];

// Where an HTTP status appears in error text: leading ("429 Rate limit reached", the OpenAI
// and Anthropic SDKs), in parentheses ("… (429)"), or after status/code/HTTP.
const STATUS_PATTERNS: readonly RegExp[] = [/^\s*([45]\d\d)\b/, /\(([45]\d\d)\)/, /\b(?:status(?:[\s_-]?code)?|code|http(?:\/[\d.]+)?)[\s:=]*([45]\d\d)\b/i];

/** The HTTP status an error text names, if any (400…599). */
export function httpStatusOf(text: string): number | undefined {
  for (const pattern of STATUS_PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

function patternOfStatus(status: number): ErrorPattern {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403 || status === 407) return 'auth';
  if (status === 408 || status === 504 || status === 524) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** The pattern of an error from its type (exception class or code) and message; `other` when nothing matches. */
export function classifyError(errorType: string | null | undefined, message: string | null | undefined): ErrorPattern {
  const type = errorType ?? '';
  const text = message ?? '';
  const both = `${type}\n${text}`;
  for (const [pattern, rule] of SPECIFIC) if (rule.test(both)) return pattern;
  const status = httpStatusOf(text) ?? httpStatusOf(type);
  if (status !== undefined) return patternOfStatus(status);
  for (const [pattern, rule] of GENERIC) if (rule.test(both)) return pattern;
  return 'other';
}
