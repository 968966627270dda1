import type { User } from '@roadmap/data-sql';

/** What the auth endpoints show of a user (never the password hash). */
export function toPublicUser(user: User) {
  return {
    username: user.username,
    email: user.email,
    bio: user.bio,
    image: user.image,
    role: user.role,
  };
}
