// Request token counts against real recorded API calls: the committed test/oracle/requests.jsonl and the corpus
// extracted from public SDK test suites' cassettes (scripts/oracle/extract-cassettes.mjs; where it is: corpusDir).
// Per provider, endpoint and feature class: how many of KV Lens's counts equal what the provider billed, are within
// 2 % and 10 %, how many it calls exact (and how many of those are wrong: must be 0). The unit test
// test/unit/oracle/providerCounts.test.ts prints the same table and holds it to its budgets. Prints one JSON object.
import path from 'node:path';
import {
  classTable,
  committedCalls,
  corpusCalls,
  corpusDir,
  countable,
  countCall,
  countTable,
} from '../test/oracle/recordedCalls';
import { registerTokenizer } from '../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../src/node/hfTokenizerFiles';

registerPackagedHfTokenizers(registerTokenizer);
const root = path.resolve('.');
const committed = committedCalls(root);
const dir = corpusDir(root);
const corpus = dir ? corpusCalls(dir).filter(countable) : [];
const counts = committed.map(countCall);
const corpusCounts = corpus.map(countCall);
console.log(
  JSON.stringify({
    calls: committed.length,
    editedLeftOut: counts.filter((c) => c.edited).length,
    table: countTable(counts),
    corpus: dir
      ? {
          dir: path.relative(root, dir),
          calls: corpus.length,
          editedLeftOut: corpusCounts.filter((c) => c.edited).length,
          classes: classTable(corpusCounts),
          // The same per repository: the constants were read off both, so neither is a held-out set; a class that
          // holds in each of two independent suites is less likely to be an artefact of one.
          byRepository: Object.fromEntries(
            [...new Set(corpus.map((c) => c.repo ?? ''))].map((repo) => [
              repo,
              classTable(corpusCounts.filter((c) => c.call.repo === repo)).map(
                ({ endpoint, feature, calls, equal, within2, within10, exactWrong }) =>
                  `${endpoint} ${feature}: ${calls} calls, ${equal} equal, ${within2} ≤2 %, ${within10} ≤10 %${exactWrong ? `, ${exactWrong} exact but wrong` : ''}`,
              ),
            ]),
          ),
        }
      : null,
  }),
);
