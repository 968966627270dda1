import { LIMITS, text } from '@roadmap/conduit';
import { z } from './openapi';

/**
 * Response shapes, for the OpenAPI document (and the tests, which check real responses
 * against them). Request shapes come from @roadmap/conduit, where the field rules live.
 */
export const profileSchema = z
  .object({
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    following: z.boolean(),
  })
  .openapi('Profile');

export const usernameParams = z.object({
  // Why NFC: usernames are stored composed (conduit's users.schema); a URL may carry the
  // decomposed form of the same name (o + U+0308), which must find the same profile.
  username: text()
    .normalize('NFC')
    .max(LIMITS.username * 2)
    .openapi({ description: 'Username of the profile', example: 'jake' }),
});

export const slugParams = z.object({
  slug: text()
    .max(300)
    .openapi({ description: 'Slug of the article', example: 'how-to-train-your-dragon' }),
});
