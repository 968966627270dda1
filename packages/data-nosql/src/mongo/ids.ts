import { isValidObjectId, Types } from 'mongoose';

/**
 * A string from a URL or a body as an ObjectId, or null when it is not one. Why not
 * `isValidObjectId` alone: it accepts any 12-character string ("aaaaaaaaaaaa") as 12 raw
 * bytes; an id in this API is always the 24-hex-digit form.
 */
export function parseObjectId(value: unknown): Types.ObjectId | null {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value) || !isValidObjectId(value))
    return null;
  return new Types.ObjectId(value);
}
