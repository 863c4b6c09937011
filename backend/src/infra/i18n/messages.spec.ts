import { stateConflict } from '../http/app-exception';
import { registerTerms, translate } from './messages';
// The discovery workflow registers its vocabulary when its transition table is loaded.
import '../../modules/discoveries/discovery.transitions';

describe('workflow vocabulary in messages', () => {
  it('names states and actions in the user’s language in a 409, and keeps the codes in details', () => {
    const e = stateConflict('on_site', 'authorize-resumption', ['issue-opinion']);
    expect(translate(e.code, 'zh-CN', e.params)).toBe('当前状态为“已到场”，不能执行“批准复工”；可执行的操作：出具处理意见');
    expect(translate(e.code, 'en', e.params)).toBe('The current state is "on site"; "authorize resumption" is not allowed. Allowed actions: issue opinion');
    expect(e.details).toEqual({ state: 'on_site', action: 'authorize-resumption', allowedActions: ['issue-opinion'] });
  });

  it('lists several allowed actions with the language’s separator and falls back to the code for an unknown term', () => {
    const e = stateConflict('unheard_of', 'record-arrival', ['record-arrival', 'issue-opinion']);
    expect(translate(e.code, 'zh-CN', e.params)).toBe('当前状态为“unheard_of”，不能执行“登记到场”；可执行的操作：登记到场、出具处理意见');
    expect(translate(e.code, 'en', e.params)).toContain('Allowed actions: record arrival, issue opinion');
    expect(translate(stateConflict('closed', 'record-arrival', []).code, 'zh-CN', stateConflict('closed', 'record-arrival', []).params)).toContain('可执行的操作：—');
  });

  it('refuses one code registered twice with different meanings', () => {
    registerTerms('state', { qz_test_state: { 'zh-CN': '甲', en: 'a' } });
    expect(() => registerTerms('state', { qz_test_state: { 'zh-CN': '甲', en: 'a' } })).not.toThrow();
    expect(() => registerTerms('state', { qz_test_state: { 'zh-CN': '乙', en: 'b' } })).toThrow('state:qz_test_state');
  });
});
