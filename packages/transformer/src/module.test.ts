// Module: registration order and names (PyTorch's state_dict), tied weights, stateDict / loadStateDict and
// their errors, train/eval reaching every child (MultiHeadAttention included).
import { Tensor, ones, tensor, zeros } from '@gloss/tensor';
import { variable } from '@gloss/autograd';
import { MultiHeadAttention } from '@gloss/attention';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';
import { Module, StateDictError } from './module.js';

class Block extends Module {
  readonly scale = this.registerParameter('scale', variable(ones([2]), { requiresGrad: true }));
  readonly attn = this.registerModule('attn', new MultiHeadAttention({ dModel: 4, numHeads: 2 }));
  readonly proj = this.registerModule('', new Linear({ inFeatures: 4, outFeatures: 3 }));
}

class Net extends Module {
  readonly first = this.registerModule('blocks.0', new Block());
  readonly second = this.registerModule('blocks.1', new Block());
  readonly head: Linear;
  constructor(tie: boolean) {
    super();
    this.head = this.registerModule('head', new Linear({ inFeatures: 4, outFeatures: 3, weight: tie ? this.first.proj.weight : undefined }));
  }
}

const BLOCK_KEYS = ['scale', 'attn.in_proj_weight', 'attn.in_proj_bias', 'attn.out_proj.weight', 'attn.out_proj.bias', 'weight', 'bias'];

describe('Module', () => {
  it('names parameters as PyTorch: own first, then children depth first; an empty name splices a child in', () => {
    const net = new Net(false);
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      ...BLOCK_KEYS.map((k) => `blocks.0.${k}`), ...BLOCK_KEYS.map((k) => `blocks.1.${k}`), 'head.weight', 'head.bias']);
    // 2 + (12·4 + 12 + 16 + 4) + (12 + 3) per block, plus the head's 12 + 3
    expect(net.numParameters()).toBe(2 * (2 + 80 + 15) + 15);
    expect(net.parameters()).toHaveLength(16);
  });

  it('lists a tied weight once (first name), but stateDict carries every name and either name loads it', () => {
    const net = new Net(true);
    const names = net.namedParameters().map(([n]) => n);
    expect(names).not.toContain('head.weight');
    expect(net.namedParameters({ removeDuplicate: false }).map(([n]) => n)).toContain('head.weight');
    expect(net.numParameters()).toBe(2 * (2 + 80 + 15) + 3);
    const state = net.stateDict();
    expect(Object.keys(state)).toContain('head.weight');
    const w = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    delete state['blocks.0.weight'];
    net.loadStateDict({ ...state, 'head.weight': w });
    expect(net.first.proj.weight.value.toArray()).toEqual(w.toArray());
  });

  it('stateDict returns copies: changing a parameter later leaves the snapshot alone', () => {
    const net = new Net(false);
    const state = net.stateDict();
    const before = state['head.bias'].data[0];
    (net.head.bias!.value.data as Float32Array)[0] += 1;
    expect(state['head.bias'].data[0]).toBe(before);
  });

  it('loads a state dict (Record or Map), casting to the parameter dtype, and round-trips', () => {
    const a = new Net(false);
    const b = new Net(false);
    b.loadStateDict(new Map(Object.entries(a.stateDict()).map(([k, v]) => [k, v.astype('float64')])));
    for (const [name, p] of b.namedParameters()) {
      expect(p.dtype, name).toBe('float32');
      expect(Array.from(p.value.data), name).toEqual(Array.from(a.stateDict()[name].data));
    }
  });

  it('refuses a state dict that does not fit, listing missing keys, unexpected keys and both shapes, changing nothing', () => {
    const net = new Net(false);
    const state = net.stateDict();
    delete state['blocks.1.attn.in_proj_bias'];
    state['blocks.9.scale'] = ones([2]);
    state['head.weight'] = zeros([4, 4]);
    const before = net.first.scale.value;
    state['blocks.0.scale'] = tensor([7, 7]);
    let error: unknown;
    try { net.loadStateDict(state); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(StateDictError);
    const e = error as StateDictError;
    expect(e.missing).toEqual(['blocks.1.attn.in_proj_bias']);
    expect(e.unexpected).toEqual(['blocks.9.scale']);
    expect(e.mismatched).toEqual(['head.weight: got [4, 4], expected [3, 4]']);
    expect(e.message).toMatch(/^Net\.loadStateDict: .*missing keys \(1\): blocks\.1\.attn\.in_proj_bias; unexpected keys \(1\): blocks\.9\.scale; shape mismatches \(1\): head\.weight: got \[4, 4\], expected \[3, 4\]/);
    expect(net.first.scale.value).toBe(before);
  });

  it('with strict false ignores missing and unexpected keys but still refuses a shape mismatch', () => {
    const net = new Net(false);
    net.loadStateDict({ 'blocks.0.scale': tensor([3, 4]), 'other.weight': ones([1]) }, { strict: false });
    expect(net.first.scale.value.toArray()).toEqual([3, 4]);
    expect(() => net.loadStateDict({ 'blocks.0.scale': ones([3]) }, { strict: false })).toThrow(/blocks\.0\.scale: got \[3\], expected \[2\]/);
    expect(() => net.loadStateDict({ 'blocks.0.scale': tensor([1, 2], undefined, 'int32') }, { strict: false })).toThrow(/must be float32 or float64, got int32/);
    expect(() => net.loadStateDict({ 'blocks.0.scale': [1, 2] as unknown as Tensor })).toThrow(/blocks\.0\.scale must be a Tensor/);
  });

  it('train() and eval() reach every child, attention included', () => {
    const net = new Net(false);
    net.eval();
    expect([net.training, net.first.training, net.first.attn.training, net.second.proj.training]).toEqual([false, false, false, false]);
    net.train();
    expect([net.training, net.first.attn.training, net.head.training]).toEqual([true, true, true]);
  });

  it('refuses a name registered twice', () => {
    class Twice extends Module {
      constructor() {
        super();
        this.registerParameter('w', variable(ones([1]), { requiresGrad: true }));
        this.registerParameter('w', variable(ones([1]), { requiresGrad: true }));
      }
    }
    expect(() => new Twice()).toThrow(/Twice\.register: name 'w' is already registered/);
  });
});
