// @gloss/training/node: what writes to disk — the Trainer (run directories with checkpoints, snapshots and
// metrics.jsonl), trainer checkpoints, checkpoint averaging and the metrics log. The main entry keeps the
// optimizers, schedules, losses, clipping and metrics, which run anywhere (a web page, a Worker).
export { Trainer } from '../trainer.js';
export { METRICS_FILE, readMetrics } from '../metrics-log.js';
export { saveCheckpoint, loadCheckpoint } from '../checkpoint/checkpoint.js';
export { directoryStorage, type DirectoryStorageOptions } from '../storage/directory-storage.js';
export { averageCheckpoints } from '../checkpoint/average.js';
