// The Optimizer base class (torch.optim.Optimizer): named parameters, a learning rate the schedule sets,
// per-parameter state buffers updated in place, and a state dict keyed by parameter name for exact resume.
import { DTypeError, formatShape, isFloat, ShapeError, Tensor, ValueError, type FloatArray } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';

/** [name, parameter] pairs, as a model's `namedParameters()` gives them. */
export type NamedParameters = ReadonlyArray<readonly [string, Variable]>;

/** What an optimizer takes: named parameters (recommended: their names key the state) or bare Variables. */
export type ParamsInput = NamedParameters | readonly Variable[];

/** Hyperparameters other than lr, as JSON. */
export type Hyperparameters = Record<string, number | boolean | readonly number[]>;

export interface StepOptions {
  /**
   * Every gradient is read as grad·gradScale, so token normalization and clipping cost no pass over the
   * gradients (fairseq's lazy multiply_grads). Default 1.
   */
  gradScale?: number;
}

/** Per-parameter state: how many updates it received and its buffers (the parameter's dtype and size). */
export interface ParamState {
  step: number;
  buffers: Record<string, FloatArray>;
}

/** JSON part of an optimizer's state dict. */
export interface OptimizerMeta {
  /** 'SGD', 'Adam' or 'AdamW': a state is only loaded into the same kind of optimizer. */
  type: string;
  lr: number;
  hyper: Hyperparameters;
  /** By parameter name: updates received and which buffers exist (tensors `<name>.<buffer>`). */
  params: Record<string, { step: number; buffers: string[] }>;
}

/** An optimizer's state: tensors keyed `<parameter name>.<buffer>` plus JSON-able scalars. */
export interface OptimizerStateDict {
  tensors: Record<string, Tensor>;
  meta: OptimizerMeta;
}

/**
 * Base of SGD, Adam and AdamW. Subclasses implement `step()` over `this.params`, reading `p.value.data`
 * and `p.grad.data` afresh each step (a model's loadStateDict may replace a parameter's value).
 */
export abstract class Optimizer<O extends Hyperparameters = Hyperparameters> {
  /** Learning rate of the next step; a schedule sets it before each step. */
  lr: number;
  /** Hyperparameters other than lr (betas, eps, weightDecay, momentum, …). */
  options: O;
  /** The parameters with their names, tied parameters once. */
  readonly params: ReadonlyArray<readonly [string, Variable]>;
  protected readonly state = new Map<string, ParamState>();

  /** Names the kind of optimizer in state dicts and errors. */
  abstract readonly type: string;

  protected constructor(params: ParamsInput, lr: number, options: O) {
    this.params = nameParams(params);
    checkNonNegative('lr', lr);
    this.lr = lr;
    this.options = options;
  }

  /** Updates every parameter that has a gradient (parameters with `grad === null` are skipped, as PyTorch). */
  abstract step(options?: StepOptions): void;

  /** Forgets every parameter's gradient (set to null, as PyTorch's set_to_none). */
  zeroGrad(): void {
    for (const [, p] of this.params) p.zeroGrad();
  }

  /** Updates a parameter has received (0 before its first). */
  stepsOf(name: string): number {
    return this.state.get(name)?.step ?? 0;
  }

  /** Copies of the state tensors keyed `<name>.<buffer>`, and the scalars as JSON. */
  stateDict(): OptimizerStateDict {
    const tensors: Record<string, Tensor> = {};
    const params: OptimizerMeta['params'] = {};
    for (const [name, p] of this.params) {
      const s = this.state.get(name);
      if (!s) continue;
      params[name] = { step: s.step, buffers: Object.keys(s.buffers) };
      for (const [buf, data] of Object.entries(s.buffers)) tensors[`${name}.${buf}`] = new Tensor(data.slice(), p.shape);
    }
    return { tensors, meta: { type: this.type, lr: this.lr, hyper: structuredClone(this.options), params } };
  }

