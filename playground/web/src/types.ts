/** The playground's HTTP API, as the page reads it (see /docs on the playground). */

// The shapes are the server's own zod schemas (what its /openapi.json publishes), imported as types only: nothing
// of the server reaches the page's bundle, and the page cannot drift from the API.
import type { z } from '@microtown/kit';
import type {
  CallPublic,
  Edge as EdgeSchema,
  GraphPublic,
  ObservedEdge as ObservedEdgeSchema,
  ServiceStatePublic,
  SwitchState,
} from '../../server/schemas.js';

export type Switch = z.output<typeof SwitchState>;
export type ServiceState = z.output<typeof ServiceStatePublic>;
export type Edge = z.output<typeof EdgeSchema>;
export type ObservedEdge = z.output<typeof ObservedEdgeSchema>;
export type Graph = z.output<typeof GraphPublic>;
export type Call = z.output<typeof CallPublic>;

export interface Order {
  id: string;
  user_id: string;
  item_id: string;
  quantity: number;
  status?: string;
  notification?: string;
  trace_id?: string;
  created_at?: string;
}
