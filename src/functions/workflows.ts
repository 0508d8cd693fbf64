/** `GET /api/workflows`: the workflows this app runs. */
import { app, type HttpResponseInit } from '@azure/functions';
import { withApiErrors } from '../http/with-api-errors';
import { workflowRegistry } from '../workflows';

/** Lists the workflows: name, description, participants, start agent, handoff edges, interaction mode. */
export function listWorkflows(): Promise<HttpResponseInit> {
  return Promise.resolve({
    jsonBody: { workflows: workflowRegistry.list().map((workflow) => workflow.describe()) },
  });
}

app.http('listWorkflows', {
  route: 'workflows',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withApiErrors(listWorkflows),
});
