/** A service's name: lower kebab-case, `user`, `order-history`. The same rule everywhere a name is read. */
export const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const isServiceName = (name: string) => SERVICE_NAME.test(name);

/** `user` lives in `services/user-service/`. */
export const serviceFolder = (name: string) => `${name}-service`;

/** Where a service's callers find it: `USER_SERVICE_URL` for `user`, `ORDER_HISTORY_SERVICE_URL` for `order-history`. */
export const serviceUrlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;

/**
 * A resource's collection, route and store key: parcel -> parcels, category -> categories, box -> boxes (simple
 * English plurals of the last word of a kebab name).
 */
export function plural(name: string): string {
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
}
