// A tiny WebAssembly binary emitter: LEB128, the module sections gloss needs (types, one imported
// memory, functions, exports, code) and a function-body builder with structured-loop helpers.
// Spec: https://webassembly.github.io/spec/core/binary/ and the fixed-width SIMD proposal.

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Core opcodes used by the kernels (one byte each). */
export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, call: 0x10,
  drop: 0x1a, select: 0x1b, localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i64Load: 0x29, f32Load: 0x2a, i32Store: 0x36, i64Store: 0x37, f32Store: 0x38, i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32GtS: 0x4a, i32LeS: 0x4c, i32GeS: 0x4e,
  f32Eq: 0x5b, f32Ne: 0x5c, f32Lt: 0x5d, f32Gt: 0x5e,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32DivU: 0x6e, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i32ShrS: 0x75, i32ShrU: 0x76,
  f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Max: 0x97,
  i32Xor: 0x73,
  f64Load: 0x2b, f64Store: 0x39, f64Add: 0xa0, f64Mul: 0xa2, f64Div: 0xa3, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;

/** SIMD opcodes (emitted after the 0xFD prefix as unsigned LEB128). */
export const Simd = {
  v128Load: 0x00, v128Load32Splat: 0x09, v128Store: 0x0b, v128Const: 0x0c, i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11, f32x4Splat: 0x13, f32x4ExtractLane: 0x1f,
  i32x4LtS: 0x39, f32x4Eq: 0x41, f32x4Lt: 0x43,
  v128AndNot: 0x4f, v128Bitselect: 0x52, v128Store64Lane: 0x5b, f32x4Nearest: 0x6a,
  i32x4Shl: 0xab, i32x4Add: 0xae,
  f32x4Neg: 0xe1, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Pmin: 0xea, f32x4Pmax: 0xeb, f32x4Max: 0xe9,
  i32x4TruncSatF32x4S: 0xf8,
  f64x2ExtractLane: 0x21, f64x2PromoteLowF32x4: 0x5f, f64x2Add: 0xf0,
  v128And: 0x4e, v128Xor: 0x51, i32x4GeU: 0x40, i32x4ShrU: 0xad, i32x4Mul: 0xb5,
  /** Relaxed SIMD (https://github.com/WebAssembly/relaxed-simd): a·b + c, fused or not as the hardware has it. */
  f32x4RelaxedMadd: 0x105, f32x4RelaxedNmadd: 0x106,
} as const;

export function uleb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v !== 0 ? byte | 0x80 : byte);
  } while (v !== 0);
}

export function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function name(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  out.push(...bytes);
}

