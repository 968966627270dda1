import { StartupError } from '@roadmap/kit';

/**
 * `--name value` from argv, as a positive number; the default when absent. A bad value is a
 * StartupError, so the command stops with one line instead of a stack trace — or, worse,
 * running with NaN (`--count abc` once meant "roll back every migration").
 */
export function numberFlag(
  name: string,
  fallback: number,
  opts: { integer?: boolean; argv?: readonly string[] } = {},
): number {
  const argv = opts.argv ?? process.argv;
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const raw = argv[i + 1];
  const value = Number(raw);
  const whole = opts.integer === true;
  if (
    raw === undefined ||
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (whole && !Number.isInteger(value))
  ) {
    throw new StartupError(
      `--${name} must be a positive ${whole ? 'whole number' : 'number'} (got ${raw === undefined ? 'nothing' : `"${raw}"`}).`,
    );
  }
  return value;
}
