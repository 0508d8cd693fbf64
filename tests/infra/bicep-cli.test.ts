import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  canRunOffline,
  compiledTemplate,
  describeWithBicep,
  MAIN_BICEP,
  ROOT,
  runBicep,
} from './support/bicep';

type Json = Record<string, unknown>;

describeWithBicep('bicep build and bicep lint of infra/main.bicep', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bicep-test-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('builds with no diagnostics (a warning fails)', () => {
    expect(runBicep(['build', MAIN_BICEP, '--outdir', out])).toEqual({ status: 0, output: '' });
  });

  it('lints with no diagnostics under infra/bicepconfig.json', () => {
    expect(runBicep(['lint', MAIN_BICEP])).toEqual({ status: 0, output: '' });
  });

  it('the lint check reports a template that breaks a rule', () => {
    const bad = path.join(out, 'bad.bicep');
    fs.copyFileSync(path.join(ROOT, 'infra', 'bicepconfig.json'), path.join(out, 'bicepconfig.json'));
    fs.writeFileSync(bad, "param unusedKey string\noutput region string = 'westus'\n");
    const result = runBicep(['lint', bad]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/no-unused-params/);
  });

  // The CLI bundles the resource types (az provider): nothing is downloaded at build time.
  (canRunOffline() ? it : it.skip)('builds with no network at all (unshare --net)', () => {
    const offline = path.join(out, 'offline');
    fs.mkdirSync(offline);
    expect(runBicep(['build', MAIN_BICEP, '--outdir', offline], { offline: true })).toEqual({
      status: 0,
      output: '',
    });
    expect(JSON.parse(fs.readFileSync(path.join(offline, 'main.json'), 'utf8'))).toEqual(compiledTemplate());
  });

  it('main.parameters.json maps only parameters the template declares, and every required one', () => {
    const template = compiledTemplate();
    const declared = template.parameters as Record<string, Json>;
    const mapped = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as Json
    ).parameters as Json;
    expect(Object.keys(mapped).filter((name) => !(name in declared))).toEqual([]);
    const generatedByAzd = (p: Json): boolean =>
      ((p.metadata as Json | undefined)?.azd as Json | undefined)?.type === 'generate';
    const unprovided = Object.entries(declared)
      .filter(([name, p]) => !('defaultValue' in p) && !(name in mapped) && !generatedByAzd(p))
      .map(([name]) => name);
    expect(unprovided).toEqual([]);
  });

  it('azd generates the run-token secret once (a secure parameter with generate metadata, not in the parameter file)', () => {
    const secret = (compiledTemplate().parameters as Record<string, Json>).runTokenSecret!;
    expect(secret.type).toBe('securestring');
    expect(secret.metadata).toMatchObject({ azd: { type: 'generate', config: { length: 48 } } });
    const mapped = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as Json
    ).parameters as Json;
    expect(mapped).not.toHaveProperty('runTokenSecret');
  });
});
