/**
 * What the offline demo model says: the customer-support sample played by keywords and canned
 * answers. Pure and deterministic; `demo-chat-model.ts` wraps it as a {@link ChatModel}.
 *
 * It is a demo aid that shows routing with zero setup, not a language model and not a test double:
 * tests of the model clients use the scripted server over HTTP.
 */
import type { TranscriptMessage } from '../core/messages';
import type { ModelRequest, ToolSpec } from '../core/model';

/** Prefix of the generated handoff tools (`handoff_to_<agent>`), as in the Agent Framework. */
export const HANDOFF_TOOL_PREFIX = 'handoff_to_';

/** The demo's decision for one request. */
export type DemoReply =
  | { kind: 'handoff'; tool: ToolSpec; target: string; reason: string }
  | { kind: 'tool'; tool: ToolSpec; arguments: Record<string, unknown> }
  | { kind: 'text'; text: string };

/**
 * Topics, in priority order ("a refund for my order" is a refund). A customer's message picks the
 * first topic it mentions; each handoff tool offered gets the first topic its target's name and
 * description mention, so the demo routes any workflow whose agents say what they do.
 */
const TOPICS: readonly RegExp[] = [
  /\b(refund\w*|money back|reimburse\w*|charged twice)\b/i,
  /\b(orders?|package|parcel|deliver\w*|shipping|shipment|shipped|received|tracking|arrived)\b/i,
  /\b(errors?|crash\w*|bugs?|log ?in|sign ?in|password|technical|not working)\b/i,
];

/** The index of the first topic `text` mentions, or -1. */
function topicOf(text: string): number {
  return TOPICS.findIndex((topic) => topic.test(text));
}

const ASK_FOR_DETAILS =
  'Thanks for reaching out! So that I can connect you with the right specialist: is this about a refund, ' +
  'an order or its delivery, or a technical problem?';

type CannedAnswer = (request: ModelRequest) => DemoReply;

const text = (value: string): DemoReply => ({ kind: 'text', text: value });

/**
 * Answers of the sample's specialists. With the sample's tools offered they use them: shipping looks
 * the order up, refund looks it up and then refunds what is left of it (which a human approves).
 * The shipping answer, and the refund one, end the sample run.
 */
const CANNED_ANSWERS: Readonly<Record<string, CannedAnswer>> = {
  refund_agent: (request) => {
    const order = orderNumber(request.messages);
    if (order === undefined)
      return text('I can help with a refund. What is your order number? It is in your confirmation email.');
    const lookupTool = offered(request, 'lookup_order');
    const refundTool = offered(request, 'issue_refund');
    const found = latestResult(request.messages, 'lookup_order');
    if (lookupTool && found === undefined)
      return { kind: 'tool', tool: lookupTool, arguments: { orderId: order } };
    const details = found === undefined ? undefined : orderOf(found);
    if (found !== undefined && details === undefined) return text(notFoundText(order));
    const refunded = latestResult(request.messages, 'issue_refund');
    if (refundTool && details && refunded === undefined) {
      const amount = Math.round((details.total - details.refunded) * 100) / 100;
      if (amount <= 0)
        return text(`Order #${order} has already been refunded in full. Your request is resolved.`);
      return {
        kind: 'tool',
        tool: refundTool,
        arguments: { orderId: order, amount, reason: 'The customer asked for a refund.' },
      };
    }
    if (refunded !== undefined) return text(refundOutcomeText(order, refunded));
    return text(
      `I've processed a full refund for order #${order}. The money will be back on your original payment ` +
        'method within 5 business days. Your request is resolved.',
    );
  },
  shipping_agent: (request) => {
    const order = orderNumber(request.messages);
    if (order === undefined)
      return text('I can track that for you. What is your order number? It is in your confirmation email.');
    const lookupTool = offered(request, 'lookup_order');
    const found = latestResult(request.messages, 'lookup_order');
    if (lookupTool && found === undefined)
      return { kind: 'tool', tool: lookupTool, arguments: { orderId: order } };
    if (found === undefined) {
      return text(
        `I've located the package for order #${order}. It is back in transit with the carrier and will be ` +
          'delivered within 2 business days. No action is needed on your part.',
      );
    }
    const details = orderOf(found);
    return text(details === undefined ? notFoundText(order) : shippingText(details));
  },
  technical_agent: (request) =>
    text(
      earlierAnswers(request) === 0
        ? "Let's sort this out step by step: 1) sign out and sign in again, 2) clear the app's cache, " +
            '3) update to the latest version. Does the problem persist? If so, tell me the exact error message.'
        : "Thanks for the details. I've reset your session on our side, so the problem should be fixed now: " +
            'sign in again and it will work.',
    ),
};

/** What the demo reads of an order `lookup_order` returned. */
interface OrderDetails {
  orderId: string;
  item: string;
  total: number;
  refunded: number;
  currency: string;
  status: string;
  carrier: string;
  eta?: string;
}

function offered(request: ModelRequest, name: string): ToolSpec | undefined {
  return request.tools.find((tool) => tool.name === name);
}

/** The text of the latest result of tool `name` in the messages, if any. */
function latestResult(messages: readonly TranscriptMessage[], name: string): string | undefined {
  for (const message of [...messages].reverse()) {
    if (message.role === 'tool' && message.toolName === name) return message.text;
  }
  return undefined;
}

