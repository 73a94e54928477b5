// The decoder stack: N decoder layers and a final LayerNorm, as nn.TransformerDecoder inside nn.Transformer
// (parameters layers.<i>.*, norm.*), and DecoderCache, the per-layer KV caches of step-by-step decoding.
import { Tensor, ValueError } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';
import { KVCache } from '@gloss/attention';
import { TransformerDecoderLayer } from './decoder-layer.js';
import type { LayerConfig } from './encoder-layer.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';

/**
 * The KV caches of every decoder layer: a 'self' cache that grows by each step's keys and values, and a
 * 'memory' cache holding the memory's key/value projections, computed at the first step and reused.
 * Beam search reorders it with the surviving hypotheses; finished sentences are dropped the same way.
 */
export class DecoderCache {
  readonly self: KVCache[];
  readonly memory: KVCache[];

  constructor(numLayers: number) {
    this.self = Array.from({ length: numLayers }, () => new KVCache('self'));
    this.memory = Array.from({ length: numLayers }, () => new KVCache('memory'));
  }

  /** Number of target positions already decoded (the position of the next token); the decoder advances it. */
  length = 0;

  /** Room for `positions` target positions in every self-attention cache (allocated once, at the first step). */
  reserve(positions: number): void {
    for (const c of this.self) c.reserve(positions);
  }

  /** True once the memory's keys and values are cached (the memory itself is not read again). */
  get memoryFilled(): boolean {
    return this.memory.every((c) => c.filled) && (this.memory.length > 0 || this.length > 0);
  }

  /**
   * Keeps batch rows `indices` in that order (repeats allowed): beam reordering, or dropping finished rows.
   * `memory: false` leaves the memory caches alone — valid when every row keeps its sentence (beams of one
   * sentence have identical memory rows). Either way the memory's keys and values are not copied: rows re-point.
   */
  reorder(indices: Tensor | readonly number[], { memory = true }: { memory?: boolean } = {}): void {
    for (const c of memory ? [...this.self, ...this.memory] : this.self) c.reorder(indices);
  }
}

export interface DecoderOptions {
  /** bool [batch, tgtLen], true = padding. Not taken with a cache (decoded tokens are never padding). */
  tgtPadding?: Tensor | null;
  /** bool [batch, srcLen], true = padding in the memory. */
  srcPadding?: Tensor | null;
  /** Step-by-step decoding: x holds only the new positions; keys and values of earlier ones come from here. */
  cache?: DecoderCache | null;
  /** Also return each layer's cross-attention weights, [batch, numHeads, tgtLen, srcLen]. */
  needWeights?: boolean;
}

export interface DecoderOutput {
  /** [batch, tgtLen, dModel], after the final LayerNorm. */
  output: Variable;
  /** Per layer, [batch, numHeads, tgtLen, srcLen] when needWeights; else null. */
  crossAttention: Variable[] | null;
}

/**
 * x [batch, tgtLen, dModel], memory [batch, srcLen, dModel] → [batch, tgtLen, dModel], causal.
 * @example new TransformerDecoder(config, 2).forward(embedded, memory, { tgtPadding, srcPadding }).output
 */
export class TransformerDecoder extends Module {
  readonly layers: TransformerDecoderLayer[];
  readonly norm: LayerNorm;

  constructor(config: LayerConfig, numLayers: number) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 0) throw new ValueError('TransformerDecoder', `numLayers must be a non-negative integer, got ${numLayers}`);
    this.layers = Array.from({ length: numLayers }, (_, i) => this.registerModule(`layers.${i}`, new TransformerDecoderLayer(config)));
    this.norm = this.registerModule('norm', new LayerNorm(config.dModel, config.layerNormEps, config.dtype));
  }

  forward(x: Variable | Tensor, memory: Variable | Tensor, { tgtPadding = null, srcPadding = null, cache = null, needWeights = false }: DecoderOptions = {}): DecoderOutput {
    if (cache && cache.self.length !== this.layers.length) {
      throw new ValueError('TransformerDecoder', `the cache has ${cache.self.length} layers but the decoder has ${this.layers.length}`);
    }
    if (cache && tgtPadding) throw new ValueError('TransformerDecoder', 'tgtPadding is not taken with a cache (decoded positions are never padding)');
    let h = x;
    const crossAttention: Variable[] = [];
    this.layers.forEach((layer, i) => {
      const r = layer.forward(h, memory, {
        tgtPadding, srcPadding, needWeights, selfCache: cache?.self[i] ?? null, memoryCache: cache?.memory[i] ?? null,
      });
      h = r.output;
      if (r.crossAttention) crossAttention.push(r.crossAttention);
    });
    if (cache) cache.length += x.shape[1];
    return { output: this.norm.forward(h), crossAttention: needWeights ? crossAttention : null };
  }
}
