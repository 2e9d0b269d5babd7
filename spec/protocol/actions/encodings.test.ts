/**
 * Where Open vSwitch accepts several encodings of one thing, each has its own variant or keeps the
 * header it arrived with, and objects built without a header get the one OVS would write there.
 */
import t from 'tap';
import type { Action } from '../../../protocol/actions/index.js';
import { decodeActions, encodeActions } from './support.js';

const NXM_OF_ETH_SRC = 0x00000406;
const OXM_OF_ETH_SRC = 0x80000806;

const cases: { name: string; action: Action; hex: string }[] = [
  {
    name: 'reg_move names fields by their NXM header',
    action: { type: 'reg_move', src: { field: 'eth_src', ofs: 0, nBits: 48 }, dst: { field: 'eth_dst', ofs: 0, nBits: 48 } },
    hex: 'ffff001800002320 0006 0030 0000 0000 00000406 00000206',
  },
  {
    name: 'reg_move keeps an OXM header it was given',
    action: {
      type: 'reg_move',
      src: { field: 'eth_src', header: OXM_OF_ETH_SRC, ofs: 0, nBits: 48 },
      dst: { field: 'eth_dst', ofs: 0, nBits: 48 },
    },
    hex: 'ffff001800002320 0006 0030 0000 0000 80000806 00000206',
  },
  {
    name: 'a header with clear length bits picks the encoding',
    action: {
      type: 'reg_move',
      src: { field: 'eth_src', header: OXM_OF_ETH_SRC & ~0x1ff, ofs: 0, nBits: 48 },
      dst: { field: 'eth_dst', ofs: 0, nBits: 48 },
    },
    hex: 'ffff001800002320 0006 0030 0000 0000 80000806 00000206',
  },
  {
    name: 'copy_field (ONF) names fields by their OpenFlow 1.3 header',
    action: { type: 'copy_field', src: { field: 'eth_src', ofs: 0, nBits: 48 }, dst: { field: 'eth_dst', ofs: 0, nBits: 48 } },
    hex: 'ffff00204f4e4600 0c80 0000 0030 0000 0000 0000 80000806 80000606 00000000',
  },
  {
    name: 'set_field writes the OXM header',
    action: { type: 'set_field', field: 'eth_src', value: '00:11:22:33:44:55' },
    hex: '0019 0010 80000806 001122334455 0000',
  },
  {
    name: 'set_field keeps an NXM header it was given',
    action: { type: 'set_field', field: 'eth_src', value: '00:11:22:33:44:55', header: NXM_OF_ETH_SRC & ~0x1ff },
    hex: '0019 0010 00000406 001122334455 0000',
  },
  {
    name: 'reg_load2 writes the NXM header, masked',
    action: { type: 'reg_load2', field: 'eth_src', value: '00:11:22:33:44:55', mask: 'ff:ff:ff:00:00:00' },
    hex: 'ffff002000002320 0021 0000050c 001122334455 ffffff000000 000000000000',
  },
  {
    name: 'reg_load: a 32-bit header and a 64-bit value',
    action: { type: 'reg_load', dst: { field: 'reg0', ofs: 4, nBits: 8 }, value: 0xabn },
    hex: 'ffff001800002320 0007 0107 00010004 00000000000000ab',
  },
  {
    name: 'controller is NXAST_CONTROLLER',
    action: { type: 'controller', maxLen: 0xffff, controllerId: 1, reason: 1 },
    hex: 'ffff001000002320 0014 ffff 0001 01 00',
  },
  {
    name: 'controller2 with only max_len is still NXAST_CONTROLLER2',
    action: { type: 'controller2', maxLen: 128 },
    hex: 'ffff001800002320 0025 000000000000 0000 0008 0080 0000',
  },
  {
    name: 'controller2 properties in a remembered order',
    action: { type: 'controller2', reason: 0, pause: true, propertyOrder: ['pause', 'reason'] },
    hex: 'ffff002000002320 0025 000000000000 0004 0004 00000000 0002 0005 00 000000',
  },
  {
    name: 'resubmit without a table is NXAST_RESUBMIT',
    action: { type: 'resubmit', inPort: 5 },
    hex: 'ffff001000002320 0001 0005 00000000',
  },
  {
    name: 'learn2 with a limit',
    action: {
      type: 'learn2',
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 1,
      cookie: 0n,
      flags: 0,
      tableId: 2,
      finIdleTimeout: 0,
      finHardTimeout: 0,
      limit: 3,
      specs: [{ kind: 'output', src: { field: 'in_port', ofs: 0, nBits: 16 } }],
    },
    hex: 'ffff003000002320 002d 0000 0000 0001 0000000000000000 0000 02 00 0000 0000 00000003 0000 0000 1010 00000002 0000',
  },
  {
    name: 'learn immediate values are right-aligned in 16-bit units',
    action: {
      type: 'learn',
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 1,
      cookie: 0n,
      flags: 0,
      tableId: 2,
      finIdleTimeout: 0,
      finHardTimeout: 0,
      specs: [{ kind: 'match_immediate', value: Buffer.from([6]), dst: { field: 'ip_proto', ofs: 0, nBits: 8 } }],
    },
    hex: 'ffff003000002320 0010 0000 0000 0001 0000000000000000 0000 02 00 0000 0000 2008 0006 00000c01 0000 000000000000',
  },
  {
    name: 'ct zone from a field',
    action: { type: 'ct', flags: 1, zone: 0, zoneSrc: { field: 'reg6', ofs: 0, nBits: 16 }, recircTable: 255, alg: 0, actions: [] },
    hex: 'ffff001800002320 0023 0001 00010c04 000f ff 000000 0000',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const hex = c.hex.replace(/\s+/g, '');
    t.equal(encodeActions([c.action]).toString('hex'), hex, 'encodes');
    const decoded = decodeActions(Buffer.from(hex, 'hex'));
    t.equal(encodeActions(decoded).toString('hex'), hex, 're-encodes');
  });
}
