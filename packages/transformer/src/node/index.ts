// @gloss/transformer/node: checkpoint directories on disk. The main entry has the same checkpoint as bytes
// (encodeCheckpoint, decodeCheckpoint), which is all a web page needs.
export { saveCheckpoint, loadCheckpoint, type LoadedCheckpoint, type LoadCheckpointOptions } from './checkpoint.js';
