/**
 * The ARM template functions the evaluator knows: those Bicep emits for infra/. An unknown function
 * fails loudly, so a template change the evaluator cannot read is never checked by accident.
 */
import { createHash } from 'node:crypto';
import { ListCall, RuntimeRef, textOf } from './runtime-value';
import type { ArmNode } from './arm-expression';

/** What a function sees: the evaluator's scope and its own arguments (unevaluated, for `if`). */
export interface CallContext {
  evaluate(node: ArmNode): unknown;
  parameter(name: string): unknown;
  variable(name: string): unknown;
  reference(resourceId: string): unknown;
  subscriptionId: string;
  tenantId: string;
  resourceGroup: { name: string; location: string } | undefined;
  deploymentName: string;
}

type ArmFunction = (args: readonly ArmNode[], context: CallContext) => unknown;

function hash(parts: readonly unknown[]): Buffer {
  return createHash('sha256').update(parts.map(textOf).join('\u0000')).digest();
}

function resourcePath(type: string, names: readonly string[]): string {
  const [namespace, ...types] = type.split('/');
  if (types.length !== names.length) {
    throw new Error(`resource type ${type} needs ${types.length} name(s), got ${names.length}`);
  }
  return `providers/${namespace}/${types.map((part, i) => `${part}/${names[i]}`).join('/')}`;
}

