// Builds the gloss web app (esbuild: the page script and its two Workers, platform 'browser', everything bundled,
// no network requests) and serves it from 127.0.0.1 with the COOP/COEP headers that make the page cross-origin
// isolated, so gloss's WebAssembly kernels run on several threads in the Workers. Beside the page it serves the
// bundled corpus (datasets/translation) and, when present, the demo checkpoint `npm run demo` leaves.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
export const PAGE_DIR = path.join(here, 'page');
/** Where the page is built to (ignored by git). */
export const DIST_DIR = path.resolve(here, '../dist');
/** `npm run demo`'s run directory (examples/tatoeba/config.json's out). */
export const DEMO_RUN = path.join(root, 'examples/tatoeba/runs/en-fr');
/** The bundled corpus: gloss's synthetic English→French pairs. */
export const CORPUS_DIR = path.join(root, 'datasets/translation');
const CORPUS_FILES = ['train.tsv', 'valid.tsv'];

/** Bundles the page and its Workers into `outDir`, with index.html and style.css beside them. */
export async function buildApp(outDir = DIST_DIR): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ['app', 'translate-worker', 'train-worker'].map((n) => path.join(PAGE_DIR, `${n}.ts`)),
    outdir: outDir, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: false,
    sourcemap: false, logLevel: 'silent', define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(PAGE_DIR, f), path.join(outDir, f));
  return outDir;
}

/** A run directory's checkpoint the page offers: DIR itself if it holds config.json, else DIR/best, else DIR/last. */
export function checkpointIn(dir: string): string | null {
  for (const d of [dir, path.join(dir, 'best'), path.join(dir, 'last')]) {
    if (fs.existsSync(path.join(d, 'config.json')) && fs.existsSync(path.join(d, 'model.safetensors'))) return d;
  }
  return null;
}

export interface ServeOptions {
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** The run directory (or checkpoint) offered as the demo. Default DEMO_RUN. */
  demo?: string;
  /** The built page. Default DIST_DIR. */
  dir?: string;
}

export interface Server {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.tsv': 'text/tab-separated-values; charset=utf-8', '.safetensors': 'application/octet-stream',
};

/**
 * Serves the built page on 127.0.0.1. /demo/index.json lists the demo checkpoint's files (404 when there is none)
 * and /demo/FILE serves them; /corpus/train.tsv and /corpus/valid.tsv are the bundled corpus.
 */
export async function serveApp({ port = 0, demo = DEMO_RUN, dir = DIST_DIR }: ServeOptions = {}): Promise<Server> {
  const server = http.createServer((req, res) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    const send = (file: string) => {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': fs.statSync(file).size });
      fs.createReadStream(file).pipe(res);
    };
    const notFound = (why: string) => res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(why);
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (name.startsWith('/demo/')) {
      const ckpt = checkpointIn(demo);
      if (!ckpt) return notFound(`no demo checkpoint in ${demo} (run npm run demo)`);
      // The optimizer's state is not needed to translate (it is as large as the model twice over).
      const files = fs.readdirSync(ckpt).filter((f) => fs.statSync(path.join(ckpt, f)).isFile() && !f.startsWith('.') && f !== 'optimizer.safetensors');
      if (name === '/demo/index.json') {
        res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
        const rel = path.relative(root, ckpt);
        return res.end(JSON.stringify({ name: rel && !rel.startsWith('..') ? rel : ckpt, files }));
      }
      const file = name.slice('/demo/'.length);
      return files.includes(file) ? send(path.join(ckpt, file)) : notFound(`${file} is not in ${ckpt}`);
    }
    if (name.startsWith('/corpus/')) {
      const file = name.slice('/corpus/'.length);
      return CORPUS_FILES.includes(file) ? send(path.join(CORPUS_DIR, file)) : notFound(`no corpus file ${file}`);
    }
    const file = path.join(dir, name === '/' ? 'index.html' : name);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound(`not found: ${name}`);
    send(file);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${bound}/`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