/** Builds one function body. Locals are numbered after the params; `local(type)` adds one. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  /** Name in the module's name section (profilers and stack traces show it). */
  debugName?: string;

  constructor(readonly params: ValType[], readonly results: ValType[]) {}

  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this { this.code.push(...bytes); return this; }
  get(i: number): this { return this.op(Op.localGet, i); }
  set(i: number): this { return this.op(Op.localSet, i); }
  tee(i: number): this { return this.op(Op.localTee, i); }
  i32(v: number): this { this.code.push(Op.i32Const); sleb(this.code, v); return this; }
  call(fn: number): this { this.code.push(Op.call); uleb(this.code, fn); return this; }
  /** A load or store with a memory immediate (alignment as log2 bytes, constant byte offset). */
  mem(opcode: number, align: number, offset = 0): this {
    this.code.push(opcode, align);
    uleb(this.code, offset);
    return this;
  }
  simd(opcode: number): this { this.code.push(0xfd); uleb(this.code, opcode); return this; }
  simdMem(opcode: number, align: number, offset = 0): this {
    this.simd(opcode);
    this.code.push(align);
    uleb(this.code, offset);
    return this;
  }
  v128Zero(): this { this.simd(Simd.v128Const); for (let i = 0; i < 16; i++) this.code.push(0); return this; }
  /** f32.const c (rounded to float32). */
  f32(c: number): this {
    this.code.push(Op.f32Const, ...new Uint8Array(Float32Array.of(c).buffer));
    return this;
  }
  /** v128.const of four float32 lanes (one value splatted when given one). */
  v128F32(...lanes: number[]): this {
    const v = lanes.length === 1 ? [lanes[0], lanes[0], lanes[0], lanes[0]] : lanes;
    this.simd(Simd.v128Const);
    this.code.push(...new Uint8Array(Float32Array.from(v).buffer));
    return this;
  }
  /** v128.const of four int32 lanes. */
  v128I32(...lanes: number[]): this {
    this.simd(Simd.v128Const);
    this.code.push(...new Uint8Array(Int32Array.from(lanes).buffer));
    return this;
  }
  /** i8x16.shuffle picking 32-bit lanes: 0–3 from the first operand, 4–7 from the second. */
  shuffle32(...lanes: [number, number, number, number]): this {
    this.simd(Simd.i8x16Shuffle);
    for (const l of lanes) this.code.push(4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3);
    return this;
  }
  /** f32x4.extract_lane. */
  lane(i: number): this { this.simd(Simd.f32x4ExtractLane); this.code.push(i); return this; }

  /** local[i] += delta (i32). */
  inc(i: number, delta: number | (() => void)): this {
    this.get(i);
    if (typeof delta === 'number') this.i32(delta); else delta();
    return this.op(Op.i32Add).set(i);
  }

  /** `for (i = start; i < end; i += step) body()`; `end`/`step` are locals or constants. */
  forLoop(i: number, start: () => void, end: { local: number } | number, step: { local: number } | number,
    body: () => void): this {
    start();
    this.set(i).op(Op.block, 0x40, Op.loop, 0x40);
    this.get(i);
    if (typeof end === 'number') this.i32(end); else this.get(end.local);
    this.op(Op.i32GeS, Op.brIf, 1);
    body();
    this.inc(i, typeof step === 'number' ? step : () => this.get(step.local));
    return this.op(Op.br, 0, Op.end, Op.end);
  }

  /** `if (cond) then() else otherwise()`; the condition must already be on the stack. */
  ifElse(then: () => void, otherwise?: () => void): this {
    this.op(Op.if, 0x40);
    then();
    if (otherwise) { this.op(Op.else); otherwise(); }
    return this.op(Op.end);
  }

  /** Pushes min(a, b) of two i32 locals (signed). */
  min(a: number, b: number): this {
    return this.get(a).get(b).get(a).get(b).op(Op.i32LtS, Op.select);
  }

  encode(): number[] {
    const body: number[] = [];
    // Run-length encode the local declarations.
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++; else groups.push([1, t]);
    }
    uleb(body, groups.length);
    for (const [count, t] of groups) { uleb(body, count); body.push(t); }
    body.push(...this.code, Op.end);
    const out: number[] = [];
    uleb(out, body.length);
    out.push(...body);
    return out;
  }
}

/** A module importing one memory as `env.mem` and exporting some of its functions. */
export class ModuleBuilder {
  private readonly functions: FunctionBuilder[] = [];
  private readonly exportsList: [string, number][] = [];

  constructor(private readonly memory: { initialPages: number; maximumPages: number; shared: boolean }) {}

  /** Adds a function and returns its index (usable by `call` before its body is written). */
  add(fn: FunctionBuilder, exportName?: string): number {
    this.functions.push(fn);
    const index = this.functions.length - 1;
    if (exportName) this.exportsList.push([exportName, index]);
    return index;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, content: number[]): void => {
      out.push(id);
      uleb(out, content.length);
      out.push(...content);
    };
    // Type section: one signature per function (duplicates are legal and keep this simple).
    const types: number[] = [];
    uleb(types, this.functions.length);
    for (const fn of this.functions) {
      types.push(0x60);
      uleb(types, fn.params.length); types.push(...fn.params);
      uleb(types, fn.results.length); types.push(...fn.results);
    }
    section(1, types);
    const imports: number[] = [1];
    name(imports, 'env'); name(imports, 'mem');
    imports.push(0x02, this.memory.shared ? 0x03 : 0x01);
    uleb(imports, this.memory.initialPages);
    uleb(imports, this.memory.maximumPages);
    section(2, imports);
    const funcs: number[] = [];
    uleb(funcs, this.functions.length);
    this.functions.forEach((_, i) => uleb(funcs, i));
    section(3, funcs);
    const exps: number[] = [];
    uleb(exps, this.exportsList.length);
    for (const [n, i] of this.exportsList) { name(exps, n); exps.push(0x00); uleb(exps, i); }
    section(7, exps);
    const code: number[] = [];
    uleb(code, this.functions.length);
    for (const fn of this.functions) code.push(...fn.encode());
    section(10, code);
    // Custom "name" section, function-names subsection: names for profiles.
    const named = this.functions.map((fn, i) => [i, fn.debugName ?? this.exportsList.find(([, j]) => j === i)?.[0]] as const)
      .filter((x): x is readonly [number, string] => x[1] !== undefined);
    if (named.length > 0) {
      const sub: number[] = [];
      uleb(sub, named.length);
      for (const [i, n] of named) { uleb(sub, i); name(sub, n); }
      const content: number[] = [];
      name(content, 'name');
      content.push(1);
      uleb(content, sub.length);
      content.push(...sub);
      section(0, content);
    }
    return new Uint8Array(out);
  }
}
