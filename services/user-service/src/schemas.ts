import { Paging, pageOf, z } from '@microtown/kit';

/** Paging of every list route (`?limit=&offset=`): the kit's, extended by each list's filter. */
export { Paging };

/** User: what a client sends to create one, what it may change, what it gets back. */
export const UserCreate = z
  .object({
    name: z.string().min(1).max(100),
    email: z.email().max(254),
    // microtown:user-fields
  })
  .meta({ id: 'UserCreate' });
export const UserUpdate = UserCreate.partial().meta({ id: 'UserUpdate' });
export const UserPublic = UserCreate.extend({ id: z.string() }).meta({ id: 'UserPublic' });
export type UserPublic = z.infer<typeof UserPublic>;
export const UsersPublic = pageOf(UserPublic, 'UsersPublic');
/** The list's query: paging, and an equality filter per field (`?name=...`). */
export const UserFilter = Paging.extend({
  name: z.string().optional(),
  email: z.string().optional(),
  // microtown:user-filters
});

// microtown:schemas