  /**
   * Restores a state from stateDict() — lr and hyperparameters included, as PyTorch. Refuses another kind of
   * optimizer, unknown parameter names, unknown hyperparameters and buffers of the wrong shape, changing nothing.
   */
  loadStateDict({ tensors, meta }: OptimizerStateDict): void {
    const op = `${this.type}.loadStateDict`;
    if (meta?.type !== this.type) throw new ValueError(op, `the state is of a ${meta?.type} optimizer, not ${this.type}`);
    const known = new Set(Object.keys(this.options));
    const given = Object.keys(meta.hyper ?? {});
    if (given.length !== known.size || !given.every((k) => known.has(k))) {
      throw new ValueError(op, `hyperparameters ${JSON.stringify(given)} do not match ${JSON.stringify([...known])}`);
    }
    const byName = new Map(this.params.map(([n, p]) => [n, p]));
    const unexpected = Object.keys(meta.params).filter((n) => !byName.has(n));
    if (unexpected.length) throw new ValueError(op, `state for parameters this optimizer does not have: ${unexpected.join(', ')}`);
    const next = new Map<string, ParamState>();
    for (const [name, { step, buffers }] of Object.entries(meta.params)) {
      const p = byName.get(name)!;
      if (!Number.isInteger(step) || step < 0) throw new ValueError(op, `${name}: step must be a non-negative integer, got ${step}`);
      const loaded: Record<string, FloatArray> = {};
      for (const buf of buffers) {
        const t = tensors[`${name}.${buf}`];
        if (!t) throw new ValueError(op, `missing tensor ${name}.${buf}`);
        if (t.size !== p.size) {
          throw new ShapeError(op, `${name}.${buf} is ${formatShape(t.shape)} but the parameter ${name} is ${formatShape(p.shape)}`);
        }
        if (!isFloat(t.dtype)) throw new DTypeError(op, `${name}.${buf} must be float32 or float64, got ${t.dtype}`);
        loaded[buf] = (t.dtype === p.dtype ? t.clone() : t.astype(p.dtype)).data as FloatArray;
      }
      next.set(name, { step, buffers: loaded });
    }
    checkNonNegative('lr', meta.lr);
    this.state.clear();
    for (const [k, v] of next) this.state.set(k, v);
    this.lr = meta.lr;
    this.options = structuredClone(meta.hyper) as O;
  }

  /** The state of parameter `name`, created with zero-filled `buffers` on first use. */
  protected stateOf(name: string, p: Variable, buffers: readonly string[]): ParamState {
    let s = this.state.get(name);
    if (!s) {
      s = { step: 0, buffers: {} };
      for (const b of buffers) s.buffers[b] = p.dtype === 'float64' ? new Float64Array(p.size) : new Float32Array(p.size);
      this.state.set(name, s);
    } else {
      for (const b of buffers) {
        if (s.buffers[b] && s.buffers[b].length !== p.size) {
          throw new ShapeError(`${this.type}.step`, `state ${name}.${b} holds ${s.buffers[b].length} values but the parameter is ${formatShape(p.shape)}`);
        }
      }
    }
    return s;
  }

  /** The parameter's value and gradient storage, checked to agree. */
  protected arrays(name: string, p: Variable): { w: FloatArray; g: FloatArray } {
    const grad = p.grad!;
    if (grad.size !== p.size) {
      throw new ShapeError(`${this.type}.step`, `${name}: gradient is ${formatShape(grad.shape)} but the parameter is ${formatShape(p.shape)}`);
    }
    if (!isFloat(p.dtype)) throw new DTypeError(`${this.type}.step`, `${name} must be float32 or float64, got ${p.dtype}`);
    return { w: p.value.data as FloatArray, g: grad.data as FloatArray };
  }
}

/** Names bare Variables by their `name` or their position (as PyTorch numbers them); tied parameters once. */
function nameParams(params: ParamsInput): [string, Variable][] {
  const out: [string, Variable][] = [];
  const seen = new Set<Variable>();
  const names = new Set<string>();
  params.forEach((entry: readonly [string, Variable] | Variable, i: number) => {
    const [name, p] = Array.isArray(entry) ? entry : [(entry as Variable).name ?? String(i), entry as Variable];
    if (seen.has(p)) return;
    if (!p.requiresGrad) throw new ValueError('Optimizer', `parameter ${name} does not require grad`);
    if (names.has(name)) throw new ValueError('Optimizer', `two parameters are named ${name}; names key the optimizer state`);
    seen.add(p);
    names.add(name);
    out.push([name, p]);
  });
  if (out.length === 0) throw new ValueError('Optimizer', 'got an empty parameter list');
  return out;
}

/** Throws ValueError unless `value` is a finite number ≥ 0. */
export function checkNonNegative(what: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new ValueError('Optimizer', `${what} must be a finite number ≥ 0, got ${value}`);
}
