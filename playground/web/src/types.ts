/** The playground's HTTP API, as the page reads it (see /docs on the playground). */

export type Switch = { mode: 'normal' } | { mode: 'slow'; delay_ms: number } | { mode: 'down' };

export interface ServiceState {
  name: string;
  url: string;
  port: number;
  health: 'up' | 'down';
  switch: Switch;
  records: Record<string, number | null>;
  calls: string[];
}

export interface Edge {
  from: string;
  to: string;
}

export interface ObservedEdge extends Edge {
  count: number;
  errors: number;
  p50_ms: number;
}

export interface Graph {
  expected: Edge[];
  observed: ObservedEdge[];
}

export interface Call {
  id: number;
  time: string;
  started_ms: number;
  caller: string | null;
  callee: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  trace_id: string | null;
}

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
