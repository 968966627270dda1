import { execFile } from 'node:child_process';

export interface ProcessOutcome {
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Node flags that let a child process run one of this package's files. In development the
 * files are TypeScript (run through tsx's CommonJS hook); after `pnpm build` they are plain
 * JavaScript in dist/ and need nothing. Why not inherit `process.execArgv`: under jest it holds
 * jest's flags, and a child started by `tsx` would get tsx's ESM loader, which Node 20 does not
 * pass on to worker threads.
 */
export function nodeFlagsFor(file: string): string[] {
  return file.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
}

/** Runs one of this package's scripts in a fresh `node` process and reports how it ended. */
export function runScript(
  file: string,
  args: string[] = [],
  options: { flags?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.flags ?? []), ...nodeFlagsFor(file), file, ...args],
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const failed = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          exitCode: failed ? (typeof failed.code === 'number' ? failed.code : 1) : 0,
          signal: failed?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}
