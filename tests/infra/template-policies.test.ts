import fs from 'node:fs';
import path from 'node:path';
import { evaluateTemplate } from './support/arm-evaluator';
import { compiledTemplate, describeWithBicep, ROOT } from './support/bicep';
import { remoteModuleReferences, ROLES, TEMPLATE_POLICIES, type Policy } from './support/template-policies';
import { appSettings } from './support/deployed-app';
import { withAppSettings, withResources, withoutResources } from './support/template-mutation';

type Json = Record<string, unknown>;

const BASE = {
  environmentName: 'dev',
  location: 'swedencentral',
  runTokenSecret: 'azd-generated-0123456789abcdefghijklmnopqrstuvwxyzAB',
};
const EXISTING_OPENAI =
  '/subscriptions/0000aaaa-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/shared-oai';

const SCENARIOS: Record<string, Json> = {
  'the Azure Storage backend with a new Azure OpenAI account': BASE,
  'the Durable Task Scheduler backend': { ...BASE, durableBackend: 'DurableTaskScheduler' },
  'an existing Azure OpenAI account': { ...BASE, existingOpenAIResourceId: EXISTING_OPENAI },
  'a run-token secret rotation': { ...BASE, runTokenSecretPrevious: 'the-previous-secret-0123456789' },
};

const policy = (name: string): Policy => {
  const found = TEMPLATE_POLICIES.find((p) => p.name.startsWith(name));
  if (!found) throw new Error(`no policy named ${name}`);
  return found;
};

const violations = (name: string, template: Json, params: Json = BASE): string[] =>
  policy(name).check(evaluateTemplate(template, params));

const stringWith = (resource: Json, text: string): boolean => JSON.stringify(resource).includes(text);

