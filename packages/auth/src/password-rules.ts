/**
 * The password length rules, in one place: auth's config (PASSWORD_MIN_LENGTH may raise the
 * minimum, never lower it) and conduit's request schemas both read these.
 */
export const DEFAULT_PASSWORD_MIN_LENGTH = 8;
/** The largest PASSWORD_MIN_LENGTH one may configure. */
export const PASSWORD_MAX_LENGTH = 128;
