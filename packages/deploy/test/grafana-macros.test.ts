import { describe, expect, test } from 'vitest';
import { expandMacros, formatInterval, interpolateVariables, MacroError, parseInterval, renderQuery } from '../src/grafana-macros.js';

const context = { from: new Date('2026-12-04T10:00:00.000Z'), to: new Date('2026-12-05T10:00:00.000Z'), intervalMs: 300_000 };

describe('expandMacros', () => {
  test('$__timeFilter(col) becomes a BETWEEN of RFC 3339 literals, with a nested call as its column', () => {
    expect(expandMacros('WHERE $__timeFilter(started_at)', context)).toBe("WHERE started_at BETWEEN '2026-12-04T10:00:00Z' AND '2026-12-05T10:00:00Z'");
    expect(expandMacros('WHERE $__timeFilter(coalesce(a, b)) AND x', context)).toBe(
      "WHERE coalesce(a, b) BETWEEN '2026-12-04T10:00:00Z' AND '2026-12-05T10:00:00Z' AND x",
    );
  });

  test('$__timeFrom() and $__timeTo() are the range ends as quoted literals', () => {
    expect(expandMacros('$__timeFrom()::timestamptz, $__timeTo()', context)).toBe("'2026-12-04T10:00:00Z'::timestamptz, '2026-12-05T10:00:00Z'");
  });

  test('$__timeGroup buckets epoch seconds by the interval (quoted or not, $__interval as the context), and the Alias names it time', () => {
    expect(expandMacros('$__timeGroup(hour, 1h)', context)).toBe('floor(extract(epoch from hour)/3600)*3600');
    expect(expandMacros("$__timeGroupAlias(day, '1d')", context)).toBe('floor(extract(epoch from day)/86400)*86400 AS "time"');
    expect(expandMacros('$__timeGroupAlias(t.started_at, $__interval, previous)', context)).toBe('floor(extract(epoch from t.started_at)/300)*300 AS "time"');
  });

  test('the Unix epoch macros use whole seconds (and nanoseconds for the Nano ones)', () => {
    expect(expandMacros('$__unixEpochFilter(ts)', context)).toBe('ts >= 1796378400 AND ts <= 1796464800');
    expect(expandMacros('$__unixEpochFrom() $__unixEpochTo()', context)).toBe('1796378400 1796464800');
    expect(expandMacros('$__unixEpochNanoFilter(ns)', context)).toBe('ns >= 1796378400000000000 AND ns <= 1796464800000000000');
    expect(expandMacros('$__unixEpochGroupAlias(ts, 5m)', context)).toBe('floor((ts)/300)*300 AS "time"');
  });

  test('$__time and $__timeEpoch alias the column as time', () => {
    expect(expandMacros('SELECT $__time(at), $__timeEpoch(at)', context)).toBe('SELECT at AS "time", extract(epoch from at) as "time"');
  });

  test('parentheses and commas inside string literals do not end a macro call', () => {
    expect(expandMacros("$__timeFilter(coalesce(a, '),('))", context)).toBe("coalesce(a, '),(') BETWEEN '2026-12-04T10:00:00Z' AND '2026-12-05T10:00:00Z'");
  });

  test('an unknown macro, a missing argument or an unclosed call throws', () => {
    expect(() => expandMacros('$__nope(x)', context)).toThrow(MacroError);
    expect(() => expandMacros('$__timeFilter()', context)).toThrow(/needs 1 argument/);
    expect(() => expandMacros('$__timeGroup(x)', context)).toThrow(/needs 2/);
    expect(() => expandMacros('$__timeFilter(x', context)).toThrow(/unclosed/);
    expect(() => expandMacros('$__timeGroup(x, soon)', context)).toThrow(/not an interval/);
  });
});

describe('interpolateVariables', () => {
  test('multi-value and All variables become quoted literals joined by commas, quotes doubled', () => {
    const sql = 'service_name IN ($service) AND agent IN (${agent})';
    expect(interpolateVariables(sql, { service: { value: ['a', "o'b"], quoted: true }, agent: { value: 'x', quoted: true } }, context)).toBe(
      "service_name IN ('a','o''b') AND agent IN ('x')",
    );
  });

  test('a single-value variable is inserted as it is, with its quotes doubled (the query quotes it)', () => {
    expect(interpolateVariables("id = '$conversation' AND ms <= [[sla]]", { conversation: { value: "c'1", quoted: false }, sla: { value: '3000', quoted: false } }, context)).toBe(
      "id = 'c''1' AND ms <= 3000",
    );
  });

  test('a variable name is matched whole: $service does not replace the start of $service_name', () => {
    expect(interpolateVariables('$service_name $service', { service: { value: 's', quoted: false } }, context)).toBe('$service_name s');
  });

  test('global variables: $__interval in Grafana units, $__interval_ms, $__range_s, $__from/$__to in ms; macros are left for expandMacros', () => {
    expect(interpolateVariables('$__interval $__interval_ms $__range_s $__from $__to $__timeFilter(x)', {}, context)).toBe(
      '5m 300000 86400 1796378400000 1796464800000 $__timeFilter(x)',
    );
  });

  test('formats: ${v:csv} and ${v:raw} join without quotes, ${v:sqlstring} quotes', () => {
    const variables = { v: { value: ['a', 'b'], quoted: false } };
    expect(interpolateVariables('${v:csv}|${v:raw}|${v:sqlstring}', variables, context)).toBe("a,b|a,b|'a','b'");
  });
});

describe('renderQuery and intervals', () => {
  test('variables first, then macros: $__timeGroupAlias(col, $__interval) takes the interpolated interval', () => {
    expect(renderQuery('SELECT $__timeGroupAlias(hour, $__interval) WHERE s IN ($s)', { s: { value: ['x'], quoted: true } }, { ...context, intervalMs: 3_600_000 })).toBe(
      `SELECT floor(extract(epoch from hour)/3600)*3600 AS "time" WHERE s IN ('x')`,
    );
  });

  test('parseInterval and formatInterval agree on Grafana units', () => {
    expect(parseInterval("'1d'")).toBe(86_400_000);
    expect(parseInterval('500ms')).toBe(500);
    expect(formatInterval(3_600_000)).toBe('1h');
    expect(formatInterval(90_000)).toBe('90s');
    expect(formatInterval(1500)).toBe('1500ms');
  });
});
