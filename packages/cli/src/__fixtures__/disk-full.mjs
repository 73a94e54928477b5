// Preloaded by the disk-full tests (`node --import`): a file system that fills up once GLOSS_TEST_DISK_FULL_AFTER
// checkpoint directories have been committed (a `*.tmp/` directory renamed into place). From then on, a file
// written inside a `*.tmp/` directory gets half its bytes and then fails with ENOSPC, as a real full disk does,
// and, when GLOSS_TEST_DISK_FREE is set, statfs reports that many bytes free (so gloss refuses before writing).
import fs from 'node:fs';
import path from 'node:path';

const after = Number(process.env.GLOSS_TEST_DISK_FULL_AFTER);
const free = process.env.GLOSS_TEST_DISK_FREE === undefined ? null : Number(process.env.GLOSS_TEST_DISK_FREE);
let commits = 0;
const full = () => commits >= after;
const inTmpDir = (file) => path.basename(path.dirname(String(file))).endsWith('.tmp');
const tmpFds = new Set();
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });

const { renameSync, openSync, closeSync, writeFileSync, statfsSync } = fs;
fs.renameSync = function (from, to) {
  const isDir = String(from).endsWith('.tmp') && fs.statSync(from).isDirectory();
  renameSync.call(fs, from, to);
  if (isDir) commits++;
};
fs.openSync = function (file, ...rest) {
  const fd = openSync.call(fs, file, ...rest);
  if (full() && inTmpDir(file)) tmpFds.add(fd);
  return fd;
};
fs.closeSync = function (fd) {
  tmpFds.delete(fd);
  return closeSync.call(fs, fd);
};
fs.writeFileSync = function (target, data, ...rest) {
  if (typeof target === 'number' ? tmpFds.has(target) : full() && inTmpDir(target)) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    writeFileSync.call(fs, target, bytes.subarray(0, bytes.length >> 1), ...rest);
    throw enospc();
  }
  return writeFileSync.call(fs, target, data, ...rest);
};
fs.statfsSync = function (...args) {
  const s = statfsSync.apply(fs, args);
  return full() && free !== null ? { ...s, bavail: Math.floor(free / s.bsize) } : s;
};
