/** Messages between the harness and its ofwire agent process. */
export type AgentRequest = { id: number } & (
  | {
      op: 'setup';
      target: string;
      services: number;
      endpointsPerService: number;
      /** The north-south mix (ServiceSet.externalEvery). */
      externalEvery?: number;
      source: 'memory' | 'kube';
      kubeconfig?: string;
      /** Also compile the whole set into ready-made messages (for the library-level bundle). */
      library?: boolean;
    }
  | { op: 'connect' }
  /** With `split`, counts where the time goes (harness/phases.ts), which adds a little to the run. */
  | { op: 'startProxy'; split?: boolean }
  | { op: 'stopProxy' }
  /** Stops the proxy and closes the switch connection. */
  | { op: 'disconnect' }
  | { op: 'restart'; split?: boolean }
  | {
      op: 'churn';
      count: number;
      stream: number;
      /** Count where the time goes (harness/phases.ts; adds a little to each change). */ split?: boolean;
    }
  | { op: 'sustained'; rate: number; seconds: number; stream: number }
  | { op: 'libraryBundle' }
  | { op: 'libraryChurn'; count: number; stream: number }
  | { op: 'forwardSynced'; on: boolean }
  | { op: 'whenSynced' }
  | { op: 'exit' }
);

export type AgentEvent =
  | { id: number; result?: unknown; error?: string }
  | { event: 'ready' }
  | { event: 'log'; message: string }
  /** The agent's Switch (re)connected (forwarded with `forwardSynced`). */
  | { event: 'connected'; hrtime: string }
  | { event: 'synced'; hrtime: string; messages: number; full: boolean; durationMs: number };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type AgentCall = DistributiveOmit<AgentRequest, 'id'>;
