/**
 * The sample's orders: a small table in the app's storage account (`SampleOrders`), seeded with a
 * few orders on first use. Refunds are idempotent by the tool call's idempotency key, and every
 * request the tools make is logged on the order (who asked, with which key, when), as a shop's
 * back office would keep it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { openAppTable } from 'durable-handoff';

/** The table's name in the app's storage account. */
export const ORDERS_TABLE = 'SampleOrders';

/** An order as the tools return it (a type, not an interface: tools return JSON values). */
export type Order = {
  orderId: string;
  item: string;
  total: number;
  currency: string;
  status: 'processing' | 'in_transit' | 'delivered';
  carrier: string;
  /** When it arrives, for orders on their way. */
  eta?: string;
  /** How much of the total has been refunded. */
  refunded: number;
};

/** A refund as `issue_refund` returns it (the same for every request with one idempotency key). */
export type Refund = {
  refundId: string;
  orderId: string;
  amount: number;
  currency: string;
  /** Everything refunded on the order so far, this refund included. */
  refundedTotal: number;
  status: 'refunded';
};

const SEED: readonly Order[] = [
  {
    orderId: '12345',
    item: 'Blue kettle',
    total: 49.9,
    currency: 'USD',
    status: 'in_transit',
    carrier: 'Contoso Post',
    eta: 'within 2 business days',
    refunded: 0,
  },
  {
    orderId: '12346',
    item: 'Noise-cancelling headphones',
    total: 199,
    currency: 'USD',
    status: 'delivered',
    carrier: 'Fabrikam Freight',
    refunded: 0,
  },
  {
    orderId: '12347',
    item: 'Wi-Fi router',
    total: 129,
    currency: 'USD',
    status: 'processing',
    carrier: 'Contoso Post',
    refunded: 0,
  },
  {
    orderId: '23456',
    item: 'Espresso machine',
    total: 1500,
    currency: 'USD',
    status: 'delivered',
    carrier: 'Fabrikam Freight',
    refunded: 0,
  },
];

type OrdersTable = Awaited<ReturnType<typeof openAppTable>>;

const ORDER_ROW = 'order';

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}

/** Row key of the refund one idempotency key issued (keys may hold characters row keys may not). */
function refundRow(idempotencyKey: string): string {
  return `refund-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

function toOrder(entity: Record<string, unknown>): Order {
  return {
    orderId: String(entity.partitionKey),
    item: String(entity.item),
    total: Number(entity.total),
    currency: String(entity.currency),
    status: entity.status as Order['status'],
    carrier: String(entity.carrier),
    ...(typeof entity.eta === 'string' ? { eta: entity.eta } : {}),
    refunded: Number(entity.refunded),
  };
}

let opened: Promise<OrdersTable> | undefined;

/** The table, created and seeded on first use (a seed order that exists is left as it is). */
function ordersTable(): Promise<OrdersTable> {
  opened ??= (async () => {
    const table = await openAppTable(ORDERS_TABLE);
    for (const { orderId, ...order } of SEED) {
      try {
        await table.createEntity({ partitionKey: orderId, rowKey: ORDER_ROW, ...order });
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
    }
    return table;
  })().catch((error: unknown) => {
    opened = undefined;
    throw error;
  });
  return opened;
}

/** Who asks: the tool, its call's idempotency key and the agent. */
export interface OrderRequest {
  tool: string;
  idempotencyKey: string;
  agentName: string;
}

/** Logs one request on the order (a row per request: a repeated request shows as a second row). */
async function logRequest(table: OrdersTable, orderId: string, request: OrderRequest): Promise<void> {
  await table.createEntity({
    partitionKey: orderId,
    rowKey: `log-${new Date().toISOString()}-${randomUUID()}`,
    ...request,
  });
}

/** The order, or undefined when there is none with that number. */
export async function lookupOrder(orderId: string, request: OrderRequest): Promise<Order | undefined> {
  const table = await ordersTable();
  await logRequest(table, orderId, request);
  try {
    return toOrder(await table.getEntity<Record<string, unknown>>(orderId, ORDER_ROW));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Why a refund cannot be issued; the model reads the message. */
export class RefundRefusedError extends Error {
  override readonly name = 'RefundRefusedError';
}

/**
 * Refunds `amount` of order `orderId`, once per idempotency key: a request with a key that already
 * issued a refund gets that refund back and changes nothing. The refund row and the order's new
 * refunded total are written in one transaction (the order row guarded by its ETag), so concurrent
 * refunds of one order can never refund more than its total.
 */
export async function issueRefund(
  args: { orderId: string; amount: number; reason?: string | undefined },
  request: OrderRequest,
): Promise<Refund> {
  const table = await ordersTable();
  await logRequest(table, args.orderId, request);
  const rowKey = refundRow(request.idempotencyKey);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const issued = await table.getEntity<Record<string, unknown>>(args.orderId, rowKey);
      return JSON.parse(String(issued.refund)) as Refund;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    let order: Awaited<ReturnType<typeof table.getEntity<Record<string, unknown>>>>;
    try {
      order = await table.getEntity<Record<string, unknown>>(args.orderId, ORDER_ROW);
    } catch (error) {
      if (statusOf(error) === 404) throw new RefundRefusedError(`There is no order #${args.orderId}.`);
      throw error;
    }
    const current = toOrder(order);
    const refundable = Math.round((current.total - current.refunded) * 100) / 100;
    if (args.amount > refundable) {
      throw new RefundRefusedError(
        `Order #${args.orderId} has ${refundable} ${current.currency} left to refund; ${args.amount} is too much.`,
      );
    }
    const refundedTotal = Math.round((current.refunded + args.amount) * 100) / 100;
    const refund: Refund = {
      refundId: `R-${rowKey.slice(7, 15).toUpperCase()}`,
      orderId: args.orderId,
      amount: args.amount,
      currency: current.currency,
      refundedTotal,
      status: 'refunded',
    };
    try {
      await table.submitTransaction([
        [
          'create',
          {
            partitionKey: args.orderId,
            rowKey,
            idempotencyKey: request.idempotencyKey,
            reason: args.reason ?? '',
            refund: JSON.stringify(refund),
          },
        ],
        [
          'update',
          { partitionKey: args.orderId, rowKey: ORDER_ROW, refunded: refundedTotal },
          'Merge',
          { etag: order.etag },
        ],
      ]);
      return refund;
    } catch (error) {
      // Another request refunded the order (or issued this very refund) in between: look again.
      const status = statusOf(error);
      if ((status !== 409 && status !== 412) || attempt >= 5) throw error;
    }
  }
}
