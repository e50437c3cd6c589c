// Request token counts against real recorded API calls (test/oracle/requests.jsonl): per endpoint and kind, how many
// of KV Lens's counts equal what the provider billed, how many it calls exact, and the relative error. The unit test
// test/unit/oracle/providerCounts.test.ts holds the same figures to their budgets. Prints one JSON object.
import fs from 'node:fs';
import path from 'node:path';
import { countCall, countTable, type RecordedCall } from '../test/oracle/recordedCalls';
import { registerTokenizer } from '../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../src/node/hfTokenizerFiles';

registerPackagedHfTokenizers(registerTokenizer);
const calls = fs
  .readFileSync(path.resolve('test/oracle/requests.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as RecordedCall);
const counts = calls.map(countCall);
console.log(
  JSON.stringify({
    calls: calls.length,
    editedLeftOut: counts.filter((c) => c.edited).length,
    table: countTable(counts),
  }),
);
