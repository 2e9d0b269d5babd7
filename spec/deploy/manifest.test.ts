/**
 * deploy/ofwire.yaml, checked offline against the Kubernetes API's own schemas (the
 * kubernetes-models package bundles them), and against what the agent needs: exactly the RBAC it
 * uses, the probes it serves, the flags `ofwire proxy` knows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ROOT, runCli } from '../helpers/cli.js';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'apps/v1/DaemonSet': DaemonSet,
};

const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/ofwire.yaml'), 'utf8')).map((d) => d.toJS());
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

t.test('every document is valid against the Kubernetes API schemas', async (t) => {
  t.same(docs.map((d) => d.kind), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'DaemonSet']);
  for (const doc of docs) {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    t.ok(Model, `${doc.apiVersion} ${doc.kind} has a schema`);
    t.doesNotThrow(() => new Model!(doc).validate(), `${doc.kind} ${doc.metadata.name}`);
  }
  // The validator catches what kubectl would refuse.
  const broken = structuredClone(byKind('DaemonSet')[0]);
  broken.spec.template.spec.containers[0].ports[0].containerPort = 'healthz';
  t.throws(() => new DaemonSet(broken).validate(), /containerPort must be integer/);
});

t.test('RBAC grants exactly what the agent uses', async (t) => {
  const [role] = byKind('ClusterRole');
  t.same(role.rules, [
    { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  ]);
  const [binding] = byKind('ClusterRoleBinding');
  const [account] = byKind('ServiceAccount');
  const [ds] = byKind('DaemonSet');
  t.same(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
  t.same(binding.subjects, [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace }]);
  t.equal(ds.spec.template.spec.serviceAccountName, account.metadata.name);
  t.equal(ds.metadata.namespace, account.metadata.namespace);
});

t.test('the DaemonSet runs on every node with probes, the OVS run directory and the node name', async (t) => {
  const [ds] = byKind('DaemonSet');
  const pod = ds.spec.template.spec;
  const [c] = pod.containers;
  t.same(pod.tolerations, [{ operator: 'Exists' }], 'tolerates every taint');
  t.equal(ds.spec.updateStrategy.type, 'RollingUpdate');
  t.same(c.env, [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
  t.match(c.livenessProbe, { httpGet: { path: '/healthz', port: 'healthz' } });
  t.match(c.readinessProbe, { httpGet: { path: '/readyz', port: 'healthz' } });
  t.same(c.ports.map((p: any) => [p.name, p.containerPort]), [['healthz', 10256], ['metrics', 10249]]);
  t.ok(c.resources.requests.cpu && c.resources.requests.memory, 'resource requests');
  const mount = c.volumeMounts.find((m: any) => m.mountPath === '/var/run/openvswitch');
  t.ok(mount, 'the OVS run directory is mounted');
  t.same(pod.volumes.find((v: any) => v.name === mount.name).hostPath, { path: '/var/run/openvswitch', type: 'Directory' });
  t.ok(c.args.includes('--bridge=unix:/var/run/openvswitch/br-int.mgmt'));
  t.ok(c.args.includes('--node-name=$(NODE_NAME)'));
  t.ok(c.args.includes('--healthz=0.0.0.0:10256') && c.args.includes('--metrics=0.0.0.0:10249'), 'serves the ports it declares');
});

t.test('the container command is one `ofwire proxy` accepts', async (t) => {
  const [c] = byKind('DaemonSet')[0].spec.template.spec.containers;
  t.equal(c.args[0], 'proxy');
  const help = await runCli(['proxy', '--help']);
  t.equal(help.code, 0);
  for (const arg of c.args.slice(1)) {
    const flag = String(arg).split('=')[0]!;
    t.ok(help.stdout.includes(`${flag} `), `${flag} is an option of ofwire proxy`);
  }
});
