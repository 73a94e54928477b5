// POSIX ustar archives, written and read: the page downloads a run directory as one .tar (`tar xf` gives the
// directory gloss translate and gloss report read), and opens a dropped .tar as the files it holds.
const BLOCK = 512;

function writeString(h: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > length) throw new Error(`tar: "${text}" is longer than ${length} bytes`);
  h.set(bytes, offset);
}

function octal(h: Uint8Array, offset: number, length: number, value: number): void {
  writeString(h, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function header(name: string, size: number, type: '0' | '5', mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  octal(h, 100, 8, type === '5' ? 0o755 : 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);   // the checksum counts its own field as spaces
  h[156] = type.charCodeAt(0);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** A tar of `files` (paths with '/' for folders; folders get their own entries), mtime in seconds. */
export function writeTar(files: readonly [path: string, data: Uint8Array][], mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  const parts: Uint8Array[] = [];
  const dirs = new Set<string>();
  for (const [path, data] of files) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = `${segments.slice(0, i).join('/')}/`;
      if (!dirs.has(dir)) { dirs.add(dir); parts.push(header(dir, 0, '5', mtime)); }
    }
    parts.push(header(path, data.length, '0', mtime), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function readString(h: Uint8Array, offset: number, length: number): string {
  const end = h.subarray(offset, offset + length).indexOf(0);
  return new TextDecoder().decode(h.subarray(offset, end < 0 ? offset + length : offset + end));
}

/** The regular files of a tar, by path; throws naming `name` and the byte offset of a bad header or a short file. */
export function readTar(bytes: Uint8Array, name: string): [path: string, data: Uint8Array][] {
  const files: [string, Uint8Array][] = [];
  let at = 0;
  while (at + BLOCK <= bytes.length) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return files;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const recorded = parseInt(readString(h, 148, 8).trim(), 8);
    if (recorded !== sum) throw new Error(`${name} is not a tar archive, or is damaged: bad header checksum at byte ${at}`);
    const size = parseInt(readString(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 0x30);
    const prefix = readString(h, 345, 155);
    const path = (prefix ? `${prefix}/` : '') + readString(h, 0, 100);
    at += BLOCK;
    if (at + size > bytes.length) throw new Error(`${name} is truncated: ${path} needs ${size} bytes at byte ${at}, the archive ends at ${bytes.length}`);
    if (type === '0') files.push([path.replace(/^\.\//, ''), bytes.slice(at, at + size)]);
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error(`${name} is truncated: it ends at byte ${bytes.length} without the end-of-archive blocks`);
}
