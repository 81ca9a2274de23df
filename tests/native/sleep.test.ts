/** The sleep module's shared checks and accounting (modules/sleep/core.ts, desktop variant). */
import { MAX_SLEEP_MS, checkSleepMs } from '../../modules/sleep/core.js';
import { Sleep } from '../../modules/sleep/sleep-sim.js';

describe('Sleep', () => {
  test('checkSleepMs accepts integers 1..2^32-1 only', () => {
    expect(checkSleepMs(1, 'f')).toBe(1);
    expect(checkSleepMs(MAX_SLEEP_MS, 'f')).toBe(MAX_SLEEP_MS);
    for (const bad of [0, -5, 1.5, MAX_SLEEP_MS + 1, NaN, '10', undefined]) {
      expect(() => checkSleepMs(bad, 'Sleep.lightSleep')).toThrow(RangeError);
    }
    expect(() => checkSleepMs(0, 'Sleep.lightSleep')).toThrow('Sleep.lightSleep: ms must be an integer 1..4294967295, got 0');
  });

  test('modem sleep state and switch-on count', () => {
    const s = new Sleep();
    expect(s.modemSleep).toBe(false);
    s.setModemSleep(true);
    s.setModemSleep(true);
    s.setModemSleep(false);
    s.setModemSleep(true);
    expect(s.counters).toEqual({ modemSleep: true, modemSleepOns: 2, lightSleeps: 0, lightSleepMs: 0 });
    expect(() => s.setModemSleep(1 as unknown as boolean)).toThrow(TypeError);
  });

  test('light sleep without a radio only accounts time', () => {
    const s = new Sleep();
    expect(s.lightSleep(25)).toBe(25);
    expect(s.counters).toMatchObject({ lightSleeps: 1, lightSleepMs: 25 });
    expect(() => s.lightSleep(0)).toThrow(RangeError);
    expect(s.counters.lightSleeps).toBe(1);
  });

  test('an object without setRadioState is ignored as a radio', () => {
    const s = new Sleep({ radio: {} });
    expect(s.lightSleep(5)).toBe(5);
  });
});
