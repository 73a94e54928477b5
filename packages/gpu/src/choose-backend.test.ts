// The `auto` choice (measured on a probe, checked against the reference) and the names resolveBackend takes.
import { afterEach, describe, expect, it } from 'vitest';
import { cpuBackend, referenceBackend, ValueError, type Backend } from '@gloss/tensor';
import { chooseBackend, createGpuBackend, gpuModesAvailable, resolveBackend, type BackendChoice, type GpuBackend } from './index.js';

const saved = process.env.GLOSS_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.GLOSS_BACKEND; else process.env.GLOSS_BACKEND = saved;
});

async function release(choice: BackendChoice): Promise<void> {
  if ('dispose' in choice.backend) await (choice.backend as GpuBackend).dispose();
}

/** cpuBackend with one entry replaced. */
const variant = (name: string, patch: Partial<Backend>): { name: string; backend: Backend } => ({ name, backend: { ...cpuBackend, ...patch, name } });

describe('chooseBackend', () => {
  it('picks the fastest candidate that matches the reference and says why each other lost', async () => {
    delete process.env.GLOSS_BACKEND;
    const choice = await chooseBackend({
      candidates: [
        // right answers, but 15 ms late: must lose on time
        variant('slow', {
          attentionForward(...args) {
            const until = performance.now() + 15;
            while (performance.now() < until) { /* busy */ }
            cpuBackend.attentionForward(...args);
          },
        }),
        // fast, but wrong: must lose on the reference check
        variant('wrong', { attentionForward(q, k, v, dims, scale, masking, out, lse) { out.fill(0); lse.fill(0); } }),
      ],
    });
    const byName = new Map(choice.measurements.map((m) => [m.name, m]));
    const chosen = byName.get(choice.name)!;
    expect(chosen.ok).toBe(true);
    expect(chosen.why).toMatch(/^chosen/);
    const score = (m: typeof chosen): number => m.attentionMs! + m.matmulMs!;
    for (const m of choice.measurements) {
      if (m.ok && m !== chosen) {
        expect(score(m)).toBeGreaterThanOrEqual(score(chosen));
        expect(m.why).toMatch(/^slower: .* ms vs .* ms for /);
      }
    }
    expect(byName.get('slow')!.why).toMatch(/^slower/);
    expect(byName.get('wrong')!.ok).toBe(false);
    expect(byName.get('wrong')!.why).toMatch(/does not match the reference .*out\[\d+\] is 0/);
    // every gpu.js mode is accounted for: measured where it runs, "unavailable" where it does not
    for (const probe of await gpuModesAvailable()) {
      const m = byName.get(`gpu:${probe.mode}`)!;
      if (probe.available) expect(m.attentionMs).toBeGreaterThan(0);
      else expect(m.why).toMatch(/^unavailable here/);
    }
    expect(choice.ms).toBeGreaterThan(0);   // how long the probe takes is the bench's (npm run bench -w @gloss/gpu), not a unit test's
    await release(choice);
  });

  it('does not count a gpu.js backend that fell back to cpuBackend', async () => {
    const tiny = createGpuBackend({ mode: 'webasm', maxScores: 16 });
    const choice = await chooseBackend({ modes: [], candidates: [{ name: 'tiny-workspace', backend: tiny }] });
    const m = choice.measurements.find((x) => x.name === 'tiny-workspace')!;
    expect(m.ok).toBe(false);
    expect(m.why).toBe('fell back to cpuBackend: tq·tk = 4096 scores per head exceed the workspace limit 16');
    expect(choice.name).toBe('cpu');
    await tiny.dispose();
  });
});

describe('resolveBackend', () => {
  it('gives the named backend without measuring', async () => {
    delete process.env.GLOSS_BACKEND;
    expect((await resolveBackend('cpu')).backend).toBe(cpuBackend);
    const ref = await resolveBackend('reference');
    expect(ref.backend).toBe(referenceBackend);
    expect(ref.measurements).toEqual([]);
    for (const [name, mode] of [['webasm', 'webasm'], ['gpu:webasm', 'webasm'], ['gpu:cpu', 'cpu'], ['gpu', 'gpu']] as const) {
      const choice = await resolveBackend(name);
      expect(choice.name).toBe(`gpu:${mode}`);
      expect((choice.backend as GpuBackend).mode).toBe(mode);
      await release(choice);
    }
  });

  it("honors GLOSS_BACKEND in place of 'auto', while an explicit name wins", async () => {
    process.env.GLOSS_BACKEND = 'reference';
    expect((await resolveBackend()).backend).toBe(referenceBackend);
    expect((await resolveBackend('auto')).backend).toBe(referenceBackend);
    expect((await resolveBackend('cpu')).backend).toBe(cpuBackend);
    process.env.GLOSS_BACKEND = 'Webasm ';
    const choice = await resolveBackend();
    expect(choice.name).toBe('gpu:webasm');
    await release(choice);
  });

  it('refuses unknown names, listing the valid ones', async () => {
    delete process.env.GLOSS_BACKEND;
    const valid = 'valid: auto, cpu, reference, gpu, webasm, headlessgl, webgl2, webgl, gpu:cpu';
    await expect(resolveBackend('tpu')).rejects.toThrow(ValueError);
    await expect(resolveBackend('tpu')).rejects.toThrow(`resolveBackend: unknown backend 'tpu'; ${valid}`);
    process.env.GLOSS_BACKEND = 'cuda';
    await expect(resolveBackend()).rejects.toThrow(`resolveBackend: unknown backend 'cuda' (from GLOSS_BACKEND); ${valid}`);
  });

  it('refuses a gpu.js mode that does not run here, with the probe\'s reason', async () => {
    delete process.env.GLOSS_BACKEND;
    const probes = await gpuModesAvailable();
    const missing = probes.find((p) => !p.available);
    if (missing === undefined) {
      // Every mode runs on this machine: each is given, not refused (resolve-backend-refusal.test.ts refuses one
      // whatever the machine, with the probe's answer replaced).
      for (const p of probes) {
        const choice = await resolveBackend(`gpu:${p.mode}`);
        expect(choice.name).toBe(`gpu:${p.mode}`);
        await release(choice);
      }
      return;
    }
    await expect(resolveBackend(missing.mode)).rejects.toThrow(new RegExp(`backend '${missing.mode}' does not run here \\(${missing.mode}: `));
  });
});
