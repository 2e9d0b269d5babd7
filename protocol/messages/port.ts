/** struct ofp11_port (64 bytes), shared by PORT_STATUS and the PORT_DESC reply. */
import { readMac, writeMac } from '../fields/values.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readName, writeName } from './names.js';
import type { PortDesc } from './port-types.js';
import { put32 } from './put-lenient.js';
import { OFP_MAX_PORT_NAME_LEN } from '../constants/openflow13.js';

export const OFP_PORT_LEN = 64;

export function writePort(w: Writer, p: PortDesc, path: string): void {
  put32(w, p.portNo, path, 'portNo');
  w.zeros(4);
  writeMac(w, p.hwAddr, `${path}.hwAddr`);
  w.zeros(2);
  writeName(w, p.name, OFP_MAX_PORT_NAME_LEN, `${path}.name`);
  put32(w, p.config, path, 'config');
  put32(w, p.state, path, 'state');
  put32(w, p.curr, path, 'curr');
  put32(w, p.advertised, path, 'advertised');
  put32(w, p.supported, path, 'supported');
  put32(w, p.peer, path, 'peer');
  put32(w, p.currSpeed, path, 'currSpeed');
  put32(w, p.maxSpeed, path, 'maxSpeed');
}

export function readPort(r: Reader, s: string): PortDesc {
  const portNo = r.u32(s);
  r.pad(4, s);
  const hwAddr = readMac(r, s);
  r.pad(2, s);
  const name = readName(r, OFP_MAX_PORT_NAME_LEN, `${s}.name`);
  return {
    portNo,
    hwAddr,
    name,
    config: r.u32(s),
    state: r.u32(s),
    curr: r.u32(s),
    advertised: r.u32(s),
    supported: r.u32(s),
    peer: r.u32(s),
    currSpeed: r.u32(s),
    maxSpeed: r.u32(s),
  };
}
