/**
 * The mesh Radio over a RYLR-998 (modules/mycelium/packager/radio.ts): frames out through
 * AT+SEND, +RCV frames in, with what a LoRa link needs and ESP-NOW does not:
 *
 * - **Airtime pacing.** The module transmits one frame at a time and answers +ERR=17 to a
 *   send while it is still on air, so the next AT+SEND waits for the previous frame's airtime
 *   (airtime.ts, from the configured SF/BW/CR/preamble and the module's 8 added bytes).
 * - **Random backoff (jitter).** Before each frame the radio waits a random time, a few airtimes
 *   long: periodic senders that booted together (beacons on a fixed period) stop colliding
 *   forever. The RYLR-998's AT set has no channel-activity detection or RSSI read-out, so
 *   listen-before-talk is not possible with this module; the backoff stands in for it.
 * - **Duty-cycle limit** (duty-limiter.ts, default 1 % of any hour). Unicast frames are high
 *   priority (data, acks, routed traffic); broadcasts are low (beacons, tree adverts, gossip):
 *   low-priority frames are shed once they would eat into the share kept for unicasts, unicasts
 *   wait until old transmit time leaves the window.
 * - **Stale unicasts.** A unicast queued longer than the sender's retry delay (the duty limit
 *   held it) is dropped unsent: the sender has resent or given up. A tree advert (a priority
 *   broadcast, no retry) waits up to 60 s (docs/lora.md "Transmit discipline").
 * - **Encoding.** `binary` as is (240-byte MTU), `base64` ASCII-only (180). **Room notices** (room-notices.ts, off unless asked).
 * Addresses: a peer's "MAC" is its 2-byte module address, big-endian; the ESP-NOW broadcast MAC
 * (or address 0) is AT+SEND's broadcast.
 */
import type { Radio } from '../mycelium/packager/radio.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { BANDWIDTH_HZ, BROADCAST_ADDRESS, MAX_SEND_BYTES, sendAirtimeMs, type Rylr998Config } from './config.js';
import type { RylrCounters } from './counters.js';
import { DutyLimiter } from './duty-limiter.js';
import { snrMarginDb } from './link-margin.js';
import { frameHash, LINK_ACK_BYTES, linkAckFrame, LinkAcks } from './link-acks.js';
import { unicastRetryHorizonMs } from './retry-delay.js';
import type { FrameEncoding, Rylr998RadioOptions } from './radio-options.js';
import type { Rylr998 } from './rylr998.js';
import { addressOf, randomUnit, sameBytes, type Outgoing } from './radio-frames.js';
import { RoomNotices } from './room-notices.js';
import { CARRIED_HEADER_BYTES, CarriedAcks, carriedIntroduction, ACK_SLACK_MS as CARRIED_SLACK_MS, MAX_CARRIED, OWED_WAIT_FRAMES } from './carried-acks.js';
import type { DriverClock, TimerHandle } from './timers.js';

import { ACK_QUEUE, ACK_SLACK_MS, BUSY_RETRIES, GUARD_MS, PRIORITY_BROADCAST_STALE_MS, RYLR998_RADIO_NAME, RYLR998_RADIO_SCHEMA_IDS } from './radio-constants.js';

export { RYLR998_RADIO_NAME, RYLR998_RADIO_SCHEMA_IDS } from './radio-constants.js';
export type { FrameEncoding, Rylr998RadioOptions } from './radio-options.js';
export { addressOf } from './radio-frames.js';

