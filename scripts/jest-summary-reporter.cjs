// A jest reporter that writes the run's totals to reports/jest-summary.json, so .ci/run can
// print the one line our CI reads: `tests: N passed, N failed, N skipped`.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const out = path.join(this.rootDir, 'reports', 'jest-summary.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      // A file that fails to load (syntax error, a beforeAll that throws) has no failed
      // tests of its own; count it as one failure so it cannot hide.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
      success: results.success,
    };
    fs.writeFileSync(out, JSON.stringify(summary, null, 2));
  }
}

module.exports = SummaryReporter;
