import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScript } from '../run-node';
import { AppError, causeChain, isOperational, NotFoundError } from './app-error';
import { loadSettings } from './settings';
import { runShutdown } from './shutdown';

const crashChild = path.join(__dirname, `crash.child${path.extname(__filename)}`);

export async function run(): Promise<void> {
  console.log('Operational errors are expected and handled; programmer errors are bugs:');
  const dir = await mkdtemp(path.join(tmpdir(), 'language-errors-'));
  try {
    await writeFile(path.join(dir, 'broken.json'), '{"port": 80,');
    for (const file of ['missing.json', 'broken.json']) {
      try {
        await loadSettings(path.join(dir, file));
      } catch (err) {
        console.log(
          `  loadSettings('${file}'): operational ${isOperational(err)}, code ${(err as AppError).code}`,
        );
        for (const [depth, link] of causeChain(err).entries()) {
          console.log(
            `    ${depth === 0 ? '' : '└ cause: '.padStart(9 + 2 * depth)}${link.replace(dir, '<tmp>')}`,
          );
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  try {
    const article = undefined as unknown as { title: string };
    console.log(article.title);
  } catch (err) {
    console.log(
      `  reading a property of undefined: operational ${isOperational(err)} — ${causeChain(err)[0]}`,
    );
  }

  const notFound = new NotFoundError('article "how-to-train-your-dragon"');
  console.log('\nA custom error class keeps instanceof, name, code and status:');
  console.log(
    `  ${notFound.name}: instanceof NotFoundError ${notFound instanceof NotFoundError}, instanceof AppError ${notFound instanceof AppError}, instanceof Error ${notFound instanceof Error}, code ${notFound.code}, status ${notFound.status}`,
  );
  const packageDir = path.join(__dirname, '..', '..') + path.sep;
  const stack = notFound.stack
    ?.split('\n')
    .slice(0, 2)
    .map((line) => line.trim().replace(packageDir, ''));
  console.log(`  stack starts: ${stack?.join(' ← ')}`);

  console.log(
    '\nAn exception nobody catches, in a fresh process each (a bug throws mid-transfer):',
  );
  for (const scenario of ['no-handler', 'log-and-exit', 'swallow']) {
    const { exitCode, stdout, stderr } = await runScript(crashChild, [scenario]);
    console.log(`  ${scenario.padEnd(13)} exit code ${exitCode}`);
    for (const line of stdout.trim().split('\n')) console.log(`      ${line}`);
    const thrown = stderr.split('\n').find((line) => line.startsWith('TypeError'));
    if (thrown) console.log(`      stderr: ${thrown}`);
  }

  console.log('\nGraceful shutdown: SIGTERM while a request is in flight (it needs 300 ms more)');
  const graceful = await runShutdown(300, 2_000);
  for (const line of graceful.log) console.log(`  child: ${line.replace(/\d{4,5}$/, '<port>')}`);
  console.log(`  client of the in-flight request got: ${graceful.inFlight}`);
  console.log(`  a new connection after SIGTERM was:  ${graceful.newConnection}`);
  console.log(`  exit code: ${graceful.exitCode}`);

  console.log('\nThe same with a request slower than the 500 ms shutdown timeout:');
  const forced = await runShutdown(5_000, 500);
  for (const line of forced.log.slice(2)) console.log(`  child: ${line}`);
  console.log(`  client of the in-flight request got: ${forced.inFlight}`);
  console.log(`  exit code: ${forced.exitCode}`);
}
