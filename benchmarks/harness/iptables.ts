/**
 * The reference users would otherwise pick: kube-proxy's iptables mode. The same services and
 * endpoints as kube-proxy writes them (iptables-save format: KUBE-SERVICES → KUBE-SVC-* with one
 * `statistic --mode random` jump per endpoint → KUBE-SEP-* with the hairpin mark and the DNAT),
 * loaded by `iptables-restore --noflush` in a throwaway network namespace, timed from spawn to exit.
 *
 * Backends: `legacy` (x_tables, iptables-legacy-restore) is the contender. Debian's default
 * `iptables-restore` is the nf_tables one, which grows quadratically with this many chains here
 * (1k services ≈ 7 s, 3k ≈ 5 min): it is measured at the smallest size only, as an aside.
 */
import { createHash } from 'node:crypto';
import { resources, deleteNetns, randomSuffix, run } from '../../spec/helpers/ovs-sandbox.js';
import { NAMESPACE, SERVICE_PORT, TARGET_PORT, clusterIp, podIp, serviceName, type ServiceSet } from './services.js';
import { timedSpawn } from './ofctl.js';
import { openSync, closeSync } from 'node:fs';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** kube-proxy's chain-name hash: base32(sha256(text)) cut to 16 characters. */
function chainHash(text: string): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** The rules kube-proxy's iptables mode writes for the set (one restore of the nat and filter tables). */
export function kubeProxyRules(set: ServiceSet): string {
  const chains: string[] = [];
  const rules: string[] = [];
  const podCidr = '10.128.0.0/10';
  for (let i = 0; i < set.services; i++) {
    const spn = `${NAMESPACE}/${serviceName(i)}:http`;
    const svc = `KUBE-SVC-${chainHash(`${spn}tcp`)}`;
    const vip = clusterIp(i);
    chains.push(`:${svc} - [0:0]`);
    rules.push(`-A KUBE-SERVICES -m comment --comment "${spn} cluster IP" -m tcp -p tcp -d ${vip}/32 --dport ${SERVICE_PORT} -j ${svc}`);
    rules.push(
      `-A ${svc} -m comment --comment "${spn} cluster IP" -m tcp -p tcp -d ${vip}/32 --dport ${SERVICE_PORT} ! -s ${podCidr} -j KUBE-MARK-MASQ`,
    );
    const n = set.endpointsPerService;
    for (let k = 0; k < n; k++) {
      const ep = `${podIp(set, i, k)}:${TARGET_PORT}`;
      const sep = `KUBE-SEP-${chainHash(`${spn}tcp${ep}`)}`;
      chains.push(`:${sep} - [0:0]`);
      const left = n - k;
      const stat = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
      rules.push(`-A ${svc} -m comment --comment "${spn} -> ${ep}"${stat} -j ${sep}`);
      rules.push(`-A ${sep} -m comment --comment "${spn}" -s ${podIp(set, i, k)}/32 -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -m comment --comment "${spn}" -m tcp -p tcp -j DNAT --to-destination ${ep}`);
    }
  }
  return [
    '*filter',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-EXTERNAL-SERVICES - [0:0]',
    ':KUBE-FORWARD - [0:0]',
    ':KUBE-PROXY-FIREWALL - [0:0]',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'COMMIT',
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-NODEPORTS - [0:0]',
    ...chains,
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    ...rules,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    'COMMIT',
    '',
  ].join('\n');
}

/** A network namespace that exists only for one restore. */
export class ThrowawayNetns {
  private name = '';
  private release: (() => void) | undefined;

  async create(): Promise<string> {
    this.remove();
    this.name = `ofwbench-ipt-${randomSuffix()}`;
    await run('ip', ['netns', 'add', this.name]);
    const name = this.name;
    this.release = resources.add(() => deleteNetns(name));
    return this.name;
  }

  remove(): void {
    this.release?.();
    this.release = undefined;
  }
}

export type IptablesBackend = 'legacy' | 'nft';

/** Seconds for `iptables-restore --noflush` of `file` inside a fresh namespace. */
export async function timedRestore(
  ns: ThrowawayNetns,
  file: string,
  backend: IptablesBackend,
  check?: (ns: string) => Promise<void>,
): Promise<number> {
  const name = await ns.create();
  const fd = openSync(file, 'r');
  try {
    const r = await timedSpawn('ip', ['netns', 'exec', name, `iptables-${backend}-restore`, '-w', '--noflush'], { stdinFile: fd });
    if (r.code !== 0)
      throw new Error(`iptables-${backend}-restore failed (${r.code}): ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
    await check?.(name);
    return r.seconds;
  } finally {
    closeSync(fd);
    ns.remove();
  }
}

/** Rule count in the namespace's nat table after a restore (for a sanity check). */
export async function natRuleCount(nsName: string, backend: IptablesBackend): Promise<number> {
  const out = await run('ip', ['netns', 'exec', nsName, `iptables-${backend}-save`, '-t', 'nat']);
  return out.split('\n').filter((l) => l.startsWith('-A ')).length;
}

export async function iptablesVersion(backend: IptablesBackend): Promise<string> {
  return (await run(`iptables-${backend}`, ['--version'])).trim();
}

/** The number of `-A` rules in the nat table of the set (what natRuleCount must find). */
export function expectedNatRules(set: ServiceSet): number {
  return 8 + set.services * (2 + 3 * set.endpointsPerService);
}
