/** A value read statically from a definition file, with the position it came from. */
export type StaticValue =
  | { kind: 'string'; value: string; at: Position }
  | { kind: 'number'; value: number; at: Position }
  | { kind: 'boolean'; value: boolean; at: Position }
  | { kind: 'array'; items: StaticValue[]; at: Position }
  | { kind: 'object'; properties: Map<string, StaticProperty>; at: Position }
  /** Could not be resolved; a problem was already recorded. */
  | { kind: 'unresolved'; at: Position };

export interface StaticProperty {
  value: StaticValue;
  /** Where the property's name is. */
  at: Position;
}

export interface Position {
  file: string;
  line: number;
  col: number;
}

export function describeValue(value: StaticValue): string {
  switch (value.kind) {
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'number':
      return `the number ${value.value}`;
    case 'boolean':
      return `${value.value}`;
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'unresolved':
      return 'a value that cannot be read statically';
  }
}
