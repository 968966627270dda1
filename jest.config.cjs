// `pnpm test` at the root: every package that has a jest.config.cjs is a project, and jest
// runs their files in parallel. The summary reporter feeds the closing line of .ci/run.
const fs = require('node:fs');
const path = require('node:path');

const packagesDir = path.join(__dirname, 'packages');
const projects = fs
  .readdirSync(packagesDir)
  .map((name) => path.join(packagesDir, name))
  .filter((dir) => fs.existsSync(path.join(dir, 'jest.config.cjs')));

module.exports = {
  projects,
  // Global, not per project: jest reads testTimeout only from the top-level config.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
};
