/**
 * A peer's links as objects, the layout before session 14 (peer.ts at 1a2434e: `linked`, one
 * link held bare, two or more in an array; links compared by identity), kept to drive the
 * columns (first-links.ts) against in tests/packager/peer-links-layout.test.ts.
 */
import type { AttachedInterface } from '../../../modules/mycelium/packager/attached.js';
import { macKey, type MacKey } from '../../../modules/mycelium/packager/link-index.js';

export class LinkBefore {
  readonly iface: AttachedInterface;
  readonly macKey: MacKey;
  heard: number;
  candidate: boolean;

  constructor(mac: Uint8Array | undefined, iface: AttachedInterface, heard: number, candidate: boolean) {
    this.iface = iface;
    this.macKey = macKey(mac);
    this.heard = heard;
    this.candidate = candidate;
  }
}

export class LinksBefore {
  private linked: LinkBefore | LinkBefore[] | undefined = undefined;

  get links(): readonly LinkBefore[] {
    const l = this.linked;
    return l === undefined ? [] : Array.isArray(l) ? l : [l];
  }

  addLink(link: LinkBefore): void {
    const l = this.linked;
    if (l === undefined) this.linked = link;
    else if (Array.isArray(l)) l.push(link);
    else this.linked = [l, link];
  }

  dropLink(link: LinkBefore): boolean {
    const l = this.linked;
    if (l === link) this.linked = undefined;
    else if (!Array.isArray(l)) return false;
    else {
      const i = l.indexOf(link);
      if (i < 0) return false;
      l.splice(i, 1);
      if (l.length === 1) this.linked = l[0];
    }
    return true;
  }

  linkOf(mac: Uint8Array | undefined, iface: AttachedInterface): LinkBefore | undefined {
    const key = macKey(mac);
    const l = this.linked;
    if (l === undefined || !Array.isArray(l)) return l !== undefined && l.iface === iface && l.macKey === key ? l : undefined;
    return l.find((x) => x.iface === iface && x.macKey === key);
  }
}
