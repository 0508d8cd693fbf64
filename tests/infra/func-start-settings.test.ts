import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const hostJson = JSON.parse(read('host.json')) as { extensionBundle: { id: string; version: string } };
const sample = (JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> }).Values;

/** `%NAME%` app-setting references in host.json. */
const hostJsonReferences = [...read('host.json').matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1]!);

/** Whether a NuGet-style range such as `[4.*, 5.0.0)` admits `version`. */
function rangeAdmits(range: string, version: string): boolean {
  const match = /^\[(\d+)\.\*,\s*(\d+)\.(\d+)\.(\d+)\)$/.exec(range);
  if (!match) throw new Error(`unexpected bundle range ${range}`);
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const upper = [Number(match[2]), Number(match[3]), Number(match[4])] as const;
  const below =
    major < upper[0] ||
    (major === upper[0] && (minor < upper[1] || (minor === upper[1] && patch < upper[2])));
  return major >= Number(match[1]) && below;
}

describe('the func start path (Core Tools + Azurite) and host.json', () => {
  it('local.settings.sample.json provides every app setting host.json reads', () => {
    expect(hostJsonReferences.length).toBeGreaterThan(0);
    for (const name of hostJsonReferences) expect(sample[name]).toMatch(/\S/);
  });

  it('local.settings.sample.json runs the node worker on Azurite', () => {
    expect(sample.FUNCTIONS_WORKER_RUNTIME).toBe('node');
    expect(sample.AzureWebJobsStorage).toBe('UseDevelopmentStorage=true');
  });

  it("host.json's extension bundle admits the versions that carry the Durable Task Scheduler provider (4.30.0 on)", () => {
    expect(hostJson.extensionBundle.id).toBe('Microsoft.Azure.Functions.ExtensionBundle');
    expect(rangeAdmits(hostJson.extensionBundle.version, '4.30.0')).toBe(true);
    expect(rangeAdmits(hostJson.extensionBundle.version, '4.38.0')).toBe(true);
    expect(rangeAdmits(hostJson.extensionBundle.version, '5.0.0')).toBe(false);
    expect(rangeAdmits('[4.*, 4.30.0)', '4.30.0')).toBe(false);
  });

  it('the README names the bundle range host.json has', () => {
    const deploySection = read('README.md').split('## Deploy to Azure')[1]!.split('\n## ')[0]!;
    expect(deploySection).toContain(`\`${hostJson.extensionBundle.version}\``);
    expect(deploySection).toContain('azd auth login && azd up');
  });
});
