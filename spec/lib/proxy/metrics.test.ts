/** The proxy's metrics in Prometheus's text exposition format. */
import t from 'tap';
import { Counter, Histogram, ProxyMetrics, PROMETHEUS_CONTENT_TYPE } from '../../../lib/proxy/metrics.js';

t.test('a histogram counts into cumulative buckets, with sum and count', async (t) => {
  const h = new Histogram('x_seconds', 'Some time', [0.001, 0.01, 0.1]);
  for (const v of [0.0005, 0.002, 0.003, 5]) h.observe(v);
  t.equal(
    h.expose(),
    [
      '# HELP x_seconds Some time',
      '# TYPE x_seconds histogram',
      'x_seconds_bucket{le="0.001"} 1',
      'x_seconds_bucket{le="0.01"} 3',
      'x_seconds_bucket{le="0.1"} 3',
      'x_seconds_bucket{le="+Inf"} 4',
      'x_seconds_sum 5.0055',
      'x_seconds_count 4',
      '',
    ].join('\n'),
  );
});

t.test('a counter by label escapes label values; one without labels starts at 0', async (t) => {
  const c = new Counter('errors_total', 'Errors', 'service');
  c.inc({ service: 'default/a' });
  c.inc({ service: 'default/a' });
  c.inc({ service: 'we"ird\\\n' }, 3);
  t.equal(
    c.expose(),
    '# HELP errors_total Errors\n# TYPE errors_total counter\nerrors_total{service="default/a"} 2\nerrors_total{service="we\\"ird\\\\\\n"} 3\n',
  );
  t.same(new Counter('n_total', 'N').get().values, [{ labels: {}, value: 0 }]);
});

t.test('ProxyMetrics reads its gauges when scraped and writes every metric', async (t) => {
  const m = new ProxyMetrics();
  t.equal(m.contentType, PROMETHEUS_CONTENT_TYPE);
  t.notMatch(m.text(), /^ofwire_proxy_flows /m, 'no flow count before the proxy says where to read it');
  let flows = 3;
  m.countFrom(() => ({ flows, groups: 1, servicePorts: 1 }));
  m.syncs.inc({ result: 'ok' });
  m.syncDuration.observe(0.002);
  const text = m.text();
  t.match(text, /^ofwire_proxy_flows 3$/m);
  t.match(text, /^ofwire_proxy_groups 1$/m);
  t.match(text, /^ofwire_proxy_syncs_total\{result="ok"\} 1$/m);
  t.match(text, /^ofwire_proxy_sync_duration_seconds_count 1$/m);
  t.match(text, /^ofwire_proxy_rejects_total 0$/m);
  flows = 4;
  t.equal(m.flows.get().values[0]?.value, 4, 'read again at each scrape');
});
