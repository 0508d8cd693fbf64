import { VirtualClock } from '../../../../devhost/durable';

describe('VirtualClock', () => {
  it('fires due timers in time order, each seeing its own due time, and stops at the target', () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
    const fired: string[] = [];
    clock.schedule(new Date('2026-01-01T02:00:00Z'), () => fired.push(`b@${clock.now().toISOString()}`));
    clock.schedule(new Date('2026-01-01T01:00:00Z'), () => fired.push(`a@${clock.now().toISOString()}`));
    clock.schedule(new Date('2026-01-01T05:00:00Z'), () => fired.push('late'));
    clock.advance(3 * 60 * 60 * 1000);
    expect(fired).toEqual(['a@2026-01-01T01:00:00.000Z', 'b@2026-01-01T02:00:00.000Z']);
    expect(clock.now().toISOString()).toBe('2026-01-01T03:00:00.000Z');
    expect(clock.nextTimerAt()?.toISOString()).toBe('2026-01-01T05:00:00.000Z');
  });

  it('fires a timer that a callback schedules within the same advance', () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
    const fired: number[] = [];
    clock.schedule(new Date('2026-01-01T00:00:01Z'), () => {
      fired.push(1);
      clock.schedule(new Date('2026-01-01T00:00:02Z'), () => fired.push(2));
    });
    clock.advance(5000);
    expect(fired).toEqual([1, 2]);
  });

  it('fires a timer scheduled at the current time without being advanced', async () => {
    const clock = new VirtualClock();
    const fired = new Promise<Date>((resolve) => clock.schedule(clock.now(), () => resolve(clock.now())));
    expect(await fired).toEqual(clock.now());
    expect(clock.pendingTimers).toBe(0);
  });

  it('never fires a cancelled timer', () => {
    const clock = new VirtualClock();
    const cancel = clock.schedule(new Date(clock.now().getTime() + 10), () => {
      throw new Error('cancelled timer fired');
    });
    cancel();
    clock.advance(100);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses to move backwards', () => {
    const clock = new VirtualClock(new Date('2026-01-02T00:00:00Z'));
    expect(() => clock.advanceTo(new Date('2026-01-01T00:00:00Z'))).toThrow(/cannot go back/);
    expect(() => clock.advance(-1)).toThrow(/duration >= 0/);
  });
});
