// Which WebAssembly vector instruction set the kernels are generated for: relaxed SIMD (fused
// multiply-add through f32x4.relaxed_madd) where the engine validates it, else fixed-width SIMD
// (mul then add). Node 20 ships relaxed SIMD behind a V8 flag, which is turned on here, before the
// kernel module is compiled, through process.getBuiltinModule (no static `node:` import, so the
// main entry stays browser-safe); Chromium ≥ 114 and Node ≥ 22 have it on by default.
import { ValueError } from '../../errors.js';
import { Simd, uleb } from './wasm-emitter.js';

/** The instruction set the kernels run on; 'none' = no WebAssembly SIMD (the TypeScript reference runs). */
export type SimdLevel = 'relaxed' | 'simd' | 'none';
/** What may be asked for: a level, or 'auto' = the best the engine validates. */
export type SimdRequest = 'relaxed' | 'simd' | 'auto';

/** Environment variable that picks the level at start-up (`simd` forces the plain kernels), read when set. */
export const SIMD_ENV = 'GLOSS_WASM_SIMD';
const REQUESTS: readonly SimdRequest[] = ['relaxed', 'simd', 'auto'];

// (module (func (param v128) (result v128) local.get 0 ×operands <simd op>))
function probe(opcode: number, operands: number): Uint8Array<ArrayBuffer> {
  const op: number[] = [];
  uleb(op, opcode);
  const body = [0x00, ...new Array<number[]>(operands).fill([0x20, 0x00]).flat(), 0xfd, ...op, 0x0b];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7b, 0x01, 0x7b,   // type (v128) → v128
    0x03, 0x02, 0x01, 0x00,                           // one function of that type
    0x0a, body.length + 2, 0x01, body.length, ...body]);
}

function validates(opcode: number, operands: number): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(probe(opcode, operands));
  } catch {
    return false;
  }
}

/** Turns on V8's relaxed-SIMD flag where Node has it behind one (Node 20); a no-op elsewhere. */
function enableRelaxedFlag(): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return;
  try {
    const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
  } catch {
    // Not Node's v8 module, or a runtime that refuses flags: fixed-width SIMD it is.
  }
}

let detected: SimdLevel | undefined;

/** The best level this engine validates (detected once; turns the Node flag on first). */
export function detectSimdLevel(): SimdLevel {
  if (detected !== undefined) return detected;
  if (!validates(Simd.f32x4Add, 2)) return (detected = 'none');
  if (!validates(Simd.f32x4RelaxedMadd, 3)) enableRelaxedFlag();
  return (detected = validates(Simd.f32x4RelaxedMadd, 3) ? 'relaxed' : 'simd');
}

/** Checks a request (from an argument or the environment) named `source` in the error. */
export function checkSimdRequest(source: string, value: unknown): SimdRequest {
  if (!(REQUESTS as readonly unknown[]).includes(value)) {
    throw new ValueError(source, `expected one of ${REQUESTS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as SimdRequest;
}

/** The request in GLOSS_WASM_SIMD, 'auto' when unset or empty; throws on a value that is not a request. */
export function envSimdRequest(): SimdRequest {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[SIMD_ENV];
  return value === undefined || value === '' ? 'auto' : checkSimdRequest(SIMD_ENV, value);
}

/**
 * The level to build for: the request where the engine supports it, otherwise the best it has.
 * A plain request ('simd') never touches the V8 flag.
 */
export function resolveSimdLevel(request: SimdRequest): SimdLevel {
  if (request === 'simd') return validates(Simd.f32x4Add, 2) ? 'simd' : 'none';
  return detectSimdLevel();
}
