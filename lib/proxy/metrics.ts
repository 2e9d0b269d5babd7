/** Prometheus metrics of the service proxy. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the proxy owns, read when the gauges are scraped (not after every sync: counting costs). */
export interface ProxyCounts {
  flows: number;
  groups: number;
  servicePorts: number;
}

export class ProxyMetrics {
  readonly registry: Registry;
  readonly syncDuration: Histogram;
  readonly programmingLatency: Histogram;
  readonly flows: Gauge;
  readonly groups: Gauge;
  readonly servicePorts: Gauge;
  readonly errors: Counter<'service'>;
  readonly rejects: Counter;
  readonly syncs: Counter<'result'>;
  private counts: (() => ProxyCounts) | undefined;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.syncDuration = new Histogram({
      name: 'ofwire_proxy_sync_duration_seconds',
      help: 'Time to apply one sync to the switch, until acknowledged',
      buckets,
      registers: [registry],
    });
    this.programmingLatency = new Histogram({
      name: 'ofwire_proxy_programming_latency_seconds',
      help: 'Time from a Service/EndpointSlice change reaching the proxy to the switch acknowledging it',
      buckets,
      registers: [registry],
    });
    const reads = (pick: (c: ProxyCounts) => number) => {
      const metrics = this;
      return function collect(this: Gauge): void {
        const c = metrics.counts?.();
        if (c) this.set(pick(c));
      };
    };
    this.flows = new Gauge({ name: 'ofwire_proxy_flows', help: 'Flows owned by the proxy on the switch', registers: [registry], collect: reads((c) => c.flows) });
    this.groups = new Gauge({ name: 'ofwire_proxy_groups', help: 'Groups owned by the proxy on the switch', registers: [registry], collect: reads((c) => c.groups) });
    this.servicePorts = new Gauge({ name: 'ofwire_proxy_service_ports', help: 'Service ports programmed', registers: [registry], collect: reads((c) => c.servicePorts) });
    this.errors = new Counter({
      name: 'ofwire_proxy_errors_total',
      help: 'Service programming failures (the switch refused a change), by service',
      labelNames: ['service'],
      registers: [registry],
    });
    this.rejects = new Counter({
      name: 'ofwire_proxy_rejects_total',
      help: 'Connections to services without endpoints refused with TCP RST or ICMP unreachable',
      registers: [registry],
    });
    this.syncs = new Counter({ name: 'ofwire_proxy_syncs_total', help: 'Syncs by result', labelNames: ['result'], registers: [registry] });
  }

  /** Where the flow, group and service-port gauges read their values when scraped. */
  countFrom(counts: () => ProxyCounts): void {
    this.counts = counts;
  }
}
