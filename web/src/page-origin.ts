/**
 * A run's URL on the page's own origin. The API builds its links from the URL it was called on, which
 * a proxy may have rewritten; the page's Content-Security-Policy only lets it talk to its own origin.
 */
export function onPageOrigin(link: string, pageOrigin: string): string {
  const url = new URL(link, pageOrigin);
  return new URL(`${url.pathname}${url.search}`, pageOrigin).toString();
}
