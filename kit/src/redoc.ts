import { createRequire } from 'node:module';
import express, { type Router } from 'express';

// The standalone bundle carries Redoc and its dependencies in one file (its search worker inlined): served from
// node_modules, the page needs no CDN and works offline.
const BUNDLE = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
const BUNDLE_NAME = 'redoc.standalone.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Every URL on the page is relative to `/redoc`, so the same page works at the service's own port and behind the
 * playground's `/svc/<name>/` prefix: `openapi.json` is the service's spec, `redoc/...` the bundle below.
 */
const redocPage = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <redoc spec-url="openapi.json"></redoc>
    <script src="redoc/${BUNDLE_NAME}"></script>
  </body>
</html>
`;

/** FastAPI's `/redoc` beside `/docs`: the page at `/redoc`, the bundle at `/redoc/redoc.standalone.js`. */
export function redoc(title: string): Router {
  const router = express.Router({ strict: true });
  const page = redocPage(title);
  router.get('/redoc', (_req, res) => {
    // Redoc's sidebar shows Redocly's logo from their CDN, with no option to turn it off; blocked, it hides itself
    // and the page makes no request off this machine.
    res.set('content-security-policy', "img-src 'self' data:").type('html').send(page);
  });
  // At `/redoc/` the page's relative URLs would point under /redoc/; a relative redirect keeps any prefix.
  router.get('/redoc/', (_req, res) => {
    res.redirect('../redoc');
  });
  router.get(`/redoc/${BUNDLE_NAME}`, (_req, res, next) => {
    res.sendFile(BUNDLE, { maxAge: '1h' }, (error) => {
      // Once bytes are sent the error is a client that went away mid-download: nothing left to answer.
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
