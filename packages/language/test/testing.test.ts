import {
  countSameAuthorPairsFast,
  countSameAuthorPairsSlow,
  makeAuthorIds,
} from '../src/testing/hot';
import { summarizeProfile } from '../src/testing/profile-summary';
import {
  failingNodeTestFile,
  hottestOwn,
  nodeTestFile,
  profileHot,
  runNodeTest,
} from '../src/testing/testing.lesson';

const tapCount = (tap: string, name: string) =>
  Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1]);

describe("lesson 8: Node's test runner, the debugger and the profiler", () => {
  it('when the node:test version of the slugify tests runs, then all four pass, as their jest twins do', async () => {
    const run = await runNodeTest(nodeTestFile);
    expect(run.exitCode).toBe(0);
    expect(tapCount(run.stdout, 'tests')).toBe(4);
    expect(tapCount(run.stdout, 'pass')).toBe(4);
    expect(tapCount(run.stdout, 'fail')).toBe(0);
  });

  it('when a node:test assertion fails, then the runner exits 1 and shows actual and expected', async () => {
    const run = await runNodeTest(failingNodeTestFile);
    expect(run.exitCode).toBe(1);
    expect(tapCount(run.stdout, 'fail')).toBe(1);
    expect(run.stdout).toContain("actual: 'hello-world'");
    expect(run.stdout).toContain("expected: 'hello_world'");
  });

  it('when the slow and the fast counter run on the same ids, then they agree', () => {
    const ids = makeAuthorIds(1_000);
    expect(countSameAuthorPairsSlow(ids)).toBe(countSameAuthorPairsFast(ids));
    expect(countSameAuthorPairsFast([7, 7, 7, 1])).toBe(3);
  });

  it('when the slow program runs under --cpu-prof, then the summary names the quadratic function as the hottest of ours', async () => {
    const profile = await profileHot('slow');
    expect(hottestOwn(profile.top)).toMatchObject({
      name: 'countSameAuthorPairsSlow',
      where: 'src/testing/hot.ts',
    });
    // The samples account for the loop: its self time is (nearly) all the time the program
    // measured around its 30 calls. Not a share of the whole run, which also holds start-up
    // (tsx compiling the file), a share that grows when the machine is busy.
    expect(hottestOwn(profile.top)!.selfMs).toBeGreaterThan(0.8 * profile.ms);
  });

  it('when a profile is summarised, then self time is summed per function from the samples', () => {
    const frame = (id: number, functionName: string, url = '') => ({
      id,
      callFrame: { functionName, url },
    });
    const summary = summarizeProfile(
      {
        nodes: [
          frame(1, '(root)'),
          frame(2, 'hot', 'file:///app/a.js'),
          frame(3, 'cold', 'file:///app/a.js'),
        ],
        samples: [2, 2, 3, 2],
        timeDeltas: [0, 1_000, 1_000, 1_000, 1_000],
      },
      '/app',
    );
    expect(summary).toEqual([
      { name: 'hot', where: 'a.js', selfMs: 3, percent: 75 },
      { name: 'cold', where: 'a.js', selfMs: 1, percent: 25 },
    ]);
  });
});
