import type { UserData } from './store.js';

/** The chapter's user, there on first start: `GET /users/u1` finds Santanu. */
export const seed: Partial<UserData> = {
  users: [{ id: 'u1', name: 'Santanu', email: 'santanu@example.com' }],
};
