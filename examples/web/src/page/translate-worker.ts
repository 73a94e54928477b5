// The translate view's Worker: builds the model of a checkpoint from its files (@gloss/transformer's
// decodeCheckpoint, the tokenizers as gloss translate reads them) and decodes lines as `gloss translate` does
// (@gloss/cli/browser's decodeText: the same defaults, beam search, n-best, length penalty), returning the best
// hypothesis's cross-attention per layer for the heatmap. Its WebAssembly kernels run on threads when the page is
// cross-origin isolated.
import { startMatmulThreads } from '@gloss/tensor';
import { decodeCheckpoint, type Seq2SeqTransformer } from '@gloss/transformer';
import { decodeText, tokenizersFromFiles, useBackend, type Tokenizers } from '@gloss/cli/browser';
import type { AttentionLayer, TranslatedLine, TranslateReply, TranslateRequest } from '../protocol.js';

const post = (m: TranslateReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let loaded: { model: Seq2SeqTransformer; tok: Tokenizers } | null = null;
const threadsReady = startMatmulThreads().catch(() => undefined);

async function handle(m: TranslateRequest): Promise<void> {
  await threadsReady;
  if (m.type === 'load') {
    const t0 = performance.now();
    const files = new Map(m.files);
    const need = (name: string): Uint8Array => {
      const data = files.get(name);
      if (!data) throw new Error(`${m.source}/${name} is missing: a checkpoint holds config.json, model.safetensors and its tokenizer files`);
      return data;
    };
    const backend = await useBackend(m.backend);
    const config = need('config.json');
    const weights = need('model.safetensors');
    const { model } = decodeCheckpoint({ config, weights }, { source: m.source });
    const tok = tokenizersFromFiles((n) => (files.has(n) ? new TextDecoder().decode(files.get(n)) : null), m.source);
    loaded = { model, tok };
    let step: number | null = null;
    if (files.has('trainer-state.json')) {
      try { step = JSON.parse(new TextDecoder().decode(files.get('trainer-state.json'))).step ?? null; } catch { step = null; }
    }
    post({
      type: 'loaded', info: {
        source: m.source, parameters: model.numParameters(), config: { ...model.config }, tokenizer: tok.src.kind,
        vocab: tok.src === tok.tgt ? `${tok.src.vocab.size} (shared)` : `${tok.src.vocab.size} / ${tok.tgt.vocab.size}`,
        step, backend, ms: performance.now() - t0,
      },
    });
    return;
  }
  if (!loaded) throw new Error('open a checkpoint first');
  const { model, tok } = loaded;
  const t0 = performance.now();
  const decoded = decodeText(model, tok, m.lines, { beam: m.beam, nBest: m.nbest, returnAttention: true });
  const ms = performance.now() - t0;
  const transfer: Transferable[] = [];
  const results: TranslatedLine[] = decoded.map((d, i) => {
    const best = d.nbest[0];
    const attention: AttentionLayer[] = (best?.attention ?? []).map((t) => {
      const data = Float32Array.from(t.data as ArrayLike<number>);
      transfer.push(data.buffer);
      return { shape: t.shape as [number, number, number], data };
    });
    const tgtTokensOf = (h: { tokens: readonly number[]; finished: boolean }) => [...h.tokens.map((id) => tok.tgt.vocab.tokenOf(id)), ...(h.finished ? ['<eos>'] : [])];
    return {
      src: m.lines[i], srcTokens: tok.src.tokenize(m.lines[i]),
      nbest: d.nbest.map((h) => ({ text: h.text, score: h.score, tgtTokens: tgtTokensOf(h) })), attention,
    };
  });
  post({ type: 'translated', id: m.id, results, ms }, transfer);
}

self.onmessage = (event: MessageEvent<TranslateRequest>) => {
  const m = event.data;
  handle(m).catch((e: Error) => post({ type: 'error', ...(m.type === 'translate' ? { id: m.id } : {}), message: e.message }));
};
