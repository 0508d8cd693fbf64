/**
 * Which provider and model a chat model is, for `gen_ai.provider.name` and `gen_ai.request.model`,
 * read from its description (see `describe-model.ts`), which never holds a secret.
 */

/** The provider and model of a chat model's calls. */
export interface ModelIdentity {
  provider: string;
  model: string;
}

const DESCRIBED = /^(azure-openai|openai|openai-compatible) (?:deployment|model) '([^']+)'/;

/**
 * The identity of the model a description names: `azure.ai.openai` for Azure OpenAI, `openai` for
 * OpenAI and OpenAI-compatible servers (they speak its API), `durable_handoff.demo` for the offline
 * demo model, and the app's own description (first 64 characters) for a model the app provides.
 */
export function modelIdentity(description: string, requestModel?: string): ModelIdentity {
  const described = DESCRIBED.exec(description);
  if (described) {
    return {
      provider: described[1] === 'azure-openai' ? 'azure.ai.openai' : 'openai',
      model: requestModel ?? described[2]!,
    };
  }
  if (description === 'offline demo model')
    return { provider: 'durable_handoff.demo', model: requestModel ?? 'demo' };
  const own = description.slice(0, 64);
  return { provider: own, model: requestModel ?? own };
}
