import { AppError } from '@roadmap/kit';
import { ROLES, type Role } from '@roadmap/data-sql';

/**
 * Role-based access control in one place, with no HTTP types: the REST routes, the GraphQL
 * resolvers and the conduit services all ask this module, so a rule changes in one line.
 */

// The roles are data-sql's (the users.role column's CHECK lists the same three): one list.
export { ROLES, type Role };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const PERMISSIONS = [
  'article:create',
  'article:update',
  'article:delete',
  'article:favorite',
  'comment:create',
  'comment:delete',
  'profile:follow',
  'user:read-self',
  'user:update-self',
  'user:list',
  'user:set-role',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A known caller: the user id of the token or session, and their role. */
export interface Identity {
  userId: number;
  role: Role;
  /**
   * When the credential that proved this identity expires (a token's `exp`, a session's
   * absolute end), when known: a token issued for this caller never outlives it.
   */
  expiresAt?: Date;
}
/** Who is asking: null for an anonymous request. */
export type Actor = Identity | null;
/** What is being acted on, when ownership matters (e.g. the article's author id). */
export interface Resource {
  ownerId: number;
  /** Used in the 403 body: {"errors":{"<type>":["forbidden"]}}. */
  type?: string;
}

/** `any` = on every resource; `own` = only on resources whose ownerId is the actor. */
type Grant = 'any' | 'own';

const USER: Partial<Record<Permission, Grant>> = {
  'article:create': 'any',
  'article:update': 'own',
  'article:delete': 'own',
  'article:favorite': 'any',
  'comment:create': 'any',
  'comment:delete': 'own',
  'profile:follow': 'any',
  'user:read-self': 'any',
  'user:update-self': 'any',
};

/** Each role's grants; editors moderate any article or comment, admins also manage users. */
const GRANTS: Record<Role, Partial<Record<Permission, Grant>>> = {
  user: USER,
  editor: { ...USER, 'article:update': 'any', 'article:delete': 'any', 'comment:delete': 'any' },
  admin: {
    ...USER,
    'article:update': 'any',
    'article:delete': 'any',
    'comment:delete': 'any',
    'user:list': 'any',
    'user:set-role': 'any',
  },
};

/**
 * Without a resource: "may this role ever do this?" (what a route checks before loading data).
 * With a resource: "may this actor do it to this one?" (what a service checks after loading).
 */
export function can(actor: Actor, permission: Permission, resource?: Resource): boolean {
  if (!actor) return false;
  const grant = GRANTS[actor.role][permission];
  if (!grant) return false;
  if (grant === 'any' || resource === undefined) return true;
  return resource.ownerId === actor.userId;
}

/**
 * Throws 401 for an anonymous actor and 403 for a known one without the permission. An
 * assertion function: after it, TypeScript knows the actor is an Identity, so a service reads
 * `actor.userId` with no null check or `!`.
 */
export function assertCan(
  actor: Actor,
  permission: Permission,
  resource?: Resource,
): asserts actor is Identity {
  if (!actor) throw AppError.unauthorized('token', 'is missing');
  if (!can(actor, permission, resource))
    throw AppError.forbidden(resource?.type ?? permission.split(':')[0]);
}

/**
 * What an operation (a REST route, a GraphQL field, a consumer's command) requires of its
 * caller before any data is loaded: open to all, open to any signed-in user, or one permission.
 */
export type RoutePolicy = 'public' | 'authenticated' | Permission;

/** 401 for an anonymous actor on anything but a public operation; 403 without the permission. */
export function assertPolicy(actor: Actor, required: RoutePolicy): void {
  if (required === 'public') return;
  if (!actor) throw AppError.unauthorized('token', 'is missing');
  if (required !== 'authenticated' && !can(actor, required))
    throw AppError.forbidden(required.split(':')[0]);
}

/** The permission table, for documentation and the RBAC matrix test. */
export function permissionsOf(role: Role): Partial<Record<Permission, Grant>> {
  return { ...GRANTS[role] };
}

export const policy = { can, assertCan, assertPolicy, permissionsOf, ROLES, PERMISSIONS };
