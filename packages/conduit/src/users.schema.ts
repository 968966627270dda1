import { z } from 'zod';
import { LIMITS, text } from './limits';

/**
 * Usernames travel in URLs (/profiles/:username): letters and digits of any script (`jösé`),
 * plus `_ . -`; no spaces or slashes. NFC first, so "é" typed two ways is one username.
 */
const username = text()
  .trim()
  .normalize('NFC')
  .min(1)
  .max(LIMITS.username)
  .regex(/^[\p{L}\p{M}\p{N}_.-]+$/u, {
    error: "can only contain letters, digits, '_', '.' and '-'",
  })
  // Why: "." and ".." are dot segments; browsers and HTTP clients resolve /profiles/.. to
  // /profiles/ before sending it (even written %2E%2E), so that profile could not be reached.
  .refine((name) => !/^\.+$/.test(name), { error: "can't be only dots" });

const email = text()
  .trim()
  .min(1)
  .max(LIMITS.email)
  .pipe(z.email({ error: 'is invalid' }));

/** `""` and `null` both mean "no bio/image": the spec answers `null` either way. */
const nullableText = (max: number) =>
  text()
    .max(max)
    .nullable()
    .transform((value) => (value === null || value.trim() === '' ? null : value));

const imageUrl = nullableText(LIMITS.image).refine(
  (value) => value === null || /^https?:\/\/\S+$/i.test(value),
  { error: 'must be an http(s) URL' },
);

export const newUserSchema = z.object({
  username,
  email,
  password: text()
    .min(1)
    .max(LIMITS.password.max)
    .refine((p) => p.length >= LIMITS.password.min, {
      error: `is too short (minimum is ${LIMITS.password.min} characters)`,
    }),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const loginUserSchema = z.object({
  email: text().trim().min(1).max(LIMITS.email),
  password: text().min(1).max(LIMITS.password.max),
});
export type LoginUser = z.infer<typeof loginUserSchema>;

export const updateUserSchema = z
  .object({
    username: username.optional(),
    email: email.optional(),
    // Why "" means "unchanged": RealWorld settings forms post every field, password included,
    // and an empty password box means "keep my password".
    password: text()
      .max(LIMITS.password.max)
      .optional()
      .transform((p) => (p === undefined || p === '' ? undefined : p))
      .refine((p) => p === undefined || p.length >= LIMITS.password.min, {
        error: `is too short (minimum is ${LIMITS.password.min} characters)`,
      }),
    bio: nullableText(LIMITS.bio).optional(),
    image: imageUrl.optional(),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), {
    error: 'must contain at least one field to change',
  });
export type UpdateUser = z.infer<typeof updateUserSchema>;
