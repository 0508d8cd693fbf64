/**
 * The security and completeness policies the deploy template must meet, each a function from the
 * evaluated template to the violations it finds (empty: the template complies). The tests run each
 * on the real template and on a template broken on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadModelConfig } from '../../../src/model/model-config';
import { loadStorageSettings } from '../../../src/durable/store/storage-settings';
import { loadTokenSecret } from '../../../src/http/run-token';
import { startAuthLevel } from '../../../src/http/start-auth-level';
import type { DeployedResource, TemplateEvaluation } from './arm-evaluator';
import {
  appEnvironment,
  appSettings,
  functionApp,
  propertiesOf,
  referencedPath,
  referencedResourceId,
  resourceById,
  resourcesOfType,
} from './deployed-app';
import { ListCall, RuntimeRef, stringsIn, textOf } from './runtime-value';
import { ROOT } from './bicep';

/** A policy: a name and a check. */
export interface Policy {
  name: string;
  check(evaluation: TemplateEvaluation): string[];
}

/** Built-in role definition ids (the same in every tenant). */
export const ROLES = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402',
} as const;

const ROLE_NAMES = Object.fromEntries(Object.entries(ROLES).map(([name, id]) => [id, name]));

const KEY_TEXT = /AccountKey=|SharedAccessKey=|SharedAccessSignature=|[?&]sig=|Password=|ClientSecret=/i;
const SECRET_NAME = /(^|_)(KEY|SECRET|PASSWORD)(_|$)|API_?KEY|ACCESS_?KEY/i;
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(SecretUri=⟦[^⟧]+⟧\.secretUri\)$/;

const prop = (resource: DeployedResource, name: string): unknown => propertiesOf(resource)[name];

/** Settings hold no keys: no key-bearing connection strings, no list*() results, secrets only as Key Vault references. */
const noKeysInSettings: Policy = {
  name: 'no keys or key-bearing connection strings in the app settings',
  check(evaluation) {
    const violations: string[] = [];
    for (const [name, value] of Object.entries(appSettings(evaluation))) {
      const texts = stringsIn(value);
      if (value instanceof ListCall || texts.some((t) => t.startsWith('⟦list'))) {
        violations.push(`${name} is set from a list*() call (keys or secrets read at deployment)`);
      }
      if (texts.some((t) => KEY_TEXT.test(t)))
        violations.push(`${name} holds a key-bearing connection string`);
      if (name === 'AzureWebJobsStorage')
        violations.push(
          'AzureWebJobsStorage is a connection string; use the identity-based AzureWebJobsStorage__* settings',
        );
      if (SECRET_NAME.test(name) && !KEY_VAULT_REFERENCE.test(textOf(value))) {
        violations.push(`${name} names a secret but is not a Key Vault reference`);
      }
    }
    for (const config of resourcesOfType(evaluation, 'Microsoft.Web/sites/config')) {
      if (/\/connectionstrings$/i.test(config.name))
        violations.push(`${config.name}: connection strings are set on the app`);
    }
    for (const [name, value] of Object.entries(evaluation.outputs)) {
      if (stringsIn(value).some((t) => t.startsWith('⟦list') || KEY_TEXT.test(t)))
        violations.push(`output ${name} exposes a key`);
    }
    return violations;
  },
};

const sharedKeyOff: Policy = {
  name: 'storage accounts have shared key access off',
  check: (evaluation) =>
    resourcesOfType(evaluation, 'Microsoft.Storage/storageAccounts')
      .filter((account) => prop(account, 'allowSharedKeyAccess') !== false)
      .map((account) => `${account.name}: allowSharedKeyAccess is not false`),
};

const openAILocalAuthOff: Policy = {
  name: 'Azure OpenAI accounts have local (key) auth off',
  check: (evaluation) =>
    resourcesOfType(evaluation, 'Microsoft.CognitiveServices/accounts')
      .filter((account) => prop(account, 'disableLocalAuth') !== true)
      .map((account) => `${account.name}: disableLocalAuth is not true`),
};

