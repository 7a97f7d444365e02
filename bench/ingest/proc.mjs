// Resident memory and CPU time of processes, from /proc (Linux).
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/** VmRSS and VmHWM (peak) of a process, in MB; undefined once it is gone. */
export function readMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used (0 when it is gone). */
export function readCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine so far (all cores). */
export function readMachineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

/** Samples a process's RSS every `intervalMs` until stopped; `samples` are { atMs, rssMb }. */
export function sampleMemory(pid, intervalMs = 250) {
  const samples = [];
  const startedAt = performance.now();
  const take = () => {
    const memory = readMemory(pid);
    if (memory !== undefined) samples.push({ atMs: performance.now() - startedAt, rssMb: memory.rssMb });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
