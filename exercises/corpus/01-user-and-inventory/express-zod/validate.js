// Turns a zod error into FastAPI's 422 body: {"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]}
export function validate(schema) {
  return (req, res, next) => {
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) {
      const detail = result.error.issues.map((issue) => ({
        loc: ['body', ...issue.path],
        msg: issue.message,
        type: issue.code,
      }));
      return res.status(422).json({ detail });
    }
    req.body = result.data;
    next();
  };
}