export class Rylr998Radio implements Radio {
  readonly name = RYLR998_RADIO_NAME;
  readonly bitrate: number;
  readonly schemaIds = RYLR998_RADIO_SCHEMA_IDS;
  readonly mtu: number;
  readonly encoding: FrameEncoding;
  readonly config: Rylr998Config;
  readonly limiter: DutyLimiter;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined, marginDb?: number) => void) | undefined;
  readonly #driver: Rylr998;
  readonly #clock: DriverClock;
  readonly #txCap: number;
  readonly #rxCap: number;
  readonly #backoff: { readonly low: number; readonly high: number };
  readonly #staleMs: number;
  readonly #broadcastStaleMs: number;
  readonly #acks: LinkAcks | undefined;
  readonly #ackRetries: number;
  readonly #ackAirtimeMs: number;
  /** The frame whose link ack we wait for, until #ackUntil. */
  #awaiting: Outgoing | undefined;
  #ackUntil = -Infinity;
  readonly #carried: CarriedAcks<Outgoing> | undefined;
  readonly #carriedRetries: number;
  #carriedTimer: TimerHandle | undefined;
  readonly #room: RoomNotices | undefined;
  readonly #tx: Outgoing[] = [];
  readonly #rx: { frame: Uint8Array; address: number; marginDb: number }[] = [];
  #rxTimer: TimerHandle | undefined;
  #timer: TimerHandle | undefined;
  #sending = false;
  #airEnd = -Infinity;
  #ready = false;
  #closed = false;

  constructor(options: Rylr998RadioOptions) {
    const c = options.config;
    this.config = c;
    this.#driver = options.driver;
    this.#clock = options.clock;
    this.encoding = options.encoding ?? 'binary';
    this.mtu = this.encoding === 'binary' ? MAX_SEND_BYTES : Math.floor(MAX_SEND_BYTES / 4) * 3;
    // The nominal LoRa bit rate SF · BW / 2^SF · 4/(4+CR): 1758 b/s at the factory SF9/BW125/CR4/5.
    this.bitrate = Math.round(((c.sf * BANDWIDTH_HZ[c.bw]) / 2 ** c.sf) * (4 / (4 + c.cr)));
    this.limiter = new DutyLimiter({ limit: options.dutyCycle ?? 0.01, reserve: options.dutyReserve });
    this.#txCap = options.txQueue ?? 16;
    this.#rxCap = options.rxBuffer ?? 8;
    this.#backoff = { low: options.broadcastBackoff ?? 6, high: options.unicastBackoff ?? 1.5 };
    this.#staleMs = options.unicastStaleMs ?? unicastRetryHorizonMs(c);
    this.#broadcastStaleMs = options.priorityBroadcastStaleMs ?? PRIORITY_BROADCAST_STALE_MS;
    // Off unless asked: under a duty limit the relays at their limit cannot afford the acks and
    // the senders' resends spend the rest of the mesh's budget; without one the end-to-end
    // retry already recovers the hops they would (lora-20: docs/lora.md "Link acks").
    this.#acks = options.linkAcks === true ? new LinkAcks() : undefined;
    this.#ackRetries = options.linkAckRetries ?? 2;
    this.#ackAirtimeMs = sendAirtimeMs(c, this.encoding === 'binary' ? LINK_ACK_BYTES : 4);
    this.#carried = options.carriedAcks === true && !this.#acks ? new CarriedAcks<Outgoing>(c.address) : undefined;
    this.#carriedRetries = options.carriedAckRetries ?? 1;
    this.#room = options.roomNotices === true ? new RoomNotices() : undefined;
    this.#driver.onFrame = (address, data, _rssi, snr) => this.#heard(address, data, snrMarginDb(snr, c.sf));
  }

  get counters(): RylrCounters {
    return this.#driver.counters;
  }

  /** This node's address as the 2-byte "MAC" peers see. */
  get mac(): Uint8Array {
    return Uint8Array.of(this.config.address >> 8, this.config.address & 0xff);
  }

  /** Configure the module; frames sent before it is ready wait in the queue. */
  start(done?: (ok: boolean) => void): void {
    this.#driver.configure(this.config, (r) => {
      this.#ready = r.ok;
      done?.(r.ok);
      this.#roomDue();
      this.#pump();
    });
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    if (this.#rxTimer !== undefined) this.#clock.clearTimeout(this.#rxTimer);
    if (this.#carriedTimer !== undefined) this.#clock.clearTimeout(this.#carriedTimer);
    this.#timer = this.#rxTimer = this.#carriedTimer = undefined;
    this.#tx.length = 0;
    this.#awaiting = undefined;
    this.#rx.length = 0;
    this.#driver.close();
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    const address = addressOf(mac);
    if (address === undefined) {
      this.counters.tx_refused++;
      return false;
    }
    return this.#enqueue(address, frame, address !== BROADCAST_ADDRESS);
  }

  /** `priority` (a tree advert): queued and metered as a unicast, never shed; a broadcast's backoff. */
  broadcast(frame: Uint8Array, priority = false): boolean { return this.#enqueue(BROADCAST_ADDRESS, frame, priority); }

  /** Our airtime in the limiter's sliding hour, ms (Radio.dutyUsedMs: RouteVector tells it its neighbours). */
  dutyUsedMs(): number { return this.limiter.usedMs(this.#clock.now()); }

  /** Whether the neighbour at `mac` last said its hour is nearly spent (room notices; false without them). */
  peerBusy(mac: Uint8Array): boolean {
    const address = addressOf(mac);
    return address !== undefined && this.#room !== undefined && this.#room.peerBusy(address, this.#clock.now());
  }

  /** Queue our room notice when one is due (with priority: the relay near its limit must be heard). */
  #roomDue(): void {
    const now = this.#clock.now();
    const notice = this.#room?.due(now, this.limiter.limit > 0 ? this.limiter.usedMs(now) / this.limiter.budgetMs : 0);
    if (notice && this.#enqueue(BROADCAST_ADDRESS, notice, true)) this.counters.tx_room_notices++;
  }

  /** Frames waiting to go out. */
  get queued(): number { return this.#tx.length; }

  #enqueue(address: number, frame: Uint8Array, high: boolean): boolean {
    if (this.#closed || frame.length === 0 || frame.length > this.mtu) {
      this.counters.tx_refused++;
      return false;
    }
    if (this.#tx.length >= this.#txCap) {
      // A full queue makes room for a unicast by dropping the oldest broadcast.
      const low = high ? this.#tx.findIndex((o) => !o.high) : -1;
      if (low < 0) {
        this.counters.tx_queue_full++;
        return false;
      }
      this.#tx.splice(low, 1);
      this.counters.tx_queue_full++;
    }
    // A compact unicast to a neighbour whose radio acks goes marked, and is held until acked.
    const now = this.#clock.now();
    const marked = high && address !== BROADCAST_ADDRESS && this.#acks?.speaks(address, now) ? this.#acks.mark(frame) : undefined;
    if (marked) frame = marked;
    // A compact unicast to a neighbour that speaks carried acks goes to address 0, acked on its next frame.
    const inner = high && address !== BROADCAST_ADDRESS && this.#carried?.speaks(address, now) && CarriedAcks.carries(frame) ? frame.slice() : undefined;
    const data = this.encoding === 'binary' ? frame.slice() : encodeBase64(frame);
    // Metered with the most acks it may carry (the exact airtime is recorded when it goes).
    const airtimeMs = sendAirtimeMs(this.config, inner ? this.#wireLength(inner.length + CARRIED_HEADER_BYTES + 2 * MAX_CARRIED) : data.length);
    // A resend of a unicast still waiting here (the duty limit held it past the sender's retry
    // delay) would go on air twice: the queued copy stands for both. Broadcasts repeat on
    // purpose (a beacon burst is the same bytes a few frames apart): never coalesced.
    if (high && this.#tx.some((o) => o.address === address && sameBytes(o.data, data))) {
      this.counters.tx_coalesced++;
      return true;
    }
    this.#tx.push({ address, data, high, airtimeMs, inner, backoffUntil: undefined, deferred: false, retries: 0, queuedAt: this.#clock.now(), hash: marked ? frameHash(marked) : 0, linkResends: 0, isAck: false });
    this.#pump();
    return true;
  }

  /** Queue a link ack (hash 0: an introduction), or `frame`, to go before anything else, without backoff. */
  #queueAck(address: number, hash: number, frame = linkAckFrame(hash)): void {
    let acks = 0;
    for (const o of this.#tx) if (o.isAck) acks++;
    if (acks >= ACK_QUEUE) {
      this.counters.tx_queue_full++;
      return;
    }
    const data = this.encoding === 'binary' ? frame : encodeBase64(frame);
    this.#tx.unshift({ address, data, high: true, airtimeMs: sendAirtimeMs(this.config, data.length), backoffUntil: undefined, deferred: false, retries: 0, queuedAt: this.#clock.now(), hash: 0, linkResends: 0, isAck: true });
    this.#kick();
  }

  /** Run the pump now, even if a timer is set for later (backoffs and windows are re-checked). */
  #kick(): void {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#pump();
  }

  /** The frame we wait an ack for got none in its window: send it again, or give it up. */
  #ackTimedOut(now: number): void {
    const o = this.#awaiting as Outgoing;
    this.#awaiting = undefined;
    if (o.linkResends < this.#ackRetries && !this.#closed && !(this.#staleMs > 0 && now - o.queuedAt > this.#staleMs)) {
      o.linkResends++;
      o.backoffUntil = undefined; // a new backoff: the frames that collided should not meet again
      this.counters.tx_link_resent++;
      this.#tx.unshift(o);
    } else {
      this.counters.tx_link_unacked++;
      this.#acks?.unacked(o.address, now);
    }
  }

  /** Send the next frame if the module, the duty budget and the backoff allow; else set a timer. */
  #pump(): void {
    if (this.#closed || !this.#ready || this.#sending || this.#timer !== undefined) return;
    for (;;) {
      const now = this.#clock.now();
      if (now < this.#airEnd) return this.#wait(this.#airEnd - now);
      if (this.#awaiting && now >= this.#ackUntil) this.#ackTimedOut(now);
      const i = this.#next();
      if (i < 0) return this.#awaiting ? this.#wait(this.#ackUntil - now) : undefined;
      const o = this.#tx[i];
      if (o.isAck) {
        // An ack goes at once or not at all: late, the sender has resent (and is acked then).
        this.#tx.splice(i, 1);
        if (now - o.queuedAt > ACK_SLACK_MS || !this.limiter.allows(now, o.airtimeMs, true)) {
          this.counters.tx_link_ack_dropped++;
          continue;
        }
        return this.#transmit(o);
      }
      // Waiting for a link ack: the module cannot hear it while it transmits.
      if (this.#awaiting) return this.#wait(this.#ackUntil - now);
      const staleMs = o.address === BROADCAST_ADDRESS ? this.#broadcastStaleMs : this.#staleMs;
      if (o.high && staleMs > 0 && now - o.queuedAt > staleMs) {
        this.#tx.splice(i, 1);
        this.counters.tx_stale_dropped++;
        continue;
      }
      if (!this.limiter.allows(now, o.airtimeMs, o.high)) {
        const wait = o.high ? this.limiter.waitMs(now, o.airtimeMs, true) : Infinity;
        if (wait === Infinity) {
          this.#tx.splice(i, 1);
          this.counters.tx_shed_duty++;
          continue;
        }
        if (!o.deferred) this.counters.tx_deferred_duty++;
        o.deferred = true;
        // Look again when it turns stale: the frames behind it need not wait for its window.
        const stale = staleMs > 0 ? o.queuedAt + staleMs + 1 - now : Infinity;
        return this.#wait(Math.min(wait, stale));
      }
      if (o.backoffUntil === undefined) {
        // A broadcast keeps its longer backoff with priority too: periodic senders that booted
        // together (hidden terminals in a line) would otherwise meet again.
        o.backoffUntil = now + randomUnit(this.#clock) * o.airtimeMs * ((o.high && o.address !== BROADCAST_ADDRESS) || o.carriedAck ? this.#backoff.high : this.#backoff.low);
      }
      if (o.backoffUntil - now >= 1) return this.#wait(o.backoffUntil - now);
      this.#tx.splice(i, 1);
      return this.#transmit(o);
    }
  }

  /** Index of the next frame: a link ack, else the oldest unicast, else the oldest broadcast. */
  #next(): number {
    if (this.#tx.length > 0 && this.#tx[0].isAck) return 0; // acks are queued at the front
    const high = this.#tx.findIndex((o) => o.high);
    return high >= 0 ? high : this.#tx.length > 0 ? 0 : -1;
  }

  #transmit(o: Outgoing): void {
    let address = o.address;
    let data = o.data;
    if (this.#carried && (o.inner || o.carriedAck)) {
      // The acks owed now ride along; the frame is awaited for the receiver's wait, its ack's backoff and airtime.
      const airMs = o.airtimeMs;
      const wire = this.#carried.wrap(o.inner ? o.address : BROADCAST_ADDRESS, o.inner, this.#clock.now(), (1 + OWED_WAIT_FRAMES) * airMs + 2.5 * this.#ackAirtimeMs + CARRIED_SLACK_MS, o.inner ? o : undefined);
      if (!wire) return this.#pump(); // acks alone, all carried meanwhile
      address = BROADCAST_ADDRESS;
      data = this.encoding === 'binary' ? wire : encodeBase64(wire);
      o.airtimeMs = sendAirtimeMs(this.config, data.length);
      if (o.inner) this.counters.tx_carried++;
      else this.counters.tx_carried_acks++;
      this.#armCarried();
    }
    this.#sending = true;
    this.#driver.send(
      address,
      data,
      (r) => {
        this.#sending = false;
        const now = this.#clock.now();
        if (r.ok) {
          this.limiter.record(now, o.airtimeMs);
          this.#airEnd = now + o.airtimeMs + GUARD_MS;
          this.counters.tx_frames++;
          this.#roomDue();
          if (o.isAck) this.counters.tx_link_acks++;
          if (o.hash !== 0) {
            this.#awaiting = o;
            this.#ackUntil = now + o.airtimeMs + this.#ackAirtimeMs + ACK_SLACK_MS;
          }
        } else if (r.error.kind === 'module' && r.error.code === 17 && o.retries < BUSY_RETRIES && !this.#closed) {
          // Still on air with an earlier frame: try again after one more airtime.
          o.retries++;
          this.counters.tx_busy_retries++;
          this.#tx.unshift(o);
          this.#airEnd = now + o.airtimeMs;
        } else {
          this.counters.tx_errors++;
        }
        this.#pump();
      },
      o.airtimeMs + 1000,
    );
  }

  #wait(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, ms);
  }

  /**
   * A +RCV frame: decode, buffer (bounded), hand to the Packager from a timer with its SNR
   * margin over the SF's floor (link-margin.ts), from which the Packager judges the link.
   */
  #heard(address: number, data: Uint8Array, marginDb: number): void {
    let frame = this.encoding === 'binary' ? data : decodeBase64(data);
    if (!frame || frame.length === 0) {
      this.counters.rx_undecodable++;
      return;
    }
    const room = this.#room?.heard(address, frame, this.#clock.now());
    if (room === 'notice' || room === 'invalid') return void this.counters[room === 'notice' ? 'rx_room_notices' : 'rx_room_invalid']++;
    const c = this.#carried?.heard(address, frame, this.#clock.now());
    if (c?.kind === 'carried') {
      this.counters.tx_carried_acked += c.acked.length;
      if (c.duplicate) this.counters.rx_carried_duplicates++;
      else if (!c.frame) this.counters.rx_overheard++;
      if (c.frame && this.#rx.length >= this.#rxCap) this.#carried?.forget(address, c.hash);
      else if (c.hash !== 0) this.#carried?.owe(address, c.hash, this.#clock.now(), OWED_WAIT_FRAMES * sendAirtimeMs(this.config, data.length));
      this.#armCarried();
      if (!c.frame) return;
      frame = c.frame;
    } else if (c?.introduce) {
      this.counters.tx_carried_intros++;
      this.#queueAck(address, 0, carriedIntroduction());
    }
    const h = this.#acks?.heard(address, frame, this.#clock.now());
    if (h?.kind === 'ack') {
      const w = this.#awaiting;
      if (w && w.address === address && w.hash === h.hash) {
        this.#awaiting = undefined;
        this.counters.tx_link_acked++;
        this.#acks?.acked(address);
        this.#kick();
      }
      return;
    }
    if (h?.kind === 'acked') {
      this.#queueAck(address, h.hash);
      if (h.duplicate) {
        this.counters.rx_link_duplicates++;
        return;
      }
    } else if (h?.introduce) {
      this.counters.tx_link_intros++;
      this.#queueAck(address, 0);
    }
    if (h) frame = h.frame;
    if (this.#rx.length >= this.#rxCap) {
      this.counters.rx_buffer_full++;
      return;
    }
    this.#rx.push({ frame, address, marginDb });
    this.#rxTimer ??= this.#clock.setTimeout(() => this.#drain(), 0);
  }

  /** A timer for the next owed ack to go alone or awaited frame to turn overdue. */
  #armCarried(): void {
    if (this.#carriedTimer !== undefined) this.#clock.clearTimeout(this.#carriedTimer);
    const due = this.#carried?.nextDue() ?? Infinity;
    this.#carriedTimer = due === Infinity || this.#closed ? undefined : this.#clock.setTimeout(() => this.#carriedDue(), Math.max(0, due - this.#clock.now()));
  }

  /** Overdue frames resent once if the budget has room outside the unicast reserve (else given up); owed acks sent alone. */
  #carriedDue(): void {
    this.#carriedTimer = undefined;
    const carried = this.#carried as CarriedAcks<Outgoing>;
    const now = this.#clock.now();
    for (const o of carried.takeOverdue(now)) {
      if (o.linkResends < this.#carriedRetries && this.limiter.allows(now, o.airtimeMs, false) && !(this.#staleMs > 0 && now - o.queuedAt > this.#staleMs)) {
        o.linkResends++;
        o.backoffUntil = undefined;
        o.airtimeMs = sendAirtimeMs(this.config, this.#wireLength((o.inner as Uint8Array).length + CARRIED_HEADER_BYTES + 2 * MAX_CARRIED));
        this.counters.tx_carried_resent++;
        this.#tx.unshift(o);
      } else {
        this.counters.tx_carried_unacked++;
        carried.unacked(o.address, now);
      }
    }
    if (carried.takeDueAcks(now) && !this.#tx.some((o) => o.carriedAck)) {
      this.#tx.unshift({ address: BROADCAST_ADDRESS, data: new Uint8Array(0), high: true, airtimeMs: sendAirtimeMs(this.config, this.#wireLength(CARRIED_HEADER_BYTES + 2 * MAX_CARRIED)), carriedAck: true, backoffUntil: undefined, deferred: false, retries: 0, queuedAt: now, hash: 0, linkResends: 0, isAck: false });
    }
    this.#armCarried();
    this.#kick();
  }

  #wireLength(bytes: number): number {
    return this.encoding === 'binary' ? bytes : 4 * Math.ceil(bytes / 3);
  }

  #drain(): void {
    this.#rxTimer = undefined;
    const batch = this.#rx.splice(0, this.#rx.length);
    for (const { frame, address, marginDb } of batch) this.onReceive?.(frame, Uint8Array.of(address >> 8, address & 0xff), marginDb);
  }
}
