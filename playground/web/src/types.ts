/** The playground's HTTP API, as the page reads it (see /docs on the playground). */

// The shapes are the server's own zod schemas (what its /openapi.json publishes), imported as types only: nothing
// of the server reaches the page's bundle, and the page cannot drift from the API.
import type { z } from '@microtown/kit';
import type { CheckRun as CheckRunSchema, CheckState as CheckStateSchema } from '../../server/check-work.js';
import type {
  CallPublic,
  Edge as EdgeSchema,
  ExplanationPublic,
  GraphPublic,
  ObservedEdge as ObservedEdgeSchema,
  ServiceDataPublic,
  ServiceStatePublic,
  SwitchState,
} from '../../server/schemas.js';
import type { LogEntryPublic, ServiceChangePublic, TownPublic } from '../../server/workbench-api.js';

export type Switch = z.output<typeof SwitchState>;
export type ServiceState = z.output<typeof ServiceStatePublic>;
export type Edge = z.output<typeof EdgeSchema>;
export type ObservedEdge = z.output<typeof ObservedEdgeSchema>;
export type Graph = z.output<typeof GraphPublic>;
export type Call = z.output<typeof CallPublic>;
export type ServiceData = z.output<typeof ServiceDataPublic>;
/** Why a recorded call failed (`GET /api/calls/{id}/explanation`). */
export type Explanation = z.output<typeof ExplanationPublic>;
/** A fault of the fault lab, as listed (with its id and hits), and as the page sends one (the server fills defaults). */
export type { Fault, FaultSpec } from '../../server/faults.js';

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

// What `npm start` tells the page of its services (see playground/server/workbench-api.ts).
export type LogEntry = z.output<typeof LogEntryPublic>;
export type LogLevel = LogEntry['level'];
export type ServiceChange = z.output<typeof ServiceChangePublic>;
export type TownState = z.output<typeof TownPublic>;
/** The server-sent event `town`: log lines and changes, in the order they happened. */
export type TownEvent =
  | { type: 'log'; entry: LogEntry }
  | ServiceChange
  | { type: 'service'; service: string; url: string; at: string };
export type CheckRun = z.output<typeof CheckRunSchema>;
export type TaskRun = CheckRun['tasks'][number];
export type CheckState = z.output<typeof CheckStateSchema>;
