import assert from 'node:assert/strict';
import { hubFile } from '../../../src/core/attention/hubFile';
import { terminalSafe, visible } from '../../../src/cli/io';
import {
  attentionMessage,
  costMessage,
  isRelativeInside,
  replayMessage,
} from '../../../src/extension/webviews/messageChecks';

const HUB = {
  hubUrl: 'https://huggingface.co',
  repo: 'openai-community/gpt2',
  file: 'onnx/decoder_with_past_model.onnx',
  revision: 'main',
  sha256: '',
};

describe('hub model paths from settings', () => {
  it('the default settings give the hub URL and a storage path of their own segments', () => {
    const r = hubFile(HUB);
    assert.ok(r.ok);
    assert.equal(r.url, 'https://huggingface.co/openai-community/gpt2/resolve/main/onnx/decoder_with_past_model.onnx');
    assert.deepEqual(r.storage, ['openai-community', 'gpt2', 'main', 'onnx', 'decoder_with_past_model.onnx']);
    const pr = hubFile({ ...HUB, revision: 'refs/pr/1', hubUrl: 'http://127.0.0.1:8080/mirror/' });
    assert.ok(pr.ok);
    assert.equal(
      pr.url,
      'http://127.0.0.1:8080/mirror/openai-community/gpt2/resolve/refs%2Fpr%2F1/onnx/decoder_with_past_model.onnx',
    );
    assert.deepEqual(pr.storage.slice(0, 3), ['openai-community', 'gpt2', 'refs%2Fpr%2F1'], 'a revision is one folder');
  });

  it('".." and other escapes in repository, file or revision are refused with the setting named', () => {
    const bad: [Partial<typeof HUB>, RegExp][] = [
      [{ repo: '../../../etc' }, /huggingFaceRepo "\.\.\/\.\.\/\.\.\/etc" is not a repository name/],
      [{ repo: 'a/b/c' }, /huggingFaceRepo/],
      [{ repo: 'owner/..' }, /huggingFaceRepo/],
      [{ file: '../../../../.bashrc.onnx' }, /huggingFaceFile/],
      [{ file: 'onnx/./model.onnx' }, /huggingFaceFile/],
      [{ file: 'model.bin' }, /huggingFaceFile .* an \.onnx file/],
      [{ file: '/abs/model.onnx' }, /huggingFaceFile/],
      [{ revision: '..' }, /revision "\.\." is not a branch/],
      [{ revision: 'main/../../x' }, /revision/],
      [{ revision: '' }, /revision/],
      [{ hubUrl: 'file:///etc/passwd' }, /hubUrl must be an http\(s\) URL/],
      [{ hubUrl: 'https://user:pw@example.invalid' }, /user name or password/],
      [{ hubUrl: 'not a url' }, /is not a URL/],
      [{ sha256: 'abc' }, /sha256 must be 64 hexadecimal digits/],
    ];
    for (const [change, re] of bad) {
      const r = hubFile({ ...HUB, ...change });
      assert.ok(!r.ok, JSON.stringify(change));
      assert.match(r.message, re);
    }
  });
});

