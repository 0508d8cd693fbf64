/**
 * Breaking the compiled template on purpose, for the tests that show each policy catches a
 * template that violates it: edits apply to the raw ARM JSON, in whichever nested template
 * (Bicep module) declares the resource.
 */

type Json = Record<string, unknown>;

function templatesIn(template: Json): Json[] {
  const nested = ((template.resources as Json[] | undefined) ?? [])
    .filter((r) => String(r.type).toLowerCase() === 'microsoft.resources/deployments')
    .map((r) => (r.properties as Json).template as Json);
  return [template, ...nested.flatMap(templatesIn)];
}

/** A deep copy of the template with `edit` applied to every resource of `type` (by raw declaration). */
export function withResources(
  template: Json,
  type: string,
  edit: (resource: Json, declaringTemplate: Json) => void,
): Json {
  const copy = structuredClone(template);
  let found = 0;
  for (const t of templatesIn(copy)) {
    for (const resource of (t.resources as Json[] | undefined) ?? []) {
      if (String(resource.type).toLowerCase() === type.toLowerCase()) {
        found += 1;
        edit(resource, t);
      }
    }
  }
  if (found === 0) throw new Error(`the template declares no ${type} to edit`);
  return copy;
}

/** A deep copy without the resources of `type` that `match` selects. */
export function withoutResources(
  template: Json,
  type: string,
  match: (resource: Json) => boolean = () => true,
): Json {
  const copy = structuredClone(template);
  let removed = 0;
  for (const t of templatesIn(copy)) {
    const resources = (t.resources as Json[] | undefined) ?? [];
    t.resources = resources.filter((r) => {
      const drop = String(r.type).toLowerCase() === type.toLowerCase() && match(r);
      if (drop) removed += 1;
      return !drop;
    });
  }
  if (removed === 0) throw new Error(`the template declares no matching ${type} to remove`);
  return copy;
}

/** A deep copy with the app settings (the function app module's `baseSettings` variable) edited. */
export function withAppSettings(template: Json, edit: (settings: Record<string, unknown>) => void): Json {
  const copy = structuredClone(template);
  const holders = templatesIn(copy).filter(
    (t) => (t.variables as Json | undefined)?.baseSettings !== undefined,
  );
  if (holders.length !== 1)
    throw new Error(`expected one template with baseSettings, found ${holders.length}`);
  edit((holders[0]!.variables as Json).baseSettings as Record<string, unknown>);
  return copy;
}
