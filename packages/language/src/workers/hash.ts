import { pbkdf2Sync } from 'node:crypto';

export interface HashTask {
  password: string;
  iterations: number;
}

/**
 * Deliberately slow, CPU-bound work: PBKDF2 is built to cost many rounds of SHA-256 (that is
 * what makes password guessing expensive). The `Sync` variant runs on the calling thread.
 */
export function hashPassword({ password, iterations }: HashTask): string {
  return pbkdf2Sync(password, 'lesson-4-salt', iterations, 32, 'sha256').toString('hex');
}
