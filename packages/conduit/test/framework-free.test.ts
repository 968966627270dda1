import { execFileSync } from 'node:child_process';
import path from 'node:path';

const packageDir = path.resolve(__dirname, '..');

describe('conduit knows no HTTP framework', () => {
  test('when the compiler lists every file conduit pulls in, then none is from express or passport', () => {
    // Lint forbids the imports by name; this catches a type that arrives through a dependency
    // (e.g. a main entry of auth or kit that starts re-exporting an Express helper).
    const files = execFileSync(
      require.resolve('typescript/bin/tsc'),
      ['--listFiles', '--noEmit', '-p', packageDir],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((file) => /express|passport/.test(file))).toEqual([]);
  });
});
