import { AppError } from '@roadmap/kit';
import { assertCan, type Actor } from '@roadmap/auth';
import {
  findUserById,
  insertUser,
  listSlugsByAuthor,
  updateUser,
  type User,
} from '@roadmap/data-sql';
import { cacheKeys } from './cache';
import type { ConduitDeps } from './deps';
import { toUserView } from './mappers';
import type { LoginUser, NewUser, UpdateUser } from './users.schema';
import type { UserView } from './views';

export function createUsersService(deps: ConduitDeps) {
  const { db, auth, cache } = deps;

  /**
   * The view with a token. `notAfter` is the expiry of the credential the caller presented:
   * a token handed back to a signed-in caller never outlives it, so a stolen token cannot
   * renew itself for ever.
   */
  function withToken(user: User, notAfter?: Date): UserView {
    const { accessToken } = auth.issueAccessToken(
      { id: user.id, role: user.role, tokenGeneration: user.tokenGeneration },
      { notAfter },
    );
    return toUserView(user, accessToken);
  }

  /** POST /users. A taken email or username is a 409 from the unique index (no check-then-insert race). */
  async function register(input: NewUser): Promise<UserView> {
    const passwordHash = await auth.passwords.hash(input.password);
    const user = await insertUser(db, {
      email: input.email,
      username: input.username,
      passwordHash,
    });
    return withToken(user);
  }

  /** POST /users/login. */
  async function login(input: LoginUser, ip: string): Promise<UserView> {
    try {
      return withToken(await auth.login({ email: input.email, password: input.password, ip }));
    } catch (error) {
      // Why re-shape: the RealWorld API tests expect exactly {"errors":{"credentials":["invalid"]}}.
      if (error instanceof AppError && error.code === 'invalid_credentials') {
        throw new AppError({
          code: 'invalid_credentials',
          status: 401,
          message: 'invalid',
          field: 'credentials',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function load(actor: Actor): Promise<User> {
    assertCan(actor, 'user:read-self');
    const user = await findUserById(db, actor.userId);
    // A valid token for a user deleted since it was issued.
    if (!user) throw AppError.unauthorized('token', 'is invalid');
    return user;
  }

  /**
   * GET /user, with a token that expires with the presented one (RealWorld front ends store
   * `user.token` from this answer on every page load). Why not a fresh 24 hours: then any
   * token, stolen ones included, could keep itself alive for ever by calling this route.
   */
  async function current(actor: Actor): Promise<UserView> {
    return withToken(await load(actor), actor?.expiresAt);
  }

  /** PUT /user: only the fields sent change; `bio: ""` or `null` clears the bio. */
  async function update(actor: Actor, patch: UpdateUser): Promise<UserView> {
    assertCan(actor, 'user:update-self');
    const id = actor.userId;
    const passwordHash =
      patch.password === undefined ? undefined : await auth.passwords.hash(patch.password);
    const user = await updateUser(db, id, {
      email: patch.email,
      username: patch.username,
      bio: patch.bio,
      image: patch.image,
      passwordHash,
    });
    if (!user) throw AppError.unauthorized('token', 'is invalid');
    // Why: a new password is how a user locks out whoever learned the old one, so every token
    // issued with it ends too: access tokens (the generation moves on) and refresh tokens. The
    // caller gets a token of the new generation, expiring with the one it presented.
    if (passwordHash !== undefined)
      user.tokenGeneration = await auth.revokeAllTokens(id, 'password-changed');
    // Why: cached articles embed their author's username, bio and image.
    if (patch.username !== undefined || patch.bio !== undefined || patch.image !== undefined) {
      await cache.del(...(await listSlugsByAuthor(db, id)).map(cacheKeys.article));
    }
    return withToken(user, actor?.expiresAt);
  }

  return { register, login, current, update };
}

export type UsersService = ReturnType<typeof createUsersService>;
