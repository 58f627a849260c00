import { z } from '@microtown/kit';

/** Paging of every list route: `?limit=&offset=`. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** User: what a client sends to create one, what it may change, what it gets back. */
export const UserCreate = z
  .object({
    name: z.string().min(1).max(100),
    email: z.email().max(254),
  })
  .meta({ id: 'UserCreate' });
export const UserUpdate = UserCreate.partial().meta({ id: 'UserUpdate' });
export const UserPublic = UserCreate.extend({ id: z.string() }).meta({ id: 'UserPublic' });
export type UserPublic = z.infer<typeof UserPublic>;
export const UsersPublic = z
  .object({ data: z.array(UserPublic), count: z.int() })
  .meta({ id: 'UsersPublic' });
/** The list's query: paging, and an equality filter per field (`?name=...`). */
export const UserFilter = Paging.extend({
  name: z.string().optional(),
  email: z.string().optional(),
});

// microtown:schemas
