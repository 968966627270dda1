import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The Git lesson's enforcement: scripts/check-commits.mjs, run against a throw-away
 * repository with good and bad commit subjects.
 */
const script = path.join(__dirname, '..', '..', '..', 'scripts', 'check-commits.mjs');
let repo: string;

function git(...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.com',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    {
      cwd: repo,
      encoding: 'utf8',
    },
  );
}
const commit = (subject: string) => git('commit', '--allow-empty', '-q', '-m', subject);

function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: repo }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'basics-commits-'));
  git('init', '-q', '-b', 'main');
  commit('chore: start');
  commit('feat(basics): add the DNS lesson');
  commit('fix(rest-api,auth)!: reject expired tokens');
  git('tag', 'good');
});
afterAll(() => rm(repo, { recursive: true, force: true }));

describe('scripts/check-commits.mjs', () => {
  it('when every subject follows Conventional Commits, then it exits 0 and says how many it checked', async () => {
    const { code, stdout } = await check();
    expect(code).toBe(0);
    expect(stdout).toContain('✓ 3 commit subject(s) follow Conventional Commits.');
  });

  it('when a range has bad subjects, then it names each one with the reason and exits 1', async () => {
    commit('Added stuff.');
    commit('feature: something');
    commit('feat(basics): ends with a period.');
    commit('fixup! feat(basics): add the DNS lesson');
    const { code, stderr } = await check('good..HEAD');
    expect(code).toBe(1);
    expect(stderr).toContain('"Added stuff."\n    expected "<type>(<scope>): <subject>"');
    expect(stderr).toContain('unknown type "feature"');
    expect(stderr).toContain('does not end with a period');
    expect(stderr).toContain('squash it into its target');
    expect(stderr).toContain('4 of 4 commit subject(s) do not follow Conventional Commits');
  });

  it('when only the good part of history is checked, then the bad commits after it do not count', async () => {
    expect((await check('good')).code).toBe(0);
  });

  it('when used as a commit-msg hook, then it checks the first non-comment line of the message file', async () => {
    const file = path.join(repo, 'MSG');
    await writeFile(file, '# comment\ndocs: explain the workflow\n\nbody text\n');
    expect((await check('--message-file', file)).code).toBe(0);
    await writeFile(file, 'WIP\n');
    expect((await check('--message-file', file)).code).toBe(1);
  });

  it('when the hook meets a fixup! commit, then it lets it in with a reminder (review may use them); a range check still refuses it', async () => {
    const file = path.join(repo, 'MSG');
    await writeFile(file, 'fixup! feat(basics): add the DNS lesson\n');
    const hook = await check('--message-file', file);
    expect(hook.code).toBe(0);
    expect(hook.stderr).toContain('git rebase -i --autosquash origin/main');
  });

  it('when the hook refuses a message, then it says to fix the message and commit again, not to rebase a commit that does not exist', async () => {
    const file = path.join(repo, 'MSG');
    await writeFile(file, 'WIP\n');
    const { code, stderr } = await check('--message-file', file);
    expect(code).toBe(1);
    expect(stderr).toContain('Nothing was committed: fix the subject and commit again');
    expect(stderr).not.toContain('git rebase -i');
  });

  it('when the range does not exist, then exit 2 with git’s reason', async () => {
    const { code, stderr } = await check('no-such-branch..HEAD');
    expect(code).toBe(2);
    expect(stderr).toContain('git could not list the commits of "no-such-branch..HEAD"');
  });
});
