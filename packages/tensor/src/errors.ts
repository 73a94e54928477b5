// Errors for bad input: each names the op, the arguments, what was expected and what came.

/** Base class of every error gloss throws for bad input. `op` names the operation that refused it. */
export class GlossError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }
}

/** A shape rule was broken: `matmul: inner dimensions differ: a is [2, 3], b is [4, 5] (a[-1] must equal b[-2])`. */
export class ShapeError extends GlossError {}

/** An argument has a dtype the op does not take: `gather: index must be int32, got float32`. */
export class DTypeError extends GlossError {}

/** An index or axis is out of range: `indexSelect: index 12 is out of range for axis 0 of size 10`. */
export class IndexError extends GlossError {}

/** An argument value is not allowed (non-finite size, negative length, bad option). */
export class ValueError extends GlossError {}
