/**
 * `echo`: the simulator's own demo app, written against the mesh API only (as a mod would be),
 * for scenarios and tests that need an app without chat's or telemetry's logic.
 *
 * Every node subscribes to `topic`; every `interval_s` it publishes `echo <node> <seq>` there
 * (0: never) and, when `to` names a node id (hex), sends the same text to it. A node answers
 * every message sent to it with `echo-reply <text>`. `fail_after_s` makes the app throw from a
 * timer that long after it starts (`fail_on_start`: from `start` itself), to show how a failing
 * app is stopped and reported. Console: `echo` prints what it sent and received.
 */
import type { AppMain, MeshApi } from '../../modules/mesh-api/api.js';

const echo: AppMain = (mesh: MeshApi, options) => {
  const topic = typeof options.topic === 'string' ? options.topic : 'echo';
  const interval = typeof options.interval_s === 'number' ? options.interval_s : 30;
  const to = typeof options.to === 'string' ? options.to : undefined;
  if (options.fail_on_start === true) throw new Error('echo: asked to fail on start');
  const me = mesh.nodeId.slice(0, 8);
  let seq = 0;
  let sent = 0;
  let received = 0;
  let replies = 0;
  const port = mesh.register({
    name: 'echo',
    version: 1,
    receive(data, info) {
      received++;
      const text = mesh.decodeText(data);
      if (text.startsWith('echo-reply ')) replies++;
      else if (info.topic === undefined && info.from !== undefined) port.send('', mesh.encodeText(`echo-reply ${text}`), { address: info.from });
    },
  });
  port.subscribe(topic);
  if (interval > 0) {
    mesh.setInterval(() => {
      const text = mesh.encodeText(`echo ${me} ${++seq}`);
      if (port.publish(topic, text).ok) sent++;
      if (to !== undefined && port.send(to, text).ok) sent++;
    }, interval * 1000);
  }
  if (typeof options.fail_after_s === 'number') {
    mesh.setTimeout(() => {
      throw new Error(`echo: asked to fail after ${options.fail_after_s} s`);
    }, options.fail_after_s * 1000);
  }
  mesh.command({
    name: 'echo',
    help: 'what the echo app sent and received',
    run(_args, print) {
      print(`echo: sent ${sent}, received ${received}, replies ${replies}`);
    },
  });
};

export default echo;
