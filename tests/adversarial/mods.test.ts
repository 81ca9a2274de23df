/**
 * Issue 19, classes 10 and 5 (mods): whatever a mod throws is contained by the app runner and
 * reported once, the node runs on; a mod's oversized message is refused with the documented
 * `too_large` and nothing is held.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { runApp } from '../mods/support.js';
import type { AppMain } from '../../modules/mesh-api/api.js';

/** Errors a mod can build so that describing them throws. */
function symbolMessage(): Error {
  const e = new Error('x');
  Object.defineProperty(e, 'message', { value: Symbol('boom') });
  return e;
}
function throwingName(): Error {
  const e = new Error('x');
  Object.defineProperty(e, 'name', {
    get() {
      throw new Error('no name for you');
    },
  });
  return e;
}
const revokedProxy = (): unknown => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe.each([
  ['an Error whose message is a Symbol', symbolMessage],
  ['an Error whose name getter throws', throwingName],
  ['a revoked Proxy', revokedProxy],
])('a mod throwing %s', (_what, make) => {
  test('from start: stopped, reported, the host unharmed', () => {
    const mesh = new AppMesh();
    const [n] = mesh.addApps(1);
    const main: AppMain = () => {
      throw make();
    };
    let nodes: ReturnType<typeof runApp> = [];
    expect(() => (nodes = runApp([n], main))).not.toThrow();
    expect(nodes[0].runner.status.state).toBe('failed');
    expect(nodes[0].failures).toHaveLength(1);
  });

  test('from a timer: stopped, reported, the node keeps running', () => {
    const mesh = new AppMesh();
    const [n] = mesh.addApps(1);
    const main: AppMain = (api) => {
      api.setTimeout(() => {
        throw make();
      }, 100);
      return {};
    };
    const [m] = runApp([n], main);
    expect(() => mesh.run(1_000)).not.toThrow();
    expect(m.runner.status.state).toBe('failed');
    expect(m.failures).toHaveLength(1);
    expect(n.node.packager.counters.get('app_failed')).toBe(1);
  });
});

test('a 4 MB send, broadcast or publish answers too_large and holds nothing', () => {
  const mesh = new AppMesh();
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  const results: unknown[] = [];
  const main: AppMain = (api) => {
    const port = api.register({ name: 'big' });
    const big = new Uint8Array(4 * 1024 * 1024);
    results.push(port.send('00'.repeat(32), big), port.broadcast(big), port.publish('t', big));
    return {};
  };
  runApp([a], main);
  expect(results).toEqual([{ ok: false, error: 'too_large' }, { ok: false, error: 'too_large' }, { ok: false, error: 'too_large' }]);
  expect(a.node.packager.sizes().sequenceCacheBytes.size).toBe(0);
});
