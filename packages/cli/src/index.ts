// @gloss/cli
export {};