function orderOf(result: string): OrderDetails | undefined {
  const parsed = asRecord(parseJson(result));
  if (parsed === undefined || typeof parsed['item'] !== 'string' || typeof parsed['total'] !== 'number') {
    return undefined;
  }
  return parsed as unknown as OrderDetails;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function notFoundText(order: string): string {
  return `I could not find an order #${order}. Could you check the number on your confirmation email?`;
}

function shippingText(order: OrderDetails): string {
  switch (order.status) {
    case 'in_transit':
      return (
        `I've located the package for order #${order.orderId} (${order.item}). It is in transit with ` +
        `${order.carrier} and will be delivered ${order.eta ?? 'soon'}. No action is needed on your part.`
      );
    case 'delivered':
      return (
        `Order #${order.orderId} (${order.item}) was delivered by ${order.carrier}. If it is not with you, ` +
        'check with your neighbours or building reception; if it is still missing tomorrow, ask us for a refund.'
      );
    default:
      return (
        `Order #${order.orderId} (${order.item}) is still being prepared; ${order.carrier} will pick it up ` +
        'shortly and it will be delivered within 5 business days.'
      );
  }
}

/** The refund agent's answer once `issue_refund` has answered (a refund, a rejection or a failure). */
function refundOutcomeText(order: string, result: string): string {
  const refund = asRecord(parseJson(result));
  if (refund !== undefined && refund['status'] === 'refunded') {
    return (
      `I've refunded ${String(refund['amount'])} ${String(refund['currency'])} for order #${order} ` +
      `(refund ${String(refund['refundId'])}). The money will be back on your original payment method within ` +
      '5 business days. Your request is resolved.'
    );
  }
  if (result.startsWith('Rejected:')) {
    const reason = /Reason: (.*)$/s.exec(result)?.[1]?.trim();
    return (
      `I could not issue the refund for order #${order}: it was not approved` +
      `${reason ? ` (${reason.replace(/\.$/, '')})` : ''}. A colleague will review your case and contact you.`
    );
  }
  return `The refund for order #${order} could not be issued: ${result} A colleague will contact you.`;
}

/**
 * The demo model's reply to a request.
 *
 * - A sample specialist (`refund_agent`, `shipping_agent`, `technical_agent`) gives its canned
 *   answer. It never hands off, as the sample's instructions ask, so routing cannot loop.
 * - Any other agent offered handoff tools hands off through the tool whose target (its name and the
 *   tool's description) is about what the latest user message asks (refund, then shipping, then
 *   technical keywords), and asks what the issue is about when none is.
 * - Any other agent answers politely.
 */
export function demoReply(request: ModelRequest): DemoReply {
  const canned = CANNED_ANSWERS[request.agentName];
  if (canned !== undefined) return canned(request);

  const handoffTools = request.tools.filter((tool) => tool.name.startsWith(HANDOFF_TOOL_PREFIX));
  if (handoffTools.length === 0) {
    return {
      kind: 'text',
      text: 'Thank you for your message. I have noted your request and will take care of it.',
    };
  }
  const userText = latestUserText(request.messages);
  const targetOf = (tool: ToolSpec) => tool.name.slice(HANDOFF_TOOL_PREFIX.length);
  for (const topic of TOPICS) {
    const keyword = topic.exec(userText)?.[0];
    if (keyword === undefined) continue;
    const tool = handoffTools.find(
      (candidate) =>
        TOPICS[topicOf(`${targetOf(candidate).replace(/[_-]+/g, ' ')} ${candidate.description}`)] === topic,
    );
    if (tool !== undefined) {
      return {
        kind: 'handoff',
        tool,
        target: targetOf(tool),
        reason: `The customer mentioned '${keyword}'.`,
      };
    }
  }
  return { kind: 'text', text: ASK_FOR_DETAILS };
}

/**
 * JSON arguments for a handoff tool call: the reason in a `reason` property if the tool has one,
 * and in every other required string property, so that the call validates against the tool's schema.
 */
export function handoffArguments(tool: ToolSpec, reason: string): string {
  const properties = asRecord(tool.parameters['properties']) ?? {};
  const required = Array.isArray(tool.parameters['required'])
    ? (tool.parameters['required'] as unknown[])
    : [];
  const args: Record<string, string> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const isString = asRecord(schema)?.['type'] === 'string';
    if (isString && (name === 'reason' || required.includes(name))) args[name] = reason;
  }
  return JSON.stringify(args);
}

/** The latest human message (synthetic continuation prompts carry no intent), else the latest user message. */
function latestUserText(messages: readonly TranscriptMessage[]): string {
  const users = messages.filter((message) => message.role === 'user');
  const human = users.filter((message) => message.synthetic !== true);
  return (human.at(-1) ?? users.at(-1))?.text ?? '';
}

/** The most recent order number a user mentioned (`#12345`, `order 12345`). */
function orderNumber(messages: readonly TranscriptMessage[]): string | undefined {
  for (const message of [...messages].reverse()) {
    if (message.role !== 'user') continue;
    const match =
      /#\s?(\d{3,})/.exec(message.text) ?? /\border\s+(?:number\s+)?(\d{3,})\b/i.exec(message.text);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function earlierAnswers(request: ModelRequest): number {
  return request.messages.filter(
    (message) =>
      message.role === 'assistant' && message.authorName === request.agentName && message.text !== '',
  ).length;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
