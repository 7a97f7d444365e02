// Instants as the API writes them (ISO-8601 with microseconds), read to the microsecond.

/**
 * An ISO instant in epoch milliseconds with its sub-millisecond digits (the API gives
 * microseconds; Date.parse keeps only milliseconds, which would tie and misorder quick spans).
 */
export function instantMs(iso: string): number {
  const match = /\.(\d+)(?=Z|[+-]\d\d:?\d\d$)/.exec(iso);
  const whole = Date.parse(match === null ? iso : iso.replace(match[0], ''));
  return match === null ? whole : whole + Number(`0.${match[1]}`) * 1000;
}
