import { AppError, type ErrorDetails } from './errors';
import type { z } from 'zod';

/**
 * Turns zod's issues into the RealWorld error body: `{"errors":{"<field>":["<message>"]}}`,
 * with the messages the RealWorld API tests expect ("can't be blank", …).
 *
 * `skip` drops leading path segments: for `{"user":{"email":""}}` the field is `email`, not
 * `user.email`, because that is what RealWorld front ends print next to the form input.
 */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], skip = 0): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path, skip);
    const message = messageFor(issue);
    const list = (details[field] ??= []);
    // A blank or wrongly typed field is only that: "too short" or "is invalid" next to
    // "can't be blank" is noise (zod reports every failed check).
    if (list.some(dominates)) continue;
    if (dominates(message)) details[field] = [message];
    else if (!list.includes(message)) list.push(message);
  }
  return details;
}

/** Parses `input` or throws AppError.validation (422) with the RealWorld messages. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  skip = 0,
): z.output<S> {
  // Why reportInput: "missing" and "wrong type" are both invalid_type issues; only the input
  // tells them apart ("can't be blank" vs "must be a string").
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw AppError.validation(issuesToDetails(result.error.issues, skip), result.error);
}

const BLANK = "can't be blank";
const dominates = (message: string) => message === BLANK || message.startsWith('must be a');

function fieldOf(path: readonly PropertyKey[], skip: number): string {
  const rest = path.slice(skip).filter((segment) => typeof segment === 'string');
  if (rest.length > 0) return String(rest[0]);
  // The whole envelope is wrong (e.g. `{"user": 3}`): name the envelope itself.
  const last = path.slice(0, skip).at(-1);
  return last === undefined ? 'body' : String(last);
}

function messageFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return BLANK;
      return `must be ${article(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? BLANK
          : `is too short (minimum is ${String(issue.minimum)} characters)`;
      }
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} items`;
      return `must be greater than or equal to ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string')
        return `is too long (maximum is ${String(issue.maximum)} characters)`;
      if (issue.origin === 'array')
        return `has too many items (maximum is ${String(issue.maximum)})`;
      return `must be less than or equal to ${String(issue.maximum)}`;
    case 'invalid_format':
      // Our own messages (regex rules) are kept; zod's defaults ("Invalid string: …") are not.
      return issue.message.startsWith('Invalid') ? 'is invalid' : issue.message;
    case 'invalid_value':
    case 'invalid_union':
      return 'is invalid';
    case 'unrecognized_keys':
      return `has unknown fields: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return issue.message;
  }
}

function article(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return `of type ${expected}`;
  }
}
