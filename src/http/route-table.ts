import type { OpenAPIBackend, Operation } from 'openapi-backend';

/** `/v1/invoices/{id}` → `^/v1/invoices/[^/]+$`, literal parts escaped (as openapi-backend matches them). */
function templatePattern(path: string): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, '\0').split('\0').map(literal).join('[^/]+')}$`);
}

/**
 * openapi-backend rebuilds its list of operations (and compiles every path template to a regex)
 * on each request it routes. The document never changes once the app is built, so the table is
 * built once here and matching keeps openapi-backend's rules: an exact path first, then templates
 * from the most specific (longest literal part) down, the first with the request's method.
 */
export function cacheRouteTable(api: OpenAPIBackend): void {
  const router = api.router;
  const operations = router.getOperations();
  const exact = new Map<string, Operation>();
  for (const op of operations) if (!op.path.includes('{')) exact.set(`${op.method} ${op.path}`, op);
  const templates = operations
    .map((op, order) => ({ op, pattern: templatePattern(op.path), specificity: op.path.replace(/\{.*?\}/g, '').length, order }))
    .sort((a, b) => b.specificity - a.specificity || a.order - b.order);
  router.getOperations = () => operations;
  const normalize = router.normalizeRequest.bind(router);
  const relative = router.normalizePath.bind(router);
  router.matchOperation = ((req: Parameters<typeof router.matchOperation>[0], strict?: boolean) => {
    const r = normalize(req);
    const path = relative(r.path);
    const hit = exact.get(`${r.method} ${path}`) ?? templates.find((t) => t.op.method === r.method && t.pattern.test(path))?.op;
    if (hit) return hit;
    if (!strict) return undefined;
    throw new Error(templates.some((t) => t.pattern.test(path)) ? '405-methodNotAllowed: this method is not registered for the route' : '404-notFound: no route matches request');
  }) as typeof router.matchOperation;
}
