import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './priority-queue.js';

describe('PriorityQueue', () => {
  it('pops items in comparator order', () => {
    const queue = new PriorityQueue<number>((a, b) => a > b);
    const values = [5, 1, 9, 3, 7, 9, 0, 4];
    values.forEach((v) => queue.push(v));
    const out: number[] = [];
    while (queue.size > 0) out.push(queue.pop() as number);
    expect(out).toEqual([...values].sort((a, b) => b - a));
    expect(queue.pop()).toBeUndefined();
  });
});
