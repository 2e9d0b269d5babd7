/**
 * Prometheus metrics of the service proxy, kept as plain numbers and written in Prometheus's text
 * exposition format when scraped. No client library: the proxy records a few counters and two
 * histograms, and an agent that never serves metrics (`ofwire proxy --once`) pays nothing to load.
 */

/** The Content-Type of `ProxyMetrics.text()`. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample of a metric: its labels and value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** A metric's current samples (the shape prom-client's `get()` returns, for callers used to it). */
export interface MetricValues {
  name: string;
  values: MetricSample[];
}

/** A monotonically increasing count, optionally split by one label. */
export class Counter {
  private readonly byLabel = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelName?: string,
  ) {}

  inc(labels?: Record<string, string>, by = 1): void {
    const key = this.labelName === undefined ? '' : (labels?.[this.labelName] ?? '');
    this.byLabel.set(key, (this.byLabel.get(key) ?? 0) + by);
  }

  get(): MetricValues {
    const values: MetricSample[] = [];
    for (const [key, value] of this.byLabel) values.push({ labels: this.labelsOf(key), value });
    if (values.length === 0 && this.labelName === undefined) values.push({ labels: {}, value: 0 });
    return { name: this.name, values };
  }

  expose(): string {
    let out = header(this.name, this.help, 'counter');
    for (const { labels, value } of this.get().values) out += `${this.name}${labelText(labels)} ${value}\n`;
    return out;
  }

  private labelsOf(key: string): Record<string, string> {
    return this.labelName === undefined ? {} : { [this.labelName]: key };
  }
}

/** A value read when scraped. */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number | undefined,
  ) {}

  get(): MetricValues {
    const value = this.read();
    return { name: this.name, values: value === undefined ? [] : [{ labels: {}, value }] };
  }

  expose(): string {
    let out = header(this.name, this.help, 'gauge');
    for (const { value } of this.get().values) out += `${this.name} ${value}\n`;
    return out;
  }
}

/** Observations counted into fixed buckets (upper bounds in seconds), with their sum. */
export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.counts = new Float64Array(buckets.length);
  }

  observe(value: number): void {
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }

  get(): MetricValues {
    const values: MetricSample[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      cumulative += this.counts[i]!;
      values.push({ labels: { le: String(this.buckets[i]) }, value: cumulative });
    }
    values.push({ labels: { le: '+Inf' }, value: this.count });
    return { name: this.name, values };
  }

  expose(): string {
    let out = header(this.name, this.help, 'histogram');
    for (const { labels, value } of this.get().values) out += `${this.name}_bucket${labelText(labels)} ${value}\n`;
    return `${out}${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`;
  }
}

/** What the proxy owns, read when the gauges are scraped (not after every sync: counting costs). */
export interface ProxyCounts {
  flows: number;
  groups: number;
  servicePorts: number;
}

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The proxy's metrics, in Prometheus's text format. */
export class ProxyMetrics {
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  readonly syncDuration = new Histogram(
    'ofwire_proxy_sync_duration_seconds',
    'Time to apply one sync to the switch, until acknowledged',
    LATENCY_BUCKETS,
  );
  readonly programmingLatency = new Histogram(
    'ofwire_proxy_programming_latency_seconds',
    'Time from a Service/EndpointSlice change reaching the proxy to the switch acknowledging it',
    LATENCY_BUCKETS,
  );
  readonly flows = new Gauge('ofwire_proxy_flows', 'Flows owned by the proxy on the switch', () => this.counts?.().flows);
  readonly groups = new Gauge('ofwire_proxy_groups', 'Groups owned by the proxy on the switch', () => this.counts?.().groups);
  readonly servicePorts = new Gauge('ofwire_proxy_service_ports', 'Service ports programmed', () => this.counts?.().servicePorts);
  readonly errors = new Counter(
    'ofwire_proxy_errors_total',
    'Service programming failures (the switch refused a change), by service',
    'service',
  );
  readonly rejects = new Counter(
    'ofwire_proxy_rejects_total',
    'Connections to services without endpoints refused with TCP RST or ICMP unreachable',
  );
  readonly syncs = new Counter('ofwire_proxy_syncs_total', 'Syncs by result', 'result');
  private counts: (() => ProxyCounts) | undefined;

  /** Where the flow, group and service-port gauges read their values when scraped. */
  countFrom(counts: () => ProxyCounts): void {
    this.counts = counts;
  }

  /** Every metric in Prometheus's text exposition format (served as `contentType`). */
  text(): string {
    const metrics = [
      this.syncDuration,
      this.programmingLatency,
      this.flows,
      this.groups,
      this.servicePorts,
      this.errors,
      this.rejects,
      this.syncs,
    ];
    return metrics.map((m) => m.expose()).join('');
  }
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
