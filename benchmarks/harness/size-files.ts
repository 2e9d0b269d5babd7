/**
 * One size and mix of the service set, compiled once with ofwire's compiler, and the files the
 * baselines read it from (ovs-ofctl's bundle, groups and flows, the manifest, kube-proxy's rules).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRun } from './bench-run.js';
import { encodeBundle } from './floor.js';
import { kubeProxyRules } from './iptables.js';
import { bundleFile, flowText, groupText } from './ofctl.js';
import { NORTH_SOUTH } from './results.js';
import { compileSet, flowMod, groupMod, manifestJson, type CompiledSet, type ServiceSet } from './services.js';

/** A service set compiled, with the files every contender reads it from. */
export interface SizeFiles {
  set: ServiceSet;
  /** Appended to every workload name: '' for the ClusterIP mix, NORTH_SOUTH for the north-south mix. */
  suffix: string;
  compiled: CompiledSet;
  floor: { bytes: Buffer; barrierXid: number };
  bundleFile: string;
  groupsFile: string;
  flowsFile: string;
  manifest: string;
  iptablesRules: string;
}

/** Compiles `services` services (every `every`-th one north-south, if given) and writes their files. */
export function prepareSize(run: BenchRun, services: number, every: number | undefined): SizeFiles {
  const set: ServiceSet = {
    services,
    endpointsPerService: run.settings.endpoints,
    ...(every === undefined ? {} : { externalEvery: every }),
  };
  const suffix = every === undefined ? '' : NORTH_SOUTH;
  const compiled = compileSet(set);
  const floor = encodeBundle([...compiled.groups.map((g) => groupMod(g)), ...compiled.flows.map((f) => flowMod(f))]);
  const files = {
    bundleFile: join(run.tmp, `bundle-${services}${suffix}.txt`),
    groupsFile: join(run.tmp, `groups-${services}${suffix}.txt`),
    flowsFile: join(run.tmp, `flows-${services}${suffix}.txt`),
    manifest: join(run.tmp, `services-${services}${suffix}.json`),
    iptablesRules: join(run.tmp, `kube-proxy-${services}${suffix}.rules`),
  };
  writeFileSync(files.bundleFile, bundleFile(compiled.groups, compiled.flows));
  writeFileSync(files.groupsFile, `${compiled.groups.map(groupText).join('\n')}\n`);
  writeFileSync(files.flowsFile, `${compiled.flows.map(flowText).join('\n')}\n`);
  writeFileSync(files.manifest, manifestJson(set));
  if (run.iptablesFor(set)) writeFileSync(files.iptablesRules, kubeProxyRules(set));
  return { set, suffix, compiled, floor, ...files };
}

/** The row identity of a workload measured on this set: its name with the mix's suffix, the size, the contender. */
export function rowBase(run: BenchRun, f: SizeFiles, workload: string, contender: string) {
  return { workload: workload + f.suffix, services: f.set.services, endpoints: run.settings.endpoints, contender };
}
