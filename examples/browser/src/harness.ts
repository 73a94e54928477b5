// Runs gloss in headless Chromium: bundles a page script with esbuild (platform 'browser', no Node shims), serves it
// from 127.0.0.1 with the COOP/COEP headers that make the page cross-origin isolated, and opens it in Chromium
// through playwright-core. Chromium is Debian's /usr/bin/chromium (or GLOSS_CHROMIUM); never a downloaded one.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.GLOSS_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for each GPU setup measured in shared notes: WebGL2 on SwiftShader, on Mesa llvmpipe, and WebGPU. */
export const FLAGS = {
  /** WebGL2 on SwiftShader (Chromium's software Vulkan) and a WebGPU adapter (SwiftShader's fallback). */
  swiftshader: ['--enable-unsafe-webgpu'],
  /** WebGL2 through ANGLE on the system's EGL driver: Mesa llvmpipe here, the real GPU on a GPU machine. */
  egl: ['--use-angle=gl-egl', '--ignore-gpu-blocklist'],
} as const;

const BASE_ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--disable-default-apps', '--disable-domain-reliability',
];

/** Why the browser suite cannot run here, or null when Chromium is installed. */
export function chromiumMissing(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  return `browser tests not run: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set GLOSS_CHROMIUM)`;
}

/** Bundles `entry` (a page script) for the browser; throws with esbuild's messages if anything needs Node. */
export async function bundlePage(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    sourcemap: false, logLevel: 'silent', define: { 'process.env.NODE_ENV': '"production"' },
  });
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.safetensors': 'application/octet-stream',
};

/**
 * Serves `dir` on 127.0.0.1 (a free port) with COOP/COEP, so pages are cross-origin isolated (SharedArrayBuffer,
 * threads); `isolated: false` leaves the headers out.
 */
export async function serve(dir: string, { isolated = true } = {}): Promise<Served> {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, name === '/' ? 'index.html' : name);
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface BrowserSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught page errors, for failure messages. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Starts Chromium with `flags` and opens `url`, waiting until the page script set globalThis.glossReady. */
export async function openPage(url: string, flags: readonly string[] = []): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...flags],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { glossReady?: boolean }).glossReady === true, undefined, { timeout: 30_000 })
    .catch((e: Error) => { throw new Error(`the page did not load: ${e.message}; ${errors.join('; ') || 'no page errors'}`); });
  return {
    page, context, errors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A temporary directory holding index.html, the bundled page script `src/page/<name>.ts` as page.js, and its Workers. */
export async function pageDir(name: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-page-'));
  const entry = fileURLToPath(new URL(`./page/${name}.ts`, import.meta.url));
  await bundlePage(entry, path.join(dir, 'page.js'));
  // Workers the page starts, bundled the same way.
  for (const worker of ['train-worker', 'trainer-worker', 'threads-worker']) {
    await bundlePage(fileURLToPath(new URL(`./page/${worker}.ts`, import.meta.url)), path.join(dir, `${worker}.js`));
  }
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>gloss</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>\n');
  return dir;
}
