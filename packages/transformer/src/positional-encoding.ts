// Positional encodings (Vaswani et al. 2017, §3.5), added to the scaled embeddings. Sinusoidal:
// pe[pos, 2i] = sin(pos / 10000^(2i/dModel)), pe[pos, 2i+1] = cos(pos / 10000^(2i/dModel)), no parameters;
// learned: a table `weight` [maxLen, dModel] trained with the model (as BERT and fairseq's learned positions).
import { ShapeError, Tensor, ValueError, defaultGenerator, formatShape, slice as sliceTensor, type FloatDType, type Generator } from '@gloss/tensor';
import { add, slice, type Variable } from '@gloss/autograd';
import { normal, parameter } from './init.js';
import { Module } from './module.js';

/** The sinusoid table [maxLen, dModel], computed in float64 and rounded once to `dtype`. */
export function sinusoidalTable(maxLen: number, dModel: number, dtype: FloatDType = 'float32'): Tensor {
  const data = dtype === 'float64' ? new Float64Array(maxLen * dModel) : new Float32Array(maxLen * dModel);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let i = 0; 2 * i < dModel; i++) {
      const angle = pos / Math.pow(10000, (2 * i) / dModel);
      data[pos * dModel + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < dModel) data[pos * dModel + 2 * i + 1] = Math.cos(angle);
    }
  }
  return new Tensor(data, [maxLen, dModel], dtype);
}

export interface PositionalEncodingConfig {
  dModel: number;
  /** Longest sequence the table covers. */
  maxLen: number;
  dtype?: FloatDType;
}

function checkPositions(op: string, x: { shape: readonly number[] }, dModel: number, offset: number, maxLen: number): void {
  if (x.shape.length !== 3 || x.shape[2] !== dModel) {
    throw new ShapeError(op, `x must be [batch, len, dModel ${dModel}], got ${formatShape(x.shape)}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + x.shape[1] > maxLen) {
    throw new ValueError(op, `positions ${offset}..${offset + x.shape[1] - 1} exceed maxLen ${maxLen} (raise maxLen in the config)`);
  }
}

/**
 * Adds the fixed sinusoids: x [batch, len, dModel] + pe[offset : offset + len]. `offset` is the position of
 * x's first element (the cached length while decoding step by step).
 * @example new PositionalEncoding({ dModel: 128, maxLen: 512 }).forward(embedded)
 */
export class PositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  /** [maxLen, dModel] (not a parameter: absent from the state dict, as a non-persistent buffer). */
  readonly table: Tensor;

  constructor({ dModel, maxLen, dtype = 'float32' }: PositionalEncodingConfig) {
    super();
    if (!Number.isInteger(maxLen) || maxLen <= 0) throw new ValueError('PositionalEncoding', `maxLen must be a positive integer, got ${maxLen}`);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.table = sinusoidalTable(maxLen, dModel, dtype);
  }

  forward(x: Variable | Tensor, offset = 0): Variable {
    checkPositions('PositionalEncoding', x, this.dModel, offset, this.maxLen);
    return add(x, sliceTensor(this.table, 0, offset, offset + x.shape[1]));   // [len, dModel] broadcast over batch
  }
}

export interface LearnedPositionalEncodingConfig extends PositionalEncodingConfig {
  /** Seeds the table, N(0, 1/dModel) as fairseq's learned positions. */
  generator?: Generator;
}

/** Adds a learned table: x [batch, len, dModel] + weight[offset : offset + len]. Parameter `weight` [maxLen, dModel]. */
export class LearnedPositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly weight: Variable;

  constructor({ dModel, maxLen, generator = defaultGenerator(), dtype = 'float32' }: LearnedPositionalEncodingConfig) {
    super();
    if (!Number.isInteger(maxLen) || maxLen <= 0) throw new ValueError('LearnedPositionalEncoding', `maxLen must be a positive integer, got ${maxLen}`);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.weight = this.registerParameter('weight', parameter(normal([maxLen, dModel], 1 / Math.sqrt(dModel), generator, dtype)));
  }

  forward(x: Variable | Tensor, offset = 0): Variable {
    checkPositions('LearnedPositionalEncoding', x, this.dModel, offset, this.maxLen);
    return add(x, slice(this.weight, 0, offset, offset + x.shape[1]));        // [len, dModel] broadcast over batch
  }
}
