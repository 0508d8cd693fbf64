// Runs before `npm start`: a fresh clone has no local.settings.json (it holds secrets, so it is not
// committed); create it from the committed sample so the app starts with zero setup, as `func start`
// users would by copying the sample.
import { copyFileSync, existsSync } from 'node:fs';

if (!existsSync('local.settings.json') && existsSync('local.settings.sample.json')) {
  copyFileSync('local.settings.sample.json', 'local.settings.json');
  console.log('Created local.settings.json from local.settings.sample.json (edit it to configure a model).');
}
