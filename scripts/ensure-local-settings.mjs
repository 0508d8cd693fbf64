// Runs before `npm start`: a fresh clone has no sample/local.settings.json (it holds secrets, so it
// is not committed); create it from the committed sample so the app starts with zero setup, as
// `func start` users would by copying the sample.
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'sample');
const settings = path.join(app, 'local.settings.json');
const template = path.join(app, 'local.settings.sample.json');
if (!existsSync(settings) && existsSync(template)) {
  copyFileSync(template, settings);
  console.log(
    'Created sample/local.settings.json from sample/local.settings.sample.json (edit it to configure a model).',
  );
}
