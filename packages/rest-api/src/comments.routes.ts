import { commentIdSchema, commentView, newCommentSchema, type Conduit } from '@roadmap/conduit';
import { profileSchema, slugParams } from './common.schema';
import { defineRoute, type RouteContext } from './http/route';
import { documented, z } from './openapi';

const commentSchema = documented(commentView.extend({ author: profileSchema }), 'Comment');
const singleComment = z.object({ comment: commentSchema }).openapi('SingleCommentResponse');
const multipleComments = z
  .object({ comments: z.array(commentSchema) })
  .openapi('MultipleCommentsResponse');

const commentParams = slugParams.extend({
  id: documented(commentIdSchema, {
    type: 'integer',
    minimum: 1,
    description: 'ID of the comment',
    example: 1,
  }),
});

export function commentsRoutes(context: RouteContext, conduit: Conduit): void {
  defineRoute(context, {
    method: 'get',
    path: '/api/articles/:slug/comments',
    operationId: 'GetArticleComments',
    summary: 'Comments of an article, oldest first (auth optional)',
    tag: 'Comments',
    policy: 'public',
    auth: 'optional',
    params: slugParams,
    success: { status: 200, description: 'The comments', schema: multipleComments },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      comments: await conduit.comments.list(actor, params.slug),
    }),
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/articles/:slug/comments',
    operationId: 'CreateArticleComment',
    summary: 'Comment on an article',
    tag: 'Comments',
    policy: 'comment:create',
    params: slugParams,
    body: { name: 'comment', schema: documented(newCommentSchema, 'NewComment') },
    success: { status: 201, description: 'The new comment', schema: singleComment },
    errors: [401, 404, 422],
    handle: async ({ actor, params, body }) => ({
      comment: await conduit.comments.add(actor, params.slug, body),
    }),
  });

  defineRoute(context, {
    method: 'delete',
    path: '/api/articles/:slug/comments/:id',
    operationId: 'DeleteArticleComment',
    summary: 'Delete a comment (its author, or an editor)',
    tag: 'Comments',
    policy: 'comment:delete',
    params: commentParams,
    success: { status: 204, description: 'Deleted' },
    errors: [401, 403, 404, 422],
    handle: ({ actor, params }) => conduit.comments.remove(actor, params.slug, params.id),
  });
}