const appInsightsEntraOnly: Policy = {
  name: 'Application Insights has local auth off and the app authenticates with its identity',
  check(evaluation) {
    const violations = resourcesOfType(evaluation, 'Microsoft.Insights/components')
      .filter((component) => prop(component, 'DisableLocalAuth') !== true)
      .map((component) => `${component.name}: DisableLocalAuth is not true`);
    const settings = appSettings(evaluation);
    const connection = settings.APPLICATIONINSIGHTS_CONNECTION_STRING;
    if (connection === undefined) return [...violations, 'APPLICATIONINSIGHTS_CONNECTION_STRING is not set'];
    const component = referencedResourceId(connection);
    if (!component || !resourceById(evaluation, component)) {
      violations.push(
        'APPLICATIONINSIGHTS_CONNECTION_STRING does not come from a component this template creates',
      );
    }
    const auth = textOf(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
    const identity = referencedResourceId(settings.AzureWebJobsStorage__clientId);
    if (
      !/Authorization=AAD/.test(auth) ||
      referencedResourceId(auth) !== identity ||
      referencedPath(auth) !== 'clientId'
    ) {
      violations.push(
        'APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not ClientId=<the app identity>;Authorization=AAD',
      );
    }
    return violations;
  },
};

const httpsOnly: Policy = {
  name: 'HTTPS only',
  check: (evaluation) => [
    ...resourcesOfType(evaluation, 'Microsoft.Web/sites')
      .filter((site) => site.body.properties === undefined || prop(site, 'httpsOnly') !== true)
      .map((site) => `${site.name}: httpsOnly is not true`),
    ...resourcesOfType(evaluation, 'Microsoft.Storage/storageAccounts')
      .filter((account) => prop(account, 'supportsHttpsTrafficOnly') !== true)
      .map((account) => `${account.name}: supportsHttpsTrafficOnly is not true`),
  ],
};

const TLS_OK = new Set(['1.2', '1.3', 'TLS1_2', 'TLS1_3']);

const tlsMinimum: Policy = {
  name: 'TLS 1.2 or later',
  check: (evaluation) => [
    ...resourcesOfType(evaluation, 'Microsoft.Storage/storageAccounts')
      .filter((account) => !TLS_OK.has(textOf(prop(account, 'minimumTlsVersion'))))
      .map(
        (account) =>
          `${account.name}: minimumTlsVersion is ${textOf(prop(account, 'minimumTlsVersion')) || 'unset'}`,
      ),
    ...resourcesOfType(evaluation, 'Microsoft.Web/sites').flatMap((site) => {
      const config = (prop(site, 'siteConfig') ?? {}) as Record<string, unknown>;
      return ['minTlsVersion', 'scmMinTlsVersion']
        .filter((key) => !TLS_OK.has(textOf(config[key])))
        .map((key) => `${site.name}: siteConfig.${key} is ${textOf(config[key]) || 'unset'}`);
    }),
  ],
};

const basicPublishingOff: Policy = {
  name: 'FTP and basic publishing credentials off',
  check(evaluation) {
    const violations: string[] = [];
    for (const site of resourcesOfType(evaluation, 'Microsoft.Web/sites')) {
      for (const kind of ['ftp', 'scm']) {
        const policy = resourcesOfType(
          evaluation,
          'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
        ).find((p) => p.name.toLowerCase() === `${site.name}/${kind}`.toLowerCase());
        if (!policy || prop(policy, 'allow') !== false)
          violations.push(`${site.name}: ${kind} basic publishing credentials are not off`);
      }
      const ftps = ((prop(site, 'siteConfig') ?? {}) as Record<string, unknown>).ftpsState;
      if (ftps !== 'Disabled')
        violations.push(`${site.name}: siteConfig.ftpsState is ${textOf(ftps) || 'unset'}, not Disabled`);
    }
    return violations;
  },
};

/** The identity the settings name: the one whose client id AzureWebJobsStorage__clientId holds. */
function appIdentity(evaluation: TemplateEvaluation): { id: string; violations: string[] } {
  const settings = appSettings(evaluation);
  const clientId = settings.AzureWebJobsStorage__clientId;
  const id = referencedResourceId(clientId);
  const violations: string[] = [];
  if (!id || referencedPath(clientId) !== 'clientId' || !/userAssignedIdentities/i.test(id)) {
    return {
      id: '',
      violations: ['AzureWebJobsStorage__clientId is not the client id of a user-assigned identity'],
    };
  }
  const sameIdentity = (value: unknown): boolean =>
    referencedResourceId(value) === id && referencedPath(value) === 'clientId';
  if (textOf(settings.AzureWebJobsStorage__credential).toLowerCase() !== 'managedidentity') {
    violations.push('AzureWebJobsStorage__credential is not managedidentity');
  }
  if (!sameIdentity(settings.AZURE_CLIENT_ID)) violations.push('AZURE_CLIENT_ID is not the same identity');
  const scheduler = settings.DURABLE_TASK_SCHEDULER_CONNECTION_STRING;
  if (scheduler !== undefined && !new RegExp(`ClientID=⟦${escape(id)}⟧\\.clientId`).test(textOf(scheduler))) {
    violations.push('DURABLE_TASK_SCHEDULER_CONNECTION_STRING does not name the same identity');
  }
  const site = functionApp(evaluation);
  const assigned = Object.keys(
    (site.body.identity as Record<string, unknown> | undefined)?.userAssignedIdentities ?? {},
  );
  if (
    !assigned.some((a) => a.toLowerCase() === `⟦${id}⟧`.toLowerCase() || a.toLowerCase() === id.toLowerCase())
  ) {
    // Bicep passes the identity's resource id as a module output: a plain id string.
    violations.push('the function app is not assigned the identity its settings name');
  }
  return { id, violations };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The scope of a role assignment id: everything before /providers/Microsoft.Authorization/roleAssignments/. */
function scopeOf(assignment: DeployedResource): string {
  return assignment.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, '');
}

/** Role assignments to the identity: [scope, role definition id]. */
function grantsTo(evaluation: TemplateEvaluation, identityId: string): { scope: string; role: string }[] {
  return resourcesOfType(evaluation, 'Microsoft.Authorization/roleAssignments')
    .filter((a) => {
      const principal = prop(a, 'principalId');
      return (
        principal instanceof RuntimeRef &&
        principal.resourceId === identityId &&
        principal.propertyPath === 'principalId'
      );
    })
    .map((a) => ({ scope: scopeOf(a), role: last(textOf(prop(a, 'roleDefinitionId'))) }));
}

const last = (id: string): string => id.split('/').pop()!;

/** The data roles the app needs, on the resources its settings point at. */
function requiredGrants(evaluation: TemplateEvaluation): { scope: string; role: string; why: string }[] {
  const settings = appSettings(evaluation);
  const needs: { scope: string; role: string; why: string }[] = [];
  const storage = referencedResourceId(settings.AzureWebJobsStorage__tableServiceUri);
  if (storage) {
    needs.push({
      scope: storage,
      role: ROLES.storageBlobDataOwner,
      why: 'AzureWebJobsStorage (host, deployment package)',
    });
    needs.push({
      scope: storage,
      role: ROLES.storageTableDataContributor,
      why: 'the run store and the host',
    });
    const azureStorageBackend =
      settings.AzureFunctionsJobHost__extensions__durableTask__storageProvider__type === undefined;
    if (azureStorageBackend || settings.AzureWebJobsStorage__queueServiceUri !== undefined) {
      needs.push({
        scope: storage,
        role: ROLES.storageQueueDataContributor,
        why: 'the Azure Storage Durable backend',
      });
    }
  }
  const insights = referencedResourceId(settings.APPLICATIONINSIGHTS_CONNECTION_STRING);
  if (insights)
    needs.push({ scope: insights, role: ROLES.monitoringMetricsPublisher, why: 'telemetry with Entra auth' });
  const openAI = referencedResourceId(settings.AZURE_OPENAI_ENDPOINT);
  if (openAI)
    needs.push({ scope: openAI, role: ROLES.cognitiveServicesOpenAIUser, why: 'keyless Azure OpenAI' });
  for (const name of ['DURABLE_HANDOFF_TOKEN_SECRET', 'DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS']) {
    const secret = referencedResourceId(settings[name]);
    if (secret)
      needs.push({
        scope: secret,
        role: ROLES.keyVaultSecretsUser,
        why: `the Key Vault reference of ${name}`,
      });
  }
  const scheduler = referencedResourceId(settings.DURABLE_TASK_SCHEDULER_CONNECTION_STRING);
  if (scheduler)
    needs.push({
      scope: scheduler,
      role: ROLES.durableTaskDataContributor,
      why: 'the Durable Task Scheduler backend',
    });
  return needs;
}

const dataRoles: Policy = {
  name: 'each data role the app needs is assigned to the identity its settings name, and no other role',
  check(evaluation) {
    const identity = appIdentity(evaluation);
    if (!identity.id) return identity.violations;
    const violations = [...identity.violations];
    const granted = grantsTo(evaluation, identity.id);
    const needed = requiredGrants(evaluation);
    // A grant on a parent scope (a vault for its secret, a scheduler for its task hub) covers the child.
    const covers = (grant: { scope: string; role: string }, need: { scope: string; role: string }): boolean =>
      grant.role === need.role &&
      (need.scope.toLowerCase() + '/').startsWith(grant.scope.toLowerCase() + '/');
    for (const need of needed) {
      if (!granted.some((grant) => covers(grant, need))) {
        violations.push(
          `${ROLE_NAMES[need.role]} on ${need.scope} (${need.why}) is not assigned to the app identity`,
        );
      }
    }
    for (const grant of granted) {
      if (!needed.some((need) => covers(grant, need))) {
        violations.push(
          `${ROLE_NAMES[grant.role] ?? grant.role} on ${grant.scope} is assigned but the app does not need it`,
        );
      }
    }
    return violations;
  },
};

/** `%NAME%` app-setting references in host.json (the Functions host resolves them at start). */
function hostJsonSettingReferences(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'host.json'), 'utf8');
  return [...new Set([...text.matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1]!))];
}

