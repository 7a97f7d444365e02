// `--json`: the API's answer as it came, indented, so `jq` and people can both read it.

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** One compact JSON line (NDJSON), for streams such as `tail --json`. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
