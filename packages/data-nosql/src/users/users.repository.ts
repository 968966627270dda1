import { AppError } from '@roadmap/kit';
import { type MongoDb } from '../mongo/connection';
import { mapErrors } from '../mongo/errors';
import { parseObjectId } from '../mongo/ids';
import { CASE_INSENSITIVE, type Role, type UserDoc } from '../mongo/schemas';

/** A user as the rest of the code sees it: a plain object, the id as a string. */
export interface User {
  id: string;
  email: string;
  username: string;
  passwordHash: string | null;
  bio: string | null;
  image: string | null;
  role: Role;
  /** null once verified; until then the TTL index deletes the user at this time. */
  unverifiedExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  username: string;
  passwordHash?: string | null;
  bio?: string | null;
  image?: string | null;
  role?: Role;
  /** true: a sign-up waiting for e-mail verification, deleted after the TTL unless verified. */
  unverified?: boolean;
}

export type UserPatch = Partial<
  Pick<NewUser, 'email' | 'username' | 'passwordHash' | 'bio' | 'image'>
>;

export function toUser(doc: UserDoc): User {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    username: doc.username,
    passwordHash: doc.passwordHash ?? null,
    bio: doc.bio ?? null,
    image: doc.image ?? null,
    role: doc.role,
    unverifiedExpiresAt: doc.unverifiedExpiresAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** 409 naming the field when the email or username is taken (the unique indexes decide). */
export async function insertUser(db: MongoDb, input: NewUser): Promise<User> {
  return mapErrors(async () => {
    const { unverified, ...fields } = input;
    const created = await db.User.create({
      ...fields,
      unverifiedExpiresAt: unverified
        ? new Date(Date.now() + db.limits.unverifiedSignupTtlSeconds * 1000)
        : undefined,
    });
    return toUser(created.toObject());
  });
}

export async function findUserById(db: MongoDb, id: string): Promise<User | null> {
  const _id = parseObjectId(id);
  if (!_id) return null;
  return mapErrors(async () => {
    const doc = await db.User.findById(_id).lean<UserDoc>();
    return doc ? toUser(doc) : null;
  });
}

export async function findUserByEmail(db: MongoDb, email: string): Promise<User | null> {
  return mapErrors(async () => {
    // The schema's trim/lowercase setters run on query values too. If `email` is not a string
    // at all (`{ "$gt": "" }` straight from a JSON body), sanitizeFilter wraps it in $eq and the
    // cast to String fails: a 422, not "log in as the first user".
    const doc = await db.User.findOne({ email }).lean<UserDoc>();
    return doc ? toUser(doc) : null;
  });
}

/** Case-insensitive: the same collation as the unique index, so the index answers it. */
export async function findUserByUsername(db: MongoDb, username: string): Promise<User | null> {
  return mapErrors(async () => {
    const doc = await db.User.findOne({ username }).collation(CASE_INSENSITIVE).lean<UserDoc>();
    return doc ? toUser(doc) : null;
  });
}

/** 404 when the user does not exist; 409 when the new email/username is taken. */
export async function updateUser(db: MongoDb, id: string, patch: UserPatch): Promise<User> {
  const _id = parseObjectId(id);
  if (!_id) throw AppError.notFound('user');
  return mapErrors(async () => {
    // runValidators: update validators are off by default in mongoose; without them a patch
    // could store what create() would refuse (the $jsonSchema validator would still catch some).
    const doc = await db.User.findByIdAndUpdate(
      _id,
      { $set: patch },
      {
        new: true,
        runValidators: true,
      },
    ).lean<UserDoc>();
    if (!doc) throw AppError.notFound('user');
    return toUser(doc);
  });
}

/** Verifying removes the expiry: the TTL index ignores documents without the field. */
export async function verifyUser(db: MongoDb, id: string): Promise<User> {
  const _id = parseObjectId(id);
  if (!_id) throw AppError.notFound('user');
  return mapErrors(async () => {
    const doc = await db.User.findByIdAndUpdate(
      _id,
      { $unset: { unverifiedExpiresAt: 1 } },
      {
        new: true,
      },
    ).lean<UserDoc>();
    if (!doc) throw AppError.notFound('user');
    return toUser(doc);
  });
}