const requiredSettings: Policy = {
  name: "every setting the app's configuration readers require is present and valid",
  check(evaluation) {
    const violations: string[] = [];
    let env: Record<string, string>;
    try {
      env = appEnvironment(evaluation);
    } catch (error) {
      return [(error as Error).message];
    }
    const read = (what: string, reader: () => void): void => {
      try {
        reader();
      } catch (error) {
        violations.push(`${what}: ${(error as Error).message}`);
      }
    };
    read('run store', () => {
      const storage = loadStorageSettings(env);
      if (storage.kind !== 'identity' || storage.credential.kind !== 'managed-identity') {
        throw new Error(`the run store would not use the managed identity (${JSON.stringify(storage)})`);
      }
      if (storage.credential.clientId !== env.AZURE_CLIENT_ID)
        throw new Error('the run store would use another identity than AZURE_CLIENT_ID');
    });
    read('run tokens', () => {
      const secrets = loadTokenSecret(env);
      if (secrets.source !== 'setting') throw new Error('the token secret would not come from the setting');
    });
    read('model', () => {
      const model = loadModelConfig(env);
      if (model.kind !== 'azure-openai' || model.apiKey !== undefined) {
        throw new Error(`the app would not call Azure OpenAI keylessly (model kind ${model.kind})`);
      }
    });
    read('start auth level', () => startAuthLevel(env));
    for (const name of hostJsonSettingReferences()) {
      if (!env[name]) violations.push(`host.json reads %${name}%, which no app setting provides`);
    }
    for (const name of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
    ]) {
      // Flex Consumption rejects these: the runtime is set in functionAppConfig.
      if (name in env)
        violations.push(`${name} is set; Flex Consumption takes the runtime from functionAppConfig`);
    }
    return violations;
  },
};

