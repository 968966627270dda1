import { LIMITS, profileView, text } from '@roadmap/conduit';
import { documented, z } from './openapi';

/**
 * Response shapes come from @roadmap/conduit's views (one zod schema per shape), request
 * shapes from its request schemas: this package only names them for the OpenAPI document.
 */
export const profileSchema = documented(profileView, 'Profile');

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
