import { createMemoryStore } from '../../../../devhost/durable';
import { describeConformance } from './conformance-suite';

describeConformance(
  'memory',
  () => Promise.resolve({ store: createMemoryStore(), dispose: () => Promise.resolve() }),
  true,
);
