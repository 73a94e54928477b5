import { Generator, randn, Tensor } from '@gloss/tensor';
import { variable, type Variable } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

/** Two named float32 parameters with seeded values. */
function makeParams(seed = 1): [string, Variable][] {
  const g = new Generator(seed);
  return [
    ['encoder.weight', variable(randn([4, 3], { generator: g }), { requiresGrad: true })],
    ['encoder.bias', variable(randn([3], { generator: g }), { requiresGrad: true })],
  ];
}

/** Seeded gradients for step `step`, by parameter name: the same for every copy of the parameters, in any order. */
function setGrads(params: [string, Variable][], step: number): void {
  for (const [name, p] of params) p.grad = randn(p.shape, { generator: new Generator(`${name}:${step}`) });
}

const values = (params: [string, Variable][]) => params.map(([, p]) => Array.from(p.value.data));

const kinds: [string, (p: [string, Variable][]) => Optimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ['Adam', (p) => new Adam(p, { lr: 0.01, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01, betas: [0.9, 0.98], eps: 1e-9, weightDecay: 0.1 })],
];

describe.each(kinds)('%s state', (_, make) => {
  it('resumes from stateDict() bit for bit: 3 steps + save + load into a fresh optimizer + 2 steps = 5 steps', () => {
    const a = makeParams();
    const optA = make(a);
    for (let s = 0; s < 5; s++) { setGrads(a, s); optA.step(); }

    const b = makeParams();
    const optB = make(b);
    for (let s = 0; s < 3; s++) { setGrads(b, s); optB.step(); }
    const saved = optB.stateDict();
    const weights = b.map(([n, p]): [string, Tensor] => [n, p.value.clone()]);
    // a new process: fresh parameters (listed in another order) with the saved weights, a fresh optimizer
    const c = makeParams(7).reverse();
    for (const [n, p] of c) p.value = weights.find(([m]) => m === n)![1];
    const optC = make(c);
    optC.loadStateDict({ tensors: saved.tensors, meta: JSON.parse(JSON.stringify(saved.meta)) }); // the scalars travel as JSON
    for (let s = 3; s < 5; s++) { setGrads(c, s); optC.step(); }
    expect(values(c.reverse())).toEqual(values(a));
  });

  it('hands out copies: a later step does not change a saved state', () => {
    const p = makeParams();
    const opt = make(p);
    setGrads(p, 0);
    opt.step();
    const saved = opt.stateDict();
    const before = Object.values(saved.tensors).map((t) => Array.from(t.data));
    setGrads(p, 1);
    opt.step();
    expect(Object.values(saved.tensors).map((t) => Array.from(t.data))).toEqual(before);
  });
});

