/** The absolute URLs of a run's endpoints, on the origin the client called. */
export function runLinks(requestUrl: string, workflow: string, runId: string) {
  const origin = new URL(requestUrl).origin;
  const base = `${origin}/api/workflows/${encodeURIComponent(workflow)}`;
  const id = encodeURIComponent(runId);
  return {
    statusUri: `${base}/status/${id}`,
    eventsUri: `${base}/events/${id}`,
    respondUri: `${base}/respond/${id}`,
    terminateUri: `${base}/terminate/${id}`,
  };
}
