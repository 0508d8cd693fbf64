/**
 * Evaluates a compiled ARM template (what `bicep build` writes) the way Resource Manager would for
 * given parameters, down through nested deployments (Bicep modules), and lists every resource it
 * would deploy with its properties evaluated. Values only Azure knows (an identity's client id, an
 * endpoint) stay symbolic as {@link RuntimeRef}s naming their resource, so policies can follow a
 * setting to the resource it points at. Copy loops and symbolic-name templates are refused.
 */
import { callArmFunction, type CallContext } from './arm-functions';
import { isExpression, parseArmExpression, unescapeLiteral, type ArmNode } from './arm-expression';
import { ListCall, RuntimeRef, textOf } from './runtime-value';

/** A resource the template deploys, its body evaluated. */
export interface DeployedResource {
  id: string;
  type: string;
  name: string;
  /** The deployment (Bicep module) that declares it. */
  deployment: string;
  /** The evaluated resource body: properties, sku, kind, identity, location, tags, scope... */
  body: Record<string, unknown>;
}

/** Where a deployment runs. */
interface Target {
  subscriptionId: string;
  resourceGroup: { name: string; location: string } | undefined;
}

/** Subscription, tenant and region the evaluation pretends to deploy into. */
export interface EvaluationEnvironment {
  subscriptionId: string;
  tenantId: string;
  /** Location of resource groups the template does not create. */
  defaultLocation: string;
}

type Json = Record<string, unknown>;

interface PendingDeployment {
  id: string;
  name: string;
  definition: Json;
  outer: Scope;
  target: Target;
  outputs?: Record<string, unknown>;
  evaluating?: boolean;
}

class Scope implements CallContext {
  readonly #variables = new Map<string, unknown>();
  readonly #resolving = new Set<string>();

  constructor(
    readonly engine: Evaluation,
    readonly template: Json,
    readonly parameters: Record<string, unknown>,
    readonly target: Target,
    readonly deploymentName: string,
  ) {}

  get subscriptionId(): string {
    return this.target.subscriptionId;
  }
  get tenantId(): string {
    return this.engine.environment.tenantId;
  }
  get resourceGroup(): Target['resourceGroup'] {
    return this.target.resourceGroup;
  }

  evaluate(node: ArmNode): unknown {
    switch (node.kind) {
      case 'string':
      case 'number':
        return node.value;
      case 'call':
        return callArmFunction(node.name, node.args, this);
      case 'property':
        return property(this.evaluate(node.target), node.name);
      case 'index': {
        const target = this.evaluate(node.target);
        const index = this.evaluate(node.index);
        if (target instanceof ListCall) return target;
        return typeof index === 'number' && Array.isArray(target)
          ? target[index]
          : property(target, textOf(index));
      }
    }
  }

  value(raw: unknown): unknown {
    if (typeof raw === 'string')
      return isExpression(raw) ? this.evaluate(parseArmExpression(raw)) : unescapeLiteral(raw);
    if (Array.isArray(raw)) return raw.map((item) => this.value(item));
    if (raw !== null && typeof raw === 'object') {
      // Property names may be expressions too (`'${identityId}': {}` in Bicep).
      return Object.fromEntries(
        Object.entries(raw).map(([key, item]) => [textOf(this.value(key)), this.value(item)]),
      );
    }
    return raw;
  }

  parameter(name: string): unknown {
    if (!(name in this.parameters))
      throw new Error(`parameters('${name}') is not declared in ${this.deploymentName}`);
    return this.parameters[name];
  }

