import { z } from 'zod';
import { ROLES } from './policy';

/**
 * Request bodies of the auth endpoints, validated at the edge (one schema → type + check) by
 * kit's parseOrThrow: the same validator and error messages as every Conduit route.
 */
export const loginBody = z.object({
  email: z.string().trim().min(1, "can't be blank").max(254),
  password: z.string().min(1, "can't be blank").max(1024),
});
export const refreshBody = z.object({ refreshToken: z.string().min(1, "can't be blank") });
export const setRoleBody = z.object({ role: z.enum(ROLES) });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
