// @gloss/datasets
export {};
