/**
 * The tools of the customer_support sample, backed by the orders table in the app's storage.
 */
import { tool } from 'durable-handoff';
import { z } from 'zod';
import { issueRefund as refundOrder, lookupOrder as findOrder } from '../orders/orders-table';

const orderId = z
  .string()
  .regex(/^\d{3,10}$/, 'an order number is 3 to 10 digits, without "#"')
  .describe('The order number, digits only, e.g. 12345.');

/** Reads an order: item, total, status, carrier, expected delivery, amount refunded. No approval. */
export const lookupOrder = tool({
  name: 'lookup_order',
  description:
    'Look up an order by its number: the item, total, currency, status (processing, in_transit, delivered), ' +
    'carrier, expected delivery and the amount refunded so far.',
  parameters: z.object({ orderId }),
  execute: async ({ orderId }, { idempotencyKey, agentName }) =>
    (await findOrder(orderId, { tool: 'lookup_order', idempotencyKey, agentName })) ?? {
      found: false,
      orderId,
      message: `There is no order #${orderId}. Ask the customer to check the number.`,
    },
});

/** Refunds an amount of an order. A human approves every call before it runs. */
export const issueRefund = tool({
  name: 'issue_refund',
  description:
    "Refund an amount of an order to the customer's original payment method. A human approves every refund " +
    'before it is issued; if they reject it, you are told why.',
  parameters: z.object({
    orderId,
    amount: z.number().positive().describe('The amount to refund, in the order currency.'),
    reason: z.string().max(500).optional().describe('Why the customer gets the refund.'),
  }),
  needsApproval: true,
  execute: (args, { idempotencyKey, agentName }) =>
    refundOrder(args, { tool: 'issue_refund', idempotencyKey, agentName }),
});
