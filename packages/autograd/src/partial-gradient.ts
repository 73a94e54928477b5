// A gradient that is zero outside the positions an op read (a slice, one part of a packed projection): backward
// adds it into the input's accumulated gradient where it can, instead of materializing zeros and adding them.
import { zeros, type FloatArray, type FloatDType, type Shape, type Tensor } from '@gloss/tensor';

export class PartialGradient {
  /** The full gradient's shape and dtype: its input's. */
  readonly shape: Shape;
  readonly dtype: FloatDType;
  /** acc += this gradient, for acc the full gradient's storage (row-major, `shape`). */
  readonly addInto: (acc: FloatArray) => void;

  constructor(shape: Shape, dtype: FloatDType, addInto: (acc: FloatArray) => void) {
    this.shape = shape;
    this.dtype = dtype;
    this.addInto = addInto;
  }

  /** The full gradient, zeros included. */
  dense(): Tensor {
    const t = zeros(this.shape, this.dtype);
    this.addInto(t.data as FloatArray);
    return t;
  }
}