const durableBackendWiring: Policy = {
  name: 'the Durable backend is wired through app settings, one host.json for both',
  check(evaluation) {
    const settings = appSettings(evaluation);
    const schedulers = resourcesOfType(evaluation, 'Microsoft.DurableTask/schedulers');
    const providerType = settings.AzureFunctionsJobHost__extensions__durableTask__storageProvider__type;
    if (schedulers.length === 0) {
      return providerType === undefined
        ? []
        : ['a storage provider is set but no Durable Task Scheduler is created'];
    }
    const violations: string[] = [];
    if (providerType !== 'azureManaged') violations.push('storageProvider type is not azureManaged');
    const connectionName = textOf(
      settings.AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName,
    );
    const connection = textOf(settings[connectionName]);
    if (!/^Endpoint=⟦[^⟧]+⟧\.endpoint;Authentication=ManagedIdentity;ClientID=/.test(connection)) {
      violations.push(
        `${connectionName || 'the connection string setting'} is not an identity-based scheduler connection`,
      );
    }
    const hubs = resourcesOfType(evaluation, 'Microsoft.DurableTask/schedulers/taskHubs').map((h) =>
      last(h.name),
    );
    if (!hubs.includes(textOf(settings.DURABLE_HANDOFF_TASK_HUB))) {
      violations.push(
        `no task hub named DURABLE_HANDOFF_TASK_HUB (${textOf(settings.DURABLE_HANDOFF_TASK_HUB)}); created: ${hubs.join(', ')}`,
      );
    }
    return violations;
  },
};

/** Policies over the evaluated template. */
export const TEMPLATE_POLICIES: readonly Policy[] = [
  noKeysInSettings,
  sharedKeyOff,
  openAILocalAuthOff,
  appInsightsEntraOnly,
  httpsOnly,
  tlsMinimum,
  basicPublishingOff,
  dataRoles,
  requiredSettings,
  durableBackendWiring,
];

/** Module references that are not local files (registries, template specs): the template must compile offline. */
export function remoteModuleReferences(bicepSource: string): string[] {
  return [...bicepSource.matchAll(/^\s*module\s+\S+\s+'((?:br|ts)[:/][^']*)'/gm)].map((m) => m[1]!);
}
