import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>;
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

/**
 * Runs a package's TypeScript entry point (`entry`, relative to `packageDir`) as a process of
 * its own, for tests that kill a relay or a consumer mid-work and watch what survives.
 */
export function startProcess(
  packageDir: string,
  entry: string,
  env: Record<string, string>,
): Child {
  // Why node --import tsx, not the tsx CLI: the CLI runs the script in a child of its own, and
  // a SIGKILL sent to the CLI would leave that child running — the test must kill the real one.
  const child = spawn(
    process.execPath,
    ['--conditions=@roadmap/source', '--import', 'tsx', entry],
    {
      cwd: packageDir,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    waitForOutput: async (text, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`${entry} exited: ${output}`);
        if (Date.now() > deadline) throw new Error(`${entry} never printed "${text}": ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
