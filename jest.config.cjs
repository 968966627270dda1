// `pnpm test` at the root: every package that has a jest.config.cjs is a project, and so is
// the root's own test/ folder; jest runs all their files in parallel. The summary reporter feeds the closing line of .ci/run.
const fs = require('node:fs');
const path = require('node:path');

const packagesDir = path.join(__dirname, 'packages');
const projects = fs
  .readdirSync(packagesDir)
  .map((name) => path.join(packagesDir, name))
  .concat(path.join(__dirname, 'deploy')) // stage 8's checks of the deployment files
  .filter((dir) => fs.existsSync(path.join(dir, 'jest.config.cjs')));
// The root's test/ checks the repository as a whole (e.g. the links in its documents).
const repository = require('./jest.preset.cjs')(__dirname, {
  displayName: 'repository',
  roots: ['<rootDir>/test'],
});

module.exports = {
  projects: [...projects, repository],
  // Global, not per project: jest reads testTimeout only from the top-level config.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
};
