/**
 * NXAST_CONTROLLER and NXAST_CONTROLLER2. Open vSwitch writes CONTROLLER2 only when userdata, pause
 * or a meter is asked for; both decode to their own variant so either re-encodes as received.
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { MAX_ACTION_LEN, nxCodec as nx, registerAction, type ActionCodec } from './codec.js';
import { put16, put32, put8, putBuffer, putZeros } from './put-strict.js';
import type { Controller2Action, Controller2PropertyName } from './types.js';

const controller = nx(
  'controller',
  20,
  'nx_action_controller',
  16,
  (w, a, path) => {
    put16(w, a.maxLen, path, 'maxLen');
    put16(w, a.controllerId, path, 'controllerId');
    put8(w, a.reason, path, 'reason');
  },
  (r, s) => {
    const maxLen = r.u16(s);
    const controllerId = r.u16(s);
    return { type: 'controller', maxLen, controllerId, reason: r.u8(s) };
  },
);

/** NXAC2PT_* in wire order; the index is the property type. */
const PROPERTY_NAMES: readonly Controller2PropertyName[] = ['max_len', 'controller_id', 'reason', 'userdata', 'pause', 'meter_id'];
const STRUCT = 'nx_action_controller2';
const PROP = 'nx_action_controller2.property';
const PROP_PAD = 'nx_action_controller2.property.pad';

function present(a: Controller2Action, name: Controller2PropertyName, path: string): boolean {
  switch (name) {
    case 'max_len':
      return a.maxLen !== undefined;
    case 'controller_id':
      return a.controllerId !== undefined;
    case 'reason':
      return a.reason !== undefined;
    case 'userdata':
      return a.userdata !== undefined;
    case 'pause':
      if (a.pause !== undefined && typeof a.pause !== 'boolean') throw new EncodeError('pause must be a boolean', `${path}.pause`);
      return a.pause === true;
    case 'meter_id':
      return a.meterId !== undefined;
  }
}

function writeProperty(w: Writer, a: Controller2Action, type: number, path: string): void {
  const start = w.pos;
  w.u16(type);
  w.u16(0);
  switch (PROPERTY_NAMES[type]) {
    case 'max_len':
      put16(w, a.maxLen!, path, 'maxLen');
      putZeros(w, 2);
      break;
    case 'controller_id':
      put16(w, a.controllerId!, path, 'controllerId');
      putZeros(w, 2);
      break;
    case 'reason':
      put8(w, a.reason!, path, 'reason');
      break;
    case 'userdata':
      if (Buffer.isBuffer(a.userdata) && a.userdata.length > MAX_ACTION_LEN) {
        throw new EncodeError(`${a.userdata.length} bytes of userdata do not fit in an action`, `${path}.userdata`);
      }
      putBuffer(w, a.userdata!, path, 'userdata');
      break;
    case 'pause':
      break;
    case 'meter_id':
      put32(w, a.meterId!, path, 'meterId');
      break;
  }
  w.setU16(start + 2, w.pos - start);
  w.padFrom(start, 8);
}

function encodeController2(w: Writer, a: Controller2Action, path: string): void {
  putZeros(w, 6);
  const order = a.propertyOrder;
  if (order === undefined) {
    for (let t = 0; t < PROPERTY_NAMES.length; t++) {
      if (present(a, PROPERTY_NAMES[t]!, path)) writeProperty(w, a, t, path);
    }
    return;
  }
  if (!Array.isArray(order)) throw new EncodeError('propertyOrder must be an array', `${path}.propertyOrder`);
  let seen = 0;
  for (const name of order) {
    const t = PROPERTY_NAMES.indexOf(name);
    if (t < 0) throw new EncodeError(`unknown property "${String(name)}"`, `${path}.propertyOrder`);
    if (seen & (1 << t)) throw new EncodeError(`property "${name}" listed twice`, `${path}.propertyOrder`);
    if (!present(a, name, path)) throw new EncodeError(`property "${name}" is listed but has no value`, `${path}.propertyOrder`);
    seen |= 1 << t;
    writeProperty(w, a, t, path);
  }
  for (let t = 0; t < PROPERTY_NAMES.length; t++) {
    if (!(seen & (1 << t)) && present(a, PROPERTY_NAMES[t]!, path)) {
      throw new EncodeError(`property "${PROPERTY_NAMES[t]}" has a value but is missing from propertyOrder`, `${path}.propertyOrder`);
    }
  }
}

/** Length (header included, padding excluded) Open vSwitch gives each property. */
const PROPERTY_LEN = [8, 8, 5, -1, 4, 8];

function decodeController2(r: Reader, s: string): Controller2Action {
  r.pad(6, s);
  const out: Controller2Action = { type: 'controller2' };
  let seen = 0;
  let last = -1;
  let order: Controller2PropertyName[] | undefined;
  const names: Controller2PropertyName[] = [];
  while (r.remaining > 0) {
    const start = r.pos;
    const type = r.u16(PROP);
    const len = r.u16(PROP);
    const name = PROPERTY_NAMES[type];
    if (name === undefined) r.fail(`unknown property type ${type}`, PROP, start);
    if (len < 4) r.fail(`property length ${len} is shorter than its 4-byte header`, PROP, start);
    const want = PROPERTY_LEN[type]!;
    if (want >= 0 && len !== want) r.fail(`${name} property length ${len}, expected ${want}`, PROP, start);
    if (len - 4 > r.remaining) r.fail(`property length ${len} runs past the end of the action`, PROP, start);
    if (seen & (1 << type)) r.fail(`duplicate ${name} property`, PROP, start);
    seen |= 1 << type;
    switch (name) {
      case 'max_len':
        out.maxLen = r.u16(PROP);
        r.pad(2, PROP);
        break;
      case 'controller_id':
        out.controllerId = r.u16(PROP);
        r.pad(2, PROP);
        break;
      case 'reason':
        out.reason = r.u8(PROP);
        break;
      case 'userdata':
        out.userdata = r.bytes(len - 4, PROP);
        break;
      case 'pause':
        out.pause = true;
        break;
      case 'meter_id':
        out.meterId = r.u32(PROP);
        break;
    }
    const pad = (8 - (len % 8)) % 8;
    if (pad > r.remaining) r.fail(`property of length ${len} lacks its ${pad} bytes of padding`, PROP, start);
    r.pad(pad, PROP_PAD);
    names.push(name);
    if (type < last) order = names;
    last = type;
  }
  if (order) out.propertyOrder = order;
  return out;
}

const controller2: ActionCodec<Controller2Action> = nx('controller2', 37, STRUCT, 16, encodeController2, decodeController2, MAX_ACTION_LEN);

registerAction(controller);
registerAction(controller2);
