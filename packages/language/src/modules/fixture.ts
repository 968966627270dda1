import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A tiny project, written to a temporary directory at run time: the same counter as CommonJS
 * and as an ES module, consumers of each, and a package with an `exports` map.
 */
export const fixtureFiles: Record<string, string> = {
  // CommonJS: `module.exports` is a plain object; `require` returns it, synchronously.
  'counter.cjs': `let count = 0;
function increment() { count++; }
module.exports = { count, increment, current: () => count };
`,
  // ESM: exports are live bindings; importers see the variable, not a copy of its value.
  'counter.mjs': `export let count = 0;
export function increment() { count++; }
`,
  'use-cjs.cjs': `const { count, increment, current } = require('./counter.cjs');
increment();
console.log(JSON.stringify({ destructuredCount: count, current: current(), dirname: typeof __dirname }));
`,
  'use-esm.mjs': `import { count, increment } from './counter.mjs';
increment();
console.log(JSON.stringify({ importedCount: count, dirname: typeof __dirname, metaDirname: typeof import.meta.dirname }));
`,
  // Both directions of interop.
  'esm-imports-cjs.mjs': `import counter, { increment } from './counter.cjs';
increment();
console.log(JSON.stringify({ defaultIsModuleExports: typeof counter.increment, namedFromCjs: typeof increment, count: counter.count }));
`,
  'cjs-requires-esm.cjs': `try {
  const esm = require('./counter.mjs');
  esm.increment();
  console.log(JSON.stringify({ requireEsm: 'works', count: esm.count }));
} catch (err) {
  console.log(JSON.stringify({ requireEsm: err.code }));
}
`,
  // A package whose exports map picks a file per condition; the first matching key wins.
  'node_modules/@demo/greeting/package.json': JSON.stringify(
    {
      name: '@demo/greeting',
      version: '1.0.0',
      exports: {
        '.': {
          '@roadmap/source': './src/index.cjs',
          import: './dist/index.mjs',
          require: './dist/index.cjs',
        },
        './package.json': './package.json',
      },
    },
    null,
    2,
  ),
  'node_modules/@demo/greeting/src/index.cjs': `module.exports = 'hello from src/ (the source, in development)';\n`,
  'node_modules/@demo/greeting/dist/index.mjs': `export default 'hello from dist/index.mjs (built, for import)';\n`,
  'node_modules/@demo/greeting/dist/index.cjs': `module.exports = 'hello from dist/index.cjs (built, for require)';\n`,
  'greet.cjs': `console.log(require('@demo/greeting'));\n`,
  'greet.mjs': `import greeting from '@demo/greeting';\nconsole.log(greeting);\n`,
  'deep-import.cjs': `try {
  require('@demo/greeting/dist/index.cjs');
  console.log('imported a private file');
} catch (err) {
  console.log(err.code);
}
`,
};

export async function writeFixture(dir: string): Promise<void> {
  for (const [name, text] of Object.entries(fixtureFiles)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}
