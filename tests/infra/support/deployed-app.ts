/**
 * Reading an evaluated template as "the app it deploys": the function app, its settings, the
 * identity they name, and the concrete values Azure would give the runtime references (in Azure's
 * documented formats), so the app's own configuration readers can run on the settings.
 */
import { createHash } from 'node:crypto';
import type { DeployedResource, TemplateEvaluation } from './arm-evaluator';
import { RuntimeRef, textOf } from './runtime-value';

/** Resources of a type (case-insensitive). */
export function resourcesOfType(evaluation: TemplateEvaluation, type: string): DeployedResource[] {
  return evaluation.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

/** The resource with this id, if the template deploys it. */
export function resourceById(evaluation: TemplateEvaluation, id: string): DeployedResource | undefined {
  return evaluation.resources.find((r) => r.id.toLowerCase() === id.toLowerCase());
}

/** The properties object of a resource. */
export function propertiesOf(resource: DeployedResource): Record<string, unknown> {
  return (resource.body.properties as Record<string, unknown> | undefined) ?? {};
}

/** The one function app the template deploys. */
export function functionApp(evaluation: TemplateEvaluation): DeployedResource {
  const sites = resourcesOfType(evaluation, 'Microsoft.Web/sites');
  if (sites.length !== 1) throw new Error(`expected one function app, found ${sites.length}`);
  return sites[0]!;
}

/** The app settings of the function app: its `config/appsettings` and any `siteConfig.appSettings`. */
export function appSettings(evaluation: TemplateEvaluation): Record<string, unknown> {
  const site = functionApp(evaluation);
  const settings: Record<string, unknown> = {};
  const siteConfig = propertiesOf(site).siteConfig as
    { appSettings?: { name: string; value: unknown }[] } | undefined;
  for (const { name, value } of siteConfig?.appSettings ?? []) settings[name] = value;
  for (const config of resourcesOfType(evaluation, 'Microsoft.Web/sites/config')) {
    if (config.name.toLowerCase() === `${site.name}/appsettings`.toLowerCase())
      Object.assign(settings, propertiesOf(config));
  }
  return settings;
}

/** The resource a runtime reference (or a string holding one) points at, if any. */
export function referencedResourceId(value: unknown): string | undefined {
  if (value instanceof RuntimeRef) return value.resourceId;
  const match = /⟦([^⟧]+)⟧/.exec(textOf(value));
  return match?.[1];
}

/** The property path of a runtime reference (`clientId`, `primaryEndpoints.table`...). */
export function referencedPath(value: unknown): string | undefined {
  if (value instanceof RuntimeRef) return value.propertyPath;
  return /⟦[^⟧]+⟧((?:\.[A-Za-z0-9_]+)+)/.exec(textOf(value))?.[1]?.slice(1);
}

const last = (id: string): string => id.split('/').pop()!;

function fakeGuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The value Azure would give a runtime reference, in the documented format of each resource type. */
function concreteReference(evaluation: TemplateEvaluation, resourceId: string, path: string): string {
  const type = resourceId
    .match(/providers\/([^/]+\/[^/]+)(?:\/[^/]+\/([^/]+))?/)
    ?.slice(1)
    .filter(Boolean)
    .join('/');
  const resource = resourceById(evaluation, resourceId);
  const name = last(resourceId);
  const location = textOf(resource?.body.location ?? 'swedencentral');
  const key = `${type?.toLowerCase()}:${path}`;
  switch (key) {
    case 'microsoft.managedidentity/userassignedidentities:clientId':
    case 'microsoft.managedidentity/userassignedidentities:principalId':
      return fakeGuid(resourceId, path);
    case 'microsoft.storage/storageaccounts:primaryEndpoints.blob':
    case 'microsoft.storage/storageaccounts:primaryEndpoints.queue':
    case 'microsoft.storage/storageaccounts:primaryEndpoints.table':
      return `https://${name}.${path.split('.')[1]}.core.windows.net/`;
    case 'microsoft.insights/components:ConnectionString':
      return (
        `InstrumentationKey=${fakeGuid(resourceId, 'ikey')};IngestionEndpoint=https://${location}-1.in.applicationinsights.azure.com/;` +
        `LiveEndpoint=https://${location}.livediagnostics.monitor.azure.com/;ApplicationId=${fakeGuid(resourceId, 'app')}`
      );
    case 'microsoft.cognitiveservices/accounts:endpoint': {
      const subdomain = textOf(
        propertiesOf(resource ?? { id: '', type: '', name: '', deployment: '', body: {} })
          .customSubDomainName ?? name,
      );
      return `https://${subdomain}.openai.azure.com/`;
    }
    case 'microsoft.keyvault/vaults/secrets:secretUri':
      return `https://${resourceId.split('/vaults/')[1]!.split('/')[0]}.vault.azure.net/secrets/${name}`;
    case 'microsoft.durabletask/schedulers:endpoint':
      return `https://${name}.${location}.durabletask.io`;
    case 'microsoft.web/sites:defaultHostName':
      return `${name}.azurewebsites.net`;
    default:
      throw new Error(`no concrete value known for ${key} (${resourceId}); add its documented format`);
  }
}

/** A setting's value with every runtime reference replaced by the value Azure would give it. */
export function concreteValue(evaluation: TemplateEvaluation, value: unknown): string {
  if (value instanceof RuntimeRef) return concreteReference(evaluation, value.resourceId, value.propertyPath);
  return textOf(value).replace(/⟦([^⟧]+)⟧((?:\.[A-Za-z0-9_]+)+)/g, (_, id: string, path: string) =>
    concreteReference(evaluation, id, path.slice(1)),
  );
}

/**
 * The app's environment in Azure: the settings made concrete, Key Vault references resolved to the
 * value of the secret the template stores (as the platform resolves them), and the variables the
 * platform itself sets on every instance.
 */
export function appEnvironment(evaluation: TemplateEvaluation): Record<string, string> {
  const site = functionApp(evaluation);
  const env: Record<string, string> = {
    WEBSITE_INSTANCE_ID: fakeGuid('instance'),
    WEBSITE_HOSTNAME: `${site.name}.azurewebsites.net`,
    WEBSITE_SITE_NAME: site.name,
  };
  const secrets = resourcesOfType(evaluation, 'Microsoft.KeyVault/vaults/secrets');
  for (const [name, raw] of Object.entries(appSettings(evaluation))) {
    const value = concreteValue(evaluation, raw);
    const reference = /^@Microsoft\.KeyVault\(SecretUri=([^)]+)\)$/.exec(value);
    if (!reference) {
      env[name] = value;
      continue;
    }
    const secret = secrets.find(
      (s) => concreteReference(evaluation, s.id, 'secretUri') === reference[1]!.replace(/\/$/, ''),
    );
    if (!secret) throw new Error(`${name} references ${reference[1]}, a secret the template does not store`);
    env[name] = textOf(propertiesOf(secret).value);
  }
  return env;
}
