import { tagListView, type Conduit } from '@roadmap/conduit';
import { defineRoute, type RouteContext } from './http/route';
import { z } from './openapi';

const tagsResponse = z.object({ tags: tagListView }).openapi('TagsResponse');

export function tagsRoutes(context: RouteContext, conduit: Conduit): void {
  defineRoute(context, {
    method: 'get',
    path: '/api/tags',
    operationId: 'GetTags',
    summary: 'Tags in use, alphabetically',
    tag: 'Tags',
    policy: 'public',
    success: { status: 200, description: 'The tags', schema: tagsResponse },
    errors: [401],
    handle: () => conduit.tags.listJson(),
  });
}
