// A small Dockerfile reader: instructions grouped by build stage, enough for the offline
// checks (no variable expansion beyond ARG defaults in FROM, no heredocs).

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ENV, … */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  /** The `AS name`, else the stage's index as text. */
  readonly name: string;
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  readonly stages: readonly Stage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let pending = '';
  let startLine = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending !== '' && line.startsWith('#')) return;
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const space = full.search(/\s/);
    instructions.push({ keyword: (space === -1 ? full : full.slice(0, space)).toUpperCase(), args: space === -1 ? '' : full.slice(space + 1).trim(), line: startLine });
  });

  const args = new Map<string, string>();
  const stages: { name: string; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = instruction.args.split('=');
      args.set(name.trim(), value.trim());
    } else if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const image = (words[0] ?? '').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_whole, name: string) => args.get(name) ?? '');
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ name: asIndex === -1 ? String(stages.length) : (words[asIndex + 1] ?? ''), image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { stages };
}

/** The words of an exec-form (`["a", "b"]`) or shell-form instruction. */
export function commandWords(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not valid JSON: Docker runs it as a shell command too.
    }
  }
  return trimmed.split(/\s+/).filter((word) => word !== '');
}

/** `ENV A=1 B=2` or `ENV A 1` → names and values. */
export function envAssignments(args: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (!args.includes('=')) {
    const [name = '', ...rest] = args.split(/\s+/);
    result[name] = rest.join(' ');
    return result;
  }
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = match[2] ?? '';
    result[match[1] ?? ''] = value.startsWith('"') ? value.slice(1, -1) : value;
  }
  return result;
}
