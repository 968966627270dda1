import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { articleView, commentView, profileView, userView } from '@roadmap/conduit';
import { buildSchema, isNonNullType, isObjectType } from 'graphql';
import type { z } from 'zod';
import { SCHEMA_FILE } from '../src/app';

/**
 * The resolver types are generated from schema.graphql and committed (so a clean clone
 * type-checks without a codegen step). This test regenerates them into a temporary file: an
 * edit to the schema without `pnpm codegen` fails here instead of drifting silently.
 */
describe('generated resolver types', () => {
  it('when the schema is regenerated, then the committed file is identical', () => {
    const root = path.join(__dirname, '..');
    const committed = path.join(root, 'src', 'generated', 'resolvers-types.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'codegen-'));
    try {
      const fresh = path.join(dir, 'resolvers-types.ts');
      execFileSync(
        path.join(root, 'node_modules', '.bin', 'graphql-codegen'),
        ['--config', 'codegen.ts', '--silent'],
        { cwd: root, env: { ...process.env, CODEGEN_CHECK_OUT: fresh }, stdio: 'pipe' },
      );
      // Formatted as `pnpm codegen` formats it: prettier with the repository's settings.
      const expected = execFileSync(
        path.join(root, '..', '..', 'node_modules', '.bin', 'prettier'),
        ['--stdin-filepath', committed],
        { input: readFileSync(fresh, 'utf8'), encoding: 'utf8' },
      );
      expect(readFileSync(committed, 'utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * conduit's views (zod) are the one definition of what a use case returns; the SDL is written
 * by hand for a learner to read. This keeps them in step: same fields, same nullability.
 */
describe('schema.graphql and conduit’s views', () => {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const pairs: [string, z.ZodObject][] = [
    ['Profile', profileView],
    ['User', userView],
    ['Article', articleView],
    ['Comment', commentView],
  ];

  it.each(pairs)(
    'when %s is compared with its view, then the fields and their nullability agree',
    (typeName, view) => {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      const graphql = Object.fromEntries(
        Object.values(type.getFields()).map((field) => [field.name, isNonNullType(field.type)]),
      );
      const zod = Object.fromEntries(
        Object.entries(view.shape).map(([name, field]) => [
          name,
          !(field as z.ZodType).safeParse(null).success,
        ]),
      );
      expect(graphql).toEqual(zod);
    },
  );
});
