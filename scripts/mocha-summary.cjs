// Runs mocha programmatically over the given files and prints the closing line `N passed, N failed` from its stats.
const Mocha = require('mocha');

module.exports = function runMocha(files, { label, timeout = 60000, grep } = {}) {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout, grep });
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      console.log(`${label}: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
      resolve(s);
    });
  });
};
