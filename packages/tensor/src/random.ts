// Seeded randomness. Every random choice in gloss goes through a Generator (seedrandom's Alea):
// the same seed gives the same numbers on every machine, and the state can be saved for exact resume.
import seedrandom from 'seedrandom';
import { ValueError } from './errors.js';

/** JSON-serializable state of a Generator: restoring it continues the exact same stream. */
export interface GeneratorState {
  readonly alea: { c: number; s0: number; s1: number; s2: number };
  /** The second value of the last Box–Muller pair, not yet handed out. */
  readonly spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator.
 * @example
 * const g = new Generator(42);
 * g.random();  // uniform in [0, 1)
 * g.normal();  // standard normal
 */
export class Generator {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spare: number | null = null;

  constructor(seed: number | string = 0) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new ValueError('Generator', `seed must be a finite number or a string, got ${seed}`);
    }
    this.prng = seedrandom.alea(String(seed), { state: true });
  }

  /** Uniform float in [0, 1), 32 bits of resolution. */
  random(): number {
    return this.prng();
  }

  /** Uniform integer in [0, 2³²): one draw, all 32 bits of it (seeds for fast inner generators, e.g. dropout masks). */
  uint32(): number {
    return (this.prng() * 0x100000000) >>> 0;
  }

  /** Standard normal by Box–Muller; the pair's second value is kept for the next call. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = 1 - this.prng.double(); // (0, 1]: log stays finite
    const u2 = this.prng.double();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ValueError('Generator.int', `n must be a positive integer, got ${n}`);
    return Math.floor(this.prng.double() * n);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  getState(): GeneratorState {
    return { alea: { ...this.prng.state() }, spareNormal: this.spare };
  }

  setState(state: GeneratorState): void {
    const a = state?.alea;
    if (!a || ![a.c, a.s0, a.s1, a.s2].every(Number.isFinite)) {
      throw new ValueError('Generator.setState', `state must be an object from getState(), got ${JSON.stringify(state)}`);
    }
    this.prng = seedrandom.alea('', { state: { ...a } });
    this.spare = state.spareNormal;
  }

  static fromState(state: GeneratorState): Generator {
    const g = new Generator(0);
    g.setState(state);
    return g;
  }
}

let globalGenerator = new Generator(0);

/** The generator random ops use when none is passed; seeded with 0 until `manualSeed`. */
export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** Reseeds the default generator, as torch.manual_seed. */
export function manualSeed(seed: number | string): Generator {
  globalGenerator = new Generator(seed);
  return globalGenerator;
}
