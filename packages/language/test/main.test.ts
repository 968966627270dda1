import path from 'node:path';
import { readConfig } from '../src/config';
import { lessons } from '../src/lessons';
import { runScript } from '../src/run-node';

const mainFile = path.join(__dirname, '..', 'src', 'main.ts');

describe('the lesson runner', () => {
  it('when run with an unknown name, then it lists the eight lessons in reading order and exits 2', async () => {
    const run = await runScript(mainFile, ['no-such-lesson']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('usage: pnpm --filter @roadmap/language lesson <name>');
    const listed = run.stdout.split('\n').filter((line) => /^ {2}\S+ +\d · /.test(line));
    expect(listed.map((line) => line.trim().split(/\s+/)[0])).toEqual([
      'event-loop',
      'async',
      'streams',
      'workers',
      'errors',
      'types',
      'modules',
      'testing',
    ]);
    expect(Object.keys(lessons)).toEqual(listed.map((line) => line.trim().split(/\s+/)[0]));
  });

  it('when a variable is invalid, then reading the config fails with one line naming it', () => {
    expect(readConfig({})).toEqual({ fileMb: 200, workers: expect.any(Number) });
    expect(readConfig({ LESSON_FILE_MB: '20', LESSON_WORKERS: '3' })).toEqual({
      fileMb: 20,
      workers: 3,
    });
    expect(() => readConfig({ LESSON_FILE_MB: 'lots' })).toThrow(
      /^LESSON_FILE_MB .+ \(got "lots"\)\.$/,
    );
    expect(() => readConfig({ LESSON_WORKERS: '0' })).toThrow(/^LESSON_WORKERS .+ \(got "0"\)\.$/);
  });
});
