// The frame of a human answer: a title between double rules, sections, bullet lists.
import stringWidth from 'string-width';

/** Narrowest rule, as in the seed session. */
const MIN_RULE_WIDTH = 60;

/** `title` framed by double rules, then `body`, then a closing rule, as wide as the widest line. */
export function framed(title: string, body: readonly string[]): string[] {
  const width = Math.max(MIN_RULE_WIDTH, stringWidth(title), ...body.map((line) => stringWidth(line)));
  const rule = '='.repeat(width);
  return [rule, title, rule, ...body, rule];
}

/** A sub-heading with a single rule under it. */
export function heading(title: string): string[] {
  return [title, '-'.repeat(Math.max(MIN_RULE_WIDTH, stringWidth(title)))];
}

/** `• line` for each line, under an upper-case label. */
export function bullets(label: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', `${label.toUpperCase()}:`, ...lines.map((line) => `• ${line}`)];
}

/** Writes lines to stdout. */
export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}
