import path from 'node:path';
import { favoriteKey, toArticleId, toUserId } from './brand';
import { checkExpectedErrors } from './compile-check';
import { describeEvent, type ArticleEvent } from './events';
import { groupBy, routes } from './generics';
import { titleOf, titleOfAny } from './narrowing';
import { parseArticleInput } from './schema';

const packageDir = path.join(__dirname, '..', '..');
export const expectErrorsFile = path.join(packageDir, 'test', 'types', 'expect-errors.ts');
export const expectErrorsConfig = path.join(packageDir, 'test', 'types', 'tsconfig.json');

export function run(): void {
  const alice = toUserId('u_alice');
  const dragons = toArticleId('a_dragons');
  console.log('Branded ids: checked once at the edge, then distinct types');
  console.log(`  favoriteKey(alice, dragons) = ${favoriteKey(alice, dragons)}`);
  try {
    toUserId('a_dragons');
  } catch (err) {
    console.log(`  toUserId('a_dragons') throws: ${(err as Error).message}`);
  }

  console.log('\nA discriminated union, handled by an exhaustive switch:');
  const events: ArticleEvent[] = [
    { type: 'published', articleId: dragons, title: 'How to train your dragon' },
    { type: 'favorited', articleId: dragons, by: alice },
    { type: 'deleted', articleId: dragons, reason: 'duplicate' },
  ];
  for (const event of events) console.log(`  ${describeEvent(event)}`);

  console.log('\nGenerics: groupBy keeps the item type and uses the key type');
  const grouped = groupBy(events, (event) => event.type);
  console.log(
    `  ${Object.entries(grouped)
      .map(([type, list]) => `${type}: ${list?.length}`)
      .join(', ')}`,
  );
  console.log(
    `  satisfies kept the literal: routes.favorite.method is '${routes.favorite.method}'`,
  );

  console.log('\nunknown vs any, on JSON from outside:');
  for (const json of [
    '{"slug":"s","title":"Dragons","tagList":[]}',
    '"just text"',
    '{"title":42}',
  ]) {
    let viaAny: string;
    try {
      viaAny = JSON.stringify(titleOfAny(json));
    } catch (err) {
      viaAny = `throws ${(err as Error).name}`;
    }
    console.log(`  ${json.padEnd(44)} unknown + guard: ${titleOf(json).padEnd(22)} any: ${viaAny}`);
  }

  console.log('\nzod: the type is derived from the schema that validates the input');
  const inputs: unknown[] = [
    { title: '  Dragons  ', body: 'Long ago…', tagList: ['dragons'] },
    { title: ' ', tagList: ['x', ''] },
  ];
  for (const input of inputs) {
    const result = parseArticleInput(input);
    console.log(`  ${JSON.stringify(input)}`);
    console.log(`    → ${result.ok ? JSON.stringify(result.value) : result.error.join('; ')}`);
  }

  console.log(
    `\nCompile-time tests: ${path.relative(packageDir, expectErrorsFile)}, compiled without its directives`,
  );
  const started = performance.now();
  const check = checkExpectedErrors(expectErrorsFile, expectErrorsConfig);
  for (const e of check.expectations) {
    const hit = e.actual.some((a) => a.code === e.expectedCode);
    console.log(
      `  ${hit ? '✓' : '✗'} line ${String(e.line).padStart(2)} TS${e.expectedCode} ${e.reason}`,
    );
  }
  const passed = check.expectations.filter((e) => e.actual.some((a) => a.code === e.expectedCode));
  console.log(
    `  ${passed.length} of ${check.expectations.length} lines fail for the reason given; ${check.unexpected.length} unexpected errors (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