  variable(name: string): unknown {
    if (this.#variables.has(name)) return this.#variables.get(name);
    const declared = (this.template.variables as Json | undefined) ?? {};
    if (!(name in declared))
      throw new Error(`variables('${name}') is not declared in ${this.deploymentName}`);
    if (this.#resolving.has(name)) throw new Error(`variables('${name}') refers to itself`);
    this.#resolving.add(name);
    const value = this.value(declared[name]);
    this.#resolving.delete(name);
    this.#variables.set(name, value);
    return value;
  }

  reference(resourceId: string): unknown {
    return this.engine.reference(resourceId);
  }

  /** The full id of a resource id relative to this scope (`Microsoft.X/y/name`). */
  absoluteId(id: string): string {
    if (id.startsWith('/')) return id;
    const [namespace, ...rest] = id.split('/');
    const prefix = this.resourceGroup
      ? `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup.name}`
      : `/subscriptions/${this.subscriptionId}`;
    return `${prefix}/providers/${namespace}/${rest.join('/')}`;
  }
}

function property(target: unknown, name: string): unknown {
  if (target instanceof RuntimeRef) return target.get(name);
  // listKeys(...).keys[0].value is still a key read at deployment: keep the marker.
  if (target instanceof ListCall) return target;
  if (target !== null && typeof target === 'object' && name in target) return (target as Json)[name];
  throw new Error(`property '${name}' of ${textOf(target)} does not exist`);
}

function resourceIdOf(scope: Scope, type: string, name: string, extensionScope: string | undefined): string {
  const [namespace, ...types] = type.split('/');
  const names = name.split('/');
  const path = `providers/${namespace}/${types.map((part, i) => `${part}/${names[i]}`).join('/')}`;
  if (extensionScope !== undefined) return `${scope.absoluteId(extensionScope)}/${path}`;
  if (type.toLowerCase() === 'microsoft.resources/resourcegroups') {
    return `/subscriptions/${scope.subscriptionId}/resourceGroups/${name}`;
  }
  const group = scope.resourceGroup;
  return `/subscriptions/${scope.subscriptionId}${group ? `/resourceGroups/${group.name}` : ''}/${path}`;
}

/** One evaluation of a template and the deployments it nests. */
class Evaluation {
  readonly resources: DeployedResource[] = [];
  readonly #deployed = new Map<string, DeployedResource>();
  readonly #notDeployed = new Set<string>();
  readonly #deployments = new Map<string, PendingDeployment>();

  constructor(readonly environment: EvaluationEnvironment) {}

  reference(resourceId: string): unknown {
    const key = resourceId.toLowerCase();
    const deployment = this.#deployments.get(key);
    if (deployment) return { outputs: this.#outputsOf(deployment) };
    if (this.#notDeployed.has(key))
      throw new Error(`reference() to ${resourceId}, which this deployment does not create`);
    return new RuntimeRef(this.#deployed.get(key)?.id ?? resourceId);
  }

  run(
    template: Json,
    parameters: Record<string, unknown>,
    target: Target,
    name: string,
  ): Record<string, unknown> {
    const scope = this.#scopeFor(template, parameters, target, name);
    const pending = this.#declare(scope);
    for (const nested of pending) this.#outputsOf(nested);
    return this.#outputs(scope);
  }

  #scopeFor(template: Json, given: Record<string, unknown>, target: Target, name: string): Scope {
    if (template.languageVersion !== undefined) {
      throw new Error(
        `languageVersion ${JSON.stringify(template.languageVersion)} (symbolic names) is not supported by the evaluator`,
      );
    }
    const parameters: Record<string, unknown> = {};
    const scope = new Scope(this, template, parameters, target, name);
    for (const [param, declaration] of Object.entries(
      (template.parameters as Record<string, Json> | undefined) ?? {},
    )) {
      if (param in given) parameters[param] = given[param];
      else if ('defaultValue' in declaration) parameters[param] = scope.value(declaration.defaultValue);
      else throw new Error(`${name}: parameter '${param}' has no value and no default`);
    }
    for (const param of Object.keys(given)) {
      if (!(param in parameters)) throw new Error(`${name}: '${param}' is not a parameter of the template`);
    }
    return scope;
  }

  /** Registers the template's resources (ids first, so references resolve in any order), then evaluates them. */
  #declare(scope: Scope): PendingDeployment[] {
    const declared: { raw: Json; id: string; type: string; name: string }[] = [];
    const pending: PendingDeployment[] = [];
    for (const raw of (scope.template.resources as Json[] | undefined) ?? []) {
      if (raw.copy !== undefined)
        throw new Error(`${scope.deploymentName}: copy loops are not supported by the evaluator`);
      const type = String(raw.type);
      const name = textOf(scope.value(raw.name));
      const deploys = raw.condition === undefined || Boolean(scope.value(raw.condition));
      if (type.toLowerCase() === 'microsoft.resources/deployments') {
        const target: Target = this.#targetOf(scope, raw);
        const id = `${target.resourceGroup ? `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup.name}` : `/subscriptions/${target.subscriptionId}`}/providers/Microsoft.Resources/deployments/${name}`;
        if (!deploys) {
          this.#notDeployed.add(id.toLowerCase());
          continue;
        }
        const deployment: PendingDeployment = { id, name, definition: raw, outer: scope, target };
        this.#deployments.set(id.toLowerCase(), deployment);
        pending.push(deployment);
        continue;
      }
      const extensionScope = raw.scope === undefined ? undefined : textOf(scope.value(raw.scope));
      const id = resourceIdOf(scope, type, name, extensionScope);
      if (!deploys) {
        this.#notDeployed.add(id.toLowerCase());
        continue;
      }
      declared.push({ raw, id, type, name });
      this.#deployed.set(id.toLowerCase(), { id, type, name, deployment: scope.deploymentName, body: {} });
    }
    for (const { raw, id } of declared) {
      const resource = this.#deployed.get(id.toLowerCase())!;
      const { condition: _c, dependsOn: _d, name: _n, type: _t, ...body } = raw;
      resource.body = scope.value(body) as Json;
      this.resources.push(resource);
    }
    return pending;
  }

  #targetOf(scope: Scope, raw: Json): Target {
    const subscriptionId =
      raw.subscriptionId === undefined ? scope.subscriptionId : textOf(scope.value(raw.subscriptionId));
    if (raw.resourceGroup === undefined) return { subscriptionId, resourceGroup: scope.resourceGroup };
    const group = textOf(scope.value(raw.resourceGroup));
    const created = this.resources.find(
      (r) => r.type.toLowerCase() === 'microsoft.resources/resourcegroups' && r.name === group,
    );
    const location = created ? textOf(created.body.location) : this.environment.defaultLocation;
    return { subscriptionId, resourceGroup: { name: group, location } };
  }

  #outputsOf(deployment: PendingDeployment): Record<string, unknown> {
    if (deployment.outputs) return deployment.outputs;
    if (deployment.evaluating) throw new Error(`deployment ${deployment.name} depends on its own outputs`);
    deployment.evaluating = true;
    const properties = deployment.definition.properties as Json;
    const options = properties.expressionEvaluationOptions as Json | undefined;
    if (options?.scope !== 'inner')
      throw new Error(`${deployment.name}: only inner-scoped nested templates are supported`);
    const raw = properties.parameters;
    const entries = (typeof raw === 'string' ? deployment.outer.value(raw) : (raw ?? {})) as Json;
    const given: Record<string, unknown> = {};
    for (const [param, entry] of Object.entries(entries)) {
      const resolved = deployment.outer.value(entry) as Json;
      given[param] = resolved.value;
    }
    const inner = this.#scopeFor(properties.template as Json, given, deployment.target, deployment.name);
    const pending = this.#declare(inner);
    for (const nested of pending) this.#outputsOf(nested);
    deployment.outputs = Object.fromEntries(
      Object.entries(this.#outputs(inner)).map(([output, value]) => [output, { value }]),
    );
    deployment.evaluating = false;
    return deployment.outputs;
  }

  #outputs(scope: Scope): Record<string, unknown> {
    const declared = (scope.template.outputs as Record<string, Json> | undefined) ?? {};
    return Object.fromEntries(
      Object.entries(declared).map(([name, output]) => [name, scope.value(output.value)]),
    );
  }
}

/** What a template deploys for given parameters, and its outputs. */
export interface TemplateEvaluation {
  resources: DeployedResource[];
  outputs: Record<string, unknown>;
}

/**
 * Evaluates a subscription- or resource-group-scoped template.
 *
 * @example
 * const { resources } = evaluateTemplate(json, { environmentName: 'dev', location: 'swedencentral' });
 */
export function evaluateTemplate(
  template: Json,
  parameters: Record<string, unknown>,
  environment: EvaluationEnvironment = {
    subscriptionId: '11111111-2222-3333-4444-555555555555',
    tenantId: '99999999-8888-7777-6666-555555555555',
    defaultLocation: 'swedencentral',
  },
): TemplateEvaluation {
  const evaluation = new Evaluation(environment);
  const subscriptionScope = String(template.$schema).includes('subscriptionDeploymentTemplate');
  const target: Target = {
    subscriptionId: environment.subscriptionId,
    resourceGroup: subscriptionScope
      ? undefined
      : { name: 'rg-under-test', location: environment.defaultLocation },
  };
  const outputs = evaluation.run(template, parameters, target, 'main');
  return { resources: evaluation.resources, outputs };
}
