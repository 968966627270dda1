// One jest configuration for every package: each package's jest.config.cjs calls this with
// its own folder, and the root jest.config.cjs runs them all as projects (files in parallel).
const path = require('node:path');

module.exports = function preset(packageDir, overrides = {}) {
  const name = path.basename(packageDir);
  return {
    displayName: name,
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
    transform: {
      // Why no type errors here: tsconfig.base.json sets isolatedModules, so ts-jest
      // transpiles each file on its own (fast), and `diagnostics: false` leaves type checking
      // to `pnpm typecheck`, which covers the test files too.
      '^.+\\.tsx?$': [
        'ts-jest',
        { tsconfig: path.join(packageDir, 'tsconfig.json'), diagnostics: false },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json', 'cjs', 'mjs'],
    // Workspace packages are imported by name; in tests they resolve to their TypeScript source.
    moduleNameMapper: {
      '^@roadmap/([a-z-]+)$': '<rootDir>/../$1/src/index.ts',
      '^@roadmap/([a-z-]+)/(.+)$': '<rootDir>/../$1/src/$2',
    },
    // Used when one package runs alone (`pnpm --filter … test`); the root run reads the
    // same value from jest.config.cjs, because jest ignores testTimeout inside a project.
    testTimeout: 30_000,
    ...overrides,
  };
};
