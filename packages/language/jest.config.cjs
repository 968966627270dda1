const preset = require('../../jest.preset.cjs')(__dirname);

// Why: p-limit ships as an ES module only. Node ≥ 20.19 can `require()` it (tsx and `node` do),
// but jest's own module loader can only do so from Node 24.9 on, so on Node 20 these two
// packages are compiled to CommonJS for the tests. Lesson 7 explains the difference.
module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    '^.+\\.js$': [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(p-limit|yocto-queue)[@/])'],
};
