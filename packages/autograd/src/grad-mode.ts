// Grad mode: whether ops record the graph. Off inside noGrad (inference, optimizer steps, decoding).

let enabled = true;

/** Whether ops currently record the graph for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording the graph, as torch.no_grad: outputs need no gradient and hold
 * no references to their inputs.
 * @example const logits = noGrad(() => model.forward(src, tgtIn));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
