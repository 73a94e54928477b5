// Module: the base class of gloss's layers, as torch.nn.Module. A module registers its parameters and
// child modules in order, so namedParameters() and stateDict() give PyTorch's state_dict names and order
// (own parameters first, then each child's, depth first), and train()/eval() reach every child.
import { DTypeError, GlossError, ShapeError, Tensor, ValueError, formatShape, shapesEqual } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';

/** Anything with PyTorch-named parameters and a training switch (a Module, or @gloss/attention's MultiHeadAttention). */
export interface ParameterHolder {
  namedParameters(): [string, Variable][];
  train(mode?: boolean): unknown;
}

export interface LoadStateDictOptions {
  /** Refuse missing and unexpected keys (shape mismatches are always refused). Default true, as PyTorch. */
  strict?: boolean;
}

/** A state dict that does not fit a module: what is missing, what is unexpected, which shapes differ. */
export class StateDictError extends ValueError {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  /** `name: got [..], expected [..]` for each key whose shape differs. */
  readonly mismatched: readonly string[];

  constructor(op: string, missing: string[], unexpected: string[], mismatched: string[]) {
    const list = (what: string, keys: string[]) => (keys.length ? [`${what} (${keys.length}): ${keys.join(', ')}`] : []);
    super(op, ['the state dict does not fit the module', ...list('missing keys', missing), ...list('unexpected keys', unexpected),
      ...list('shape mismatches', mismatched)].join('; '));
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

/**
 * Base class of layers with named parameters.
 * @example
 * class Scale extends Module {
 *   readonly weight = this.registerParameter('weight', variable(ones([4]), { requiresGrad: true }));
 * }
 * new Scale().namedParameters(); // [['weight', Variable]]
 */
export class Module {
  /** Dropout and other training-only behaviour is on while true. Set it with train() / eval(). */
  training = true;
  private readonly ownParameters: [string, Variable][] = [];
  private readonly children: [string, ParameterHolder][] = [];

  /** Adds a parameter under `name` (a Variable that requires grad) and returns it. */
  protected registerParameter(name: string, param: Variable): Variable {
    this.checkName(name, false);
    this.ownParameters.push([name, param]);
    return param;
  }

  /**
   * Adds a child under `name` and returns it; its parameters are named `name.<theirs>`. The empty name
   * splices the child's parameters in at this level (PyTorch's layers keep linear1/linear2 there).
   */
  protected registerModule<M extends ParameterHolder>(name: string, child: M): M {
    this.checkName(name, true);
    this.children.push([name, child]);
    return child;
  }

  /**
   * [name, parameter] pairs with PyTorch's state_dict names, in its order. A parameter registered under two
   * names (tied weights) is listed once, under its first name, unless `removeDuplicate` is false.
   */
  namedParameters({ removeDuplicate = true }: { removeDuplicate?: boolean } = {}): [string, Variable][] {
    const all: [string, Variable][] = [...this.ownParameters];
    for (const [prefix, child] of this.children) {
      const named = child instanceof Module ? child.namedParameters({ removeDuplicate: false }) : child.namedParameters();
      for (const [name, p] of named) all.push([prefix ? `${prefix}.${name}` : name, p]);
    }
    if (!removeDuplicate) return all;
    const seen = new Set<Variable>();
    return all.filter(([, p]) => (seen.has(p) ? false : (seen.add(p), true)));
  }

  /** Every distinct parameter, in state_dict order (what an optimizer takes). */
  parameters(): Variable[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Number of scalar parameters (tied weights counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Copies of the parameter values by state_dict name, every name included (a tied weight under each of
   * its names, as PyTorch's state_dict). Copies, so a later optimizer step cannot change a snapshot.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters({ removeDuplicate: false })) out[name] = p.value.clone();
    return out;
  }

  /**
   * Copies values in by state_dict name, cast to each parameter's dtype. A tied weight needs only one of
   * its names. Throws a StateDictError listing missing keys, unexpected keys (both only when `strict`) and
   * every shape mismatch with both shapes; nothing is changed unless everything fits.
   */
  loadStateDict(state: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>, { strict = true }: LoadStateDictOptions = {}): this {
    const op = `${this.constructor.name}.loadStateDict`;
    const entries = state instanceof Map ? [...state.entries()] : Object.entries(state);
    const given = new Map<string, Tensor>();
    for (const [name, t] of entries) {
      if (!(t instanceof Tensor)) throw new ValueError(op, `${name} must be a Tensor, got ${Object.prototype.toString.call(t)}`);
      given.set(name, t);
    }
    const named = this.namedParameters({ removeDuplicate: false });
    const known = new Set(named.map(([n]) => n));
    const provided = new Set<Variable>(named.filter(([n]) => given.has(n)).map(([, p]) => p));
    const missing = named.filter(([n, p]) => !given.has(n) && !provided.has(p)).map(([n]) => n);
    const unexpected = [...given.keys()].filter((n) => !known.has(n));
    const mismatched: string[] = [];
    for (const [name, p] of named) {
      const t = given.get(name);
      if (t && !shapesEqual(t.shape, p.shape)) mismatched.push(`${name}: got ${formatShape(t.shape)}, expected ${formatShape(p.shape)}`);
      if (t && t.dtype !== 'float32' && t.dtype !== 'float64') {
        throw new DTypeError(op, `${name} must be float32 or float64, got ${t.dtype}`);
      }
    }
    if (mismatched.length || (strict && (missing.length || unexpected.length))) {
      throw new StateDictError(op, strict ? missing : [], strict ? unexpected : [], mismatched);
    }
    for (const [name, p] of named) {
      const t = given.get(name);
      if (t) p.value = t.dtype === p.dtype ? t.clone() : t.astype(p.dtype);
    }
    return this;
  }

  /** Training mode (dropout on) for this module and every child. */
  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.children) child.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off): train(false). */
  eval(): this {
    return this.train(false);
  }

  /** Forgets every parameter's accumulated gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  private checkName(name: string, allowEmpty: boolean): void {
    if ((!allowEmpty && name === '') || name.startsWith('.') || name.endsWith('.')) {
      throw new ValueError(`${this.constructor.name}.register`, `invalid name '${name}'`);
    }
    const taken = this.ownParameters.some(([n]) => n === name) || (name !== '' && this.children.some(([n]) => n === name));
    if (taken) throw new GlossError(`${this.constructor.name}.register`, `name '${name}' is already registered`);
  }
}

/** Throws a ShapeError unless the last axis of `x` has size `lastDim` (`what` names it: 'dModel'). */
export function checkLastDim(op: string, arg: string, x: { shape: readonly number[] }, lastDim: number, what: string): void {
  if (x.shape.length === 0 || x.shape[x.shape.length - 1] !== lastDim) {
    throw new ShapeError(op, `${arg} must be [..., ${what} ${lastDim}], got ${formatShape(x.shape)}`);
  }
}