function resourceGroupId(subscriptionId: string, group: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${group}`;
}

function strict<T>(value: unknown, check: (v: unknown) => v is T, what: string): T {
  if (!check(value)) throw new Error(`expected ${what}, got ${textOf(value)}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';

function equalValues(a: unknown, b: unknown): boolean {
  if (a instanceof RuntimeRef || b instanceof RuntimeRef) {
    throw new Error(`equals() on a value known only at deployment time: ${textOf(a)} vs ${textOf(b)}`);
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

function isEmpty(value: unknown): boolean {
  if (value instanceof RuntimeRef) return false; // Azure fills it in; assumed present.
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const all = (args: readonly ArmNode[], context: CallContext): unknown[] =>
  args.map((a) => context.evaluate(a));

const functions: Record<string, ArmFunction> = {
  parameters: (args, c) => c.parameter(strict(c.evaluate(args[0]!), isString, 'a parameter name')),
  variables: (args, c) => c.variable(strict(c.evaluate(args[0]!), isString, 'a variable name')),
  reference: (args, c) => c.reference(textOf(c.evaluate(args[0]!))),
  format: (args, c) => {
    const [template, ...values] = all(args, c);
    return strict(template, isString, 'a format string').replace(/\{(\d+)\}/g, (_, i: string) =>
      textOf(values[Number(i)]),
    );
  },
  concat: (args, c) => {
    const values = all(args, c);
    return values.every(Array.isArray) ? values.flat() : values.map(textOf).join('');
  },
  resourceid: (args, c) => {
    const values = all(args, c).map(textOf);
    const typeAt = values.findIndex((v) => v.includes('/'));
    const [subscriptionId, group] =
      typeAt === 2
        ? values
        : typeAt === 1
          ? [c.subscriptionId, values[0]]
          : [c.subscriptionId, c.resourceGroup?.name];
    if (group === undefined) throw new Error('resourceId() outside a resource group');
    return `${resourceGroupId(subscriptionId, group)}/${resourcePath(values[typeAt]!, values.slice(typeAt + 1))}`;
  },
  subscriptionresourceid: (args, c) => {
    const values = all(args, c).map(textOf);
    const typeAt = values.findIndex((v) => v.includes('/'));
    const subscriptionId = typeAt === 1 ? values[0]! : c.subscriptionId;
    return `/subscriptions/${subscriptionId}/${resourcePath(values[typeAt]!, values.slice(typeAt + 1))}`;
  },
  extensionresourceid: (args, c) => {
    const [scope, type, ...names] = all(args, c).map(textOf);
    return `${scope}/${resourcePath(type!, names)}`;
  },
  subscription: (_, c) => ({
    id: `/subscriptions/${c.subscriptionId}`,
    subscriptionId: c.subscriptionId,
    tenantId: c.tenantId,
  }),
  resourcegroup: (_, c) => {
    if (!c.resourceGroup) throw new Error('resourceGroup() outside a resource group');
    return {
      id: resourceGroupId(c.subscriptionId, c.resourceGroup.name),
      name: c.resourceGroup.name,
      location: c.resourceGroup.location,
    };
  },
  tenant: (_, c) => ({ tenantId: c.tenantId }),
  deployment: (_, c) => ({ name: c.deploymentName }),
  deployer: (_, c) => ({ objectId: '00000000-0000-0000-0000-00000000d3p1', tenantId: c.tenantId }),
  uniquestring: (args, c) =>
    [...hash(all(args, c)).subarray(0, 13)]
      .map((byte) => 'abcdefghijklmnopqrstuvwxyz234567'[byte % 32])
      .join(''),
  guid: (args, c) => {
    const hex = hash(all(args, c)).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  },
  tolower: (args, c) => textOf(c.evaluate(args[0]!)).toLowerCase(),
  toupper: (args, c) => textOf(c.evaluate(args[0]!)).toUpperCase(),
  take: (args, c) => {
    const [value, count] = all(args, c);
    const n = strict(count, isNumber, 'a count');
    return Array.isArray(value) ? value.slice(0, n) : textOf(value).slice(0, n);
  },
  split: (args, c) => {
    const [value, separator] = all(args, c).map(textOf);
    return value!.split(separator!);
  },
  last: (args, c) => {
    const value = c.evaluate(args[0]!);
    return Array.isArray(value) ? value[value.length - 1] : textOf(value).slice(-1);
  },
  first: (args, c) => {
    const value = c.evaluate(args[0]!);
    return Array.isArray(value) ? value[0] : textOf(value).slice(0, 1);
  },
  length: (args, c) => {
    const value = c.evaluate(args[0]!);
    return Array.isArray(value) ? value.length : textOf(value).length;
  },
  empty: (args, c) => isEmpty(c.evaluate(args[0]!)),
  equals: (args, c) => equalValues(c.evaluate(args[0]!), c.evaluate(args[1]!)),
  not: (args, c) => !c.evaluate(args[0]!),
  and: (args, c) => args.every((arg) => Boolean(c.evaluate(arg))),
  or: (args, c) => args.some((arg) => Boolean(c.evaluate(arg))),
  // Lazy, as in Resource Manager: the branch not taken may reference a resource that is not deployed.
  if: (args, c) => (c.evaluate(args[0]!) ? c.evaluate(args[1]!) : c.evaluate(args[2]!)),
  coalesce: (args, c) => {
    for (const arg of args) {
      const value = c.evaluate(arg);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  },
  union: (args, c) => {
    const values = all(args, c);
    if (values.every(Array.isArray)) return [...new Set(values.flat())];
    return Object.assign(
      {},
      ...values.map((v) => strict(v, (x): x is object => typeof x === 'object' && x !== null, 'an object')),
    );
  },
  createobject: (args, c) => {
    const values = all(args, c);
    const result: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i += 2) result[textOf(values[i])] = values[i + 1];
    return result;
  },
  createarray: (args, c) => all(args, c),
  contains: (args, c) => {
    const [container, item] = all(args, c);
    if (Array.isArray(container)) return container.some((v) => equalValues(v, item));
    if (typeof container === 'string') return container.includes(textOf(item));
    return typeof container === 'object' && container !== null && textOf(item) in container;
  },
  string: (args, c) => textOf(c.evaluate(args[0]!)),
  int: (args, c) => Number(c.evaluate(args[0]!)),
  bool: (args, c) => {
    const value = c.evaluate(args[0]!);
    return typeof value === 'string' ? value.toLowerCase() === 'true' : Boolean(value);
  },
  json: (args, c) => JSON.parse(textOf(c.evaluate(args[0]!))) as unknown,
  null: () => null,
  true: () => true,
  false: () => false,
  trygetproperty: (args, c) => {
    const [object, name] = all(args, c);
    return typeof object === 'object' && object !== null
      ? ((object as Record<string, unknown>)[textOf(name)] ?? null)
      : null;
  },
};

/** Calls an ARM function by name (case-insensitive, as in templates). */
export function callArmFunction(name: string, args: readonly ArmNode[], context: CallContext): unknown {
  const lower = name.toLowerCase();
  if (lower.startsWith('list')) return new ListCall(name, all(args, context));
  const fn = functions[lower];
  if (!fn)
    throw new Error(
      `ARM function '${name}' is not known to the template evaluator; teach it before relying on the template.`,
    );
  return fn(args, context);
}
