// @gloss/transformer
export {};
