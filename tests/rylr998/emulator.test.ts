import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium } from '../../simulator/medium/medium.js';
import { Rylr998Emulator } from '../../simulator/rylr998/emulator.js';
import { Rylr998 } from '../../modules/rylr998/rylr998.js';
import type { CommandResult } from '../../modules/rylr998/errors.js';
import { FACTORY_CONFIG } from '../../modules/rylr998/config.js';
import { driverClock } from './support.js';

function setup() {
  const clock = new VirtualClock();
  const medium = new Medium({ clock, random: new SeededRandom(1), kind: 'rylr998' });
  const dc = driverClock(clock);
  const twin = new Rylr998Emulator({ radio: medium.addNode(), clock: dc });
  const driver = new Rylr998({ uart: twin, clock: dc });
  const run = (line: string): CommandResult[] => {
    const out: CommandResult[] = [];
    driver.command(line, (r) => out.push(r));
    clock.advance(2000);
    return out;
  };
  return { clock, twin, driver, run };
}

describe('the driver against the RYLR-998 twin', () => {
  it('configures the module and reads settings back', () => {
    const { clock, driver, run, twin } = setup();
    const done: boolean[] = [];
    driver.configure({ ...FACTORY_CONFIG, address: 42, sf: 7 }, (r) => done.push(r.ok));
    clock.advance(5000);
    expect(done).toEqual([true]);
    expect(twin.address).toBe(42);
    expect(run('AT+PARAMETER?')).toEqual([{ ok: true, value: '7,7,1,12' }]);
  });

  it('turns the module\'s +ERR answers into typed errors', () => {
    const { run, driver } = setup();
    const err = (line: string) => {
      const [r] = run(line);
      return r.ok ? 0 : r.error.code;
    };
    expect(err('AT+FOO=1')).toBe(4);
    expect(err('AT+PARAMETER=9,7,1,30')).toBe(18);
    expect(err('XX')).toBe(2);
    expect(driver.lastError?.message).toMatch(/"AT"/);
  });

  it('refuses a configuration out of range before the module sees it', () => {
    const { clock, driver } = setup();
    const out: CommandResult[] = [];
    driver.configure({ ...FACTORY_CONFIG, address: 0 }, (r) => out.push(r));
    clock.advance(10);
    expect(out[0].ok).toBe(false);
    expect(!out[0].ok && out[0].error.kind).toBe('invalid');
  });

  it('a second AT+SEND while the first frame is on air gets +ERR=17', () => {
    const { clock, driver } = setup();
    const out: CommandResult[] = [];
    driver.send(0, new Uint8Array(200), (r) => out.push(r));
    driver.send(0, new Uint8Array(200), (r) => out.push(r));
    clock.advance(5000);
    expect(out[0].ok).toBe(true);
    expect(!out[1].ok && out[1].error.code).toBe(17);
  });

  it('a command with no answer times out with a typed error', () => {
    const clock = new VirtualClock();
    const dc = driverClock(clock);
    const silent = { write: () => undefined, onData: undefined };
    const driver = new Rylr998({ uart: silent, clock: dc });
    const out: CommandResult[] = [];
    driver.command('AT', (r) => out.push(r));
    clock.advance(5000);
    expect(!out[0].ok && out[0].error.kind).toBe('timeout');
    expect(driver.counters.cmd_timeouts).toBe(1);
  });
});
