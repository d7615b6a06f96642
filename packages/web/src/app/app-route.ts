/** The pages of the app. */
export type AppRoute = 'chat' | 'debug';

/**
 * The server's base URL for API calls, derived from where the app's script was loaded: the build puts
 * scripts in `<root>/assets/`, so `..` from there is the root (`/` or `cricket serve --root`'s prefix).
 * In the dev server the entry is `/src/main.tsx`, whose `..` is `/` as well.
 */
export function baseUrlFromModule(moduleUrl: string): string {
  return new URL('..', moduleUrl).href;
}

/** Which page `pathname` shows, relative to the app's base path (`/debug` → the debug page). */
export function routeOf(pathname: string, basePath: string): AppRoute {
  const relative = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname.replace(/^\//, '');
  return /^debug(\/|$)/.test(relative) ? 'debug' : 'chat';
}
