import { describe, expect, it } from 'vitest';
import { typed } from '../../engine/index.js';
import { formatDate, parseDate } from '../../gateway/engine-rest/json.js';
import { fromVariableValueDto, toVariableValueDto } from '../../gateway/engine-rest/variables.js';

describe('Camunda variable JSON and dates', () => {
  it('formats dates as Camunda does and reads its format and ISO 8601 variants', () => {
    const d = new Date('2026-01-31T10:00:00.000Z');
    expect(formatDate(d)).toBe('2026-01-31T10:00:00.000+0000');
    for (const text of ['2026-01-31T10:00:00.000+0000', '2026-01-31T10:00:00Z', '2026-01-31T11:00:00.000+01:00', '2026-01-31T11:00:00+0100', '2026-01-31T05:00:00.000-05', '2026-01-31T10:00:00']) {
      expect(parseDate(text)?.toISOString(), text).toBe('2026-01-31T10:00:00.000Z');
    }
    expect(parseDate('2026-01-31T10:00:00.123456+0000')?.toISOString()).toBe('2026-01-31T10:00:00.123Z');
    for (const text of ['yesterday', '2026-01-31', '2026-13-45T99:00:00Z', '']) expect(parseDate(text), text).toBeNull();
  });

  it('renders typed values as VariableValueDto', () => {
    expect(toVariableValueDto(typed('Date', new Date('2026-01-31T10:00:00Z')))).toEqual({ type: 'Date', value: '2026-01-31T10:00:00.000+0000', valueInfo: {} });
    expect(toVariableValueDto(typed('Json', { a: [1] }))).toEqual({ type: 'Json', value: '{"a":[1]}', valueInfo: {} });
    const order = typed('Object', { id: 7 }, { objectTypeName: 'com.acme.Order' });
    expect(toVariableValueDto(order)).toEqual({ type: 'Object', value: { id: 7 }, valueInfo: { objectTypeName: 'com.acme.Order', serializationDataFormat: 'application/json' } });
    expect(toVariableValueDto(order, false).value).toBe('{"id":7}');
    expect(toVariableValueDto({ type: 'Bytes', value: Buffer.from('hi') })).toEqual({ type: 'Bytes', value: 'aGk=', valueInfo: {} });
    expect(toVariableValueDto(typed('Null', null))).toEqual({ type: 'Null', value: null, valueInfo: {} });
  });

  it('reads VariableValueDto with Camunda\'s type names and refuses what it cannot store', () => {
    expect(fromVariableValueDto('a', { value: '5', type: 'integer' })).toEqual({ type: 'Integer', value: 5 });
    expect(fromVariableValueDto('b', { value: 5 })).toEqual({ type: 'Integer', value: 5 });
    expect(fromVariableValueDto('c', { value: '2026-01-31T11:00:00.000+0100', type: 'Date' })).toEqual({ type: 'Date', value: new Date('2026-01-31T10:00:00Z') });
    expect(fromVariableValueDto('d', { value: '{"x":1}', type: 'Object', valueInfo: { objectTypeName: 'X', serializationDataFormat: 'application/json' } })).toEqual({
      type: 'Object',
      value: { x: 1 },
      valueInfo: { objectTypeName: 'X', serializationDataFormat: 'application/json' },
    });
    const status = (dto: unknown) => {
      try {
        fromVariableValueDto('v', dto);
      } catch (e) {
        return (e as { status?: number; type?: string }).status;
      }
      return 200;
    };
    expect(status({ value: 1, type: 'Complex' })).toBe(400);
    expect(status({ value: 'rO0ABXQ=', type: 'Object', valueInfo: { serializationDataFormat: 'application/x-java-serialized-object' } })).toBe(400);
    expect(status({ value: 'x', type: 'File' })).toBe(400);
    expect(status({ value: 'soon', type: 'Date' })).toBe(400);
    expect(status('just a string')).toBe(400);
    expect(status({ value: 1, type: 7 })).toBe(400);
  });
});
