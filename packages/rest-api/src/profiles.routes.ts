import type { Conduit } from '@roadmap/conduit';
import { profileSchema, usernameParams } from './common.schema';
import { defineRoute, type RouteContext } from './http/route';
import { z } from './openapi';

const profileResponse = z.object({ profile: profileSchema }).openapi('ProfileResponse');

export function profilesRoutes(context: RouteContext, conduit: Conduit): void {
  defineRoute(context, {
    method: 'get',
    path: '/api/profiles/:username',
    operationId: 'GetProfileByUsername',
    summary: 'Get a profile (auth optional)',
    tag: 'Profile',
    policy: 'public',
    auth: 'optional',
    params: usernameParams,
    success: { status: 200, description: 'The profile', schema: profileResponse },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      profile: await conduit.profiles.get(actor, params.username),
    }),
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/profiles/:username/follow',
    operationId: 'FollowUserByUsername',
    summary: 'Follow a user',
    tag: 'Profile',
    policy: 'profile:follow',
    params: usernameParams,
    success: { status: 200, description: 'The profile, now followed', schema: profileResponse },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      profile: await conduit.profiles.follow(actor, params.username),
    }),
  });

  defineRoute(context, {
    method: 'delete',
    path: '/api/profiles/:username/follow',
    operationId: 'UnfollowUserByUsername',
    summary: 'Unfollow a user',
    tag: 'Profile',
    policy: 'profile:follow',
    params: usernameParams,
    success: {
      status: 200,
      description: 'The profile, no longer followed',
      schema: profileResponse,
    },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      profile: await conduit.profiles.unfollow(actor, params.username),
    }),
  });
}
