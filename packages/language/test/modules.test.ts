import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFixture } from '../src/modules/fixture';
import { runFixture } from '../src/modules/modules.lesson';
import {
  findWorkspaceRoot,
  linkTarget,
  lockfileFacts,
  resolveFrom,
  workspacePackages,
} from '../src/modules/workspace';

describe('lesson 7: modules and packages', () => {
  let dir: string;
  let outputs: Map<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'language-modules-test-'));
    await writeFixture(dir);
    outputs = new Map(
      (await runFixture(dir)).map((r) => [[...r.flags, r.file].join(' '), r.output]),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when a CommonJS export is destructured, then it is a copy; when an ES module export is imported, then it is a live binding', () => {
    expect(JSON.parse(outputs.get('use-cjs.cjs')!)).toEqual({
      destructuredCount: 0,
      current: 1,
      dirname: 'string',
    });
    expect(JSON.parse(outputs.get('use-esm.mjs')!)).toEqual({
      importedCount: 1,
      dirname: 'undefined',
      metaDirname: 'string',
    });
  });

  it('when ESM imports CommonJS and CommonJS requires ESM, then both work on this Node', () => {
    expect(JSON.parse(outputs.get('esm-imports-cjs.mjs')!)).toEqual({
      defaultIsModuleExports: 'function',
      namedFromCjs: 'function',
      count: 0,
    });
    // require(esm) is on by default from Node 20.19 (this repository's minimum) and 22.12.
    expect(JSON.parse(outputs.get('cjs-requires-esm.cjs')!)).toEqual({
      requireEsm: 'works',
      count: 1,
    });
  });

  it('when a package has an exports map, then require, import and a custom condition each get their file, and other paths are closed', () => {
    expect(outputs.get('greet.cjs')).toBe('hello from dist/index.cjs (built, for require)');
    expect(outputs.get('greet.mjs')).toBe('hello from dist/index.mjs (built, for import)');
    expect(outputs.get('--conditions=@roadmap/source greet.cjs')).toBe(
      'hello from src/ (the source, in development)',
    );
    expect(outputs.get('deep-import.cjs')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  describe('this workspace', () => {
    const root = findWorkspaceRoot(__dirname)!;

    it('when the root is looked up, then it is two folders above this package', () => {
      expect(root).toBe(path.resolve(__dirname, '..', '..', '..'));
    });

    it('when @roadmap/kit is resolved, then the @roadmap/source condition picks its TypeScript source and no condition its dist/', async () => {
      expect(await resolveFrom(root, '@roadmap/kit', ['@roadmap/source'])).toBe(
        path.join('packages', 'kit', 'src', 'index.ts'),
      );
      // Why two answers: Node follows pnpm's symlink to the real file only when that file
      // exists, i.e. after `pnpm build`; before it, the unresolved link path comes back.
      expect([
        path.join('node_modules', '@roadmap', 'kit', 'dist', 'index.js'),
        path.join('packages', 'kit', 'dist', 'index.js'),
      ]).toContain(await resolveFrom(root, '@roadmap/kit'));
      expect(await linkTarget(root, '@roadmap/kit')).toBe(path.join('packages', 'kit'));
    });

    it('when the packages are listed, then kit and this package map the source condition and the default to dist/', async () => {
      const packages = await workspacePackages(root);
      const byName = new Map(packages.map((p) => [p.name, p.conditions]));
      for (const name of ['@roadmap/kit', '@roadmap/language']) {
        expect(byName.get(name)).toEqual({
          '@roadmap/source': './src/index.ts',
          default: './dist/index.js',
        });
      }
    });

    it('when the lockfile is read, then it lists the root and every package as importers, each resolved package with a hash', async () => {
      const facts = await lockfileFacts(root);
      expect(facts.lockfileVersion).toBe('9.0');
      expect(facts.importers).toBe((await workspacePackages(root)).length + 1);
      expect(facts.packages).toBeGreaterThan(100);
      expect(facts.integrityHashes).toBeGreaterThanOrEqual(facts.packages * 0.9);
    });
  });
});
