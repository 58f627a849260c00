/**
 * What a grading spec checks, as functions that throw a `GradeError` whose message is the hint the learner reads:
 * one line saying what was sent, what came back, and what was expected.
 */
export class GradeError extends Error {
  override name = 'GradeError';
}

/** One answer of a service, as the checks see it. */
export interface Reply {
  /** `POST /users`, for hints. */
  label: string;
  status: number;
  /** Parsed JSON, or the text when the body is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: specs read whatever fields they grade
  body: any;
  headers: Record<string, string>;
}

export function fail(hint: string): never {
  throw new GradeError(hint);
}

/** A value as it appears in a hint: JSON, cut short. */
export function show(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `POST /users with {...} answered 201 {...}` */
const answered = (reply: Reply, sent?: string) =>
  `${reply.label}${sent ? ` with ${sent}` : ''} answered ${reply.status}${reply.body === '' ? '' : ` ${show(reply.body)}`}`;

export function expectStatus(reply: Reply, expected: number | number[], advice: string): void {
  const allowed = Array.isArray(expected) ? expected : [expected];
  if (allowed.includes(reply.status)) return;
  fail(`${answered(reply)}; expected ${allowed.join(' or ')}: ${advice}`);
}

/** The body is a JSON object. */
export function expectObject(reply: Reply, advice: string): Record<string, unknown> {
  if (reply.body && typeof reply.body === 'object' && !Array.isArray(reply.body)) return reply.body;
  return fail(`${answered(reply)}; expected a JSON object: ${advice}`);
}

/** FastAPI's 422: `{"detail": [{"loc": ["body", "<field>"], "msg": ...}, ...]}` with an item naming the field. */
export function expectValidationError(reply: Reply, field: string, sent: string): void {
  const shape = `FastAPI's {"detail":[{"loc":["body","${field}"],"msg":"..."}]}`;
  if (reply.status !== 422) {
    fail(`${answered(reply, sent)}; expected 422 with ${shape}`);
  }
  const detail = reply.body?.detail;
  if (!Array.isArray(detail)) fail(`${answered(reply)}: the 422 has no "detail" list; expected ${shape}`);
  const names = (item: { loc?: unknown }) => Array.isArray(item?.loc) && item.loc.includes(field);
  if (!detail.some(names)) {
    fail(`${answered(reply, sent)}, but no item of its "detail" has "${field}" in "loc"; expected ${shape}`);
  }
}

/** `{"detail": "<message>"}`: FastAPI's shape for 404, 409 and 503. */
export function expectDetail(reply: Reply, advice: string): void {
  if (typeof reply.body?.detail === 'string') return;
  fail(`${answered(reply)}; expected a body {"detail": "<message>"}: ${advice}`);
}

/** The fields of `expected` are in the body with these values; `id` is a string or an integer. */
export function expectFields(reply: Reply, expected: Record<string, unknown>, advice: string): void {
  const body = expectObject(reply, advice);
  const id = body.id;
  if (typeof id !== 'string' && !Number.isInteger(id)) {
    fail(`${answered(reply)}; expected an "id" (a string or an integer): ${advice}`);
  }
  for (const [field, value] of Object.entries(expected)) {
    if (JSON.stringify(body[field]) !== JSON.stringify(value)) {
      fail(`${answered(reply)}; expected "${field}": ${show(value)}: ${advice}`);
    }
  }
}
