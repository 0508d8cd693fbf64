/**
 * The URLs of a run's endpoints under the app's route prefix (`api`, another prefix, or `''` for
 * none), on `origin`: the configured or trusted origin of {@link publicOrigin}, or `''` for links
 * relative to the API's origin. Never built from the request (see {@link publicOrigin}).
 */
export function runLinks(origin: string, routePrefix: string, workflow: string, runId: string) {
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
