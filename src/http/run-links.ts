/**
 * The absolute URLs of a run's endpoints, on the origin the client called, under the app's route
 * prefix (`api`, another prefix, or `''` for none).
 */
export function runLinks(requestUrl: string, routePrefix: string, workflow: string, runId: string) {
  const origin = new URL(requestUrl).origin;
  const prefix = routePrefix === '' ? '' : `/${routePrefix}`;
  const base = `${origin}${prefix}/workflows/${encodeURIComponent(workflow)}`;
  const id = encodeURIComponent(runId);
  return {
    statusUri: `${base}/status/${id}`,
    eventsUri: `${base}/events/${id}`,
    respondUri: `${base}/respond/${id}`,
    terminateUri: `${base}/terminate/${id}`,
  };
}
