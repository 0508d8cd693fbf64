/**
 * A test OTLP/HTTP receiver: what an OpenTelemetry collector does with `POST /v1/traces` and
 * `POST /v1/metrics`, in both encodings the exporters send (`application/x-protobuf` and
 * `application/json`), decoded into plain spans and metric points the tests read. The protobuf
 * decoding is the wire format by hand (field numbers of opentelemetry-proto), so the test checks
 * what actually went over the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** A span as received. Ids are lowercase hex; `parentSpanId` is `''` for a root. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string }[];
  statusCode: number;
  resource: Record<string, unknown>;
}

/** One data point of a metric as received: sums and gauges have `value`, histograms `count`/`sum`. */
export interface ReceivedPoint {
  metric: string;
  unit: string;
  attributes: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  /** The content types of the requests received, e.g. `application/x-protobuf`. */
  contentTypes: Set<string>;
  close(): Promise<void>;
}

// ---- protobuf wire format ----------------------------------------------------------------------

type Field = { no: number; varint?: bigint; bytes?: Buffer; fixed64?: Buffer; fixed32?: Buffer };

function readVarint(buffer: Buffer, at: { pos: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buffer[at.pos++];
    if (byte === undefined) throw new Error('truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
}

function fieldsOf(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  const at = { pos: 0 };
  while (at.pos < buffer.length) {
    const key = Number(readVarint(buffer, at));
    const no = key >>> 3;
    switch (key & 7) {
      case 0:
        fields.push({ no, varint: readVarint(buffer, at) });
        break;
      case 1:
        fields.push({ no, fixed64: buffer.subarray(at.pos, at.pos + 8) });
        at.pos += 8;
        break;
      case 2: {
        const length = Number(readVarint(buffer, at));
        fields.push({ no, bytes: buffer.subarray(at.pos, at.pos + length) });
        at.pos += length;
        break;
      }
      case 5:
        fields.push({ no, fixed32: buffer.subarray(at.pos, at.pos + 4) });
        at.pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
  return fields;
}

const all = (fields: Field[], no: number): Field[] => fields.filter((f) => f.no === no);
const one = (fields: Field[], no: number): Field | undefined => fields.find((f) => f.no === no);
const text = (field: Field | undefined): string => field?.bytes?.toString('utf8') ?? '';
const hex = (field: Field | undefined): string => field?.bytes?.toString('hex') ?? '';

function protoAnyValue(buffer: Buffer): unknown {
  const fields = fieldsOf(buffer);
  const field = fields[0];
  if (!field) return undefined;
  switch (field.no) {
    case 1:
      return text(field);
    case 2:
      return field.varint === 1n;
    case 3:
      return Number(BigInt.asIntN(64, field.varint ?? 0n));
    case 4:
      return field.fixed64?.readDoubleLE(0);
    case 5:
      return all(fieldsOf(field.bytes!), 1).map((value) => protoAnyValue(value.bytes!));
    default:
      return undefined;
  }
}

function protoAttributes(fields: Field[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((kv) => {
      const parts = fieldsOf(kv.bytes!);
      const value = one(parts, 2);
      return [text(one(parts, 1)), value?.bytes ? protoAnyValue(value.bytes) : undefined];
    }),
  );
}

function protoTraces(body: Buffer): ReceivedSpan[] {
  return all(fieldsOf(body), 1).flatMap((resourceSpans) => {
    const rs = fieldsOf(resourceSpans.bytes!);
    const resourceField = one(rs, 1);
    const resource = resourceField ? protoAttributes(all(fieldsOf(resourceField.bytes!), 1)) : {};
    return all(rs, 2).flatMap((scopeSpans) =>
      all(fieldsOf(scopeSpans.bytes!), 2).map((spanField): ReceivedSpan => {
        const span = fieldsOf(spanField.bytes!);
        const status = one(span, 15);
        return {
          traceId: hex(one(span, 1)),
          spanId: hex(one(span, 2)),
          parentSpanId: hex(one(span, 4)),
          name: text(one(span, 5)),
          kind: Number(one(span, 6)?.varint ?? 0n),
          startNs: one(span, 7)?.fixed64?.readBigUInt64LE(0) ?? 0n,
          endNs: one(span, 8)?.fixed64?.readBigUInt64LE(0) ?? 0n,
          attributes: protoAttributes(all(span, 9)),
          events: all(span, 11).map((eventField) => {
            const event = fieldsOf(eventField.bytes!);
            return { name: text(one(event, 2)), attributes: protoAttributes(all(event, 3)) };
          }),
          links: all(span, 13).map((linkField) => {
            const link = fieldsOf(linkField.bytes!);
            return { traceId: hex(one(link, 1)), spanId: hex(one(link, 2)) };
          }),
          statusCode: status ? Number(one(fieldsOf(status.bytes!), 3)?.varint ?? 0n) : 0,
          resource,
        };
      }),
    );
  });
}

function protoMetrics(body: Buffer): ReceivedPoint[] {
  return all(fieldsOf(body), 1).flatMap((resourceMetrics) =>
    all(fieldsOf(resourceMetrics.bytes!), 2).flatMap((scopeMetrics) =>
      all(fieldsOf(scopeMetrics.bytes!), 2).flatMap((metricField) => {
        const metric = fieldsOf(metricField.bytes!);
        const name = text(one(metric, 1));
        const unit = text(one(metric, 3));
        const sum = one(metric, 7) ?? one(metric, 5);
        if (sum) {
          return all(fieldsOf(sum.bytes!), 1).map((pointField): ReceivedPoint => {
            const point = fieldsOf(pointField.bytes!);
            const asDouble = one(point, 4)?.fixed64?.readDoubleLE(0);
            const asInt = one(point, 6)?.fixed64?.readBigInt64LE(0);
            return {
              metric: name,
              unit,
              attributes: protoAttributes(all(point, 7)),
              value: asDouble ?? Number(asInt ?? 0n),
            };
          });
        }
        const histogram = one(metric, 9);
        if (!histogram) return [];
        return all(fieldsOf(histogram.bytes!), 1).map((pointField): ReceivedPoint => {
          const point = fieldsOf(pointField.bytes!);
          return {
            metric: name,
            unit,
            attributes: protoAttributes(all(point, 9)),
            count: Number(one(point, 4)?.fixed64?.readBigUInt64LE(0) ?? 0n),
            sum: one(point, 5)?.fixed64?.readDoubleLE(0) ?? 0,
          };
        });
      }),
    ),
  );
}

// ---- OTLP JSON ---------------------------------------------------------------------------------

/** An id as OTLP/JSON writes it: hex (the spec), or base64 (protobuf's JSON mapping). */
function jsonId(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '';
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)
    ? id.toLowerCase()
    : Buffer.from(id, 'base64').toString('hex');
}

type Json = Record<string, unknown>;

function jsonAnyValue(value: Json | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) {
    return ((value.arrayValue as Json).values as Json[] | undefined)?.map(jsonAnyValue) ?? [];
  }
  return undefined;
}

function jsonAttributes(list: unknown): Record<string, unknown> {
  return Object.fromEntries(
    ((list as Json[] | undefined) ?? []).map((kv) => [kv.key as string, jsonAnyValue(kv.value as Json)]),
  );
}

function jsonTraces(body: Json): ReceivedSpan[] {
  return ((body.resourceSpans as Json[] | undefined) ?? []).flatMap((rs) => {
    const resource = jsonAttributes((rs.resource as Json | undefined)?.attributes);
    return ((rs.scopeSpans as Json[] | undefined) ?? []).flatMap((ss) =>
      ((ss.spans as Json[] | undefined) ?? []).map((span): ReceivedSpan => ({
        traceId: jsonId(span.traceId),
        spanId: jsonId(span.spanId),
        parentSpanId: jsonId(span.parentSpanId),
        name: span.name as string,
        kind: Number(span.kind ?? 0),
        startNs: BigInt(span.startTimeUnixNano as string | number),
        endNs: BigInt(span.endTimeUnixNano as string | number),
        attributes: jsonAttributes(span.attributes),
        events: ((span.events as Json[] | undefined) ?? []).map((event) => ({
          name: event.name as string,
          attributes: jsonAttributes(event.attributes),
        })),
        links: ((span.links as Json[] | undefined) ?? []).map((link) => ({
          traceId: jsonId(link.traceId),
          spanId: jsonId(link.spanId),
        })),
        statusCode: Number((span.status as Json | undefined)?.code ?? 0),
        resource,
      })),
    );
  });
}

function jsonMetrics(body: Json): ReceivedPoint[] {
  return ((body.resourceMetrics as Json[] | undefined) ?? []).flatMap((rm) =>
    ((rm.scopeMetrics as Json[] | undefined) ?? []).flatMap((sm) =>
      ((sm.metrics as Json[] | undefined) ?? []).flatMap((metric): ReceivedPoint[] => {
        const name = metric.name as string;
        const unit = (metric.unit as string | undefined) ?? '';
        const sum = (metric.sum ?? metric.gauge) as Json | undefined;
        if (sum) {
          return ((sum.dataPoints as Json[] | undefined) ?? []).map((point) => ({
            metric: name,
            unit,
            attributes: jsonAttributes(point.attributes),
            value: Number(point.asDouble ?? point.asInt ?? 0),
          }));
        }
        const histogram = metric.histogram as Json | undefined;
        return ((histogram?.dataPoints as Json[] | undefined) ?? []).map((point) => ({
          metric: name,
          unit,
          attributes: jsonAttributes(point.attributes),
          count: Number(point.count ?? 0),
          sum: Number(point.sum ?? 0),
        }));
      }),
    ),
  );
}

// ---- the server --------------------------------------------------------------------------------

async function bodyOf(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
}

/** Starts a receiver on a free loopback port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((request, response) => {
    void (async () => {
      try {
        const body = await bodyOf(request);
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        contentTypes.add(type);
        const json = type === 'application/json';
        if (request.url === '/v1/traces') {
          spans.push(...(json ? jsonTraces(JSON.parse(body.toString('utf8')) as Json) : protoTraces(body)));
        } else if (request.url === '/v1/metrics') {
          points.push(
            ...(json ? jsonMetrics(JSON.parse(body.toString('utf8')) as Json) : protoMetrics(body)),
          );
        } else {
          response.writeHead(404).end();
          return;
        }
        // An empty answer is a full success in both encodings.
        response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        response.end(json ? '{}' : undefined);
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    points,
    contentTypes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
