import {
  loginUserSchema,
  newUserSchema,
  updateUserSchema,
  userView,
  type Conduit,
} from '@roadmap/conduit';
import type { RouteContext } from './http/route';
import { defineRoute } from './http/route';
import { documented, z } from './openapi';

export const userSchema = documented(userView, 'User');
const userResponse = z.object({ user: userSchema }).openapi('UserResponse');

export function usersRoutes(context: RouteContext, conduit: Conduit): void {
  defineRoute(context, {
    method: 'post',
    path: '/api/users/login',
    operationId: 'Login',
    summary: 'Existing user login',
    tag: 'User and Authentication',
    policy: 'public',
    body: { name: 'user', schema: documented(loginUserSchema, 'LoginUser') },
    success: { status: 200, description: 'The user, with a fresh token', schema: userResponse },
    errors: [401, 422],
    handle: async ({ body, req }) => ({ user: await conduit.users.login(body, req.ip ?? '') }),
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/users',
    operationId: 'CreateUser',
    summary: 'Register a new user',
    tag: 'User and Authentication',
    policy: 'public',
    body: { name: 'user', schema: documented(newUserSchema, 'NewUser') },
    success: { status: 201, description: 'The new user, with a token', schema: userResponse },
    errors: [409, 422],
    handle: async ({ body }) => ({ user: await conduit.users.register(body) }),
  });

  defineRoute(context, {
    method: 'get',
    path: '/api/user',
    operationId: 'GetCurrentUser',
    summary: 'Get current user',
    tag: 'User and Authentication',
    policy: 'user:read-self',
    success: { status: 200, description: 'The logged-in user', schema: userResponse },
    errors: [401],
    handle: async ({ actor }) => ({ user: await conduit.users.current(actor) }),
  });

  defineRoute(context, {
    method: 'put',
    path: '/api/user',
    operationId: 'UpdateCurrentUser',
    summary: 'Update current user',
    tag: 'User and Authentication',
    policy: 'user:update-self',
    body: { name: 'user', schema: documented(updateUserSchema, 'UpdateUser') },
    success: { status: 200, description: 'The updated user', schema: userResponse },
    errors: [401, 409, 422],
    handle: async ({ actor, body }) => ({ user: await conduit.users.update(actor, body) }),
  });
}
