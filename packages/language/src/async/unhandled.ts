import { execFile } from 'node:child_process';

export interface ProcessOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a JavaScript snippet in a fresh `node` and reports how the process ended. */
export function runNode(code: string, flags: string[] = []): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...flags, '-e', code],
      { timeout: 10_000 },
      (err, stdout, stderr) => {
        const exitCode = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

// A rejected promise nobody awaits, and a timer that shows whether the process lived on.
const rejectAndWait = `
  Promise.reject(new Error('nobody awaited me'));
  setTimeout(() => console.log('still running 50 ms later'), 50);
`;

export const scenarios = {
  /** Node ≥ 15: an unhandled rejection is thrown as an uncaught exception — exit code 1. */
  'no handler (default)': () => runNode(rejectAndWait),
  /** A handler takes over: the process lives on, so the handler must log and decide. */
  "process.on('unhandledRejection')": () =>
    runNode(
      `process.on('unhandledRejection', (reason) => console.log('handler saw:', reason.message));` +
        rejectAndWait,
    ),
  /** The pre-15 behaviour, still available: only a warning on stderr. */
  '--unhandled-rejections=warn': () => runNode(rejectAndWait, ['--unhandled-rejections=warn']),
} satisfies Record<string, () => Promise<ProcessOutcome>>;
