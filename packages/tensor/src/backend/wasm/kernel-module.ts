// The one WebAssembly module gloss's float32 kernels live in: the GEMM, the fused attention and the
// cross-entropy rows share its memory and thread pool, and run(chunk, slot) runs a chunk of whichever job Ctrl.KIND names.
import { addAttention, JobKind } from './attention-module.js';
import { crossEntropyRows } from './cross-entropy-module.js';
import { addGemm, Ctrl, type TileConfig } from './gemm-module.js';
import { FunctionBuilder, I32, ModuleBuilder, Op } from './wasm-emitter.js';

/**
 * Builds the module bytes: a GEMM per tile (Ctrl.TILE picks one per job), the memory import shared
 * when threads will use it, multiply-adds as relaxed_madd when `relaxed` (the engine must validate
 * relaxed SIMD).
 */
export function buildKernelModule(tiles: readonly TileConfig[], shared: boolean, relaxed = false): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder({ initialPages: 1, maximumPages: 65536, shared });
  const gemm = addGemm(m, tiles, relaxed);
  const attention = addAttention(m, relaxed);
  const crossEntropy = m.add(crossEntropyRows(relaxed));
  const run = new FunctionBuilder([I32, I32], []);
  const kind = run.local(I32);
  run.i32(0).mem(Op.i32Load, 2, Ctrl.KIND * 4).set(kind);
  const dispatch = (fn: number): void => { run.get(0).get(1).call(fn); };
  run.get(kind).i32(JobKind.GEMM).op(Op.i32Eq).ifElse(() => dispatch(gemm), () => {
    run.get(kind).i32(JobKind.CROSS_ENTROPY).op(Op.i32Eq).ifElse(() => dispatch(crossEntropy), () => {
      run.get(kind).i32(JobKind.ATTENTION_FORWARD).op(Op.i32Eq)
        .ifElse(() => dispatch(attention.forward), () => dispatch(attention.backward));
    });
  });
  m.add(run, 'run');
  return m.encode();
}