describe('webview messages are checked before the host acts on them', () => {
  it('openFile takes only workspace-relative paths that stay inside', () => {
    assert.deepEqual(costMessage({ type: 'openFile', file: 'prompts/a.prompt.md', line: 3 }), {
      type: 'openFile',
      file: 'prompts/a.prompt.md',
      line: 3,
    });
    for (const file of [
      '../secret',
      'a/../../b',
      '/etc/passwd',
      'C:\\x',
      '\\\\server\\share',
      'file:///etc/passwd',
      'a\u0000b',
      '',
      42,
    ]) {
      assert.equal(costMessage({ type: 'openFile', file }), undefined, String(file));
    }
    assert.equal(costMessage({ type: 'openFile', file: 'a.md', line: -1 }), undefined);
    assert.equal(costMessage({ type: 'openFile', file: 'a.md', line: 1.5 }), undefined);
    assert.equal(isRelativeInside('a..b/c'), true, 'dots inside a name are fine');
  });

  it('other cost messages: links only to https, inputs in range, unknown types dropped', () => {
    assert.deepEqual(costMessage({ type: 'openSource', url: 'https://openai.com/api/pricing' }), {
      type: 'openSource',
      url: 'https://openai.com/api/pricing',
    });
    assert.equal(costMessage({ type: 'openSource', url: 'command:workbench.action.terminal.new' }), undefined);
    assert.equal(costMessage({ type: 'openSource', url: 'http://x' }), undefined);
    assert.ok(
      costMessage({
        type: 'inputs',
        inputs: { callsPerHour: 60, outputTokens: 500, ttl: { 'claude-sonnet-4-5': '1h' } },
      }),
    );
    assert.equal(
      costMessage({ type: 'inputs', inputs: { callsPerHour: Infinity, outputTokens: 500, ttl: {} } }),
      undefined,
    );
    assert.equal(costMessage({ type: 'inputs', inputs: { callsPerHour: 1, outputTokens: -5, ttl: {} } }), undefined);
    assert.equal(costMessage({ type: 'copy', format: 'html', text: 'x' }), undefined);
    assert.equal(costMessage({ type: 'runCommand', command: 'rm' }), undefined);
    assert.equal(costMessage(null), undefined);
    assert.equal(costMessage('ready'), undefined);
  });

  it('replay and attention positions must lie inside the document', () => {
    assert.deepEqual(replayMessage({ type: 'openLine', index: 4, column: 2 }, 5), {
      type: 'openLine',
      index: 4,
      column: 2,
    });
    assert.equal(replayMessage({ type: 'openLine', index: 5 }, 5), undefined);
    assert.equal(replayMessage({ type: 'openLine', index: -1 }, 5), undefined);
    assert.equal(replayMessage({ type: 'openLine', index: 0, column: 0 }, 5), undefined);
    assert.deepEqual(attentionMessage({ type: 'reveal', start: 3, end: 10 }, 10), {
      type: 'reveal',
      start: 3,
      end: 10,
    });
    assert.equal(attentionMessage({ type: 'reveal', start: 3, end: 11 }, 10), undefined);
    assert.equal(attentionMessage({ type: 'reveal', start: 5, end: 3 }, 10), undefined);
    assert.equal(attentionMessage({ type: 'status', status: { backend: 'cuda' } }, 10), undefined);
    assert.ok(
      attentionMessage(
        {
          type: 'status',
          status: {
            backend: 'wasm',
            model: 'demo',
            tokens: 3,
            reused: 0,
            computed: 3,
            ms: 1.5,
            fullMs: null,
            maxAbsDiffLogits: null,
            maxAbsDiffAttention: null,
            prefixShare: null,
            cacheBoundary: null,
            layer: 0,
            head: 'mean',
          },
        },
        10,
      ),
    );
  });
});

describe('terminal output of user content', () => {
  it('control characters and bidirectional overrides are written as escapes', () => {
    const hostile = 'a\x1b]0;title\x07b\x1b[2Jc\u009bd\u202ee\x7f';
    assert.equal(terminalSafe(hostile), 'a\\u001b]0;title\\u0007b\\u001b[2Jc\\u009bd\\u202ee\\u007f');
    assert.equal(terminalSafe('line 1\n\tline 2'), 'line 1\n\tline 2', 'line breaks and tabs of our own output stay');
    assert.equal(visible('new\nline\r.md'), 'new\\nline\\r.md', 'in a name every break is escaped');
  });

  it('JSON stays valid and equal after the escapes', () => {
    const value = { text: 'x\u009b[31my\u202ez\x7f' };
    const safe = terminalSafe(JSON.stringify(value));
    assert.doesNotMatch(safe, /[\x7f-\x9f\u202e]/);
    assert.deepEqual(JSON.parse(safe), value);
  });
});
