// Checks of the Trainer's options, so a typo fails before the first step rather than hours in.
import { TrainingError } from './errors.js';
import type { TrainerOptions } from './trainer.js';

/** Throws a TrainingError naming the first bad option. */
export function checkTrainerOptions<B>(o: TrainerOptions<B>): void {
  const fail = (why: string): never => {
    throw new TrainingError('Trainer', why);
  };
  const positiveInt = (name: string, v: number | undefined, min = 1) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) fail(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  for (const name of ['model', 'optimizer', 'data', 'lossFn'] as const) if (!o[name]) fail(`the '${name}' option is required`);
  if (o.maxSteps === undefined && o.maxEpochs === undefined) fail('set maxSteps or maxEpochs (or both): training needs an end');
  positiveInt('maxSteps', o.maxSteps, 0);
  positiveInt('maxEpochs', o.maxEpochs);
  positiveInt('accumulate', o.accumulate);
  positiveInt('validateEvery', o.validateEvery);
  positiveInt('checkpointEvery', o.checkpointEvery);
  positiveInt('logEvery', o.logEvery);
  positiveInt('keepLast', o.keepLast, 0);
  positiveInt('averageLast', o.averageLast, 0);
  if (o.clipNorm !== undefined && !(o.clipNorm > 0 && Number.isFinite(o.clipNorm))) fail(`clipNorm must be a finite number > 0, got ${o.clipNorm}`);
  if (!o.dir) {
    for (const name of ['resume', 'checkpointEvery', 'keepLast', 'averageLast'] as const) if (o[name]) fail(`${name} needs a checkpoint directory (the 'dir' option)`);
  }
  if (o.validateEvery && !o.validate) fail('validateEvery needs a validate function');
  for (const [name, choice] of [['earlyStopping', o.earlyStopping], ['bestMetric', o.bestMetric]] as const) {
    if (!choice) continue;
    if (typeof choice.metric !== 'string' || !choice.metric) fail(`${name}.metric must name a metric validate() returns, got ${JSON.stringify(choice.metric)}`);
    if (choice.mode !== 'min' && choice.mode !== 'max') fail(`${name}.mode must be 'min' or 'max', got ${JSON.stringify(choice.mode)}`);
    if (!o.validate) fail(`${name} needs a validate function`);
  }
  if (o.earlyStopping) positiveInt('earlyStopping.patience', o.earlyStopping.patience);
}
