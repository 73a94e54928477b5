// @gloss/training
export {};
