// Which checkpoint a set of opened files is: files picked or dropped (a checkpoint's files, a checkpoint or run
// folder, a .tar of one), by path. The rule is gloss translate's resolveCheckpointDir: a folder holding
// config.json, else its best/, else its last/. What is missing is named, as a person can fix it.
import { readTar } from './tar.js';

export interface OpenedFile { path: string; data: Uint8Array }

export interface Chosen {
  /** The checkpoint's folder among the opened paths ('' for loose files), for messages. */
  source: string;
  files: [name: string, data: Uint8Array][];
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Opened files with each .tar replaced by its contents (paths under the archive's name). */
export function expandArchives(files: readonly OpenedFile[]): OpenedFile[] {
  return files.flatMap((f) => (/\.tar$/i.test(f.path) ? readTar(f.data, f.path).map(([p, data]) => ({ path: p, data })) : [f]));
}

export function chooseCheckpoint(opened: readonly OpenedFile[], label: string): Chosen {
  const files = expandArchives(opened);
  if (files.length === 0) throw new Error(`${label}: no files`);
  const dirs = [...new Set(files.filter((f) => baseOf(f.path) === 'config.json').map((f) => dirOf(f.path)))];
  let dir: string;
  if (dirs.length === 0) {
    const weights = files.find((f) => baseOf(f.path) === 'model.safetensors');
    const where = weights ? dirOf(weights.path) : '';
    throw new Error(`${where ? `${label}/${where}` : label}: no config.json among the ${files.length} file${files.length === 1 ? '' : 's'} opened ` +
      `(${files.slice(0, 6).map((f) => f.path).join(', ')}${files.length > 6 ? ', …' : ''}); a checkpoint holds config.json, model.safetensors and tokenizer.json`);
  } else if (dirs.length === 1) {
    dir = dirs[0];
  } else {
    // A run folder: the shallowest checkpoint, preferring best/ then last/ (gloss translate's choice).
    const depth = (d: string) => (d === '' ? 0 : d.split('/').length);
    const rank = (d: string) => depth(d) * 3 + (/(^|\/)best$/.test(d) ? 0 : /(^|\/)last$/.test(d) ? 1 : 2);
    dir = [...dirs].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
  }
  const chosen = files.filter((f) => dirOf(f.path) === dir).map((f) => [baseOf(f.path), f.data] as [string, Uint8Array]);
  const source = dir ? `${label === dir.split('/')[0] ? '' : `${label}: `}${dir}` : label;
  if (!chosen.some(([n]) => n === 'model.safetensors')) {
    throw new Error(`${source}/model.safetensors is missing: the checkpoint is incomplete (it has ${chosen.map(([n]) => n).join(', ')})`);
  }
  return { source, files: chosen };
}

/**
 * The files of a drop: each dropped folder read recursively (paths under its name), files as they are. An item
 * the browser gives no file-system entry for (a DataTransfer built by a script) is read as the File it holds.
 */
export async function droppedFiles(items: DataTransferItemList): Promise<OpenedFile[]> {
  // The items are readable only during the drop event: take their entries and files before the first await.
  const taken = [...items].filter((i) => i.kind === 'file').map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  const out: OpenedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: prefix + entry.name, data: new Uint8Array(await file.arrayBuffer()) });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const { entry, file } of taken) {
    if (entry) await walk(entry, '');
    else if (file) out.push({ path: file.name, data: new Uint8Array(await file.arrayBuffer()) });
  }
  return out;
}

/** Files from an <input type=file> (with webkitRelativePath for a picked folder). */
export async function pickedFiles(list: FileList): Promise<OpenedFile[]> {
  return Promise.all([...list].map(async (f) => ({ path: f.webkitRelativePath || f.name, data: new Uint8Array(await f.arrayBuffer()) })));
}