describeWithBicep('the deploy template (infra/main.bicep, compiled)', () => {
  let template: Json;
  beforeAll(() => {
    template = compiledTemplate();
  });

  describe.each(Object.entries(SCENARIOS))('with %s', (_, params) => {
    it.each(TEMPLATE_POLICIES.map((p) => [p.name, p] as const))('meets: %s', (_name, p) => {
      expect(p.check(evaluateTemplate(template, params))).toEqual([]);
    });
  });

  describe('each policy catches a template that breaks it', () => {
    it('finds an account key, a listKeys() result and a plain secret in the settings', () => {
      const broken = withAppSettings(template, (s) => {
        s.AzureWebJobsStorage =
          'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=bm90IGEga2V5;EndpointSuffix=core.windows.net';
        s.AZURE_OPENAI_API_KEY =
          "[listKeys(resourceId('Microsoft.CognitiveServices/accounts', 'oai'), '2024-10-01').key1]";
        s.DURABLE_HANDOFF_TOKEN_SECRET = 'a-secret-in-plain-sight-0123456789';
      });
      const found = violations('no keys', broken);
      expect(found).toEqual(
        expect.arrayContaining([
          'AzureWebJobsStorage holds a key-bearing connection string',
          'AzureWebJobsStorage is a connection string; use the identity-based AzureWebJobsStorage__* settings',
          'AZURE_OPENAI_API_KEY is set from a list*() call (keys or secrets read at deployment)',
          'AZURE_OPENAI_API_KEY names a secret but is not a Key Vault reference',
          'DURABLE_HANDOFF_TOKEN_SECRET names a secret but is not a Key Vault reference',
        ]),
      );
    });

    it('finds a storage account with shared key access on', () => {
      const broken = withResources(template, 'Microsoft.Storage/storageAccounts', (r) => {
        (r.properties as Json).allowSharedKeyAccess = true;
      });
      expect(violations('storage accounts have shared key access off', broken)).toEqual([
        expect.stringMatching(/allowSharedKeyAccess is not false/),
      ]);
    });

    it('finds an Azure OpenAI account that accepts keys', () => {
      const broken = withResources(template, 'Microsoft.CognitiveServices/accounts', (r) => {
        delete (r.properties as Json).disableLocalAuth;
      });
      expect(violations('Azure OpenAI', broken)).toEqual([
        expect.stringMatching(/disableLocalAuth is not true/),
      ]);
    });

    it('finds Application Insights with local auth on, or an app that does not authenticate with its identity', () => {
      const localAuth = withResources(template, 'Microsoft.Insights/components', (r) => {
        (r.properties as Json).DisableLocalAuth = false;
      });
      expect(violations('Application Insights', localAuth)).toEqual([
        expect.stringMatching(/DisableLocalAuth is not true/),
      ]);
      const noEntra = withAppSettings(template, (s) => {
        delete s.APPLICATIONINSIGHTS_AUTHENTICATION_STRING;
      });
      expect(violations('Application Insights', noEntra)).toEqual([
        'APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not ClientId=<the app identity>;Authorization=AAD',
      ]);
    });

    it('finds a function app or storage account that accepts plain HTTP', () => {
      const site = withResources(template, 'Microsoft.Web/sites', (r) => {
        (r.properties as Json).httpsOnly = false;
      });
      expect(violations('HTTPS only', site)).toEqual([expect.stringMatching(/httpsOnly is not true/)]);
      const storage = withResources(template, 'Microsoft.Storage/storageAccounts', (r) => {
        (r.properties as Json).supportsHttpsTrafficOnly = false;
      });
      expect(violations('HTTPS only', storage)).toEqual([
        expect.stringMatching(/supportsHttpsTrafficOnly is not true/),
      ]);
    });

    it('finds TLS below 1.2 on storage and on the app', () => {
      const broken = withResources(
        withResources(template, 'Microsoft.Storage/storageAccounts', (r) => {
          (r.properties as Json).minimumTlsVersion = 'TLS1_0';
        }),
        'Microsoft.Web/sites',
        (r) => {
          ((r.properties as Json).siteConfig as Json).minTlsVersion = '1.1';
        },
      );
      expect(violations('TLS', broken)).toEqual([
        expect.stringMatching(/minimumTlsVersion is TLS1_0/),
        expect.stringMatching(/siteConfig.minTlsVersion is 1.1/),
      ]);
    });

    it('finds basic publishing credentials left on or not turned off', () => {
      const scmOn = withResources(template, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies', (r) => {
        if (stringWith(r, "'scm'")) (r.properties as Json).allow = true;
      });
      expect(violations('FTP and basic publishing', scmOn)).toEqual([
        expect.stringMatching(/scm basic publishing credentials are not off/),
      ]);
      const noFtpPolicy = withoutResources(
        template,
        'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
        (r) => stringWith(r, "'ftp'"),
      );
      expect(violations('FTP and basic publishing', noFtpPolicy)).toEqual([
        expect.stringMatching(/ftp basic publishing credentials are not off/),
      ]);
      const ftps = withResources(template, 'Microsoft.Web/sites', (r) => {
        ((r.properties as Json).siteConfig as Json).ftpsState = 'AllAllowed';
      });
      expect(violations('FTP and basic publishing', ftps)).toEqual([
        expect.stringMatching(/ftpsState is AllAllowed/),
      ]);
    });

    it('finds a data role the app needs that is missing', () => {
      const broken = withoutResources(template, 'Microsoft.Authorization/roleAssignments', (r) =>
        stringWith(r, 'tableDataContributor'),
      );
      expect(violations('each data role', broken)).toEqual([
        expect.stringMatching(
          /^storageTableDataContributor on .*storageAccounts\/st\w+ \(the run store and the host\) is not assigned/,
        ),
      ]);
    });

    it('finds the Durable Task Scheduler role missing with that backend', () => {
      const broken = withoutResources(template, 'Microsoft.Authorization/roleAssignments', (r) =>
        stringWith(r, 'dataContributor'),
      );
      expect(violations('each data role', broken, SCENARIOS['the Durable Task Scheduler backend'])).toEqual([
        expect.stringMatching(/^durableTaskDataContributor on .*schedulers\/dts-\w+/),
      ]);
    });

    it('finds a role granted to another principal than the identity the settings name', () => {
      const broken = withResources(template, 'Microsoft.Authorization/roleAssignments', (r) => {
        if (stringWith(r, 'blobDataOwner'))
          (r.properties as Json).principalId = '11111111-0000-0000-0000-000000000000';
      });
      expect(violations('each data role', broken)).toEqual([
        expect.stringMatching(/^storageBlobDataOwner on .* is not assigned to the app identity/),
      ]);
    });

    it('finds a role the app does not need (more than least privilege)', () => {
      const owner = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
      const broken = withResources(template, 'Microsoft.Authorization/roleAssignments', (r) => {
        if (stringWith(r, 'monitoringMetricsPublisher')) {
          (r.properties as Json).roleDefinitionId =
            `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${owner}')]`;
        }
      });
      expect(violations('each data role', broken)).toEqual([
        expect.stringMatching(
          /^monitoringMetricsPublisher on .*components\/appi-\w+ .* is not assigned to the app identity/,
        ),
        expect.stringMatching(
          new RegExp(`^${owner} on .*components/appi-\\w+ is assigned but the app does not need it`),
        ),
      ]);
      expect(Object.values(ROLES)).not.toContain(owner);
    });

    it("finds settings the app's own configuration readers reject or miss", () => {
      const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
        ['no deployment', (s) => delete s.AZURE_OPENAI_DEPLOYMENT, /^model: .*AZURE_OPENAI_DEPLOYMENT/],
        [
          'no task hub',
          (s) => delete s.DURABLE_HANDOFF_TASK_HUB,
          /host.json reads %DURABLE_HANDOFF_TASK_HUB%/,
        ],
        [
          'no token secret',
          (s) => delete s.DURABLE_HANDOFF_TOKEN_SECRET,
          /^run tokens: DURABLE_HANDOFF_TOKEN_SECRET is not set/,
        ],
        [
          'no managed identity credential',
          (s) => delete s.AzureWebJobsStorage__credential,
          /^run store: the run store would not use the managed identity/,
        ],
        [
          'a bad auth level',
          (s) => (s.DURABLE_HANDOFF_START_AUTH_LEVEL = 'admin'),
          /^start auth level: .*'admin' is not valid/,
        ],
        [
          'a Flex-incompatible setting',
          (s) => (s.FUNCTIONS_WORKER_RUNTIME = 'node'),
          /FUNCTIONS_WORKER_RUNTIME is set; Flex Consumption/,
        ],
      ];
      for (const [, edit, expected] of cases) {
        expect(violations('every setting', withAppSettings(template, edit))).toEqual(
          expect.arrayContaining([expect.stringMatching(expected)]),
        );
      }
    });

    it('finds a Durable Task Scheduler whose task hub is not the one the app names', () => {
      const broken = withResources(template, 'Microsoft.DurableTask/schedulers/taskHubs', (r) => {
        r.name = "[format('{0}/{1}', parameters('name'), 'SomeOtherHub')]";
      });
      expect(
        violations('the Durable backend', broken, SCENARIOS['the Durable Task Scheduler backend']),
      ).toEqual([
        expect.stringMatching(
          /no task hub named DURABLE_HANDOFF_TASK_HUB \(DurableHandoff\); created: SomeOtherHub/,
        ),
      ]);
    });
  });

  it.each([
    [512, 256],
    [2048, 512],
    [4096, 1024],
  ])("caps the Node worker's heap for %i MB instances at %i MB", (instanceMemoryMB, heapMB) => {
    const settings = appSettings(evaluateTemplate(template, { ...BASE, instanceMemoryMB }));
    expect(settings.NODE_OPTIONS).toBe(`--max-old-space-size=${heapMB}`);
  });

  it('the evaluator refuses a template function it does not know instead of guessing', () => {
    const broken = withAppSettings(template, (s) => {
      s.DEPLOYED_AT = "[utcNow('u')]";
    });
    expect(() => evaluateTemplate(broken, BASE)).toThrow(
      /ARM function 'utcNow' is not known to the template evaluator/,
    );
  });
});

describe('the Bicep sources', () => {
  const files = fs
    .readdirSync(path.join(ROOT, 'infra'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.bicep'));

  it('use local modules only (the public registry is not reachable; the template compiles offline)', () => {
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      expect(remoteModuleReferences(fs.readFileSync(path.join(ROOT, 'infra', file), 'utf8'))).toEqual([]);
    }
  });

  it('the local-modules check finds a registry module and a template spec', () => {
    const source = [
      "module site 'br/public:avm/res/web/site:0.15.1' = {",
      "module other 'br:contoso.azurecr.io/bicep/app:1.0' = {",
      "module spec 'ts:sub/rg/spec:1.0' = {",
      "module local 'modules/identity.bicep' = {",
    ].join('\n');
    expect(remoteModuleReferences(source)).toEqual([
      'br/public:avm/res/web/site:0.15.1',
      'br:contoso.azurecr.io/bicep/app:1.0',
      'ts:sub/rg/spec:1.0',
    ]);
  });
});
