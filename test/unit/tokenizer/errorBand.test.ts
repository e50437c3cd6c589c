import assert from 'node:assert/strict';
import { errorBandFor } from '../../../src/core/tokenizer/errorBand';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

describe('errorBandFor: the measured band of a count', () => {
  it('none for an exact tokenizer; the text band for an estimate; the tools band when the prompt has tool definitions', () => {
    assert.equal(errorBandFor(getTokenizer('o200k_base')!, [{ kind: 'tools' }]), undefined);
    const claude = getTokenizer('claude_estimate')!;
    assert.equal(errorBandFor(claude, [{ kind: 'system' }, { kind: 'message' }]), 0.1);
    assert.equal(errorBandFor(claude, [{ kind: 'tools' }, { kind: 'message' }]), 0.16);
    // An estimate measured with one band only uses it for tools too.
    assert.equal(errorBandFor(getTokenizer('claude_opus47_estimate')!, [{ kind: 'tools' }]), 0.15);
  });
});
