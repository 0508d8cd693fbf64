import { EnvironmentOverlay } from '../../../devhost/config/app-environment';

describe('EnvironmentOverlay', () => {
  it('restores changed variables to their previous values and removes the ones it added', () => {
    const env: NodeJS.ProcessEnv = { KEPT: 'before', CHANGED: 'before' };
    const overlay = new EnvironmentOverlay(env);
    overlay.set('CHANGED', 'during');
    overlay.set('CHANGED', 'again');
    overlay.set('ADDED', 'during');
    expect(overlay.setDefault('KEPT', 'ignored')).toBe(false);
    expect(overlay.setDefault('DEFAULTED', 'during')).toBe(true);
    expect(env).toEqual({ KEPT: 'before', CHANGED: 'again', ADDED: 'during', DEFAULTED: 'during' });
    overlay.restore();
    expect(env).toEqual({ KEPT: 'before', CHANGED: 'before' });
  });
});
