// `pnpm test` at the root: every package that has a jest.config.cjs is a project.
const fs = require('node:fs');
const path = require('node:path');

const packagesDir = path.join(__dirname, 'packages');
const projects = fs
  .readdirSync(packagesDir)
  .map((name) => path.join(packagesDir, name))
  .filter((dir) => fs.existsSync(path.join(dir, 'jest.config.cjs')));

module.exports = { projects };
