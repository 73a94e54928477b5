// `npm run web`: builds the gloss web app and serves it on http://127.0.0.1:PORT/ (PORT from --port or $PORT,
// default 5173), cross-origin isolated; prints the URL and whether the demo checkpoint is there. Ctrl-C stops it.
import path from 'node:path';
import { buildApp, checkpointIn, DEMO_RUN, serveApp } from './server.js';

const flag = process.argv.indexOf('--port');
const port = Number(flag >= 0 ? process.argv[flag + 1] : process.env.PORT ?? 5173);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`gloss web: --port must be an integer in 0..65535, got "${flag >= 0 ? process.argv[flag + 1] : process.env.PORT}"`);
  process.exit(2);
}
const t0 = performance.now();
await buildApp();
const server = await serveApp({ port }).catch((e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `gloss web: port ${port} is in use; pass another with npm run web -- --port N` : `gloss web: ${e.message}`);
  process.exit(1);
});
const demo = checkpointIn(DEMO_RUN);
console.log(`gloss web app (built in ${((performance.now() - t0) / 1000).toFixed(1)} s): ${server.url}`);
console.log(demo ? `demo checkpoint: ${path.relative(process.env.INIT_CWD ?? process.cwd(), demo) || demo}` : `no demo checkpoint yet (npm run demo writes ${path.relative(process.env.INIT_CWD ?? process.cwd(), DEMO_RUN)}); open or train one in the page`);
console.log('Ctrl-C to stop');
