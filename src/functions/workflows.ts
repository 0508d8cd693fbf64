/** `GET /api/workflows`: the workflows this app runs. */
import { app, type HttpResponseInit } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import type { WorkflowList } from '../client/api-schemas';
import type { WorkflowSource } from '../durable/workflow-source';
import { withApiErrors } from '../http/with-api-errors';

/** Lists the workflows: name, description, participants, start agent, handoff edges, interaction mode. */
export function listWorkflows(workflows: WorkflowSource): Promise<HttpResponseInit> {
  return Promise.resolve({
    jsonBody: {
      workflows: workflows.list().map((workflow) => workflow.describe()),
    } satisfies WorkflowList,
  });
}

/** Registers `GET /api/workflows`. */
export function registerListWorkflows(services: HandoffServices): void {
  app.http('listWorkflows', {
    route: 'workflows',
    methods: ['GET', 'OPTIONS'],
    authLevel: 'anonymous',
    handler: withApiErrors(() => listWorkflows(services.workflows), { cors: services.cors }),
  });
}
