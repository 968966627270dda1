import { logger as defaultLogger, type Logger } from './logger';

/** A dependency the app cannot serve without: checked by /readyz. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable' | 'shutting_down';
  /** 'ok', or why the check failed ('down' only, when details are hidden). */
  checks: Record<string, string>;
}

/**
 * Liveness answers "is the process alive?" (never touches dependencies, so a slow database
 * does not get the pod restarted); readiness answers "should traffic come here?".
 */
export class Health {
  private shuttingDown = false;
  private closing = false;

  constructor(
    private readonly checks: ReadinessCheck[],
    private readonly timeoutMs = 2_000,
    private readonly options: { details?: boolean; logger?: Logger } = {},
  ) {}

  /** Called by graceful shutdown: from now on /readyz says 503 so load balancers drain us. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Called when the drain delay is over and the server stops accepting connections: from now
   * on a request on an old keep-alive connection is refused (503) instead of served.
   */
  markClosing(): void {
    this.shuttingDown = true;
    this.closing = true;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  async readiness(): Promise<HealthReport> {
    const entries = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(
            check(),
            this.timeoutMs,
            `${name} did not answer in ${this.timeoutMs} ms`,
          );
          return [name, 'ok'] as const;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          (this.options.logger ?? defaultLogger).warn({ check: name, reason }, 'not ready');
          // Why hide the reason in production: "connect ECONNREFUSED 10.0.3.7:5432" tells
          // anyone who can reach /readyz the network layout; operators have it in the log.
          return [name, this.options.details === false ? 'down' : reason] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    if (this.shuttingDown) return { status: 'shutting_down', checks };
    const ok = entries.every(([, result]) => result === 'ok');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
