import type { ChatModel } from '../core/model';
import { modelStartupMessage } from '../model/describe-model';
import { loadModelConfig, type ModelConfig } from '../model/model-config';
import { loadStorageSettings } from './store/storage-settings';
import { TableRunStore } from './store/table-run-store';
import type { RunStore } from './store/run-store';

/**
 * The app's shared services, created on first use (configuration is read then, never at import time)
 * and kept for the life of the worker process.
 */
let store: RunStore | undefined;
let config: ModelConfig | undefined;
let model: Promise<ChatModel> | undefined;

/** The run store on the app's storage account (`AzureWebJobsStorage`). */
export function appRunStore(): RunStore {
  store ??= new TableRunStore(loadStorageSettings());
  return store;
}

/**
 * Reads and checks the model settings and says which model the app uses: called at start-up, so a
 * configuration error and the model in use show up immediately.
 */
export function announceAppModel(log: (line: string) => void): void {
  config ??= loadModelConfig();
  log(modelStartupMessage(config));
}

/**
 * The chat model from the app settings (Azure OpenAI, an OpenAI-compatible server, or the demo model).
 * The client and the `openai` package load on the first agent turn, not at start-up (cold start).
 */
export function appChatModel(): Promise<ChatModel> {
  model ??= import('../model/create-chat-model').then(({ createChatModel }) => {
    config ??= loadModelConfig();
    return createChatModel(config);
  });
  return model;
}
