import { z } from 'zod';
import { DEFAULT_PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from '@roadmap/auth';

/**
 * Size limits for every field a client can send. The RealWorld spec sets none; without them a
 * 10 MB title would reach the database (and every list page). Chosen to fit what a blog needs.
 */
export const LIMITS = {
  username: 40,
  email: 254, // RFC 5321's longest deliverable address
  // auth's rules (one place); max: argon2 of a huge password is a cheap denial of service.
  password: { min: DEFAULT_PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
  bio: 2_000,
  image: 2_048,
  title: 200,
  description: 1_000,
  body: 50_000,
  tag: 40,
  tags: 20,
  comment: 5_000,
  /** Pagination: `limit` defaults to 20 (the spec) and may not exceed `maxLimit`. */
  defaultLimit: 20,
  maxLimit: 100,
  maxOffset: 100_000,
} as const;

/**
 * The base of every free-text field: PostgreSQL text cannot hold U+0000, so a NUL would reach
 * the database and fail there as a 500. Refused here as a 422 instead.
 */
export const text = () =>
  z
    .string()
    .refine((value) => !value.includes('\u0000'), { error: 'must not contain NUL characters' });
