/** Turns on HTTP streaming, which the events endpoint's Server-Sent Events need. */
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });
