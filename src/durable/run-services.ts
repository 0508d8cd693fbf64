import type { ChatModel } from '../core/model';
import { loadChatModel } from '../model/create-chat-model';
import { loadStorageSettings } from './store/storage-settings';
import { TableRunStore } from './store/table-run-store';
import type { RunStore } from './store/run-store';

/**
 * The app's shared services, created on first use (configuration is read then, never at import time)
 * and kept for the life of the worker process.
 */
let store: RunStore | undefined;
let model: ChatModel | undefined;

/** The run store on the app's storage account (`AzureWebJobsStorage`). */
export function appRunStore(): RunStore {
  store ??= new TableRunStore(loadStorageSettings());
  return store;
}

/** The chat model from the app settings (Azure OpenAI, an OpenAI-compatible server, or the demo model). */
export function appChatModel(log?: (line: string) => void): ChatModel {
  model ??= loadChatModel(log ? { log } : {});
  return model;
}
