import { describe, expect, it } from 'vitest';
import { Tensor } from '@gloss/tensor';
import { attentionHtml } from './attention-view.js';

describe('attentionHtml', () => {
  const layer = new Tensor(Float32Array.from([
    1, 0, 0, 0.5, 0.5, 0,          // head 0: 2 output rows × 3 source tokens
    0, 0, 1, 0.25, 0.25, 0.5,      // head 1
  ]), [2, 2, 3]);
  const page = attentionHtml({ srcTokens: ['le', 'chat', '<noir>'], tgtTokens: ['the', '<eos>'], attention: [layer, layer], title: 'le chat & co' });

  it('draws one cell per weight for every layer, head and the head mean, with the exact value on hover', () => {
    expect(page.match(/<rect /g)).toHaveLength(2 * (2 + 1) * 2 * 3);
    expect(page.match(/<figcaption>/g)).toHaveLength(2 * 3);
    expect(page).toContain('<figcaption>layer 1, mean of 2 heads</figcaption>');
    expect(page).toContain('<title>the → le: 1.000</title>');
    expect(page).toContain('<title>&lt;eos&gt; → chat: 0.375</title>');   // mean of 0.5 and 0.25
    expect(page).toContain('fill="rgb(8,48,107)"');                          // weight 1: darkest
    expect(page).toContain('fill="rgb(255,255,255)"');                       // weight 0: white
  });

  it('escapes tokens and the title, and is self-contained', () => {
    expect(page).toContain('<h1>le chat &amp; co</h1>');
    expect(page).toContain('&lt;noir&gt;');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it('refuses attention whose shape does not match the tokens', () => {
    expect(() => attentionHtml({ srcTokens: ['a'], tgtTokens: ['b', 'c'], attention: [layer] }))
      .toThrow('attentionHtml: layer 0 attention is [2, 2, 3], expected [numHeads, 2, 1] (output tokens × source tokens)');
  });
});
