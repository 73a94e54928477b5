// Token embedding (Vaswani et al. 2017, §3.4): a lookup table whose rows are multiplied by √dModel, so
// they stand on the scale of the positional encoding added next. Parameter `weight` [vocabSize, dModel].
import { DTypeError, IndexError, ValueError, defaultGenerator, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { embedding, type Variable } from '@gloss/autograd';
import { normal, parameter } from './init.js';
import { Module } from './module.js';

export interface EmbeddingConfig {
  vocabSize: number;
  dModel: number;
  /** Multiplies every looked-up row. Default √dModel; 1 gives plain nn.Embedding. */
  scale?: number;
  /** Seeds the initial weights (N(0, 1), as nn.Embedding). Default: the default generator. */
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * nn.Embedding scaled by √dModel: ids int32 [...] → [..., dModel].
 * @example new Embedding({ vocabSize: 8000, dModel: 128 }).forward(src) // src [batch, srcLen] → [batch, srcLen, 128]
 */
export class Embedding extends Module {
  readonly vocabSize: number;
  readonly dModel: number;
  readonly scale: number;
  readonly weight: Variable;

  constructor({ vocabSize, dModel, scale = Math.sqrt(dModel), generator = defaultGenerator(), dtype = 'float32' }: EmbeddingConfig) {
    super();
    for (const [name, n] of [['vocabSize', vocabSize], ['dModel', dModel]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new ValueError('Embedding', `${name} must be a positive integer, got ${n}`);
    }
    this.vocabSize = vocabSize;
    this.dModel = dModel;
    this.scale = scale;
    this.weight = this.registerParameter('weight', parameter(normal([vocabSize, dModel], 1, generator, dtype)));
  }

  /** ids int32 [...] → weight[ids]·scale [..., dModel]. Ids outside [0, vocabSize) are refused, naming the first. */
  forward(ids: Tensor): Variable {
    checkIds('Embedding', ids, this.vocabSize);
    return embedding(this.weight, ids, this.scale);           // [..., dModel], scaled in the lookup
  }
}

/** Throws unless `ids` is int32 with every value in [0, vocabSize), naming the first bad id and where it is. */
export function checkIds(op: string, ids: Tensor, vocabSize: number): void {
  if (ids.dtype !== 'int32') throw new DTypeError(op, `token ids must be int32, got ${ids.dtype}`);
  const d = ids.data as Int32Array;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= vocabSize) {
      throw new IndexError(op, `token id ${d[i]} at flat position ${i} of ${JSON.stringify(ids.shape)} is outside the vocabulary [0, ${vocabSize})`);
    }
  }
}
