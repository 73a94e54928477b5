const n = 2048 * 384;
const a = new Float32Array(n).fill(1), b = new Float32Array(n).fill(2), out = new Float32Array(n);
const T = (f: () => void) => { for (let i = 0; i < 5; i++) f(); const ts: number[] = []; for (let i = 0; i < 31; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); } return ts.sort((p, q) => p - q)[15]; };
const add = (o: Float32Array) => { for (let i = 0; i < n; i++) o[i] = a[i] + b[i]; return o; };
console.log(`add into a reused buffer ${T(() => add(out)).toFixed(2)} ms, into a fresh Float32Array ${T(() => add(new Float32Array(n))).toFixed(2)} ms, fresh alloc only ${T(() => new Float32Array(n)).toFixed(3)} ms`);
