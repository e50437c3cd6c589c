// Entry point VS Code loads from extensionTestsPath: runs every *.test.js next to it with mocha inside the
// extension host, and prints the line the e2e runner counts.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  // E2E_GREP (inherited from code-server's environment) runs only the matching tests, while working on them.
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  for (const f of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats!;
      console.log(`e2e-extension-host: ${s.passes} passed, ${s.failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension host tests failed`));
      else resolve();
    });
  });
}
