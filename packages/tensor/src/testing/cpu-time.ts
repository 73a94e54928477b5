// medianCpuMs: what a bench measures on a shared, noisy machine — this process's CPU time (other jobs' work does
// not count), the median over repetitions after a warm-up. Node only (process.cpuUsage), read when called.

/** Median CPU milliseconds (user + system, every thread of this process) of `fn` over `reps` runs after one warm-up. */
export function medianCpuMs(fn: () => unknown, reps: number): number {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < Math.max(1, reps); i++) {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    ms.push((t.user + t.system) / 1000);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}
