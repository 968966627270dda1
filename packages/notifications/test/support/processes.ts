import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const packageDir = path.resolve(__dirname, '..', '..');

export interface Child {
  process: ChildProcess;
  output: () => string;
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>;
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

/** Runs a TypeScript entry point of this package as a process of its own. */
export function startProcess(entry: string, env: Record<string, string>): Child {
  // node --import tsx (not the tsx CLI, which forks): SIGKILL must reach the real process.
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