describe('Optimizer', () => {
  it('updates parameters in place and reuses its state buffers (no per-step allocation of parameter size)', () => {
    const p = makeParams();
    const opt = new AdamW(p, { lr: 0.01 });
    const storage = p.map(([, v]) => v.value.data);
    setGrads(p, 0);
    opt.step();
    const expAvg = () => (opt as unknown as { state: Map<string, { buffers: Record<string, unknown> }> }).state.get('encoder.weight')!.buffers.exp_avg;
    const first = expAvg();
    setGrads(p, 1);
    opt.step();
    p.forEach(([, v], i) => expect(v.value.data).toBe(storage[i]));
    expect(expAvg()).toBe(first);
  });

  it('reads gradients times gradScale, as if the gradients had been scaled', () => {
    const toF64 = (ps: [string, Variable][]) => ps.map(([n, v]): [string, Variable] => [n, variable(v.value.astype('float64'), { requiresGrad: true })]);
    const a = toF64(makeParams());
    const b = toF64(makeParams());
    const optA = new Adam(a, { lr: 0.01 });
    const optB = new Adam(b, { lr: 0.01 });
    for (let s = 0; s < 3; s++) {
      setGrads(a, s);
      setGrads(b, s);
      for (const [, p] of b) p.grad = p.grad!.astype('float64').mul(0.3);
      optA.step({ gradScale: 0.3 });
      optB.step();
    }
    const va = values(a).flat();
    const vb = values(b).flat();
    va.forEach((x, i) => expect(Math.abs(x - vb[i])).toBeLessThan(1e-15));
  });

  it('skips parameters without a gradient and counts steps per parameter', () => {
    const p = makeParams();
    const opt = new Adam(p);
    setGrads(p, 0);
    p[1][1].grad = null;
    const bias = Array.from(p[1][1].value.data);
    opt.step();
    expect(Array.from(p[1][1].value.data)).toEqual(bias);
    expect([opt.stepsOf('encoder.weight'), opt.stepsOf('encoder.bias')]).toEqual([1, 0]);
    expect(Object.keys(opt.stateDict().meta.params)).toEqual(['encoder.weight']);
  });

  it('zeroGrad sets every gradient to null', () => {
    const p = makeParams();
    const opt = new SGD(p, { lr: 1 });
    setGrads(p, 0);
    opt.zeroGrad();
    expect(p.map(([, v]) => v.grad)).toEqual([null, null]);
  });

  it('lists a tied parameter once and names bare Variables by name or position', () => {
    const [[, w], [, b]] = makeParams();
    w.name = 'shared';
    const opt = new SGD([w, b, w], { lr: 1 });
    expect(opt.params.map(([n]) => n)).toEqual(['shared', '1']);
  });

  it('restores lr and hyperparameters from a state dict, as PyTorch', () => {
    const p = makeParams();
    const a = new AdamW(p, { lr: 0.5, betas: [0.8, 0.9], weightDecay: 0.2 });
    const b = new AdamW(makeParams(), { lr: 0.01 });
    b.loadStateDict(a.stateDict());
    expect([b.lr, b.options.betas, b.options.weightDecay]).toEqual([0.5, [0.8, 0.9], 0.2]);
  });

  it('refuses a state from another optimizer, for other parameters, or of the wrong shape, changing nothing', () => {
    const p = makeParams();
    const adam = new Adam(p, { lr: 0.1 });
    setGrads(p, 0);
    adam.step();
    const state = adam.stateDict();
    expect(() => new AdamW(makeParams()).loadStateDict(state)).toThrow('AdamW.loadStateDict: the state is of a Adam optimizer, not AdamW');
    const other = new Adam([['decoder.weight', variable(randn([4, 3]), { requiresGrad: true })]]);
    expect(() => other.loadStateDict(state)).toThrow('state for parameters this optimizer does not have: encoder.weight, encoder.bias');
    const small = new Adam([['encoder.weight', variable(randn([2, 3]), { requiresGrad: true })], ['encoder.bias', variable(randn([3]), { requiresGrad: true })]]);
    expect(() => small.loadStateDict(state)).toThrow('encoder.weight.exp_avg is [4, 3] but the parameter encoder.weight is [2, 3]');
    expect(small.stepsOf('encoder.bias')).toBe(0);
    const sgd = new SGD(makeParams(), { lr: 1, momentum: 0.5 });
    expect(() => sgd.loadStateDict({ ...state, meta: { ...state.meta, type: 'SGD' } })).toThrow('hyperparameters');
  });

  it('refuses bad hyperparameters and parameter lists, naming them', () => {
    const p = makeParams();
    expect(() => new SGD(p, { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0');
    expect(() => new SGD(p, { lr: -1 })).toThrow('Optimizer: lr must be a finite number ≥ 0, got -1');
    expect(() => new Adam(p, { betas: [0.9, 1] })).toThrow('Adam: betas[1] must be in [0, 1), got 1');
    expect(() => new AdamW(p, { eps: NaN })).toThrow('eps must be a finite number ≥ 0, got NaN');
    expect(() => new Adam([])).toThrow('Optimizer: got an empty parameter list');
    expect(() => new Adam([['x', p[0][1]], ['x', p[1][1]]])).toThrow('two parameters are named x');
    expect(() => new Adam([variable(randn([2]))])).toThrow('parameter 0 does not require grad');
    const wrong = makeParams();
    const opt = new Adam(wrong);
    wrong[0][1].grad = randn([3]);
    expect(() => opt.step()).toThrow('Adam.step: encoder.weight: gradient is [3] but the parameter is [4, 3]');
  });
});
