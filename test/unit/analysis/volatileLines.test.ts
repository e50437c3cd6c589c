import assert from 'node:assert/strict';
import { volatileLines } from '../../../src/core/analysis/volatileLines';

const body = (version: string, extra = '') =>
  `# Support agent\nVersion: ${version}\nYou are a helpful agent.\n${extra}Rule 1: be kind.\nRule 2: be brief.\n`;

describe("lines that change across a file's history", () => {
  it('finds a line that changes in most versions and says how often', () => {
    const versions = ['1.0.0', '1.0.1', '1.1.0', '1.1.0', '1.2.0', '1.3.0', '1.3.1'].map((v) => body(v));
    const v = volatileLines(body('1.4.0'), versions);
    assert.deepEqual(
      v.map((x) => [x.line, x.text, x.changes, x.compared]),
      [[1, 'Version: 1.4.0', 6, 7]],
    );
  });
  it('a line added once is not volatile; lines elsewhere that move are followed by their anchor', () => {
    const versions = [body('1.0.0'), body('1.0.0'), body('1.0.0', 'New rule 0.\n'), body('1.0.0', 'New rule 0.\n')];
    assert.deepEqual(volatileLines(body('1.0.0', 'New rule 0.\n'), versions), []);
  });
  it('needs at least three versions to say anything', () => {
    assert.deepEqual(volatileLines(body('2'), [body('1')]), []);
  });
});
