/**
 * The HELLO exchange: ofwire offers OpenFlow 1.3 only (a version bitmap), and accepts a peer whose
 * HELLO includes 1.3 — in its bitmap, or, without one, by a header version of 1.3 or later. A peer
 * without 1.3 is told why (OFPET_HELLO_FAILED) before the connection closes.
 */
import type { Hello, OfpMessage } from '../../protocol/index.js';
import { helloVersions, versionBitmaps } from '../../protocol/messages/hello.js';
import { OFP13_VERSION } from '../../protocol/constants/openflow13.js';
import type { Channel } from '../transport/channel.js';
import { HandshakeError, OpenFlowError, versionName } from './errors.js';

/** The HELLO ofwire sends. */
export function ourHello(xid: number): Hello {
  return { type: 'hello', version: OFP13_VERSION, xid, elements: [{ type: 'versionbitmap', bitmaps: versionBitmaps([OFP13_VERSION]) }] };
}

/**
 * Checks the peer's first message; returns the versions it announced (wire numbers). Throws
 * HandshakeError for anything but a HELLO that includes 1.3, after telling the peer why and closing
 * the channel when the versions do not match.
 */
export function acceptHello(m: OfpMessage, channel: Channel, target: string): number[] {
  if (m.type === 'error') {
    throw new HandshakeError(`peer refused the connection: ${new OpenFlowError(m).message}`, target);
  }
  if (m.type !== 'hello') throw new HandshakeError(`expected HELLO, got ${m.type}`, target);
  const bitmapVersions = helloVersions(m);
  const hasBitmap = m.elements.some((e) => e.type === 'versionbitmap');
  const peerVersions = hasBitmap ? bitmapVersions : range(1, m.version);
  const ok = hasBitmap ? bitmapVersions.includes(OFP13_VERSION) : m.version >= OFP13_VERSION;
  if (ok) return peerVersions;
  const theirs = peerVersions.map(versionName).join(', ') || 'none';
  const reason = `peer supports ${theirs}; ofwire requires OpenFlow 1.3`;
  // Tell the peer why (OFPET_HELLO_FAILED / OFPHFC_INCOMPATIBLE carries ASCII text).
  try {
    channel.send({ type: 'error', version: OFP13_VERSION, xid: m.xid, errType: 0, code: 0, data: Buffer.from(reason) });
  } catch {
    // closing anyway
  }
  channel.close();
  throw new HandshakeError(reason, target, peerVersions);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}
