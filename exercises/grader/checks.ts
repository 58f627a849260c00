import { UserMistake } from '@microtown/kit/town';

/**
 * What a grading spec checks, as functions that throw a `GradeError` whose message is the hint the learner reads:
 * one line saying what was sent, what came back, and what was expected.
 */
export class GradeError extends UserMistake {
  override name = 'GradeError';
}

/** The service did not answer, or too late: the other cases of a check would only wait for the same. */
export class NoAnswerError extends GradeError {
  override name = 'NoAnswerError';
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
  /** The request as a `curl` command line, to repeat it by hand. */
  curl?: string;
}

export function fail(hint: string): never {
  throw new GradeError(hint);
}

/**
 * Runs every case, not only up to the first that fails: the hint is the first failure's, with the count and names
 * of the others, so a learner fixes them all in one go. A service that does not answer (in time) stops the check
 * at once: the other cases would only wait for the same.
 */
export async function everyCase<T>(
  cases: T[],
  name: (c: T) => string,
  check: (c: T) => Promise<void>,
): Promise<void> {
  const failed: [string, string][] = [];
  for (const c of cases) {
    try {
      await check(c);
    } catch (error) {
      if (error instanceof NoAnswerError) throw new NoAnswerError(`${name(c)}: ${error.message}`);
      if (!(error instanceof GradeError)) throw error;
      failed.push([name(c), error.message]);
    }
  }
  const [first, ...others] = failed;
  if (!first) return;
  const also = others.length
    ? `; ${others.length} other case${others.length === 1 ? '' : 's'} of this check failed too: ${others.map(([n]) => n).join(', ')}`
    : '';
  fail(`${first[0]}: ${first[1]}${also}`);
}

/** A value as it appears in a hint: JSON, cut short. */
export function show(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `POST /users with {...} answered 201 {...}` */
const answered = (reply: Reply, sent?: string) =>
  `${reply.label}${sent ? ` with ${sent}` : ''} answered ${reply.status}${reply.body === '' ? '' : ` ${show(reply.body)}`}`;

/** A hint about one answer, with the command that repeats its request. */
export function failAt(reply: Reply, hint: string): never {
  return fail(reply.curl ? `${hint} (to repeat it: ${reply.curl})` : hint);
}

export function expectStatus(reply: Reply, expected: number | number[], advice: string): void {
  const allowed = Array.isArray(expected) ? expected : [expected];
  if (allowed.includes(reply.status)) return;
  failAt(reply, `${answered(reply)}; expected ${allowed.join(' or ')}: ${advice}`);
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/** The answer says it is JSON (`Content-Type: application/json`), as every client reading it relies on. */
export function expectJson(reply: Reply): void {
  const type = reply.headers['content-type'];
  if (type && JSON_TYPE.test(type)) return;
  failAt(
    reply,
    `${answered(reply)} with ${type ? `Content-Type: ${type}` : 'no Content-Type'}; expected Content-Type: application/json (FastAPI, Flask's jsonify and Express's res.json set it)`,
  );
}

/** The body is a JSON object. */
export function expectObject(reply: Reply, advice: string): Record<string, unknown> {
  if (reply.body && typeof reply.body === 'object' && !Array.isArray(reply.body)) {
    expectJson(reply);
    return reply.body;
  }
  return failAt(reply, `${answered(reply)}; expected a JSON object: ${advice}`);
}

/** FastAPI's 422: `{"detail": [{"loc": ["body", "<field>"], "msg": ...}, ...]}` with an item naming the field. */
export function expectValidationError(reply: Reply, field: string, sent: string): void {
  const shape = `FastAPI's {"detail":[{"loc":["body","${field}"],"msg":"..."}]}`;
  if (reply.status !== 422) {
    failAt(reply, `${answered(reply, sent)}; expected 422 with ${shape}`);
  }
  const detail = reply.body?.detail;
  if (!Array.isArray(detail))
    failAt(reply, `${answered(reply)}: the 422 has no "detail" list; expected ${shape}`);
  const names = (item: { loc?: unknown }) => Array.isArray(item?.loc) && item.loc.includes(field);
  if (!detail.some(names)) {
    failAt(
      reply,
      `${answered(reply, sent)}, but no item of its "detail" has "${field}" in "loc"; expected ${shape}`,
    );
  }
  expectJson(reply);
}

/** `{"detail": "<message>"}`: FastAPI's shape for 404, 409 and 503. */
export function expectDetail(reply: Reply, advice: string): void {
  if (typeof reply.body?.detail !== 'string') {
    failAt(reply, `${answered(reply)}; expected a body {"detail": "<message>"}: ${advice}`);
  }
  expectJson(reply);
}

/**
 * An id nobody has, of the kind `id` is: an integer for integer ids (FastAPI's `item_id: int` refuses text with
 * 422), a UUID for UUIDs, digits for digit strings, else `id` with its digits made large.
 */
export function unknownIdLike(id: unknown): string {
  const big = 900_000_000 + Math.floor(Math.random() * 90_000_000);
  if (typeof id === 'number') return String(big);
  const text = String(id ?? '');
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text))
    return crypto.randomUUID();
  if (/^\d+$/.test(text)) return String(big);
  if (/^[0-9a-f]{24}$/i.test(text)) return big.toString(16).padStart(24, '0');
  if (/\d/.test(text)) return text.replace(/\d+/, String(big));
  return 'no-such-id-4242';
}

/** The fields of `expected` are in the body with these values; `id` is a string or an integer. */
export function expectFields(reply: Reply, expected: Record<string, unknown>, advice: string): void {
  const body = expectObject(reply, advice);
  const id = body.id;
  if (typeof id !== 'string' && !Number.isInteger(id)) {
    failAt(reply, `${answered(reply)}; expected an "id" (a string or an integer): ${advice}`);
  }
  for (const [field, value] of Object.entries(expected)) {
    if (JSON.stringify(body[field]) !== JSON.stringify(value)) {
      failAt(reply, `${answered(reply)}; expected "${field}": ${show(value)}: ${advice}`);
    }
  }
}
